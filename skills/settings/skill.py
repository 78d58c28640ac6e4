"""Officer settings (/lang, /tz, /quiet) and access administration (/grant, /revoke, /officers)."""

from __future__ import annotations

import re
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from skills.contract import Command, Reply, Request, Role, Services, Skill, SkillError
from skills.fmt import esc, local_time
from skills.i18n import t
from skills.settings.messages import MESSAGES
from skills.settings.phrasings import PHRASINGS
from skills.store.base import is_row_id
from skills.store.models import AuditEntry
from skills.store.models import Officer as OfficerRow

__all__ = ["SettingsSkill"]

_ADMIN = (Role.ADMIN,)
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# A language named as the one to use: the last one named wins ("switch from english to chinese").
_LANGUAGE = re.compile(r"(?P<zh>chinese|中文|汉语|\bzh\b)|(?P<en>english|英文|英语|\ben\b)", re.I | re.A)
_SWITCH = re.compile(
    r"\b(?:switch|change|set|use|speak|talk|reply|respond|answer|prefer|want|lang(?:uage)?)\b|"
    r"\b(?:can|could)\s+(?:we|you|u)\s+(?:do|go|try|have|get)\b|"
    r"\bfrom\s+now(?:\s+on)?\b|从现在起|以后|今后|"
    r"切换|改成|换成|改回|换回|使用|用|说|讲|语言|回复",
    re.I | re.A,
)
_SWITCH_ZH = re.compile(
    r"(切换|改成|换成|使用|用)\s*(中文|汉语)|speak chinese|in chinese please|switch to chinese", re.I
)
_SWITCH_EN = re.compile(r"switch to english|speak english|in english please|(切换|改成|换成|使用|用)\s*英文", re.I)


_LIKELY = 0.9
# The officer's other preferences, named: time zone, quiet hours.
_PREFERENCE = re.compile(
    r"\b(?:tz|time\s*zone|quiet\s+hours|do\s+not\s+disturb|dnd)\b|\b(?:switch|change|set)\s+(?:the\s+|my\s+)?lang(?:uage)?\b|"
    r"时区|免打扰|勿扰|(?:切换|换|改|设置)语言",
    re.I | re.A,
)


def wanted_language(text: str) -> str | None:
    """The language an officer asks for ("use chinese", "切换成english"), or None.

    >>> wanted_language("switch to chinese"), wanted_language("换回english吧"), wanted_language("chinese pls")
    ('zh', 'en', 'zh')
    """
    named = list(_LANGUAGE.finditer(text))
    if not named:
        return None
    return "zh" if named[-1].group("zh") else "en"


def parse_quiet(args: str) -> tuple[str, str] | None:
    """Parse ``22:00-08:00`` into ("22:00", "08:00"); None when malformed.

    >>> parse_quiet("22:00-8:00")
    ('22:00', '08:00')
    """
    parts = [p.strip() for p in re.split(r"[-–~到至]", args) if p.strip()]
    if len(parts) != 2:
        return None
    out = []
    for part in parts:
        m = _HHMM.match(part)
        if not m:
            return None
        out.append(f"{int(m.group(1)):02d}:{m.group(2)}")
    return out[0], out[1]


