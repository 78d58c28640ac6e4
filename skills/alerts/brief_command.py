"""``/brief``: show the morning brief now with its settings, ``/brief 08:30`` sets the time, ``/brief off`` stops it."""

from __future__ import annotations

import re

from sqlalchemy import select

from skills.alerts.brief import brief_setting, build_briefs, set_brief
from skills.alerts.messages import MESSAGES
from skills.alerts.service import sweep_clients
from skills.contract import Reply, Request, Services, SkillError
from skills.i18n import t
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow

__all__ = ["answer_brief", "parse_brief_args"]

_OFF = re.compile(r"^(off|stop|no|disable|关闭|关|停止|不要)$", re.I)
_ON = re.compile(r"^(on|start|yes|enable|开启|开|打开)$", re.I)
_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:：.](?P<m>\d{2})|点(?P<half>半)?(?:(?P<zm>\d{1,2})分?)?)?$")


def parse_brief_args(args: str) -> tuple[str, str | None]:
    """``""`` → ("show", None); ``"off"``/``"关闭"`` → ("off", None); ``"8:30"``/``"8点半"`` → ("at", "08:30").

    >>> parse_brief_args("8:30"), parse_brief_args("关闭"), parse_brief_args("7点半"), parse_brief_args("")
    (('at', '08:30'), ('off', None), ('at', '07:30'), ('show', None))
    >>> parse_brief_args("25:00")
    ('bad', None)
    """
    text = args.strip().replace(" ", "")
    if not text:
        return "show", None
    if _OFF.match(text):
        return "off", None
    if _ON.match(text):
        return "on", None
    match = _TIME.match(text)
    if not match:
        return "bad", None
    hour = int(match["h"])
    minute = 30 if match["half"] else int(match["m"] or match["zm"] or 0)
    if hour > 23 or minute > 59:
        return "bad", None
    return "at", f"{hour:02d}:{minute:02d}"


async def _assess_unswept(request: Request, services: Services) -> None:
    """Clients the sweep has never assessed (just loaded, the sweep not yet run) are swept now, so the
    brief reflects them (their first pushes are a digest, as always after an import)."""
    stmt = select(Client.id).where(Client.tier_reason == "")
    visible = request.officer.visible_officer_ids()
    if visible is not None:
        stmt = stmt.where(Client.officer_id.in_(visible))
    fresh = list((await request.db.scalars(stmt)).all())
    if fresh:
        await sweep_clients(request.db, services.config, request.now, fresh)


async def answer_brief(request: Request, services: Services) -> Reply:
    """Show the brief now (with the settings line), or change the settings."""
    lang, officer = request.lang, request.officer
    cfg = services.config.alerts
    action, at = parse_brief_args(request.args)
    days = t(MESSAGES, "brief.days_work" if cfg.brief_workdays_only else "brief.days_all", lang)
    if action == "bad":
        raise SkillError(t(MESSAGES, "brief.usage", lang))
    if action == "off":
        await set_brief(request.db, officer.id, enabled=False)
        return Reply(text=t(MESSAGES, "brief.off", lang), data={"enabled": False}, intent="brief_off")
    if action in ("on", "at"):
        row = await set_brief(request.db, officer.id, enabled=True, at=at)
        when = row.at or cfg.brief_at
        return Reply(
            text=t(MESSAGES, "brief.set", lang, at=when, tz=officer.timezone, days=days),
            data={"enabled": True, "at": when, "timezone": officer.timezone, "workdays_only": cfg.brief_workdays_only},
            intent="brief_set",
        )
    await _assess_unswept(request, services)
    row = await request.db.get(OfficerRow, officer.id)
    if row is None:  # the router registers officers on first contact; a console officer may not be stored
        row = OfficerRow(id=officer.id, name=officer.name, role=officer.role.value, active=True)
    row_lang, row_tz = row.language, row.timezone
    row.language, row.timezone = lang, officer.timezone  # this request's resolved language and zone
    try:
        briefs = await build_briefs(request.db, services.config, [row], request.now)
    finally:
        row.language, row.timezone = row_lang, row_tz
    brief = briefs[officer.id]
    setting = await brief_setting(request.db, officer.id)
    enabled = setting.enabled if setting is not None else cfg.brief_enabled
    when = (setting.at if setting is not None else None) or cfg.brief_at
    footer = (
        t(MESSAGES, "brief.settings_on", lang, at=when, days=days)
        if enabled
        else t(MESSAGES, "brief.settings_off", lang)
    )
    data = {**brief.data, "enabled": enabled, "at": when, "workdays_only": cfg.brief_workdays_only}
    return Reply(text=f"{brief.text}\n\n{footer}", buttons=brief.buttons, data=data, intent="brief")
