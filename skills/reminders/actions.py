"""What the reminder buttons and answers do: save, confirm, done, snooze, change time, cancel, list.

Every action on an existing reminder loads it through ``repository.get_own``: a payload naming another
officer's reminder gets the same "not found" as a made-up id.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from skills.contract import Button, Reply, Request, Services, SkillError, payload
from skills.fmt import esc, local_time
from skills.i18n import t
from skills.reminders.messages import MESSAGES
from skills.reminders.models import ACTIVE, CANCELLED, DONE, FIRED, SNOOZED, Reminder
from skills.reminders.recurrence import next_occurrence
from skills.reminders.repository import active_child, count_upcoming, get_own, list_upcoming
from skills.reminders.service import create_reminder, describe_rule, hhmm
from skills.store.models import Client
from skills.store.outbox import cancel_pending

__all__ = ["apply_time", "ask_new_time", "cancel", "default_choices", "done", "listing", "reminder_data", "snooze"]


def reminder_data(r: Reminder, tz: str, lang: str, client: str | None = None) -> dict[str, Any]:
    """The figures behind a reminder for ``data``: due in ISO 8601 with the officer's offset, and in UTC."""
    due_local = r.due_at.astimezone(ZoneInfo(tz))
    return {
        "reminder_id": r.id,
        "due": due_local.isoformat(),
        "due_utc": r.due_at.astimezone(ZoneInfo("UTC")).isoformat(),
        "due_text": local_time(r.due_at, tz, lang),
        "weekday": due_local.strftime("%a"),
        "recurrence": r.recurrence,
        "recurrence_text": describe_rule(r.recurrence, lang) if r.recurrence else None,
        "client_id": r.client_id,
        "client": client,
        "task": r.text,
        "urgent": r.urgent,
        "state": r.state,
        "late": False,
    }


def _local_at(request: Request, day_offset: int, clock: str) -> datetime:
    zone = ZoneInfo(request.officer.timezone)
    day = request.now.astimezone(zone).date() + timedelta(days=day_offset)
    return datetime.combine(day, hhmm(clock), tzinfo=zone)


def default_choices(request: Request, services: Services) -> list[datetime]:
    """In 1 hour, tomorrow at the default hour, next Monday at the default hour."""
    local = request.now.astimezone(ZoneInfo(request.officer.timezone))
    clock = services.config.reminders.default_time
    return [
        (request.now + timedelta(hours=1)).replace(second=0, microsecond=0),
        _local_at(request, 1, clock),
        _local_at(request, 7 - local.weekday(), clock),
    ]


async def _client_name(request: Request, client_id: int | None) -> str | None:
    if client_id is None:
        return None
    client = await request.db.get(Client, client_id)
    return client.name if client else None


async def _owned(request: Request, reminder_id: int) -> Reminder:
    row = await get_own(request.db, request.officer.id, reminder_id)
    if row is None:
        raise SkillError(t(MESSAGES, "not_found", request.lang, id=reminder_id), data={"reminder_id": reminder_id})
    return row


async def apply_time(
    request: Request, services: Services, state: dict[str, Any], due: datetime, recurrence: str | None
) -> Reply:
    """Use a resolved time for whatever the open question was about: a new reminder, a change, a snooze."""
    mode = state.get("mode")
    if mode == "edit":
        row = await _owned(request, int(state["id"]))
        if row.state != ACTIVE:
            raise SkillError(t(MESSAGES, "not_active", request.lang, id=row.id))
        row.due_at = due
        if recurrence:
            row.recurrence = recurrence
        await request.db.flush()
        return await _confirm(request, row, "changed")
    if mode == "snooze":
        return await _snooze_to(request, await _owned(request, int(state["id"])), due)
    reminder_id = await create_reminder(
        request.db,
        officer_id=request.officer.id,
        text=state.get("task") or "",
        due_at=due,
        client_id=state.get("client_id"),
        recurrence=recurrence or state.get("recurrence"),
        urgent=bool(state.get("urgent")),
        tz=request.officer.timezone,
        lang=request.lang,
        now=request.now,
    )
    row = await request.db.get(Reminder, reminder_id)
    assert row is not None
    return await _confirm(request, row, "set")


