"""``/apply <client> [amount]`` and the card's 📝 button: record an application; ✅ marks first feedback given."""

from __future__ import annotations

from typing import Any

from skills.alerts.applications import application_buttons, parse_amount_in, record_application
from skills.alerts.messages import MESSAGES
from skills.alerts.models import Application
from skills.alerts.repository import button_client, find_client, get_visible_client
from skills.contract import Reply, Request, Services, SkillError
from skills.fmt import esc, local_time, money
from skills.i18n import t
from skills.reminders.api import complete
from skills.store.base import is_row_id
from skills.store.models import Client

__all__ = ["answer_apply", "apply_from_button", "feedback_given"]


def _data(app: Application, client: Client) -> dict[str, Any]:
    return {
        "application_id": app.id,
        "client_id": client.id,
        "client": client.name,
        "amount": str(app.amount) if app.amount is not None else None,
        "currency": app.currency,
        "received_at": app.received_at.isoformat(),
        "feedback_due_at": app.feedback_due_at.isoformat(),
        "reminder_id": app.reminder_id,
        "state": app.state,
        "source": app.source,
    }


async def _record(request: Request, services: Services, client: Client, amount: Any, source: str) -> Reply:
    lang, officer = request.lang, request.officer
    app = await record_application(
        request.db,
        services.config,
        officer_id=officer.id,
        client=client,
        amount=amount,
        received_at=request.now,
        tz=officer.timezone,
        lang=lang,
        source=source,
    )
    amount_text = money(app.amount, app.currency, lang) if app.amount is not None else ""
    text = t(
        MESSAGES,
        "apply.recorded",
        lang,
        client=esc(client.name),
        amount=amount_text,
        due=local_time(app.feedback_due_at, officer.timezone, lang),
        days=services.config.alerts.application_feedback_days,
    )
    return Reply(
        text=text,
        buttons=application_buttons(app.id, client.id, lang),
        data=_data(app, client),
        intent="apply",
        client_id=client.id,
    )


async def answer_apply(request: Request, services: Services) -> Reply:
    """``/apply Acme 500万``: the client by name (or the client last talked about), the amount optional."""
    lang = request.lang
    args = request.args.strip()
    client = await find_client(request.db, request.officer, args) if args else None
    amount_only = not args or (parse_amount_in(args) is not None and " " not in args.strip())
    if client is None and request.recent_client_id and amount_only:  # "/apply 500万" right after Acme's card
        client = await get_visible_client(request.db, request.officer, request.recent_client_id)
    if client is None:
        key = "apply.unknown" if args else "apply.usage"
        raise SkillError(
            t(MESSAGES, key, lang, name=esc(args)) + ("\n" + t(MESSAGES, "apply.usage", lang) if args else "")
        )
    return await _record(request, services, client, parse_amount_in(args), "chat")


async def apply_from_button(request: Request, services: Services, args: list[str]) -> Reply:
    """``alerts:apply:<client_id>`` from the client card."""
    return await _record(request, services, await button_client(request, args), None, "button")


async def feedback_given(request: Request, args: list[str]) -> Reply:
    """``alerts:appdone:<id>``: first feedback given; the application leaves the brief and the escalation."""
    lang = request.lang
    try:
        app_id = int(args[0])
    except (IndexError, ValueError):
        app_id = 0
    app = await request.db.get(Application, app_id) if is_row_id(app_id) else None
    client = await get_visible_client(request.db, request.officer, app.client_id) if app is not None else None
    if app is None or client is None:
        raise SkillError(t(MESSAGES, "apply.not_found", lang), data={"refused": True})
    if app.state == "open":
        app.state, app.answered_at = "answered", request.now
        if app.reminder_id is not None:
            await _close_reminder(request, app.reminder_id)
    late = app.answered_at is not None and app.answered_at > app.feedback_due_at
    text = t(MESSAGES, "apply.done_late" if late else "apply.done", lang, client=esc(client.name))
    return Reply(
        text=text, data={**_data(app, client), "late": late}, edit=True, intent="apply_done", client_id=client.id
    )


async def _close_reminder(request: Request, reminder_id: int) -> None:
    """The first-feedback reminder is no longer needed (it is done, not cancelled: the work happened)."""
    await complete(request.db, reminder_id)
