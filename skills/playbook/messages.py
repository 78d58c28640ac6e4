"""Strings of the playbook skill (English and Chinese)."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES", "SECTION_LABELS"]

MESSAGES: Catalogue = {
    "usage": {
        "en": "Ask me how to handle a situation, e.g. <i>how do I explain factoring to a sales manager?</i>",
        "zh": "直接问我怎么处理某个情况，例如：<i>怎么跟不懂财务的老板讲保理？</i>",
    },
    "unavailable": {
        "en": "The playbook is not available right now (its index is not loaded). Please try again later.",
        "zh": "业务手册暂时不可用（索引尚未加载），请稍后再试。",
    },
    "not_found": {
        "en": "I don't have that in the playbook, and I won't guess.",
        "zh": "业务手册里没有这方面的内容，我不做猜测。",
    },
    "nearest": {"en": "Closest topics I do have:", "zh": "手册里最接近的主题："},
    "source": {"en": "Source: playbook · {ids}", "zh": "来源：业务手册 · {ids}"},
    "more": {"en": "📖 More", "zh": "📖 完整内容"},
    "unknown_entry": {
        "en": "That playbook entry no longer exists.",
        "zh": "这条手册内容已不存在。",
    },
    "llm_note": {"en": "Summary from the playbook entries cited.", "zh": "根据所引用的手册条目归纳。"},
}

# Section headings as shown to the officer.
SECTION_LABELS: dict[str, dict[str, str]] = {
    "Summary": {"en": "Summary", "zh": "概要"},
    "Key points": {"en": "Key points", "zh": "要点"},
    "When to use": {"en": "When to use", "zh": "适用场合"},
    "What to say": {"en": "What to say", "zh": "话术"},
    "Worked example": {"en": "Worked example", "zh": "算例"},
    "Avoid": {"en": "Avoid", "zh": "避免"},
    "Acknowledge": {"en": "Acknowledge", "zh": "认同"},
    "Ask": {"en": "Ask", "zh": "提问"},
    "Respond": {"en": "Respond", "zh": "回应"},
    "Offer": {"en": "Offer", "zh": "让步"},
    "Next step": {"en": "Next step", "zh": "下一步"},
    "Another angle": {"en": "Another angle", "zh": "换个角度"},
    "Client-ready text": {"en": "Client-ready text", "zh": "可直接发给客户"},
    "Full script": {"en": "Full script", "zh": "完整对话"},
}