async def _confirm(request: Request, row: Reminder, key: str) -> Reply:
    lang, tz = request.lang, request.officer.timezone
    client = await _client_name(request, row.client_id)
    when = local_time(row.due_at, tz, lang)
    task = esc(row.text) or t(MESSAGES, "no_task", lang)
    lines = [t(MESSAGES, key, lang, when=when, task=task, id=row.id)]
    if client:
        lines.append(t(MESSAGES, "set_client", lang, client=esc(client)))
    if row.recurrence:
        lines.append(t(MESSAGES, "repeat", lang, rule=describe_rule(row.recurrence, lang)))
    if row.urgent:
        lines.append(t(MESSAGES, "set_urgent", lang))
    buttons = [[
        Button(t(MESSAGES, "btn.change", lang), payload("reminders", "edit", row.id)),
        Button(t(MESSAGES, "btn.cancel", lang), payload("reminders", "cancel", row.id)),
    ]]
    return Reply(
        text="\n".join(lines),
        buttons=buttons,
        data=reminder_data(row, tz, lang, client),
        intent=key,
        state=Reply.END,
        client_id=row.client_id,
    )


async def done(request: Request, services: Services, reminder_id: int) -> Reply:
    """Mark a pushed reminder done (for a series: this occurrence; the series goes on)."""
    row = await _owned(request, reminder_id)
    lang, tz = request.lang, request.officer.timezone
    if row.recurrence and row.state == ACTIVE:
        text = t(MESSAGES, "done_occurrence", lang, when=local_time(row.due_at, tz, lang))
    else:
        if row.state in (ACTIVE, FIRED, SNOOZED):
            row.state = DONE
        text = t(MESSAGES, "done", lang, task=esc(row.text) or t(MESSAGES, "no_task", lang))
    return Reply(text=text, data=reminder_data(row, tz, lang), intent="done", edit=True)


async def snooze(request: Request, services: Services, reminder_id: int, what: str) -> Reply:
    """Snooze one occurrence by minutes, to tomorrow morning, or to a time the officer picks."""
    row = await _owned(request, reminder_id)
    if what == "pick":
        return await ask_new_time(request, services, reminder_id, mode="snooze")
    if what == "tmr":
        due = _local_at(request, 1, services.config.reminders.tomorrow_time)
    else:
        try:
            due = request.now + timedelta(minutes=int(what))
        except ValueError:
            raise SkillError(t(MESSAGES, "expired", request.lang)) from None
    return await _snooze_to(request, row, due)


async def _snooze_to(request: Request, row: Reminder, due: datetime) -> Reply:
    lang, tz = request.lang, request.officer.timezone
    if row.state == CANCELLED or row.state == DONE:
        raise SkillError(t(MESSAGES, "not_active", lang, id=row.id))
    if not row.recurrence and row.state == ACTIVE:
        row.due_at = due  # not fired yet: just move it
        target = row
    else:
        target_or_none = await active_child(request.db, row.id)
        if target_or_none is None:
            child_id = await create_reminder(
                request.db, officer_id=row.officer_id, text=row.text, due_at=due, client_id=row.client_id,
                urgent=row.urgent, tz=row.tz, lang=row.lang, source="snooze", now=request.now,
            )
            target_or_none = await request.db.get(Reminder, child_id)
            assert target_or_none is not None
            target_or_none.parent_id = row.id
        else:
            target_or_none.due_at = due
        target = target_or_none
        if not row.recurrence:
            row.state = SNOOZED
    await request.db.flush()
    text = t(MESSAGES, "snoozed", lang, when=local_time(due, tz, lang), task=esc(row.text) or t(MESSAGES, "no_task", lang))
    data = reminder_data(target, tz, lang)
    data["snoozed_from"] = row.id
    return Reply(text=text, data=data, intent="snoozed", edit=True, state=Reply.END)


