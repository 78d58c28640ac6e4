"""Grouping a sweep's pushes per officer: a few single pushes, or one digest instead of a flood.

Policy (thresholds in :class:`~skills.alerts.config.AlertsConfig`):

- an officer who would get at most ``digest_threshold`` pushes from a sweep gets them one by one;
- more than that, or two or more pushes when any is about a client seen for the first time (the demo, a
  new import) or swept right after an import, and the officer gets **one digest**: counts by severity, the top reds with their figures,
  tier changes, and buttons (acknowledge/snooze the top reds, acknowledge all, all alerts, by client);
- with a digest, a red that is new or worse is still pushed on its own when ``digest_keep_red_pushes`` is
  set — except on first sight/after an import (always a digest alone), and never more than
  ``digest_threshold`` of them (the rest go into the digest).

Pure: no I/O. Each digest has the idempotency key ``digest:<officer>:<sweep time>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from skills.alerts.config import AlertsConfig
from skills.alerts.messages import MESSAGES
from skills.contract import Button, payload
from skills.i18n import t

if TYPE_CHECKING:
    from skills.store.models import Officer as OfficerRow

__all__ = ["Pending", "digest_buttons", "group_pushes"]


@dataclass(slots=True)
class Pending:
    """One push a sweep wants to send, before grouping: the enqueue arguments plus what a digest needs."""

    recipient: OfficerRow
    lang: str
    client_id: int
    severity: str  # red | yellow | tier
    reason: str  # new | worse | again | tier
    line: str  # the one-line card (HTML)
    alert_id: int | None
    push: dict[str, Any]  # skills.store.outbox.enqueue keyword arguments
    quiet_due: datetime  # when it may go out if quiet hours apply


def digest_buttons(top_red_ids: list[int], stamp: int, lang: str) -> list[list[Button]]:
    """✅/💤 per listed red, then Acknowledge all · All alerts · By client."""
    rows = [
        [
            Button(f"✅ {i}", payload("alerts", "ack", alert_id)),
            Button(f"💤 {i}", payload("alerts", "snooze", alert_id, "1d")),
        ]
        for i, alert_id in enumerate(top_red_ids, start=1)
    ]
    rows.append([Button(t(MESSAGES, "btn.ack_all", lang), payload("alerts", "ackall", stamp))])
    rows.append(
        [
            Button(t(MESSAGES, "btn.all_alerts", lang), payload("alerts", "all")),
            Button(t(MESSAGES, "btn.by_client", lang), payload("alerts", "clients")),
        ]
    )
    return rows


def _split(items: list[Pending], config: AlertsConfig, first_ids: set[int]) -> tuple[list[Pending], list[Pending]]:
    """(single pushes, digest items) for one recipient."""
    forced = [p for p in items if p.client_id in first_ids]
    if len(items) <= 1 or (not forced and len(items) <= config.digest_threshold):
        return items, []  # one push is its own card (with its own buttons), never a digest of one
    singles: list[Pending] = []
    digest: list[Pending] = []
    for p in items:
        keep = (
            config.digest_keep_red_pushes
            and p.client_id not in first_ids
            and p.severity == "red"
            and p.reason in ("new", "worse")
            and len(singles) < config.digest_threshold
        )
        (singles if keep else digest).append(p)
    return singles, digest


def _spread(items: list[Pending]) -> list[Pending]:
    """Round-robin over clients, so the top of a digest shows several clients rather than one client thrice."""
    per_client: dict[int, list[Pending]] = {}
    for p in items:
        per_client.setdefault(p.client_id, []).append(p)
    out: list[Pending] = []
    while per_client:
        for cid in list(per_client):
            out.append(per_client[cid].pop(0))
            if not per_client[cid]:
                del per_client[cid]
    return out


def _digest_text(items: list[Pending], config: AlertsConfig, lang: str) -> tuple[str, list[int]]:
    alerts = [p for p in items if p.alert_id is not None]
    red = [p for p in alerts if p.severity == "red"]
    yellow = len(alerts) - len(red)
    clients = len({p.client_id for p in alerts})
    lines = [t(MESSAGES, "digest.title", lang, red=len(red), yellow=yellow, clients=clients)]
    top = _spread(red)[: config.digest_top_reds]
    if not top:  # no reds: the yellows are the news
        top = _spread(alerts)[: config.digest_top_reds]
    if top:
        lines.append(t(MESSAGES, "digest.top" if red else "digest.top_yellow", lang))
        lines += [f"{i}. {p.line}" for i, p in enumerate(top, start=1)]
    rest = len(alerts) - len(top)
    if rest > 0:
        lines.append(t(MESSAGES, "digest.more", lang, n=rest))
    tiers = [p for p in items if p.alert_id is None]
    if tiers:
        lines.append(t(MESSAGES, "digest.tiers", lang, n=len(tiers)))
    lines.append(t(MESSAGES, "digest.hint", lang))
    return "\n".join(lines), [p.alert_id for p in top if p.alert_id is not None]


def group_pushes(
    pending: list[Pending], config: AlertsConfig, now: datetime, first_ids: set[int], result: Any = None
) -> list[dict[str, Any]]:
    """The enqueue arguments for this sweep: single pushes and at most one digest per recipient."""
    by_recipient: dict[int, list[Pending]] = {}
    for p in pending:
        by_recipient.setdefault(p.recipient.id, []).append(p)
    out: list[dict[str, Any]] = []
    stamp = int(now.timestamp()) + 1  # whole seconds, not before this sweep (Acknowledge all)
    for recipient_id, items in by_recipient.items():
        singles, digest = _split(items, config, first_ids)
        out += [p.push for p in singles]
        if not digest:
            continue
        lang = digest[0].lang
        text, top_ids = _digest_text(digest, config, lang)
        urgent = config.red_overrides_quiet and any(p.severity == "red" for p in digest)
        out.append(
            {
                "chat_id": recipient_id,
                "kind": "digest",
                "text": text,
                "due_at": now if urgent else digest[0].quiet_due,
                "idempotency_key": f"digest:{recipient_id}:{stamp}",
                "buttons": digest_buttons(top_ids, stamp, lang),
                "ref": "digest",
            }
        )
        if result is not None:
            result.digests += 1
    return out
