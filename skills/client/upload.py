"""Ledger uploads: a dry-run preview with Confirm import / Cancel, then apply and re-sweep the clients.

The file waits in ``pending_imports`` (button payloads are ≤ 64 bytes, so they carry only its id); it
is re-planned on confirm, so whatever changed in between is taken into account.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.alerts.api import Alert, PendingImport, local_date, sweep_clients
from skills.client.messages import MESSAGES
from skills.contract import Attachment, Button, Reply, Request, Services, SkillError, payload
from skills.fmt import esc
from skills.i18n import t
from skills.portfolio.api import (
    ImportRejected,
    apply_import,
    plan_import,
    portfolio_config,
    render_applied,
    render_preview,
)
from skills.store.clients import visible_clients

__all__ = ["IMPORT_STATE", "answer_upload", "confirmed_upload", "forget_upload", "preview_upload", "typed_answer"]

IMPORT_STATE = "import_pending"  # the open preview's pending import id, in the conversation state


async def preview_upload(request: Request, services: Services) -> Reply:
    """Show part A's dry-run preview of the uploaded ledger; keep the file for Confirm import."""
    lang = request.lang
    assert request.attachment is not None
    await request.db.execute(delete(PendingImport).where(PendingImport.expires_at < request.now))
    att = request.attachment
    today = local_date(request.now, request.officer.timezone)
    plan = await plan_import(
        request.db, request.officer, att.file_name, att.content, today=today, config=portfolio_config(services.config)
    )
    from skills.alerts.api import new_applications

    plan.applications_new = await new_applications(request.db, services.config, plan.applications)
    text = render_preview(plan, lang)
    data = {"preview": plan.summary(), "pending_id": None}
    if not plan.can_apply:
        return Reply(text=text, data=data, intent="upload")
    pending = PendingImport(
        officer_id=request.officer.id,
        file_name=att.file_name[:255],
        content=att.content,
        created_at=request.now,
        expires_at=request.now + timedelta(minutes=services.config.alerts.pending_import_minutes),
    )
    request.db.add(pending)
    await request.db.flush()
    data["pending_id"] = pending.id
    # The preview is an open flow: typing "confirm" applies it, "cancel"/"算了" forgets the file (on_cancel), and
    # another request is served with the preview offered back.
    return Reply(
        text=text, buttons=_buttons(pending.id, lang), data=data, intent="upload", state={IMPORT_STATE: pending.id}
    )


def _buttons(pending_id: int, lang: str) -> list[list[Button]]:
    """Confirm import · Cancel, under the preview and under the reminder that it is waiting."""
    return [
        [
            Button(t(MESSAGES, "btn.confirm", lang), payload("client", "import", pending_id, "ok")),
            Button(t(MESSAGES, "btn.cancel", lang), payload("client", "import", pending_id, "no")),
        ]
    ]


async def typed_answer(request: Request, services: Services, pending_id: int, confirmed: bool) -> Reply:
    """A message typed while the preview waits: a yes applies it as Confirm import does; anything else the router
    left in the flow gets the question again, with its buttons."""
    if confirmed:
        return await answer_upload(request, services, [str(pending_id), "ok"])
    return Reply(
        text=t(MESSAGES, "upload.confirm_or_cancel", request.lang),
        buttons=_buttons(pending_id, request.lang),
        intent="upload_waiting",
    )


async def confirmed_upload(session: AsyncSession, button: str, officer_id: int) -> Attachment | None:
    """The ledger that pressing ``button`` would apply: the officer's pending file when ``button`` is a Confirm
    import payload (``client:import:<id>:ok``), else None. The Telegram adapter sizes its "working…" notice by it."""
    prefix = payload("client", "import") + ":"
    pending_id, _, answer = button.removeprefix(prefix).partition(":")
    if not button.startswith(prefix) or answer != "ok" or not pending_id.isdigit():
        return None
    row = (
        await session.execute(
            select(PendingImport.file_name, PendingImport.content).where(
                PendingImport.id == int(pending_id), PendingImport.officer_id == officer_id
            )
        )
    ).first()
    return None if row is None else Attachment(file_name=row[0], content=row[1])


async def forget_upload(request: Request, pending_id: int) -> None:
    """Drop a pending import of this officer (its Confirm button then says it has expired)."""
    await request.db.execute(
        delete(PendingImport).where(PendingImport.id == pending_id, PendingImport.officer_id == request.officer.id)
    )


async def answer_upload(request: Request, services: Services, args: list[str]) -> Reply:
    """Confirm import (apply, then re-sweep the officer's clients) or Cancel (forget the file)."""
    lang = request.lang
    try:
        pending_id, answer = int(args[0]), args[1]
    except (IndexError, ValueError):
        raise SkillError(t(MESSAGES, "upload.expired", lang)) from None
    pending = await request.db.scalar(
        select(PendingImport).where(PendingImport.id == pending_id, PendingImport.officer_id == request.officer.id)
    )
    if pending is None or pending.expires_at < request.now:
        raise SkillError(t(MESSAGES, "upload.expired", lang), data={"pending_id": pending_id})
    file_name, content = pending.file_name, pending.content
    await request.db.delete(pending)
    if answer != "ok":
        return Reply(
            text=t(MESSAGES, "upload.cancelled", lang),
            data={"pending_id": pending_id, "applied": False},
            edit=request.payload is not None,
            intent="import_cancel",
            state=Reply.END,
        )
    today = local_date(request.now, request.officer.timezone)
    plan = await plan_import(
        request.db, request.officer, file_name, content, today=today, config=portfolio_config(services.config)
    )
    from skills.alerts.api import new_applications, record_imported_applications

    plan.applications_new = await new_applications(request.db, services.config, plan.applications)
    try:
        applied = await apply_import(request.db, plan, now=request.now)
    except ImportRejected as exc:
        raise SkillError(render_preview(exc.plan, lang), data={"preview": exc.plan.summary()}) from None
    applications = await record_imported_applications(
        request.db, services.config, applied.applications, now=request.now
    )
    client_ids = [c.id for c in await visible_clients(request.db, request.officer)]
    result = await sweep_clients(request.db, services.config, request.now, client_ids, after_import=True)
    red = 0
    if result.created:
        severities = await request.db.scalars(select(Alert.severity).where(Alert.id.in_(result.created)))
        red = sum(1 for s in severities if s == "red")
    lines = [
        render_applied(applied, lang),
        t(MESSAGES, "upload.swept", lang, clients=len(client_ids), new=len(result.created), red=red),
    ]
    return Reply(
        text="\n".join(lines),
        buttons=[[Button(t(MESSAGES, "btn.clients", lang), payload("client", "list"))]],
        data={
            "pending_id": pending_id,
            "applied": True,
            "summary": applied.summary(),
            "file": esc(file_name),
            "alerts_created": result.created,
            "applications": applications,
            "pushes": result.pushes,
        },
        intent="import",
        state=Reply.END,
    )