async def ask_new_time(request: Request, services: Services, reminder_id: int, *, mode: str = "edit") -> Reply:
    """Ask when instead (buttons or typed), keeping which reminder it is in the conversation."""
    row = await _owned(request, reminder_id)
    if mode == "edit" and row.state != ACTIVE:
        raise SkillError(t(MESSAGES, "not_active", request.lang, id=row.id))
    lang, tz = request.lang, request.officer.timezone
    choices = default_choices(request, services)
    buttons = [[Button(local_time(c, tz, lang), payload("reminders", "at", int(c.timestamp())))] for c in choices]
    return Reply(
        text=t(MESSAGES, "ask_new_time", lang, id=row.id, task=esc(row.text)),
        buttons=buttons,
        data={"reminder_id": row.id, "question": mode, "choices": [c.astimezone(ZoneInfo(tz)).isoformat() for c in choices]},
        intent="ask_time",
        state={"mode": mode, "id": row.id},
    )


async def cancel(request: Request, reminder_id: int) -> Reply:
    """Cancel a reminder (a whole series), its pending snoozes and any push held for quiet hours."""
    row = await _owned(request, reminder_id)
    lang = request.lang
    if row.state in (DONE, CANCELLED):
        raise SkillError(t(MESSAGES, "not_active", lang, id=row.id))
    row.state = CANCELLED
    await cancel_pending(request.db, f"reminder:{row.id}")
    child = await active_child(request.db, row.id)
    if child is not None:
        child.state = CANCELLED
        await cancel_pending(request.db, f"reminder:{child.id}")
    text = t(MESSAGES, "cancelled", lang, id=row.id, task=esc(row.text) or t(MESSAGES, "no_task", lang))
    return Reply(text=text, data=reminder_data(row, request.officer.timezone, lang), intent="cancelled", state=Reply.END)


async def listing(request: Request, services: Services, span: str | None) -> Reply:
    """The officer's own pending reminders (optionally today / this week), with change and cancel buttons."""
    lang, tz = request.lang, request.officer.timezone
    zone = ZoneInfo(tz)
    today = request.now.astimezone(zone).date()
    until = None
    if span == "today":
        until = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    elif span == "week":
        until = datetime.combine(today + timedelta(days=7 - today.weekday()), datetime.min.time(), tzinfo=zone)
    limit = services.config.reminders.list_limit
    rows = await list_upcoming(request.db, request.officer.id, until=until, limit=limit)
    label = t(MESSAGES, f"range.{span}", lang) if span else ""
    if not rows:
        return Reply(text=t(MESSAGES, "list_empty", lang, range=label), data={"reminders": [], "range": span},
                     intent="list")
    lines = [t(MESSAGES, "list_title", lang, range=label)]
    items = []
    buttons: list[list[Button]] = []
    for r in rows:
        client = await _client_name(request, r.client_id)
        extra = (f" · {esc(client)}" if client else "") + (" 🔁" if r.recurrence else "") + (" ❗" if r.urgent else "")
        lines.append(t(MESSAGES, "list_line", lang, id=r.id, when=local_time(r.due_at, tz, lang),
                       task=esc(r.text) or t(MESSAGES, "no_task", lang), extra=extra))
        items.append(reminder_data(r, tz, lang, client))
        if len(buttons) < 5:
            buttons.append([
                Button(t(MESSAGES, "btn.edit_n", lang, id=r.id), payload("reminders", "edit", r.id)),
                Button(t(MESSAGES, "btn.cancel_n", lang, id=r.id), payload("reminders", "cancel", r.id)),
            ])
    total = await count_upcoming(request.db, request.officer.id, until=until)
    if total > len(rows):
        lines.append(t(MESSAGES, "list_more", lang, n=total - len(rows)))
    return Reply(text="\n".join(lines), buttons=buttons, data={"reminders": items, "range": span, "total": total},
                 intent="list")


def following_due(row: Reminder, country: str, now: datetime) -> datetime:
    """The next occurrence of a series after ``now`` (for messages)."""
    assert row.recurrence is not None
    return next_occurrence(row.recurrence, row.due_at, row.tz, after=now, country=country)
