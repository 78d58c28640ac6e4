"""Strings of the settings skill."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES"]

MESSAGES: Catalogue = {
    "lang_set": {"en": "Language set to English.", "zh": "语言已切换为中文。"},
    "lang_usage": {"en": "Usage: /lang en or /lang zh", "zh": "用法：/lang en 或 /lang zh"},
    "tz_set": {
        "en": "Timezone set to {tz}. Your local time now: {local}.",
        "zh": "时区已设为 {tz}。您当地现在时间：{local}。",
    },
    "tz_usage": {
        "en": "Usage: /tz Area/City, e.g. /tz Asia/Shanghai or /tz Europe/London. I don't know “{tz}”.",
        "zh": "用法：/tz 地区/城市，例如 /tz Asia/Shanghai。无法识别“{tz}”。",
    },
    "tz_show": {"en": "Your timezone is {tz} (local time {local}).", "zh": "您的时区是 {tz}（当地时间 {local}）。"},
    "quiet_set": {
        "en": "Quiet hours set: {start}–{end} local. Non-urgent pushes wait until {end}.",
        "zh": "免打扰时段已设为当地 {start}–{end}，非紧急推送将在 {end} 后发送。",
    },
    "quiet_off": {"en": "Quiet hours turned off.", "zh": "已关闭免打扰时段。"},
    "quiet_usage": {
        "en": "Usage: /quiet 22:00-08:00 or /quiet off",
        "zh": "用法：/quiet 22:00-08:00 或 /quiet off",
    },
    "grant_usage": {
        "en": "Usage: /grant &lt;user_id&gt; [officer|manager|admin] [manager_id]",
        "zh": "用法：/grant &lt;用户ID&gt; [officer|manager|admin] [经理ID]",
    },
    "granted": {
        "en": "User {user_id} can now use FactorMate as {role}.",
        "zh": "用户 {user_id} 已开通，角色：{role}。",
    },
    "revoke_usage": {"en": "Usage: /revoke &lt;user_id&gt;", "zh": "用法：/revoke &lt;用户ID&gt;"},
    "revoked": {"en": "User {user_id} no longer has access.", "zh": "已撤销用户 {user_id} 的权限。"},
    "revoke_self": {"en": "You can't revoke your own access.", "zh": "不能撤销自己的权限。"},
    "unknown_user": {"en": "User {user_id} has no access to revoke.", "zh": "用户 {user_id} 没有可撤销的权限。"},
    "officers_title": {"en": "<b>Officers</b>", "zh": "<b>专员列表</b>"},
    "officer_line": {"en": "{id} · {name} · {role}{inactive}", "zh": "{id} · {name} · {role}{inactive}"},
    "inactive": {"en": " (revoked)", "zh": "（已撤销）"},
    "unreachable": {
        "en": " ⚠️ unreachable since {since} ({reason}): pushes are held until they write to the bot again",
        "zh": " ⚠️ 自 {since} 起无法送达（{reason}）：推送已暂存，待其再次给机器人发消息后送出",
    },
}
