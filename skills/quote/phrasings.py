"""How officers ask for a price (en, zh, mixed): what the router's classifier learns the quote skill from."""

from __future__ import annotations

__all__ = ["PHRASINGS"]

PHRASINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "quote 2m 60d", "quote 750k 30 days", "price 1m 90 days", "price it: 3m 120d", "what does 1m for 60 days cost",
        "cost of 500k over 90 days", "run a quote 1.2m 75d", "give me pricing on 2m 90d", "2m 90d quote pls",
        "how much fee on 1m 90d", "net proceeds on 800k 60d", "quote 1m 90d 85% advance", "quote 1m 90d rate 8%",
        "price 600k 45d no fee", "quote 1m 90d upfront interest", "quote 900k 60d with recourse", "numbers for 1m 90d",
        "deal pricing 4m 150d", "quote for orion 1m 90d", "price 1.2 million 90 days", "quote 250000 30d",
        "what would we charge on 1m 90d", "effective cost of 1m 60 days", "how much does the client get on 2m 90d",
        "quote 1m for 3 months", "quote 500k 8 weeks", "price 1m due 2027-01-15", "quick price 700k 60d",
        "pricing 1m 90d advance 80 rate 6 fee 0.5", "calc 1m 90 days",
    ),
    "zh": (
        "报价 100万 60天", "报个价 200万 90天", "100万 60天 多少钱", "算一下 300万 120天", "测算 50万 30天",
        "给客户报价 80万 90天", "200万 90天 融资比例85%", "150万 60天 年化7%", "100万 90天 服务费0.5%",
        "报价 500万 180天", "一千万 九十天 报价", "80万 三个月 算下费用", "100万 90天 到手多少", "300万 60天 成本多少",
        "询价 200万 45天", "定价 100万 90天", "100万 90天 先息后本", "100万 90天 有追索权", "报价 60万 2个月",
        "帮我报个价 120万 90天", "算算 100万 90天 综合成本", "100万元 60天 报价", "报价 100万 4月1日到期",
    ),
    "mixed": (
        "quote 100万 60天", "报价 2m 90d", "100万 60d", "price 100万 90天", "quote一下 200万 3个月",
        "帮我quote 80万 45天", "100万 90天 advance 80%", "1m 60天 报个价", "quote 宏达建材 100万 90天",
        "200万 90 days 多少cost", "算下 1m 90天 net多少", "quote 50万 30d rate 6%", "报价 800k 60天",
    ),
}  # fmt: skip
