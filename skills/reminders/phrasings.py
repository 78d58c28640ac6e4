"""How officers ask for follow-ups (en, zh, mixed): what the router's classifier learns the reminders skill from."""

from __future__ import annotations

__all__ = ["PHRASINGS"]

PHRASINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "remind me at 3pm to call the buyer", "remind me in 10 min", "remind me tomorrow", "remind me monday morning",
        "reminder friday 2pm send invoice copies", "set a reminder for tomorrow 9", "remind me to chase payment",
        "tmrw 9am call acme", "tomorrow 10am follow up northwind", "in 15 mins call back", "in an hour check email",
        "at 5 call the cfo", "next week follow up", "follow up in 2 days", "chase the contract thursday",
        "remind me every day at 9 to check collections", "every monday 9am pipeline review", "remind me end of month",
        "ping me at 4", "nudge me tomorrow about the docs", "don't let me forget the signing", "rmd me 3pm",
        "remind pls tmr 10", "my reminders", "upcoming reminders", "what's on my list today", "reminders for tomorrow",
        "cancel reminder 5", "delete reminder 2", "show reminders",
        "what do i have on today", "what have i got tomorrow", "what's on my agenda", "my plan for today",
        "what's scheduled tomorrow", "anything on today", "what am i doing today", "today's to-dos",
        "what's due tomorrow", "what's on for this week", "what's next", "my calendar for tomorrow",
        "in 20 mins call orion", "tmrw 9 call the cfo", "mon 10am chase docs", "at 4 ring blue river",
    ),
    "zh": (
        "下午3点提醒我给买方打电话", "10分钟后提醒我", "明天提醒我", "周一早上提醒我", "周五下午2点提醒我发发票",
        "明早9点设个提醒", "提醒我催款", "明天9点给客户打电话", "明天上午10点跟进", "15分钟后回电话", "一小时后看邮件",
        "5点提醒我给财务打电话", "下周跟进一下", "两天后跟进", "周四催合同", "每天9点提醒我看回款", "每周一9点复盘",
        "月底提醒我", "别忘了签约的事", "记得明天发资料", "我的提醒", "待办提醒", "今天有哪些提醒", "明天的提醒",
        "取消提醒5", "删除提醒2", "查看提醒",
        "今天有什么安排", "明天的安排", "我今天要做什么", "今天的日程", "这周有什么要做的", "今天的待办", "明天要做哪些事", "后天有什么安排", "今天还有什么事没做",
        "明天下午3点给客户打电话",
    ),
    "mixed": (
        "3pm提醒我call买方", "10min后remind我", "明天remind我", "周一提醒我follow up", "tmr 9点提醒我",
        "提醒我chase payment", "明天10am跟进Acme", "1h后提醒我check email", "每周一remind我review pipeline",
        "我的reminders", "今天的reminder", "cancel提醒5", "remind我月底对账",
        "明天的todo", "今天的schedule", "这周的agenda", "明天有什么plan", "tmr 10点call客户",
    ),
}  # fmt: skip
