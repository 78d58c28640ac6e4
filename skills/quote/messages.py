"""Strings of the quote skill, in English and Chinese."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES"]

MESSAGES: Catalogue = {
    # -- errors (keys match QuoteInputError.key) ------------------------------------------------
    "amount_not_positive": {
        "en": "The invoice amount must be more than zero (I read {value}).",
        "zh": "发票金额必须大于零（识别到的是 {value}）。",
    },
    "amount_too_large": {
        "en": "The invoice amount {value} is above the largest I quote ({max}).",
        "zh": "发票金额 {value} 超过可报价上限（{max}）。",
    },
    "tenor_range": {
        "en": "The tenor must be between 1 and {max} days (I read {days}).",
        "zh": "融资期限须在 1 到 {max} 天之间（识别到的是 {days} 天）。",
    },
    "due_past": {
        "en": "The due date {date} is not after today ({today}), so there is no tenor to price.",
        "zh": "到期日 {date} 不晚于今天（{today}），无法计算融资期限。",
    },
    "due_unreadable": {
        "en": "I couldn't read the due date “{text}”. Try “due on 2027-03-01” or “in 90 days”.",
        "zh": "无法识别到期日“{text}”。请写成“2027年3月1日到期”或“90天”。",
    },
    "advance_range": {
        "en": "The advance rate must be above 0% and at most 100% (I read {value}).",
        "zh": "融资比例须大于 0% 且不超过 100%（识别到的是 {value}）。",
    },
    "rate_range": {
        "en": "An annual rate of {value} is outside the allowed range {lo}–{hi}.",
        "zh": "年化利率 {value} 超出允许范围 {lo}–{hi}。",
    },
    "discount_range": {
        "en": "A discount of {value} per 30 days is outside the allowed range {lo}–{hi}.",
        "zh": "每30天贴息 {value} 超出允许范围 {lo}–{hi}。",
    },
    "fee_range": {
        "en": "A service fee of {value} is outside the allowed range 0%–{hi}.",
        "zh": "服务费率 {value} 超出允许范围 0%–{hi}。",
    },
    "fee_minimum_negative": {
        "en": "The minimum fee can't be negative ({value}).",
        "zh": "最低服务费不能为负数（{value}）。",
    },
    "premium_negative": {"en": "The non-recourse premium can't be negative.", "zh": "无追索权风险溢价不能为负数。"},
    "deposit_range": {"en": "The bank deposit ratio must be below 100%.", "zh": "银行保证金比例须低于 100%。"},
    "basis": {"en": "The day-count basis must be ACT/360 or ACT/365.", "zh": "计息基准须为按360天或按365天。"},
    "pricing_missing": {
        "en": "Give either an annual rate (rate 6%) or a discount per 30 days (discount 1% per 30 days), not both.",
        "zh": "请给出年化利率（年化6%）或每30天贴息（每30天贴息1%），二者选一。",
    },
    "costs_exceed_advance": {
        "en": "At these terms the costs ({cost}) eat the whole advance ({advance}); nothing would be paid out.",
        "zh": "按此条件，费用（{cost}）吞掉了全部融资金额（{advance}），客户拿不到钱。",
    },
    "unlabelled_percent": {
        "en": "I'm not sure what {value} is. Say “rate {value}”, “advance {value}” or “fee {value}”.",
        "zh": "不确定 {value} 指什么。请写“年化{value}”“融资比例{value}”或“手续费{value}”。",
    },
    "quote_not_found": {
        "en": "That quote is no longer available to you. Send a new one, e.g. “quote 1m 90d”.",
        "zh": "该报价已不可用。请重新报价，例如“报价 100万 90天”。",
    },
    "flow_expired": {
        "en": "That step-by-step quote has expired. Send /quote to start again.",
        "zh": "分步报价已过期，请发送 /quote 重新开始。",
    },
    "no_clients": {
        "en": "You have no clients to save this quote to yet.",
        "zh": "您名下还没有可以保存报价的客户。",
    },
    # -- guided quote ----------------------------------------------------------------------------
    "ask_amount": {
        "en": "What is the invoice amount? e.g. <code>1.2m</code>, <code>$250,000</code> (/cancel to stop)",
        "zh": "发票金额是多少？例如 <code>120万</code>、<code>50万元</code>（/cancel 退出）",
    },
    "reask_amount": {
        "en": "I couldn't find an amount in “{answer}”. Send the invoice amount, e.g. <code>1.2m</code> or <code>500000</code>.",
        "zh": "没能从“{answer}”中识别出金额。请发送发票金额，例如 <code>120万</code> 或 <code>500000</code>。",
    },
    "ask_tenor": {
        "en": "Amount {amount}. How many days until the buyer pays? e.g. <code>90d</code> or <code>due on 2027-03-01</code>",
        "zh": "金额 {amount}。距买方付款还有多少天？例如 <code>90天</code> 或 <code>3月1日到期</code>",
    },
    "reask_tenor": {
        "en": "I couldn't find a tenor in “{answer}”. Send days (<code>90</code>, <code>90d</code>) or a due date.",
        "zh": "没能从“{answer}”中识别出期限。请发送天数（<code>90</code>、<code>90天</code>）或到期日。",
    },
    "ask_terms": {
        "en": "{amount} for {days} days. Any client or terms? e.g. <code>Acme</code>, <code>advance 85% rate 7%</code>, "
        "<code>in arrears</code> — or tap “Use defaults”.",
        "zh": "{amount}，{days}天。需要指定客户或条件吗？例如 <code>华东纺织</code>、<code>融资比例85% 年化7%</code>、"
        "<code>利随本清</code>——或点击“使用默认条件”。",
    },
    "reask_terms": {
        "en": "I couldn't read terms in “{answer}”. Send a client or terms, e.g. <code>advance 85% rate 7%</code>, "
        "tap “Use defaults”, or /cancel.",
        "zh": "没能从“{answer}”中识别出条件。请发送客户或条件，例如 <code>融资比例85% 年化7%</code>，"
        "或点击“使用默认条件”，或发送 /cancel 退出。",
    },
    "reask": {"en": "{error}\nTry again, or /cancel.", "zh": "{error}\n请重新输入，或发送 /cancel 退出。"},
    "btn_defaults": {"en": "Use defaults", "zh": "使用默认条件"},
    # -- the breakdown ---------------------------------------------------------------------------
    "title": {
        "en": "<b>Quote #{id}</b> · {currency} · {days} days{client}",
        "zh": "<b>报价 #{id}</b> · {currency} · {days}天{client}",
    },
    "title_client": {"en": " · {name}", "zh": " · {name}"},
    "face": {"en": "Face value", "zh": "票面金额"},
    "advance": {"en": "Advance {pct}", "zh": "融资金额 {pct}"},
    "interest": {"en": "Interest {pct}", "zh": "利息 {pct}"},
    "discount": {"en": "Discount {pct}/30d", "zh": "贴息 {pct}/30天"},
    "fee": {"en": "Service fee {pct}", "zh": "服务费 {pct}"},
    "fee_waived": {"en": "Service fee (waived)", "zh": "服务费（免收）"},
    "net": {"en": "Net at funding", "zh": "放款时到手"},
    "reserve": {"en": "Reserve held", "zh": "保留款"},
    "released": {"en": "Released at collection", "zh": "回款时退还"},
    "total": {"en": "Total cost", "zh": "总成本"},
    "eac": {"en": "Effective annual cost", "zh": "综合年化成本"},
    "plain_upfront": {
        "en": "In plain words: they receive {net} now and the remaining {reserve} when the buyer pays; "
        "the money costs {cost}.",
        "zh": "通俗地说：客户现在拿到 {net}，买方付款后再拿回剩余的 {reserve}；这笔资金的成本是 {cost}。",
    },
    "plain_arrears": {
        "en": "In plain words: they receive {net} now and {released} when the buyer pays (the reserve of {reserve} "
        "less {interest} interest); the money costs {cost}.",
        "zh": "通俗地说：客户现在拿到 {net}，买方付款后拿回 {released}（保留款 {reserve} 扣除利息 {interest}）；"
        "这笔资金的成本是 {cost}。",
    },
    "assumed": {"en": "<i>Assumed ({source}): {items}.</i>", "zh": "<i>默认条件（{source}）：{items}。</i>"},
    "source_tier": {"en": "{tier} tier", "zh": "{tier}客户"},
    "source_default": {"en": "house defaults", "zh": "公司默认"},
    "tier.quality": {"en": "quality", "zh": "优质型"},
    "tier.potential": {"en": "potential", "zh": "潜力型"},
    "tier.risk": {"en": "risk", "zh": "风险型"},
    "a.advance_rate": {"en": "advance {v}", "zh": "融资比例{v}"},
    "a.annual_rate": {"en": "rate {v} a year", "zh": "年化{v}"},
    "a.fee_rate": {"en": "fee {v}", "zh": "服务费{v}"},
    "a.fee_minimum": {"en": "minimum fee {v}", "zh": "最低服务费{v}"},
    "a.basis": {"en": "ACT/{v}", "zh": "按{v}天计息"},
    "a.interest_timing.upfront": {"en": "interest up front", "zh": "先息后本"},
    "a.interest_timing.arrears": {"en": "interest in arrears", "zh": "利随本清"},
    "a.recourse": {"en": "with recourse", "zh": "有追索权"},
    "a.discount_mode.prorata": {"en": "discount pro-rated by day", "zh": "贴息按日计"},
    "a.discount_mode.per_period": {"en": "discount per started 30 days", "zh": "贴息不足30天按30天计"},
    "a.currency": {"en": "{v}", "zh": "{v}"},
    "waiver_note": {"en": "First-deal waiver: no service fee.", "zh": "首笔交易免收服务费。"},
    "non_recourse_note": {
        "en": "Non-recourse: {premium} a year credit-risk premium included.",
        "zh": "无追索权：已含年化 {premium} 信用风险溢价。",
    },
    "btn_explain": {"en": "Explain for finance", "zh": "给财务的说明"},
    "btn_compare": {"en": "Compare", "zh": "方案对比"},
    "btn_save": {"en": "Save to client", "zh": "保存到客户"},
    # -- explain ---------------------------------------------------------------------------------
    "x.title": {"en": "<b>Quote #{id} — how the figures are made</b>", "zh": "<b>报价 #{id}——计算过程</b>"},
    "x.advance": {
        "en": "Advance = face × advance rate = {face} × {rate} = {advance}",
        "zh": "融资金额 = 票面金额 × 融资比例 = {face} × {rate} = {advance}",
    },
    "x.interest": {
        "en": "Interest = advance × annual rate × days ÷ {basis} = {advance} × {rate} × {days} ÷ {basis} = {interest}",
        "zh": "利息 = 融资金额 × 年化利率 × 天数 ÷ {basis} = {advance} × {rate} × {days} ÷ {basis} = {interest}",
    },
    "x.discount_prorata": {
        "en": "Discount fee = advance × rate per 30 days × days ÷ 30 = {advance} × {rate} × {days} ÷ 30 = {interest}",
        "zh": "贴息 = 融资金额 × 每30天费率 × 天数 ÷ 30 = {advance} × {rate} × {days} ÷ 30 = {interest}",
    },
    "x.discount_period": {
        "en": "Discount fee = advance × rate per 30 days × started periods = {advance} × {rate} × {periods} = {interest}",
        "zh": "贴息 = 融资金额 × 每30天费率 × 计费期数 = {advance} × {rate} × {periods} = {interest}",
    },
    "x.premium": {
        "en": "(the rate includes a {premium} a year non-recourse premium)",
        "zh": "（费率含年化 {premium} 无追索权溢价）",
    },
    "x.fee": {
        "en": "Service fee = face × {rate}{minimum} = {fee}",
        "zh": "服务费 = 票面金额 × {rate}{minimum} = {fee}",
    },
    "x.fee_min": {"en": ", at least {minimum}", "zh": "，最低 {minimum}"},
    "x.fee_waived": {"en": "Service fee = 0 (first-deal waiver)", "zh": "服务费 = 0（首笔交易免收）"},
    "x.net_upfront": {
        "en": "Net at funding = advance − interest − fee = {advance} − {interest} − {fee} = {net}",
        "zh": "放款时到手 = 融资金额 − 利息 − 服务费 = {advance} − {interest} − {fee} = {net}",
    },
    "x.net_arrears": {
        "en": "Net at funding = advance − fee = {advance} − {fee} = {net} (interest is paid at collection)",
        "zh": "放款时到手 = 融资金额 − 服务费 = {advance} − {fee} = {net}（利息在回款时收取）",
    },
    "x.reserve": {
        "en": "Reserve = face − advance = {face} − {advance} = {reserve}",
        "zh": "保留款 = 票面金额 − 融资金额 = {face} − {advance} = {reserve}",
    },
    "x.released": {
        "en": "Released at collection = reserve − interest = {reserve} − {interest} = {released}",
        "zh": "回款时退还 = 保留款 − 利息 = {reserve} − {interest} = {released}",
    },
    "x.total": {
        "en": "Total cost = interest + fee = {interest} + {fee} = {total}",
        "zh": "总成本 = 利息 + 服务费 = {interest} + {fee} = {total}",
    },
    "x.eac": {
        "en": "Effective annual cost = total cost ÷ advance × {basis} ÷ days = {total} ÷ {advance} × {basis} ÷ {days} = {eac}",
        "zh": "综合年化成本 = 总成本 ÷ 融资金额 × {basis} ÷ 天数 = {total} ÷ {advance} × {basis} ÷ {days} = {eac}",
    },
    "x.check": {
        "en": "Check: net + total cost + released = face: {net} + {total} + {released} = {face}",
        "zh": "校验：到手 + 总成本 + 回款退还 = 票面金额：{net} + {total} + {released} = {face}",
    },
    "x.rounding": {
        "en": "<i>Each line is rounded half-up to the cent; the annual cost to 0.01%.</i>",
        "zh": "<i>每一项金额四舍五入到分，年化成本精确到 0.01%。</i>",
    },
    # -- compare ---------------------------------------------------------------------------------
    "c.title": {"en": "<b>Quote #{id} — alternatives</b>", "zh": "<b>报价 #{id}——方案对比</b>"},
    "c.head": {"en": "Option|Funds|Cost|Annual", "zh": "方案|资金|成本|年化"},
    "c.adv": {"en": "Adv {pct} {days}d", "zh": "比例{pct} {days}天"},
    "c.bank": {"en": "Bank loan", "zh": "银行贷款"},
    "c.bank_note": {
        "en": "Bank loan: {rate} a year, {deposit} of the loan kept as deposit, fee {fee}: borrow {loan} to have "
        "{usable} to use; interest {interest}, fee {bank_fee}.",
        "zh": "银行贷款：年化 {rate}，保证金比例 {deposit}，手续费 {fee}：需借 {loan} 才能实际使用 {usable}；"
        "利息 {interest}，手续费 {bank_fee}。",
    },
    "c.current": {"en": "• = this quote", "zh": "• = 当前报价"},
    # -- save and list ---------------------------------------------------------------------------
    "ask_client": {
        "en": "Which client is quote #{id} for? Tap one or type the name.",
        "zh": "报价 #{id} 属于哪位客户？请点选或输入客户名称。",
    },
    "reask_client": {
        "en": "I couldn't find a client of yours in “{answer}”. Tap one or type the name (/cancel to stop).",
        "zh": "没能从“{answer}”中找到您的客户。请点选或输入客户名称（/cancel 退出）。",
    },
    "saved": {"en": "Saved quote #{id} to {client}.", "zh": "报价 #{id} 已保存到 {client}。"},
    "quotes_title": {"en": "<b>Recent saved quotes</b>", "zh": "<b>最近保存的报价</b>"},
    "quotes_empty": {
        "en": "No saved quotes yet. Price a deal (“quote 1m 90d”) and tap “Save to client”.",
        "zh": "还没有保存的报价。先报价（“报价 100万 90天”），再点“保存到客户”。",
    },
    "quote_line": {
        "en": "#{id} · {client} · {face} · {days}d · net {net} · {eac} · {date}",
        "zh": "#{id} · {client} · {face} · {days}天 · 到手 {net} · {eac} · {date}",
    },
}
