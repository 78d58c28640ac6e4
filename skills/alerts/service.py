"""The alert sweep: metrics → rules → alert rows (deduplicated) → pushes through the outbox; tiers.

Idempotent and safe on several instances: live alerts are unique by ``dedup_key`` (a partial unique
index), a lost insert race is skipped, and every push has an idempotency key
(``alert:<id>:<severity>``, ``tier:<client_id>:<tier>:<date>``), so a push is queued once.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from skills.alerts.digest import Pending, group_pushes
from skills.alerts.messages import MESSAGES
from skills.alerts.models import LIVE_STATES, Alert, TierChange
from skills.alerts.render import finding_text
from skills.alerts.rules import Finding, evaluate, worse
from skills.alerts.schedule import local_date, push_due_at
from skills.alerts.tiering import TierResult, assess
from skills.contract import Button, Services, payload
from skills.fmt import esc
from skills.i18n import t
from skills.portfolio.api import ClientMetrics, compute_metrics
from skills.store.leases import claim_run, release_run
from skills.store.models import Client
from skills.store.models import Officer as OfficerRow
from skills.store.outbox import cancel_pending, enqueue_many
from skills.store.session import unit_of_work

if TYPE_CHECKING:
    from skills.config import SkillsConfig

__all__ = [
    "SWEEP_LEASE",
    "SWEEP_TICK_SECONDS",
    "SweepResult",
    "alert_buttons",
    "finding_of",
    "load_metrics",
    "sweep",
    "sweep_clients",
    "sweep_when_due",
]

log = logging.getLogger(__name__)

_CHUNK = 500


@dataclass(slots=True)
class SweepResult:
    """What a sweep did (the bench and /flag report it)."""

    clients: int = 0
    findings: int = 0
    created: list[int] = field(default_factory=list)
    worsened: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    pushes: int = 0
    digests: int = 0
    tier_changes: list[tuple[int, str, str]] = field(default_factory=list)
    by_client: dict[int, list[Finding]] = field(default_factory=dict)
    tiers: dict[int, TierResult] = field(default_factory=dict)


def finding_of(alert: Alert) -> Finding:
    """The finding an alert row stands for (to render it again)."""
    return Finding(alert.rule, alert.severity, alert.dedup_key, alert.client_id, dict(alert.figures or {}))


def alert_buttons(alert_id: int, client_id: int, lang: str) -> list[list[Button]]:
    """Acknowledge · Snooze 1 day / 1 week · Remind me · Client profile."""
    return [
        [
            Button(t(MESSAGES, "btn.ack", lang), payload("alerts", "ack", alert_id)),
            Button(t(MESSAGES, "btn.remind", lang), payload("alerts", "remind", alert_id)),
        ],
        [
            Button(t(MESSAGES, "btn.snooze_day", lang), payload("alerts", "snooze", alert_id, "1d")),
            Button(t(MESSAGES, "btn.snooze_week", lang), payload("alerts", "snooze", alert_id, "1w")),
        ],
        [Button(t(MESSAGES, "btn.profile", lang), payload("client", "show", client_id))],
    ]


async def load_metrics(
    session: AsyncSession, clients: Iterable[tuple[int, str]], now: datetime, *, full: bool = False
) -> dict[int, ClientMetrics]:
    """Metrics per client as of each client's officer-local date (``clients`` = (id, timezone) pairs)."""
    groups: dict[date, list[int]] = defaultdict(list)
    for client_id, tz in clients:
        groups[local_date(now, tz)].append(client_id)
    out: dict[int, ClientMetrics] = {}
    for as_of, ids in groups.items():
        wanted = None if full and len(groups) == 1 else ids
        out.update(await compute_metrics(session, as_of=as_of, client_ids=wanted))
    return out


SWEEP_TICK_SECONDS = 60.0
SWEEP_LEASE = "alerts.sweep.run"  # job_leases row: when the last full sweep ran, on any instance
_HOLDER = f"alerts:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def sweep_when_due(services: Services, now: datetime) -> None:
    """The periodic job: sweep when ``alerts.sweep_interval_seconds`` have passed since the last sweep.

    The last run is the ``alerts.sweep.run`` row of ``job_leases`` (:mod:`skills.store.leases`): in the
    database, so it survives a restart and one sweep per interval runs across all instances."""
    interval = services.config.alerts.sweep_interval_seconds
    async with unit_of_work(services.sessionmaker) as session:
        due = await claim_run(session, SWEEP_LEASE, now=now, interval=interval, holder=_HOLDER)
    if not due:
        return
    try:
        await sweep(services, now)
    except BaseException:
        # A failed sweep (the database went away mid-way) rolled back whole; give the claim back so the
        # next tick retries rather than a full interval later.
        try:
            async with unit_of_work(services.sessionmaker) as session:
                await release_run(session, SWEEP_LEASE, holder=_HOLDER)
        except Exception as exc:  # still down: the claim runs out after the interval instead
            log.warning("alerts sweep: claim not released (%s)", exc)
        raise


