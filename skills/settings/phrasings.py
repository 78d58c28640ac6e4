"""How officers ask to change their settings (en, zh, mixed): what the router's classifier learns settings from."""

from __future__ import annotations

__all__ = ["PHRASINGS"]

PHRASINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "switch language", "switch to zh", "switch to en", "answer me in chinese", "answer in english",
        "talk to me in chinese", "in english please", "chinese language please", "go back to english",
        "change language to chinese", "set language to english", "i prefer chinese", "i prefer english",
        "can you speak chinese", "respond in english", "english mode", "chinese mode", "lang en", "lang zh",
        "change my timezone", "set my timezone to london", "my timezone is new york", "set quiet hours",
        "no messages after 10pm", "mute at night", "turn off quiet hours",
        "switch language pls", "change the language", "set timezone", "tz london", "timezone shanghai", "english pls",
        "reply in chinese", "use chinese from now on",
    ),
    "zh": (
        "切换到中文", "切换到英文", "换成中文", "换英文", "用中文", "用英文", "请说英文", "请讲中文", "中文模式",
        "英文模式", "语言设置", "修改语言", "改语言", "设置成中文", "设置成英文", "以后说英文", "回复改成中文",
        "修改时区", "时区设置", "设置免打扰", "晚上别给我发消息", "关闭免打扰",
        "换个语言", "时区改成上海", "我要英文", "以后回复中文",
    ),
    "mixed": (
        "切换到english", "换成english", "改成chinese", "用english", "language设置", "语言改成english",
        "switch到中文", "change成中文", "set成英文", "回复用english", "timezone改成上海", "设置quiet hours",
        "timezone设置", "用english", "回复改成chinese",
    ),
}  # fmt: skip
