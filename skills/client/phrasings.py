"""How officers ask about one of their clients (en, zh, mixed): what the router's classifier learns the client
skill from. Client names here are placeholders; the skill also recognises the officer's own clients by name."""

from __future__ import annotations

__all__ = ["PHRASINGS"]

PHRASINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "show acme", "acme profile", "profile acme", "acme?", "how is acme", "how's northwind doing",
        "how are we doing with orion", "what's going on with blue river", "tell me about acme", "acme status",
        "status of northwind", "client acme", "open acme's profile", "pull up acme", "acme card", "client card acme",
        "what tier is acme", "which tier is northwind", "acme's tier", "acme's limit", "credit limit of acme",
        "how much is acme using", "exposure to northwind", "acme receivables", "acme aging", "aging chart for acme",
        "my clients", "my client list", "list clients", "all my clients", "clients", "how many clients", "who are my clients",
        "show my portfolio", "portfolio overview",
        "how's acme doing lately", "northwind??", "what's up with acme", "acme limit",
        "acme tier", "tell me about northwind logistics", "pull up orion", "what tier is orion in",
    ),
    "zh": (
        "华东纺织", "华东纺织？", "华东纺织怎么样", "华东纺织咋样了", "华东纺织最近如何", "华东纺织的情况",
        "看看华东纺织", "查一下华东纺织", "华东纺织的资料", "华东纺织的画像", "华东纺织客户画像", "华东纺织是哪一层",
        "华东纺织的分层", "华东纺织额度", "华东纺织用了多少额度", "华东纺织的应收账款", "华东纺织账龄",
        "我的客户", "我的客户列表", "客户清单", "所有客户", "我有多少客户", "我的客户有哪些", "客户概览",
        "华东纺织怎么样了", "华东纺织最近咋样", "看下华东纺织", "华东纺织最近情况",
    ),
    "mixed": (
        "Acme怎么样", "Acme咋样了", "看看Acme", "查一下Acme", "Acme的资料", "Acme profile", "Acme是哪个tier",
        "Acme的limit", "华东纺织 profile", "华东纺织的tier", "我的clients", "client列表", "Acme客户资料",
        "Northwind最近如何", "open华东纺织", "show华东纺织",
        "Acme最近咋样", "Acme是什么tier", "看看Acme的profile", "Acme现在怎么样",
    ),
}  # fmt: skip