async def sweep(services: Services, now: datetime) -> None:
    """The periodic job: sweep every client in one unit of work."""
    async with unit_of_work(services.sessionmaker) as session:
        result = await sweep_clients(session, services.config, now)
    log.info(
        "alerts sweep: %d clients, %d findings, %d new, %d worse, %d resolved, %d pushes",
        result.clients,
        result.findings,
        len(result.created),
        len(result.worsened),
        len(result.resolved),
        result.pushes,
    )


@dataclass(slots=True)
class _Ctx:
    session: AsyncSession
    config: SkillsConfig
    now: datetime
    officers: dict[int, OfficerRow]
    result: SweepResult
    queue: list[dict[str, Any]] = field(default_factory=list)  # enqueue() keyword arguments
    pending: list[Pending] = field(default_factory=list)  # pushes before grouping into digests
    first_ids: set[int] = field(default_factory=set)  # clients assessed for the first time (or just imported)
    seen_ids: list[int] = field(default_factory=list)  # live alerts seen again (last_seen bumped in bulk)
    tier_rows: list[dict[str, Any]] = field(default_factory=list)  # clients whose tier/reason changed (one UPDATE)

    def tz(self, officer: OfficerRow | None) -> str:
        return (officer.timezone if officer else None) or self.config.default_timezone

    def lang(self, officer: OfficerRow) -> str:
        return officer.language or self.config.default_language


async def sweep_clients(
    session: AsyncSession,
    config: SkillsConfig,
    now: datetime,
    client_ids: list[int] | None = None,
    *,
    after_import: bool = False,
) -> SweepResult:
    """Evaluate the rules for ``client_ids`` (all clients when None), upsert alerts, queue pushes, set tiers.

    Pushes are grouped per recipient (:mod:`skills.alerts.digest`): more than ``digest_threshold`` become one
    digest, and alerts on clients seen for the first time (the demo, a new import) or swept right after an
    import (``after_import``) always go into a digest. Runs in the caller's transaction and never commits.
    """
    officers = {o.id: o for o in (await session.scalars(select(OfficerRow))).all()}
    stmt = select(Client).order_by(Client.id)
    if client_ids is not None:
        stmt = stmt.where(Client.id.in_(client_ids))
    clients = list((await session.scalars(stmt)).all())
    ctx = _Ctx(session, config, now, officers, SweepResult(clients=len(clients)))
    if not clients:
        return ctx.result
    pairs = [(c.id, ctx.tz(officers.get(c.officer_id))) for c in clients]
    metrics = await load_metrics(session, pairs, now, full=client_ids is None)

    live_stmt = select(Alert).where(Alert.state.in_(LIVE_STATES))
    if client_ids is not None:
        live_stmt = live_stmt.where(Alert.client_id.in_(client_ids))
    live: dict[str, Alert] = {a.dedup_key: a for a in (await session.scalars(live_stmt)).all()}
    live_by_client: dict[int, dict[str, Alert]] = defaultdict(dict)
    for key, alert in live.items():
        live_by_client[alert.client_id][key] = alert

    new_rows: list[tuple[Client, Alert]] = []
    pushes: list[tuple[Client, Alert, str]] = []  # (client, alert, reason: new | worse | again)
    for client in clients:
        if after_import or not client.tier_reason:
            ctx.first_ids.add(client.id)
        m = metrics.get(client.id)
        findings = evaluate(m, config.alerts) if m is not None else []
        if m is not None and not m.portfolio_known:  # not re-checked in a small sweep: the live ones stand
            findings += [finding_of(a) for a in live_by_client.get(client.id, {}).values() if a.rule == "exposure"]
        ctx.result.by_client[client.id] = findings
        ctx.result.findings += len(findings)
        seen: set[str] = set()
        for f in findings:
            seen.add(f.dedup_key)
            alert = live.get(f.dedup_key)
            if alert is None:
                alert = Alert(
                    client_id=client.id,
                    rule=f.rule,
                    severity=f.severity,
                    dedup_key=f.dedup_key,
                    state="open",
                    figures=f.figures,
                    first_seen=now,
                    last_seen=now,
                    # Every new alert is pushed below (``_push`` records this severity as pushed): set it now,
                    # so the insert carries it instead of a second UPDATE per alert at commit.
                    pushed_severity=f.severity,
                )
                new_rows.append((client, alert))
                continue
            _refresh(ctx, client, alert, f, pushes)
        for key, alert in live_by_client.get(client.id, {}).items():
            if key not in seen:
                alert.state, alert.resolved_at, alert.last_seen = "resolved", now, now
                await cancel_pending(session, f"alert:{alert.id}")
                ctx.result.resolved.append(alert.id)
        if m is not None:
            _tier(ctx, client, m, findings)

    for client, alert in await _insert(session, new_rows):
        ctx.result.created.append(alert.id)
        pushes.append((client, alert, "new"))
    for client, alert, reason in pushes:
        _push(ctx, client, alert, reason)
    ctx.queue.extend(group_pushes(ctx.pending, config.alerts, now, ctx.first_ids, ctx.result))
    for start in range(0, len(ctx.seen_ids), _CHUNK):
        chunk = ctx.seen_ids[start : start + _CHUNK]
        await session.execute(
            update(Alert).where(Alert.id.in_(chunk)).values(last_seen=now).execution_options(synchronize_session=False)
        )
    for start in range(0, len(ctx.tier_rows), _CHUNK):
        await session.execute(update(Client), ctx.tier_rows[start : start + _CHUNK])  # executemany by primary key
    ctx.result.pushes += await _enqueue_all(session, ctx.queue)
    return ctx.result


