"""User-facing strings of the runtime (router, adapters), in English and Chinese."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES"]

MESSAGES: Catalogue = {
    "refused": {
        "en": "Sorry, this assistant is only for FactorMate officers. Your Telegram user id is {user_id} — "
        "send it to your admin to get access.",
        "zh": "抱歉，本助手仅供 FactorMate 专员使用。您的 Telegram 用户 ID 是 {user_id}，请发给管理员开通权限。",
    },
    "apology": {
        "en": "Sorry, something went wrong on my side. Nothing you saved was lost — please try again.",
        "zh": "抱歉，我这边出了点问题。已保存的内容没有丢失，请再试一次。",
    },
    "empty": {
        "en": "Send me a question, a quote like “quote 1.2m 90d”, or /help.",
        "zh": "请发送问题、报价（如“100万 90天”），或输入 /help 查看帮助。",
    },
    "unknown_command": {
        "en": "I don't know /{cmd}. Send /help to see what I can do.",
        "zh": "没有 /{cmd} 这个命令。发送 /help 查看我能做什么。",
    },
    "forbidden": {
        "en": "That command is for admins only.",
        "zh": "该命令仅限管理员使用。",
    },
    "cancelled": {"en": "Cancelled.", "zh": "已取消。"},
    "working.import": {
        "en": "⏳ Reading your ledger ({rows} rows)… The preview replaces this message when it is ready.",
        "zh": "⏳ 正在读取台账（{rows} 行）…… 预览完成后会替换这条消息。",
    },
    "working.apply": {
        "en": "⏳ Importing your ledger ({rows} rows)… The result replaces this message when it is done.",
        "zh": "⏳ 正在导入台账（{rows} 行）…… 导入完成后结果会替换这条消息。",
    },
    "nothing_to_cancel": {"en": "Nothing to cancel.", "zh": "没有需要取消的操作。"},
    "button_expired": {
        "en": "That button has expired. Please ask again.",
        "zh": "该按钮已失效，请重新提问。",
    },
    "clarify": {
        "en": "I'm not sure what you need. Did you mean:",
        "zh": "我不太确定您的意思，您是想：",
    },
    "no_file_skill": {
        "en": "I can't use that file yet.",
        "zh": "暂时无法处理这个文件。",
    },
    "file_too_large": {
        "en": "That file is too large for me. Please split it or send a smaller export.",
        "zh": "文件太大，无法处理。请拆分后再发送，或导出较小的文件。",
    },
    "too_many": {
        "en": "You're sending messages faster than I can answer. Please wait a few seconds.",
        "zh": "消息发送太快了，请稍等几秒。",
    },
    "console_intro": {
        "en": "No TELEGRAM_BOT_TOKEN set — opening the console chat on the same skills. "
        "Type /help, or /quit to leave. Buttons appear as numbered choices: type the number.",
        "zh": "未设置 TELEGRAM_BOT_TOKEN，已打开控制台对话（功能与 Telegram 相同）。"
        "输入 /help 查看帮助，/quit 退出。按钮以编号显示，输入编号即可选择。",
    },
    "flow.kept": {
        "en": "Your {flow} is still open — continue it or drop it?",
        "zh": "您的{flow}还没完成——继续还是放弃？",
    },
    "flow.generic": {"en": "previous step", "zh": "上一步操作"},
    "flow.continue": {"en": "Continue", "zh": "继续"},
    "flow.drop": {"en": "Drop", "zh": "放弃"},
    "flow.resumed": {"en": "Go on — answer the last question.", "zh": "请继续回答上一个问题。"},
    "skill.help": {"en": "Help", "zh": "帮助"},
    "skill.settings": {"en": "Settings", "zh": "设置"},
    "skill.quote": {"en": "Quote a deal", "zh": "报价"},
    "skill.objection": {"en": "Objection script", "zh": "异议话术"},
    "skill.playbook": {"en": "Playbook answer", "zh": "业务知识"},
    "skill.alerts": {"en": "Risk alerts", "zh": "风险预警"},
    "skill.client": {"en": "Client profile", "zh": "客户画像"},
    "skill.reminders": {"en": "Reminder", "zh": "提醒"},
    "dead_letters": {
        "en": "⚠️ {count} push(es) could not be delivered in the last hour and were given up after repeated "
        "failures. Run <code>python -m bot doctor</code> and check the log (outcome=dead_letter) for the errors.",
        "zh": "⚠️ 过去一小时内有 {count} 条推送多次发送失败，已停止重试。请运行 <code>python -m bot doctor</code>，"
        "并在日志中查找 outcome=dead_letter 查看错误原因。",
    },
}