class SettingsSkill(Skill):
    """Per-officer preferences and, for admins, who may use the bot."""

    name = "settings"
    more_phrasings = PHRASINGS
    offered_when_unsure = False
    commands = (
        Command("lang", "Language: /lang en | /lang zh", "语言：/lang en | /lang zh"),
        Command("tz", "Timezone: /tz Area/City", "时区：/tz 地区/城市"),
        Command("quiet", "Quiet hours: /quiet 22:00-08:00 | off", "免打扰：/quiet 22:00-08:00 | off"),
        Command("grant", "Admin: give a user access", "管理员：开通用户权限", roles=_ADMIN),
        Command("revoke", "Admin: remove a user's access", "管理员：撤销用户权限", roles=_ADMIN),
        Command("officers", "Admin: list officers", "管理员：专员列表", roles=_ADMIN),
    )
    patterns = (_SWITCH_ZH, _SWITCH_EN)
    examples: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": ("switch to chinese", "set my timezone", "change language"),
        "zh": ("切换成中文", "设置时区", "切换英文"),
    }

    def score(self, text: str, lang: str) -> float:
        """Certain for "switch to Chinese"-style requests; likely for a language named with a switching word."""
        if _SWITCH_ZH.search(text) or _SWITCH_EN.search(text):
            return 1.0
        if wanted_language(text) and (_SWITCH.search(text) or len(text.split()) <= 3):
            return _LIKELY
        return _LIKELY if _PREFERENCE.search(text) else 0.0

    async def handle(self, request: Request, services: Services) -> Reply:
        """Apply one settings command (or a 'switch to Chinese' request)."""
        row = await request.db.get(OfficerRow, request.officer.id)
        assert row is not None  # the router created it
        cmd, args = request.command, request.args.strip()
        if cmd is None:
            cmd, args = "lang", (wanted_language(request.text) or request.lang)
        handler = {
            "lang": self._lang,
            "tz": self._tz,
            "quiet": self._quiet,
            "grant": self._grant,
            "revoke": self._revoke,
            "officers": self._officers,
        }[cmd]
        return await handler(request, row, args)

    async def _lang(self, request: Request, row: OfficerRow, args: str) -> Reply:
        value = args.lower()[:2]
        if value not in ("en", "zh"):
            raise SkillError(t(MESSAGES, "lang_usage", request.lang))
        row.language = value
        return Reply(text=t(MESSAGES, "lang_set", value), data={"language": value}, intent="lang")

    async def _tz(self, request: Request, row: OfficerRow, args: str) -> Reply:
        lang = request.lang
        if not args:
            tz = request.officer.timezone
            return Reply(
                text=t(MESSAGES, "tz_show", lang, tz=tz, local=local_time(request.now, tz, lang)), data={"timezone": tz}
            )
        try:
            if len(args) > 64:  # officers.timezone is VARCHAR(64); no IANA name is longer
                raise ValueError(args)
            ZoneInfo(args)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name the file system refuses
            raise SkillError(t(MESSAGES, "tz_usage", lang, tz=esc(args))) from None
        row.timezone = args
        return Reply(
            text=t(MESSAGES, "tz_set", lang, tz=args, local=local_time(request.now, args, lang)),
            data={"timezone": args},
            intent="tz",
        )

    async def _quiet(self, request: Request, row: OfficerRow, args: str) -> Reply:
        lang = request.lang
        if args.lower() in ("off", "none", "关闭", "关"):
            row.quiet_start = row.quiet_end = None
            return Reply(text=t(MESSAGES, "quiet_off", lang), data={"quiet": None}, intent="quiet")
        parsed = parse_quiet(args)
        if parsed is None:
            raise SkillError(t(MESSAGES, "quiet_usage", lang))
        row.quiet_start, row.quiet_end = parsed
        return Reply(
            text=t(MESSAGES, "quiet_set", lang, start=parsed[0], end=parsed[1]),
            data={"quiet": list(parsed)},
            intent="quiet",
        )

    async def _grant(self, request: Request, row: OfficerRow, args: str) -> Reply:
        lang = request.lang
        parts = args.split()
        try:
            user_id = int(parts[0])
            role = Role(parts[1].lower()) if len(parts) > 1 else Role.OFFICER
            manager_id = int(parts[2]) if len(parts) > 2 else None
            if not is_row_id(user_id) or (manager_id is not None and not is_row_id(manager_id)):
                raise ValueError(args)
        except (IndexError, ValueError):
            raise SkillError(t(MESSAGES, "grant_usage", lang)) from None
        if manager_id is not None and await request.db.get(OfficerRow, manager_id) is None:
            raise SkillError(t(MESSAGES, "grant_usage", lang))
        target = await request.db.get(OfficerRow, user_id)
        if target is None:
            target = OfficerRow(id=user_id, name=str(user_id), role=role.value, active=True, created_at=request.now)
            request.db.add(target)
        target.role, target.active = role.value, True
        if manager_id is not None:
            target.manager_id = manager_id
        self._audit(request, "grant", {"user_id": user_id, "role": role.value, "manager_id": manager_id})
        return Reply(
            text=t(MESSAGES, "granted", lang, user_id=user_id, role=role.value),
            data={"user_id": user_id, "role": role.value},
            intent="grant",
        )

    async def _revoke(self, request: Request, row: OfficerRow, args: str) -> Reply:
        lang = request.lang
        try:
            user_id = int(args.split()[0])
            if not is_row_id(user_id):
                raise ValueError(args)
        except (IndexError, ValueError):
            raise SkillError(t(MESSAGES, "revoke_usage", lang)) from None
        if user_id == request.officer.id:
            raise SkillError(t(MESSAGES, "revoke_self", lang))
        target = await request.db.get(OfficerRow, user_id)
        if target is None:
            target = OfficerRow(id=user_id, name=str(user_id), role=Role.OFFICER.value, created_at=request.now)
            request.db.add(target)
        target.active = False
        self._audit(request, "revoke", {"user_id": user_id})
        return Reply(text=t(MESSAGES, "revoked", lang, user_id=user_id), data={"user_id": user_id}, intent="revoke")

    async def _officers(self, request: Request, row: OfficerRow, args: str) -> Reply:
        lang = request.lang
        rows = (await request.db.scalars(select(OfficerRow).order_by(OfficerRow.id))).all()
        lines = [t(MESSAGES, "officers_title", lang)]
        for o in rows:
            inactive = "" if o.active else t(MESSAGES, "inactive", lang)
            if o.unreachable_since is not None:
                since = local_time(o.unreachable_since, request.officer.timezone, lang)
                reason = esc((o.unreachable_reason or "").removeprefix("unreachable: ")[:80])
                inactive += t(MESSAGES, "unreachable", lang, since=since, reason=reason)
            lines.append(t(MESSAGES, "officer_line", lang, id=o.id, name=esc(o.name), role=o.role, inactive=inactive))
        data = [
            {
                "id": o.id,
                "name": o.name,
                "role": o.role,
                "active": o.active,
                "unreachable_since": o.unreachable_since.isoformat() if o.unreachable_since else None,
            }
            for o in rows
        ]
        return Reply(text="\n".join(lines), data={"officers": data}, intent="officers")

    @staticmethod
    def _audit(request: Request, action: str, detail: dict[str, object]) -> None:
        request.db.add(AuditEntry(at=request.now, actor_id=request.officer.id, action=action, detail=detail))
