"""Strings of the reminders skill, in English and Chinese."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES"]

MESSAGES: Catalogue = {
    "set": {"en": "⏰ Reminder set for <b>{when}</b>: {task}", "zh": "⏰ 已设提醒：<b>{when}</b> {task}"},
    "set_client": {"en": "Client: {client}", "zh": "客户：{client}"},
    "set_urgent": {"en": "Urgent: delivered even in quiet hours.", "zh": "紧急：免打扰时段也会送达。"},
    "repeat": {"en": "🔁 Repeats {rule}", "zh": "🔁 重复：{rule}"},
    "rule.daily": {"en": "every day", "zh": "每天"},
    "rule.weekdays": {"en": "every weekday (Mon–Fri)", "zh": "每周一至周五"},
    "rule.workdays": {"en": "every working day (public holidays skipped)", "zh": "每个工作日（节假日顺延，调休照常）"},
    "rule.weekly": {"en": "every {days}", "zh": "每{days}"},
    "rule.monthly": {"en": "monthly on day {day}", "zh": "每月{day}号"},
    "rule.monthly_last": {"en": "on the last day of every month", "zh": "每月最后一天"},
    "rule.other": {"en": "({rule})", "zh": "（{rule}）"},
    "rule.hourly": {"en": "every hour", "zh": "每小时"},
    "rule.every_n_minutes": {"en": "every {n} minutes", "zh": "每{n}分钟"},
    "rule.every_n_hours": {"en": "every {n} hours", "zh": "每{n}小时"},
    "rule.every_n_days": {"en": "every {n} days", "zh": "每{n}天"},
    "rule.biweekly": {"en": "every other {days}", "zh": "每两周的{days}"},
    "rule.every_n_weeks": {"en": "every {n} weeks on {days}", "zh": "每{n}周的{days}"},
    "rule.monthly_clamped": {
        "en": "monthly on day {day} (the last day in shorter months)",
        "zh": "每月{day}号（不足{day}天的月份在月末最后一天）",
    },
    "rule.monthly_nth": {"en": "on the {nth} {day} of every month", "zh": "每月{nth}{day}"},
    "rule.last_workday": {
        "en": "on the last working day of every month (holidays skipped)",
        "zh": "每月最后一个工作日（节假日与调休已计入）",
    },
    "rule.first_workday": {
        "en": "on the first working day of every month (holidays skipped)",
        "zh": "每月第一个工作日（节假日与调休已计入）",
    },
    "rule.quarterly": {"en": "every 3 months on day {day}", "zh": "每季度（每3个月的{day}号）"},
    "rule.quarter_end": {"en": "at the end of every quarter", "zh": "每季度末"},
    "rule.quarter_start": {"en": "on the first day of every quarter", "zh": "每季度第一天"},
    "rule.yearly": {"en": "every year on {date}", "zh": "每年{date}"},
    "rule.until": {"en": " until {date}", "zh": "，截至{date}"},
    "note.estimated_holidays": {
        "en": "Holiday dates for {year} are not published yet (chinese-calendar has no {year} schedule): "
        "this is a best estimate — check it when the official schedule is out.",
        "zh": "{year}年放假安排尚未公布（chinese-calendar 暂无{year}年数据），此日期为估计，请在官方安排公布后核对。",
    },
    "ask_task": {
        "en": "What should I remind you about at <b>{when}</b>?",
        "zh": "<b>{when}</b> 提醒您做什么？",
    },
    "ask_date_order": {
        "en": "“{expr}” can be read two ways. Which date{about}?",
        "zh": "“{expr}”有两种读法，是哪一天？{about}",
    },
    "no_task": {"en": "(no details)", "zh": "（无内容）"},
    "ask_when": {
        "en": "When should I remind you{about}? Pick one, or type a time such as “tomorrow 10am” or “in 2 working days”.",
        "zh": "什么时候提醒您{about}？请选择，或直接输入时间，例如“明天上午10点”“2个工作日后”。",
    },
    "about": {"en": " to {task}", "zh": "：{task}"},
    "ask_ampm": {
        "en": "“{expr}” could be a.m. or p.m. Which one{about}?",
        "zh": "“{expr}”是上午还是下午/晚上？{about}",
    },
    "ask_past": {
        "en": "{when} has already passed. Remind you at one of these instead, or type another time?",
        "zh": "{when} 已经过去了。改到下面的时间，或输入其他时间？",
    },
    "ask_again": {
        "en": "I couldn't read a time in that, so no reminder was set. Send it again with a time, e.g. "
        "“remind me tomorrow 10am to call Acme”.",
        "zh": "没看懂这个时间，提醒未设置。请带上时间重新发送，例如“明天上午10点提醒我给客户打电话”。",
    },
    "ask_new_time": {
        "en": "New time for #{id} “{task}”? Pick one or type it (e.g. “Friday 3pm”).",
        "zh": "提醒 #{id}“{task}”改到什么时间？请选择或输入（例如“周五下午3点”）。",
    },
    "btn.in_1h": {"en": "In 1 hour", "zh": "1小时后"},
    "btn.tomorrow": {"en": "Tomorrow {time}", "zh": "明天 {time}"},
    "btn.next_monday": {"en": "Next Mon {time}", "zh": "下周一 {time}"},
    "btn.change": {"en": "Change time", "zh": "改时间"},
    "btn.cancel": {"en": "Cancel", "zh": "取消"},
    "btn.done": {"en": "✅ Done", "zh": "✅ 已完成"},
    "btn.snooze_min": {"en": "Snooze {n} min", "zh": "稍后 {n} 分钟"},
    "btn.snooze_hour": {"en": "Snooze {n} h", "zh": "稍后 {n} 小时"},
    "btn.snooze_tomorrow": {"en": "Tomorrow {time}", "zh": "明天 {time}"},
    "btn.snooze_pick": {"en": "Pick a time…", "zh": "选时间…"},
    "btn.client": {"en": "Client profile", "zh": "客户档案"},
    "btn.edit_n": {"en": "✎ #{id}", "zh": "✎ #{id}"},
    "btn.cancel_n": {"en": "✖ #{id}", "zh": "✖ #{id}"},
    "push": {"en": "⏰ <b>Reminder</b>: {task}", "zh": "⏰ <b>提醒</b>：{task}"},
    "push_late": {"en": "⏰ late: was due {time}", "zh": "⏰ 已延迟：原定 {time}"},
    "push_due": {"en": "Due {when}", "zh": "时间：{when}"},
    "done": {"en": "✅ Done: {task}", "zh": "✅ 已完成：{task}"},
    "done_occurrence": {
        "en": "✅ Done for this time. Next: {when}",
        "zh": "✅ 本次已完成。下次：{when}",
    },
    "snoozed": {"en": "💤 Snoozed until <b>{when}</b>: {task}", "zh": "💤 已推迟到 <b>{when}</b>：{task}"},
    "cancelled": {"en": "✖ Reminder #{id} cancelled: {task}", "zh": "✖ 已取消提醒 #{id}：{task}"},
    "changed": {"en": "✎ Reminder #{id} moved to <b>{when}</b>: {task}", "zh": "✎ 提醒 #{id} 已改到 <b>{when}</b>：{task}"},
    "not_found": {
        "en": "I can't find reminder #{id} among yours.",
        "zh": "在您的提醒中找不到 #{id}。",
    },
    "not_active": {"en": "Reminder #{id} is no longer pending.", "zh": "提醒 #{id} 已不在待办中。"},
    "expired": {
        "en": "That question has expired. Send the reminder again, e.g. “remind me tomorrow 10am to call Acme”.",
        "zh": "该问题已过期，请重新发送，例如“明天上午10点提醒我给客户打电话”。",
    },
    "list_title": {"en": "<b>Your reminders{range}</b>", "zh": "<b>您的提醒{range}</b>"},
    "range.week": {"en": " this week", "zh": "（本周）"},
    "range.today": {"en": " today", "zh": "（今天）"},
    "range.tomorrow": {"en": " tomorrow", "zh": "（明天）"},
    "list_empty": {
        "en": "No reminders pending{range}. Set one: “remind me tomorrow 10am to call Acme”.",
        "zh": "暂无待办提醒{range}。设置示例：“明天上午10点提醒我给客户打电话”。",
    },
    "list_line": {"en": "#{id} · {when} · {task}{extra}", "zh": "#{id} · {when} · {task}{extra}"},
    "list_more": {"en": "…and {n} more.", "zh": "……还有 {n} 条。"},
    "usage_remind": {
        "en": "Usage: /remind 2h chase contract · /remind tomorrow 10am call Acme · /remind every Friday 4pm review aging",
        "zh": "用法：/remind 2h 催合同 · /remind 明天上午10点 给客户打电话 · /remind 每周五下午4点 复盘账龄",
    },
    "usage_list": {
        "en": "Usage: /reminders [today|week] · /reminders cancel 12 · /reminders edit 12",
        "zh": "用法：/reminders [today|week] · /reminders cancel 12 · /reminders edit 12",
    },
}
