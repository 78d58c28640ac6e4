"""Strings of client feedback and post-call memos (every one in English and Chinese)."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES"]

MESSAGES: Catalogue = {
    "usage": {
        "en": "Send the client's feedback like: /feedback Acme 4/5 quick funding, wants lower fees",
        "zh": "这样发送客户反馈：/feedback 华东纺织 满意度4 放款快，希望降低手续费",
    },
    "which_client": {
        "en": "Which client is it about? I found no client of yours named in “{text}”.\n{usage}",
        "zh": "是哪个客户的反馈？在“{text}”里没有找到您的客户。\n{usage}",
    },
    "ask_score": {
        "en": "How satisfied is {client}, from 1 (not at all) to 5 (very)?",
        "zh": "{client}的满意度是几分？1分（很不满意）到5分（非常满意）",
    },
    "ask_text": {
        "en": "💬 What did {client} say? Include a score if they gave one (“4/5”, “very satisfied”). /cancel to stop.",
        "zh": "💬 {client}怎么评价的？有评分请一并写上（“4分”“非常满意”）。/cancel 取消",
    },
    "saved": {
        "en": "✅ Feedback saved for {client}: {score}{remarks}",
        "zh": "✅ 已保存{client}的反馈：{score}{remarks}",
    },
    "score": {"en": "{stars} {n}/5", "zh": "{stars} {n}/5分"},
    "no_score": {"en": "no score", "zh": "未评分"},
    "brief.title": {"en": "What clients said", "zh": "客户反馈"},
    "pf.title": {"en": "Client satisfaction falling (last 30 days)", "zh": "满意度下降的客户（近30天）"},
    "pf.none": {"en": "none", "zh": "无"},
    "trend": {
        "en": "Satisfaction {recent} (last {k}), {arrow} from {previous}",
        "zh": "满意度{recent}（近{k}次），较之前{previous}{arrow}",
    },
    "trend_first": {"en": "Satisfaction {recent} (first feedback)", "zh": "满意度{recent}（首次反馈）"},
    "falling": {
        "en": "🟡 Satisfaction is falling: {history}. Call them back and ask what changed.",
        "zh": "🟡 满意度在下降：{history}。建议回访，问清原因。",
    },
    "section": {"en": "⭐ Client feedback: {summary}", "zh": "⭐ 客户反馈：{summary}"},
    "section_last": {"en": "   last ({when}): “{remarks}”", "zh": "   最近（{when}）：“{remarks}”"},
    "btn.feedback": {"en": "💬 Client feedback", "zh": "💬 客户反馈"},
    "not_found": {
        "en": "That feedback is no longer available.",
        "zh": "这条反馈已失效。",
    },
    "empty": {
        "en": "Nothing saved: send what the client said, or /cancel.",
        "zh": "未保存：请发送客户的评价，或 /cancel。",
    },
    # post-call memos
    "memo_which_client": {
        "en": "Which client was the call with? Name them, e.g. “call with Acme: they want 85% advance”.",
        "zh": "是和哪个客户通的话？请写上客户名，例如“和华东纺织通话：希望融资比例85%”。",
    },
    "memo_saved": {"en": "📝 Saved on {client}'s timeline:\n{body}", "zh": "📝 已记入{client}的客户档案：\n{body}"},
    "memo_follow_up": {"en": "⏰ Follow-up: {task} — {when}", "zh": "⏰ 待跟进：{task} — {when}"},
    "btn.memo_remind": {"en": "⏰ Remind me {when}", "zh": "⏰ 提醒我 {when}"},
    "memo_quote": {
        "en": "📊 Revised quote: {face} {cur}, {days}d at {advance_rate} advance → advance {advance}, cost {cost}, "
        "net {net}",
        "zh": "📊 新报价：{face} {cur}，{days}天，融资比例{advance_rate} → 融资金额{advance}，成本{cost}，到账{net}",
    },
    "memo_terms": {
        "en": "📊 Terms mentioned: {terms} (no saved quote to revise yet)",
        "zh": "📊 提到的条件：{terms}（还没有可修改的已保存报价）",
    },
    "btn.memo_quote_save": {"en": "💾 Save the quote", "zh": "💾 保存报价"},
    "btn.memo_quote_compare": {"en": "🏦 Compare with a bank loan", "zh": "🏦 与银行贷款对比"},
    "btn.memo_profile": {"en": "👤 Client card", "zh": "👤 客户画像"},
    "memo_reminder_set": {"en": "⏰ Reminder set: {task} — {when}", "zh": "⏰ 已设提醒：{task} — {when}"},
    "memo_reminder_already": {"en": "⏰ Already set for {when}.", "zh": "⏰ 已经设过了：{when}。"},
}
