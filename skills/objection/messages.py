"""Strings of the objection skill (every one in English and Chinese)."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES", "TIER"]

TIER: Catalogue = {
    "quality": {"en": "quality", "zh": "优质型"},
    "potential": {"en": "potential", "zh": "潜力型"},
    "risk": {"en": "risk", "zh": "风险型"},
}

MESSAGES: Catalogue = {
    # buttons
    "b.angle": {"en": "🔄 Another angle", "zh": "🔄 换个角度"},
    "b.full": {"en": "📜 Full script", "zh": "📜 完整话术"},
    "b.client": {"en": "✉️ Client-ready text", "zh": "✉️ 发给客户的话"},
    "b.client_other": {"en": "✉️ 中文版", "zh": "✉️ English version"},
    "b.log": {"en": "📝 Log it", "zh": "📝 记录"},
    "b.also": {"en": "Also: {title}", "zh": "另外：{title}"},
    "b.card": {"en": "↩️ Back to the card", "zh": "↩️ 回到卡片"},
    # card parts
    "client_line": {"en": "👤 <b>{name}</b> · {tier}", "zh": "👤 <b>{name}</b> · {tier}"},
    "first_deal": {"en": " · first deal", "zh": " · 首笔合作"},
    "quote_line": {
        "en": "Last quote: {face} for {days}d at {rate} → cost {cost} ({eac}/yr)",
        "zh": "上次报价：{face}，{days}天，{rate} → 成本{cost}（年化{eac}）",
    },
    "rate_annual": {"en": "{rate} p.a.", "zh": "年化{rate}"},
    "rate_30d": {"en": "{rate}/30d", "zh": "每30天{rate}"},
    "bank_line": {
        "en": "🏦 Bank loan for the same {usable} over {days}d ({rate} + {deposit} deposit + {fee} fee): {cost} ({eac}/yr)",
        "zh": "🏦 同样{usable}用{days}天的银行贷款（{rate}+{deposit}保证金+{fee}手续费）：{cost}（年化{eac}）",
    },
    "c.discount": {
        "en": "🎁 Quality tier: you may offer −{points} → cost {cost} (saves {saving})",
        "zh": "🎁 优质客户：可让利{points} → 成本{cost}（省{saving}）",
    },
    "c.waiver": {
        "en": "🎁 First deal: you may waive the service fee {fee} → cost {cost}",
        "zh": "🎁 首笔合作：可免服务费{fee} → 成本{cost}",
    },
    "c.waiver_plain": {
        "en": "🎁 First deal: you may waive the service fee",
        "zh": "🎁 首笔合作：可免收服务费",
    },
    "c.discount_plain": {
        "en": "🎁 Quality tier: you may offer a rate discount of {points}",
        "zh": "🎁 优质客户：可申请利率优惠{points}",
    },
    "c.risk": {
        "en": "⛔ Risk tier: no concession — hold the terms",
        "zh": "⛔ 风险型客户：不让步，守住条件",
    },
    "points": {"en": "{n} pt", "zh": "{n}个百分点"},
    # replies
    "angle_title": {"en": "🔄 <b>Another angle</b> — {title}", "zh": "🔄 <b>换个角度</b> — {title}"},
    "angle_next": {"en": "🔄 Next best match:", "zh": "🔄 次优匹配："},
    "no_more_angles": {
        "en": "That's every angle I have for this one. The full script has the whole conversation.",
        "zh": "这个异议的角度都给您了，完整话术里有整段对话。",
    },
    "full_title": {"en": "📜 <b>Full script</b> — {title}", "zh": "📜 <b>完整话术</b> — {title}"},
    "client_title": {
        "en": "✉️ <b>Client-ready text</b> (English) — copy and forward:",
        "zh": "✉️ <b>发给客户的话</b>（中文）— 复制后转发：",
    },
    "logged": {
        "en": "📝 Logged “{title}”{client}. This month: {count} × this objection.",
        "zh": "📝 已记录“{title}”{client}。本月此类异议：{count}次。",
    },
    "logged_client": {"en": " for {name}", "zh": "（{name}）"},
    "already_logged": {"en": "Already logged.", "zh": "已经记录过了。"},
    "not_found": {
        "en": "That card is no longer available. Type the objection again.",
        "zh": "这张卡片已失效，请重新输入客户的异议。",
    },
    "not_sure": {
        "en": "I'm not sure which objection that is. Pick one, or type what the client said:",
        "zh": "不确定是哪种异议。请选择一个，或把客户的原话发给我：",
    },
    "usage": {
        "en": "Type what the client said (“client says the rate is too high”), or /obj with a topic:\n{aliases}",
        "zh": "直接发客户的原话（如“客户嫌利息太高”），或 /obj 加主题：\n{aliases}",
    },
    "unknown_alias": {
        "en": "I don't know the topic “{word}”. Topics: {aliases}",
        "zh": "没有“{word}”这个主题。可用主题：{aliases}",
    },
    "no_playbook": {
        "en": "The objection cards are not available right now (the playbook did not load).",
        "zh": "异议卡片暂不可用（话术库未能加载）。",
    },
    "top_title": {"en": "📊 <b>Your top objections this month</b> ({month})", "zh": "📊 <b>本月您遇到最多的异议</b>（{month}）"},
    "top_line": {"en": "{n}. {title} — {count}", "zh": "{n}. {title} — {count}次"},
    "top_category": {"en": "By category: {items}", "zh": "按类别：{items}"},
    "top_empty": {
        "en": "No objections logged this month yet. Press “📝 Log it” under a card to log one.",
        "zh": "本月还没有记录异议。在卡片下按“📝 记录”即可记录。",
    },
    "cat.pricing": {"en": "pricing", "zh": "价格"},
    "cat.security": {"en": "security", "zh": "担保与保证"},
    "cat.terms": {"en": "terms", "zh": "条件"},
    "cat.process": {"en": "process", "zh": "流程"},
    "cat.relationship": {"en": "relationship", "zh": "关系与信任"},
    "cat.need": {"en": "need", "zh": "需求"},
}
