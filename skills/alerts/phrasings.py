"""How officers ask about risk (en, zh, mixed): what the router's classifier learns the alerts skill from."""

from __future__ import annotations

__all__ = ["PHRASINGS"]

PHRASINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "alerts", "my alerts", "open alerts", "new alerts?", "any alerts today", "risk alerts", "risk warnings",
        "red flags", "any red flags", "red flags on orion", "any warnings", "show warnings", "what's risky",
        "who's late", "late payments", "overdue", "overdue invoices", "anything overdue", "which invoices are overdue",
        "over limit", "clients over limit", "limit breaches", "dso up?", "dso alerts", "disputed invoices", "disputes?",
        "any credit events", "bad news on buyers", "lawsuits against debtors", "rating downgrades", "concentration risk alerts",
        "red cards", "yellow cards", "show red cards", "risk on acme", "is northwind risky", "problems with blue river",
        "anything wrong with contoso", "risk check", "risk report", "which debtors are in trouble",
        "anything bad", "any bad news", "who hasn't paid", "late payers this week",
        "clients in trouble", "buyers in trouble", "any defaults", "any lawsuits on buyers",
        "which clients are risky", "show risks", "risk today", "anything wrong", "what needs attention",
        "any problems today", "bad debtors",
    ),
    "zh": (
        "预警", "我的预警", "新预警", "今天预警", "风险预警有吗", "风险提示有哪些", "红牌", "黄牌", "有没有红牌",
        "逾期", "逾期发票", "哪些发票逾期", "超额度", "超限额的客户", "回款周期变长了吗", "争议发票", "有没有争议",
        "买方信用事件", "买方被起诉", "评级下调", "集中度预警", "哪些买方有问题", "宏达建材风险", "华东纺织有没有问题",
        "创芯电子逾期了吗", "风险报告", "风险检查", "最近有什么风险", "谁逾期了",
        "有什么坏消息", "谁没付款", "谁拖欠", "买方出事了吗", "哪些客户有问题", "有没有违约的", "有没有被起诉的", "哪些客户需要关注", "谁付款慢",
    ),
    "mixed": (
        "alerts有哪些", "有没有red flags", "red flag", "overdue有吗", "有没有over limit", "DSO变长了吗",
        "risk有哪些", "新的alert", "Orion有没有risk", "宏达建材overdue吗", "Northwind有red flag吗",
        "看看red cards", "yellow card有吗", "buyer有没有lawsuit", "风险alerts", "check一下risk",
        "今天的risk", "有没有risk", "risk check一下", "late payment有哪些", "有没有default", "看看risk",
    ),
}  # fmt: skip
