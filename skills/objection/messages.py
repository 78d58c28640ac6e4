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
    "b.out_w": {"en": "👍 Worked", "zh": "👍 有效"},
    "b.out_f": {"en": "👎 Didn't", "zh": "👎 没用"},
    "b.out_s": {"en": "💬 Client said…", "zh": "💬 客户说…"},
    # card outcomes
    "angle.a": {"en": "the card's answer", "zh": "卡片主答案"},
    "angle.b": {"en": "the other angle", "zh": "另一个角度"},
    "angle.n": {"en": "angle {n}", "zh": "第{n}个角度"},
    "angle.p": {"en": "this answer", "zh": "这条解答"},
    "out_worked": {
        "en": "👍 Noted: {angle} of “{title}” worked{client}.",
        "zh": "👍 已记录：“{title}”的{angle}有效{client}。",
    },
    "out_failed": {
        "en": "👎 Noted: {angle} of “{title}” didn't land{client}.",
        "zh": "👎 已记录：“{title}”的{angle}没起作用{client}。",
    },
    "out_client": {"en": " with {name}", "zh": "（{name}）"},
    "out_lead": {
        "en": "The next card for {segment} leads with {angle}.",
        "zh": "下次面对{segment}，卡片先给{angle}。",
    },
    "segment": {"en": "{tier} clients", "zh": "{tier}客户"},
    "segment_industry": {"en": "{tier} clients in {industry}", "zh": "{industry}行业的{tier}客户"},
    "segment_team": {"en": "your team", "zh": "您的团队"},
    "ask_remark": {
        "en": "💬 What did the client say? Type it or send a voice note (/cancel to skip).",
        "zh": "💬 客户怎么说的？直接输入或发语音（/cancel 跳过）。",
    },
    "remark_saved": {
        "en": "💬 Saved what the client said about “{title}”{client}: “{remark}”",
        "zh": "💬 已保存客户对“{title}”的反馈{client}：“{remark}”",
    },
    "remark_empty": {
        "en": "Nothing saved: send what the client said as text or a voice note, or /cancel.",
        "zh": "未保存：请用文字或语音发送客户的原话，或 /cancel。",
    },
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
    # the month report (/objections)
    "rep_title": {"en": "📊 <b>Objections {month}</b> · {scope}", "zh": "📊 <b>{month} 异议报告</b> · {scope}"},
    "rep_scope_me": {"en": "you", "zh": "您本人"},
    "rep_scope_team": {"en": "your team ({n} officers)", "zh": "您的团队（{n}人）"},
    "rep_scope_all": {"en": "everyone", "zh": "全体"},
    "rep_total": {
        "en": "{n} logged · {prev_month}: {prev} ({delta})",
        "zh": "共记录{n}次 · {prev_month}：{prev}次（{delta}）",
    },
    "rep_line": {"en": "{n}. {title} — {count} ({delta})", "zh": "{n}. {title} — {count}次（{delta}）"},
    "rep_new": {"en": "new", "zh": "新增"},
    "rep_tiers": {"en": "<b>By client tier</b>", "zh": "<b>按客户分层</b>"},
    "rep_industries": {"en": "<b>By industry</b>", "zh": "<b>按行业</b>"},
    "rep_group_line": {"en": "• {group}: {items}", "zh": "• {group}：{items}"},
    "rep_worked": {"en": "<b>What worked</b> (👍/👎 under cards)", "zh": "<b>哪些话术有效</b>（卡片下的👍/👎）"},
    "rep_worked_line": {
        "en": "• {title} · {angle}: 👍{worked} 👎{failed} ({rate})",
        "zh": "• {title} · {angle}：👍{worked} 👎{failed}（{rate}）",
    },
    "rep_best": {
        "en": "• for {tier} clients “{title}” works best with {angle}",
        "zh": "• 对{tier}客户，“{title}”用{angle}效果最好",
    },
    "rep_no_taps": {
        "en": "No 👍/👎 yet this month: tap them under cards so the team learns what works.",
        "zh": "本月还没有👍/👎：在卡片下点一下，团队就能知道哪种说法有效。",
    },
    "rep_officers": {"en": "<b>Per officer</b>: {items}", "zh": "<b>按专员</b>：{items}"},
    "rep_usage": {
        "en": "Usage: /objections [2026-10 | last] [me]",
        "zh": "用法：/objections [2026-10 | 上月] [我]",
    },
    "cat.pricing": {"en": "pricing", "zh": "价格"},
    "cat.security": {"en": "security", "zh": "担保与保证"},
    "cat.terms": {"en": "terms", "zh": "条件"},
    "cat.process": {"en": "process", "zh": "流程"},
    "cat.relationship": {"en": "relationship", "zh": "关系与信任"},
    "cat.need": {"en": "need", "zh": "需求"},
}