async def _enqueue_all(session: AsyncSession, queue: list[dict[str, Any]]) -> int:
    """Queue many pushes through the outbox repository; a push whose idempotency key exists is skipped."""
    return await enqueue_many(session, queue)


def _refresh(ctx: _Ctx, client: Client, alert: Alert, f: Finding, pushes: list[tuple[Client, Alert, str]]) -> None:
    """Update a live alert from today's finding; decide whether it must be pushed again."""
    if alert.figures != f.figures:
        alert.figures = f.figures
    if alert.severity != f.severity:
        alert.severity = f.severity
    ctx.seen_ids.append(alert.id)
    if alert.pushed_severity is None or worse(f.severity, alert.pushed_severity):
        if alert.pushed_severity is not None:
            ctx.result.worsened.append(alert.id)
            alert.state, alert.snoozed_until = "open", None  # a worsening wakes an acknowledged/snoozed alert
            alert.worsened_at = ctx.now
        pushes.append((client, alert, "worse" if alert.pushed_severity else "new"))
    elif alert.state == "snoozed" and alert.snoozed_until is not None and alert.snoozed_until <= ctx.now:
        pushes.append((client, alert, "again"))


_ALERT_COLUMNS = (
    "client_id", "rule", "severity", "dedup_key", "state", "figures", "first_seen", "last_seen", "pushed_severity",
)  # fmt: skip


async def _insert(session: AsyncSession, rows: list[tuple[Client, Alert]]) -> list[tuple[Client, Alert]]:
    """Insert new alerts with one executemany, then read their ids back by dedup key (live alerts are unique
    by it); on a lost race with another instance, row by row, skipping duplicates. The returned alerts are
    plain objects carrying their ids."""
    if not rows:
        return []
    values = [{c: getattr(a, c) for c in _ALERT_COLUMNS} for _, a in rows]
    try:
        async with session.begin_nested():
            await session.execute(insert(Alert), values)
        keys = [a.dedup_key for _, a in rows]
        ids: dict[str, int] = {}
        for start in range(0, len(keys), _CHUNK):
            stmt = select(Alert.dedup_key, Alert.id).where(
                Alert.dedup_key.in_(keys[start : start + _CHUNK]), Alert.state.in_(LIVE_STATES)
            )
            ids.update({key: alert_id for key, alert_id in await session.execute(stmt)})
        for _, alert in rows:
            alert.id = ids[alert.dedup_key]
        return rows
    except IntegrityError:
        pass
    kept: list[tuple[Client, Alert]] = []
    for client, alert in rows:
        fresh = Alert(**{c: getattr(alert, c) for c in _ALERT_COLUMNS})
        try:
            async with session.begin_nested():
                session.add(fresh)
        except IntegrityError:  # another instance created this alert a moment ago; it pushes it
            continue
        kept.append((client, fresh))
    return kept


