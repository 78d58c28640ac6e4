"""Follow-up reminders by chat: /remind, /reminders, free text in English and Chinese, and the push buttons."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from skills.contract import Button, Command, Periodic, Reply, Request, Services, Skill, SkillError, payload
from skills.fmt import esc, local_time
from skills.i18n import t
from skills.lazyre import lazy
from skills.reminders import actions
from skills.reminders.messages import MESSAGES
from skills.reminders.phrasings import PHRASINGS
from skills.reminders.recurrence import as_rrule
from skills.reminders.service import describe_rule, hhmm, pickup
from skills.reminders.timeparse import Parsed, has_time_expression, parse_reminder
from skills.store.clients import find_client_in_text

__all__ = ["RemindersSkill"]

_STRONG = lazy(
    r"(?<![a-z])(?:remind(?:er|ers)?|remidn|rmd|rmnd|remnd|ping\s+me|nudge\s+me)(?![a-z])|\bset\s+an?\s+alarm\b|"
    r"\bdon'?t\s+let\s+me\s+forget\b|提醒|别忘了|别忘记|记得",
    re.I | re.A,
)
# Something to do, said beside a time ("tmr 10am call Li", "in 45 min ring back Orion"): a follow-up.
_TASK = lazy(
    r"(?<![a-z])(?:call|ring|phone|email|e-mail|mail|send|visit|meet|chase|check|review|follow|sign|submit|pay|wire)"
    r"(?![a-z])|打电话|回电|发|拜访|见|催|查|(?<!看)看(?!看|一下|下)|复盘|签|交|开会",
    re.I | re.A,
)
# The officer asking, in the first person, to be reminded: nothing else means this.
_REMIND_ME = lazy(r"\bremind\s+me\b|\brmd\s+me\b|提醒我|提醒一下我|记得提醒", re.I | re.A)
_WEAK = lazy(r"\bfollow[\s-]?up\b|\bchase\b|跟进|催一下|催款|回访", re.I | re.A)
# The officer's own agenda: what reminders, what is on today / tomorrow ("what do I have tmr", "明天有什么安排").
_DAY = (
    r"(?:today|tonight|tomorrow|tmrw?|tmr|2day|2moro|2morrow|this\s+(?:week|morning|afternoon|evening)|next\s+week|"
    r"(?:on\s+)?(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|later)"
)
_LIST = lazy(
    r"\b(?:what|which|any|show|list|my|upcoming|pending)\b.{0,30}\breminders\b|\breminders\s+(?:for\s+)?(?:this\s+week|today)"
    r"|(?:哪些|什么|几个|所有|我的|查看|列出)(?:的)?提醒|提醒列表|有.{0,6}提醒吗|"
    rf"\bwhat\s+(?:do|have|did)\s+i\s+(?:got\s+|have\s+|get\s+)?(?:on\s+|planned\s+|scheduled\s+|lined\s+up\s+)?(?:for\s+)?{_DAY}\b|"
    rf"\bwhat(?:'s|’s|s|\s+is)?\s+(?:on|up|due|planned|scheduled|lined\s+up|next)\b.{{0,25}}\b{_DAY}\b|"
    rf"\bwhat(?:'s|’s|s|\s+is)?\s+on\s+(?:my\s+)?(?:plate|agenda|list|schedule|calendar)\b|\bon\s+my\s+(?:plate|agenda|to-?do)\b|"
    r"^\s*what(?:'s|’s|s|\s+is)?\s+next\b|"
    rf"^\s*(?:anything|something)\s+(?:for\s+|on\s+)?{_DAY}\s*\??\s*$|"
    rf"\b(?:anything|something|what)\s+(?:else\s+)?(?:scheduled|planned|on|due|lined\s+up|to\s+do)\b.{{0,12}}\b{_DAY}\b|"
    r"\b(?:my|the|today'?s|tomorrow'?s)\s+(?:schedule|agenda|plans?|to-?dos?|to-?do\s+list|tasks|calendar|diary)\b|"
    r"\b(?:to-?dos?|to-?do\s+list|follow-?ups\s+(?:for\s+)?(?:today|tomorrow|this\s+week))\b|"
    r"日程|行程|待办|(?:有|要)(?:什么|啥|哪些)(?:事|事情|安排|计划|要做|要办|要忙|todo|to\s*do)|"
    r"(?:今天|明天|后天|今晚|明早|明晚|这周|本周|下周|周[一二三四五六日天]).{0,4}(?:要|得)(?:做|干|办|忙)(?:什么|啥|哪些)|"
    r"(?:今天|明天|后天|这周|本周|下周).{0,5}(?:的)?(?:安排|计划|事情|事儿|schedule|agenda|todo|plan|tasks?)|"
    rf"\bwhat\s+am\s+i\s+(?:doing|up\s+to)\s+(?:on\s+)?{_DAY}\b|(?:今天|明天|后天).{{0,3}}(?:要|得)?跟进(?:谁|哪些|什么)|"
    r"还有(?:什么|啥|哪些)(?:事|事情)?(?:没|要|得)(?:做|办|跟)",
    re.I | re.A,
)
# An instruction is not a question: "what should I ask the CFO on the first call" names a task and a date
# ("on the first") without asking to be reminded of anything.
_ASKING = lazy(
    r"^\s*(?:what|how|why|which|who|whom|whose|should|would|could|can|is|are|do|does)\b|[?？]\s*$|"
    r"怎么|如何|为什么|什么|吗\s*$|呢\s*$",
    re.I | re.A,
)
_CANCEL_ID = re.compile(r"(?:cancel|delete|remove)\s+reminder\s*#?(?P<id>\d+)|(?:取消|删除)提醒\s*#?(?P<zid>\d+)", re.I)
# How plausible a message is as the answer to an open time question (see ``answer_score``).
_TIMED_TASK = 0.85
_TIMED_QUESTION = 0.5  # a time and a task inside a question: perhaps, but the officer is asking, not instructing
_A_TIME, _TIME_AND_WORD, _UNSURE, _TIME_AND_MORE, _NEW_REQUEST, _NO_TIME = 0.95, 0.7, 0.5, 0.4, 0.2, 0.0
_WEEK = re.compile(r"\bthis\s+week\b|\bweek\b|这周|本周|这个星期|这礼拜", re.I)
_TODAY = re.compile(r"\btoday\b|今天|今日", re.I)


class RemindersSkill(Skill):
    """Set follow-ups by chat and get them on time, with done/snooze buttons."""

    name = "reminders"
    more_phrasings = PHRASINGS
    flow_name: ClassVar[dict[str, str]] = {"en": "reminder", "zh": "提醒"}
    commands = (
        Command(
            "remind", "Set a reminder: /remind tomorrow 10am call Acme", "设提醒：/remind 明天上午10点 给客户打电话"
        ),
        Command("reminders", "Your upcoming reminders (cancel / change)", "我的待办提醒（取消 / 改时间）"),
    )
    summary: ClassVar[dict[str, str]] = {"en": "Follow-up reminders", "zh": "跟进提醒"}
    examples: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": (
            "remind me tomorrow at 10am to call Acme",
            "follow up with Northwind in 3 days",
            "next Monday 9:30 send the quote",
            "every Friday 4pm review the aging report",
            "in 2 working days chase the signed contract",
            "remind me in 30 minutes to call back",
            "remind me on 3 Dec at 14:00 to visit the buyer",
            "what reminders do I have this week",
            "weekdays at 8:30 check collections",
        ),
        "zh": (
            "明天上午10点提醒我给客户打电话",
            "3天后提醒我跟进华东纺织",
            "下周一提醒我发报价",
            "每周五下午4点复盘账龄",
            "2个工作日后提醒我催合同",
            "半小时后提醒我回电话",
            "12月3日下午2点提醒我拜访买方",
            "我这周有哪些提醒",
            "每个工作日8点半提醒我看回款",
        ),
    }

    def score(self, text: str, lang: str) -> float:
        """High for a reminder request (a reminder word with a time) or a question about reminders."""
        if _LIST.search(text) or _CANCEL_ID.search(text):
            return 0.95
        if _REMIND_ME.search(text):
            return 1.0
        strong, weak = bool(_STRONG.search(text)), bool(_WEAK.search(text))
        timed = has_time_expression(text)
        if not (strong or weak):
            if not (timed and _TASK.search(text)):
                return 0.0
            return _TIMED_QUESTION if _ASKING.search(text) else _TIMED_TASK
        if timed:
            return 0.95
        return 0.8 if strong else 0.0

    async def answer_score(self, request: Request, state: dict[str, Any]) -> float:
        """A time answers the open time question; a time with a new task ("remind me … to call Acme") does not."""
        if not state.get("mode"):
            return _UNSURE
        if state.get("mode") == "task":  # "what should I remind you about?": any task answers, a new reminder doesn't
            return _NEW_REQUEST if _STRONG.search(request.text) else _TIME_AND_WORD
        parsed = parse_reminder(request.text, now=request.now, tz=request.officer.timezone)
        if parsed.status == "missing" and not parsed.matched:
            return _NO_TIME
        if not parsed.task or (
            state.get("mode") == "draft" and not state.get("task") and not _STRONG.search(request.text)
        ):
            return _A_TIME
        if _STRONG.search(request.text):
            return _NEW_REQUEST
        return _TIME_AND_WORD if len(parsed.task.split()) <= 1 else _TIME_AND_MORE

    def warm_up(self, services: Services) -> None:
        """Prime the parser (regexes, OpenCC, lunar and holiday calendars) so the first officer does not wait."""
        now = services.clock() if services.clock else datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
        for text in ("remind me on 3 Dec at 14:00 in 2 working days", "每周五下午4点 2个工作日后 12月3日",
                     "國慶後 春节前 中秋节 清明 农历正月十五 元宵 端午 除夕", "every other Friday at half past nine"):
            parse_reminder(text, now=now, tz=services.config.default_timezone, country=services.config.holiday_country)

    def periodic(self) -> list[Periodic]:
        """Claim due reminders every second and queue their pushes."""
        return [("reminders.pickup", 1.0, pickup)]

    async def handle(self, request: Request, services: Services) -> Reply:
        """Set, list, change or cancel a reminder."""
        if request.command == "remind":
            if not request.args.strip():
                raise SkillError(t(MESSAGES, "usage_remind", request.lang))
            return await self._create(request, services, request.args, command=True)
        if request.command == "reminders":
            return await self._reminders_command(request, services)
        if request.state and request.state.get("mode"):
            return await self._answer(request, services, request.state)
        cancel = _CANCEL_ID.search(request.text)
        if cancel:
            return await actions.cancel(request, int(cancel.group("id") or cancel.group("zid")))
        if _LIST.search(request.text):
            return await actions.listing(request, services, _range(request.text))
        return await self._create(request, services, request.text)

    async def on_button(self, request: Request, services: Services) -> Reply:
        """Done, snooze, change time, cancel, or a time picked for an open question."""
        action, args = request.action
        try:
            if action == "at":
                if not request.state or not request.state.get("mode"):
                    raise SkillError(t(MESSAGES, "expired", request.lang))
                due = datetime.fromtimestamp(int(args[0]), UTC)
                return await actions.apply_time(request, services, request.state, due, None)
            reminder_id = int(args[0]) if args else 0
        except (IndexError, ValueError, OverflowError, OSError):  # OSError/Overflow: a timestamp out of range
            raise SkillError(t(MESSAGES, "expired", request.lang)) from None
        if action == "done":
            return await actions.done(request, services, reminder_id)
        if action == "snz":
            return await actions.snooze(request, services, reminder_id, args[1] if len(args) > 1 else "pick")
        if action == "edit":
            return await actions.ask_new_time(request, services, reminder_id)
        if action == "cancel":
            return await actions.cancel(request, reminder_id)
        if action == "list":
            return await actions.listing(request, services, None)
        raise SkillError(t(MESSAGES, "expired", request.lang))

    # -- flows ---------------------------------------------------------------------------------

    def _parse(self, request: Request, services: Services, text: str, *, command: bool = False) -> Parsed:
        cfg = services.config
        return parse_reminder(
            text,
            now=request.now,
            tz=request.officer.timezone,
            country=cfg.holiday_country,
            default_time=hhmm(cfg.reminders.default_time),
            end_of_day=hhmm(cfg.reminders.end_of_day),
            command=command,
        )

    async def _create(self, request: Request, services: Services, text: str, *, command: bool = False) -> Reply:
        parsed = self._parse(request, services, text, command=command)
        client = await find_client_in_text(request.db, request.officer, text)
        draft: dict[str, Any] = {
            "mode": "draft",
            "task": parsed.task,
            "client_id": client.id if client else None,
            "recurrence": parsed.recurrence,
            "urgent": parsed.urgent,
            "notes": list(parsed.notes),
        }
        if parsed.ok and parsed.due is not None:
            return await actions.apply_time(request, services, draft, parsed.due, parsed.recurrence)
        return self._question(request, services, parsed, draft)

    async def _answer(self, request: Request, services: Services, state: dict[str, Any]) -> Reply:
        """A message while a time question is open: the time it names, or a fresh request."""
        text = request.text
        cancel = _CANCEL_ID.search(text)
        if cancel:
            return await actions.cancel(request, int(cancel.group("id") or cancel.group("zid")))
        if _LIST.search(text):
            return await actions.listing(request, services, _range(text))
        parsed = self._parse(request, services, text)
        if _STRONG.search(text) and (state.get("mode") in ("draft", "task") or parsed.task):  # a new reminder
            return await self._create(request, services, text)
        if state.get("mode") == "task":  # the answer to "what should I remind you about?"
            task = parsed.task or text.strip()
            due = datetime.fromtimestamp(int(state["due"]), UTC)
            return await actions.apply_time(request, services, {**state, "mode": "draft", "task": task}, due,
                                            state.get("recurrence"))
        if parsed.ok and parsed.due is not None:
            if state.get("mode") == "draft" and not state.get("task") and parsed.task:
                state = {**state, "task": parsed.task}
            state = {**state, "notes": list(parsed.notes)}
            return await actions.apply_time(request, services, state, parsed.due, parsed.recurrence)
        if parsed.status == "missing":  # not a time: let go of the question rather than trap the chat
            return Reply(
                text=t(MESSAGES, "ask_again", request.lang),
                state=Reply.END,
                intent="ask_time",
                data={"question": "dropped", "task": state.get("task", "")},
            )
        return self._question(request, services, parsed, state)

    def _question(self, request: Request, services: Services, parsed: Parsed, state: dict[str, Any]) -> Reply:
        lang, tz = request.lang, request.officer.timezone
        task = state.get("task") or ""
        about = t(MESSAGES, "about", lang, task=esc(task)) if task else ""
        if parsed.status == "ambiguous":
            key = "ask_date_order" if parsed.reason == "date_order" else "ask_ampm"
            text = t(MESSAGES, key, lang, expr=esc(" ".join(parsed.matched)), about=about)
            choices = list(parsed.choices)
        elif parsed.status == "past" and parsed.due is not None:
            text = t(MESSAGES, "ask_past", lang, when=local_time(parsed.due, tz, lang))
            choices = list(parsed.choices)
        else:
            text = t(MESSAGES, "ask_when", lang, about=about)
            choices = actions.default_choices(request, services)
        buttons = [[Button(local_time(c, tz, lang), payload("reminders", "at", int(c.timestamp())))] for c in choices]
        recurrence = state.get("recurrence")
        data = {
            "question": parsed.status,
            "ambiguous": parsed.status == "ambiguous",
            "reason": parsed.reason or parsed.status,
            "choices": [c.astimezone(ZoneInfo(tz)).isoformat() for c in choices],
            "choices_utc": [c.astimezone(UTC).isoformat() for c in choices],
            "choices_text": [local_time(c, tz, lang) for c in choices],
            "task": task,
            "recurrence": recurrence,
            "rrule": as_rrule(recurrence),
            "recurrence_text": describe_rule(recurrence, lang) if recurrence else None,
        }
        return Reply(text=text, buttons=buttons, data=data, intent="ask_time", state=state)

    async def _reminders_command(self, request: Request, services: Services) -> Reply:
        args = request.args.split()
        if not args:
            return await actions.listing(request, services, None)
        sub = args[0].lower()
        try:
            if sub in ("cancel", "取消", "delete"):
                return await actions.cancel(request, int(args[1].lstrip("#")))
            if sub in ("edit", "change", "改", "修改"):
                return await actions.ask_new_time(request, services, int(args[1].lstrip("#")))
        except (IndexError, ValueError):
            raise SkillError(t(MESSAGES, "usage_list", request.lang)) from None
        if sub in ("today", "今天", "week", "本周", "这周"):
            return await actions.listing(request, services, _range(sub))
        raise SkillError(t(MESSAGES, "usage_list", request.lang))


def _range(text: str) -> str | None:
    if _TODAY.search(text):
        return "today"
    if _WEEK.search(text):
        return "week"
    return None
