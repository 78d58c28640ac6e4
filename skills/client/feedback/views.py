"""/feedback and the client card's feedback button: store what the client said, ask for a score when missing,
and the card's feedback section with the trend and a yellow signal when satisfaction falls."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from skills.client.feedback import repository as repo
from skills.client.feedback.api import Satisfaction, satisfaction
from skills.client.feedback.messages import MESSAGES
from skills.client.feedback.models import ClientFeedback
from skills.client.feedback.parse import parse_feedback
from skills.contract import Button, Officer, Reply, Request, SkillError, payload
from skills.fmt import esc, local_time
from skills.i18n import detect_lang, t
from skills.store.clients import client_names, find_client_in_text
from skills.store.models import Client

__all__ = ["ask_for_feedback", "feedback_command", "feedback_reply", "profile_section", "score_button"]


def _stars(n: int) -> str:
    return "★" * n + "☆" * (5 - n)


def _lang(request: Request, text: str) -> str:
    return detect_lang(text, request.lang) if text.strip() else request.lang


def _without_name(text: str, client: Client) -> str:
    """The remarks: the text with the client's name (or alias) taken out."""
    for name in client_names(client):
        pattern = re.compile(re.escape(name), re.I)
        if pattern.search(text):
            text = pattern.sub("", text, count=1)
            break
    return " ".join(text.split()).strip(" ,，;；:：-—")


def _visible(officer: Officer, client: Client | None) -> bool:
    visible = officer.visible_officer_ids()
    return client is not None and (visible is None or client.officer_id in visible)


async def feedback_command(request: Request) -> Reply:
    """``/feedback <client> <text>``: store it; ask for the score with 1–5 buttons when the text gives none."""
    args = request.args.strip()
    lang = _lang(request, args)
    if not args:
        return Reply(text=t(MESSAGES, "usage", lang), intent="feedback_usage", data={"feedback_id": None})
    client = await find_client_in_text(request.db, request.officer, args)
    if client is None:
        raise SkillError(t(MESSAGES, "which_client", lang, text=esc(args[:80]), usage=t(MESSAGES, "usage", lang)),
                         data={"feedback_id": None, "not_found": True})  # fmt: skip
    return await feedback_reply(request, client, _without_name(args, client), lang)


async def feedback_reply(request: Request, client: Client, text: str, lang: str) -> Reply:
    """Store ``text`` as ``client``'s feedback and answer with the trend (or the 1–5 question)."""
    if not text.strip():
        return Reply(text=t(MESSAGES, "empty", lang), state=request.state, intent="feedback_ask")
    parsed = parse_feedback(text)
    row = await repo.add_feedback(request.db, client_id=client.id, officer_id=request.officer.id, score=parsed.score,
                                  remarks=parsed.remarks, lang=lang, now=request.now)  # fmt: skip
    if parsed.score is None:
        buttons = [[Button(str(n), payload("client", "fb", row.id, n)) for n in range(1, 6)]]
        return Reply(text=t(MESSAGES, "ask_score", lang, client=esc(client.name)), buttons=buttons,
                     data=_data(row, client, None), intent="feedback_score", client_id=client.id, state=Reply.END)  # fmt: skip
    return await _saved(request, row, client, lang)


async def _saved(request: Request, row: ClientFeedback, client: Client, lang: str) -> Reply:
    sat = await satisfaction(request.db, client.id)
    score = (
        t(MESSAGES, "score", lang, stars=_stars(row.score), n=row.score) if row.score else t(MESSAGES, "no_score", lang)
    )
    remarks = f" — {esc(row.remarks[:300])}" if row.remarks else ""
    lines = [t(MESSAGES, "saved", lang, client=esc(client.name), score=score, remarks=remarks)]
    lines += _trend_lines(sat, lang)
    return Reply(text="\n".join(lines), data=_data(row, client, sat), intent="feedback_saved", client_id=client.id,
                 state=Reply.END)  # fmt: skip


def _data(row: ClientFeedback, client: Client, sat: Satisfaction | None) -> dict[str, Any]:
    return {"feedback_id": row.id, "client_id": client.id, "client": client.name, "score": row.score,
            "remarks": row.remarks, "satisfaction": sat.as_dict() if sat is not None else None,
            "signal": "yellow" if sat is not None and sat.falling else None}  # fmt: skip


def _fmt(x: float, lang: str) -> str:
    return f"{x:.1f}"


def _trend_lines(sat: Satisfaction, lang: str) -> list[str]:
    if sat.recent is None:
        return []
    if sat.previous is None:
        return [t(MESSAGES, "trend_first", lang, recent=_fmt(sat.recent, lang))]
    arrow = "↘" if sat.recent < sat.previous else "↗" if sat.recent > sat.previous else "→"
    lines = [t(MESSAGES, "trend", lang, recent=_fmt(sat.recent, lang), k=min(3, len(sat.scores)), arrow=arrow,
               previous=_fmt(sat.previous, lang))]  # fmt: skip
    if sat.falling:
        lines.append(t(MESSAGES, "falling", lang, history=" → ".join(str(s) for s in sat.scores[-5:])))
    return lines


async def score_button(request: Request, args: list[str]) -> Reply:
    """``client:fb:<feedback id>:<1-5>``: the officer picked the score the text did not give."""
    lang = request.lang
    try:
        row_id, score = int(args[0]), int(args[1])
    except (IndexError, ValueError):
        raise SkillError(t(MESSAGES, "not_found", lang)) from None
    row = await request.db.get(ClientFeedback, row_id) if 0 < row_id < 2**31 else None
    client = await request.db.get(Client, row.client_id) if row is not None else None
    if row is None or not 1 <= score <= 5 or not _visible(request.officer, client):
        raise SkillError(t(MESSAGES, "not_found", lang), data={"refused": True})
    assert client is not None
    row.score = score
    await request.db.flush()
    return await _saved(request, row, client, row.lang if row.lang in ("en", "zh") else lang)


async def ask_for_feedback(request: Request, client: Client) -> Reply:
    """The client card's button: ask what the client said; the next message is stored as their feedback."""
    lang = request.lang
    return Reply(text=t(MESSAGES, "ask_text", lang, client=esc(client.name)), intent="feedback_ask",
                 state={"feedback_for": client.id}, data={"client_id": client.id, "awaiting": "feedback"})  # fmt: skip


async def profile_section(
    session: AsyncSession, officer: Officer, client: Client, now: datetime
) -> tuple[list[str], dict[str, Any]]:
    """Lines for the client card (satisfaction, trend, the yellow signal, the last remark) and their data."""
    lang = officer.language
    rows = await repo.history(session, client.id)
    if not rows:
        return [], {"count": 0}
    sat = await satisfaction(session, client.id)
    summary = " · ".join(_trend_lines(sat, lang)[:1]) or t(MESSAGES, "no_score", lang)
    lines = [t(MESSAGES, "section", lang, summary=summary)]
    if sat.falling:
        lines.append(t(MESSAGES, "falling", lang, history=" → ".join(str(s) for s in sat.scores[-5:])))
    last = rows[-1]
    if last.remarks:
        when = local_time(last.created_at, officer.timezone, lang)
        lines.append(t(MESSAGES, "section_last", lang, when=when, remarks=esc(last.remarks[:160])))
    data = {"count": len(rows), **sat.as_dict(), "signal": "yellow" if sat.falling else None,
            "last": {"id": last.id, "score": last.score, "remarks": last.remarks, "at": last.created_at.isoformat()}}  # fmt: skip
    return lines, data