def _push(ctx: _Ctx, client: Client, alert: Alert, reason: str) -> None:
    """Queue the alert push to the client's officer (and their manager for red), honouring quiet hours."""
    finding = finding_of(alert)
    officer = ctx.officers.get(client.officer_id)
    if reason == "again":
        assert alert.snoozed_until is not None
        key = f"alert:{alert.id}:{alert.severity}:snooze:{int(alert.snoozed_until.timestamp())}"
        alert.state, alert.snoozed_until = "open", None
    else:
        key = f"alert:{alert.id}:{alert.severity}"
        alert.pushed_severity = alert.severity
    recipients: list[tuple[OfficerRow, str]] = []
    if officer is not None and officer.active:
        recipients.append((officer, key))
    cfg = ctx.config.alerts
    if alert.severity == "red" and cfg.notify_manager_on_red and officer is not None and officer.manager_id:
        manager = ctx.officers.get(officer.manager_id)
        if manager is not None and manager.active:
            recipients.append((manager, f"{key}:mgr"))
    for recipient, idem in recipients:
        lang = ctx.lang(recipient)
        lines = [finding_text(finding, lang, client.name)]
        if reason == "worse":
            lines.append(f"<i>{t(MESSAGES, 'push.worse', lang)}</i>")
        elif reason == "again":
            lines.append(f"<i>{t(MESSAGES, 'push.again', lang)}</i>")
        if recipient is not officer and officer is not None:
            lines.append(t(MESSAGES, "push.team", lang, officer=esc(officer.name)))
        due = ctx.now
        if not (alert.severity == "red" and cfg.red_overrides_quiet):
            due = push_due_at(ctx.now, ctx.tz(recipient), recipient.quiet_start, recipient.quiet_end)
        ctx.pending.append(
            Pending(
                recipient=recipient,
                lang=lang,
                client_id=client.id,
                severity=alert.severity,
                reason=reason,
                line=finding_text(finding, lang, client.name),
                alert_id=alert.id,
                push={
                    "chat_id": recipient.id,
                    "kind": "alert",
                    "text": "\n".join(lines),
                    "due_at": due,
                    "idempotency_key": idem,
                    "buttons": alert_buttons(alert.id, client.id, lang),
                    "ref": f"alert:{alert.id}",
                },
                quiet_due=push_due_at(ctx.now, ctx.tz(recipient), recipient.quiet_start, recipient.quiet_end),
            )
        )


def _tier(ctx: _Ctx, client: Client, m: ClientMetrics, findings: list[Finding]) -> None:
    """Store the client's tier and reason; push when it changed (not on the very first assessment)."""
    result = assess(m, findings, ctx.config.alerts)
    ctx.result.tiers[client.id] = result
    reason = result.reason_text("en")
    if client.tier == result.tier and client.tier_reason == reason:
        return
    old, first = client.tier, not client.tier_reason
    # Written in bulk at the end of the sweep; the loaded object shows the new values without being flushed.
    ctx.tier_rows.append({"id": client.id, "tier": result.tier, "tier_reason": reason})
    set_committed_value(client, "tier", result.tier)
    set_committed_value(client, "tier_reason", reason)
    if old == result.tier or first:
        return
    ctx.result.tier_changes.append((client.id, old, result.tier))
    ctx.session.add(TierChange(client_id=client.id, old=old, new=result.tier, at=ctx.now))
    officer = ctx.officers.get(client.officer_id)
    if not ctx.config.alerts.push_tier_changes or officer is None or not officer.active:
        return
    lang = ctx.lang(officer)
    text = t(
        MESSAGES,
        "tier.push",
        lang,
        client=esc(client.name),
        tier=t(MESSAGES, f"tier.{result.tier}", lang),
        old=t(MESSAGES, f"tier.{old}", lang) if f"tier.{old}" in MESSAGES else esc(old),
        reason=result.reason_text(lang),
    )
    tz = ctx.tz(officer)
    due = push_due_at(ctx.now, tz, officer.quiet_start, officer.quiet_end)
    ctx.pending.append(
        Pending(
            recipient=officer,
            lang=lang,
            client_id=client.id,
            severity="tier",
            reason="tier",
            line=text,
            alert_id=None,
            push={
                "chat_id": officer.id,
                "kind": "tier",
                "text": text,
                "due_at": due,
                "idempotency_key": f"tier:{client.id}:{result.tier}:{local_date(ctx.now, tz).isoformat()}",
                "buttons": [[Button(t(MESSAGES, "btn.profile", lang), payload("client", "show", client.id))]],
                "ref": f"tier:{client.id}",
            },
            quiet_due=due,
        )
    )
