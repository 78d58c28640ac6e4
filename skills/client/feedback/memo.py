"""Post-call memos: "call with Acme: they want 85% advance, send revised quote Friday" goes on Acme's timeline,
the follow-up is proposed as a one-tap reminder, and a revised quote is priced when the memo names terms.

The reminder comes from the reminders skill's public parser and ``create_reminder``; the quote from the quote
skill's parser, ``resolve``/``terms_from_dict``, ``price_terms`` and ``add_quote`` — so the figures and the
times are those skills' own.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from skills.client.feedback.messages import MESSAGES
from skills.client.feedback.models import ClientNote
from skills.contract import Button, Reply, Request, Services, SkillError, payload
from skills.fmt import esc, local_time, number, percent
from skills.i18n import detect_lang, t
from skills.quote.api import (
    QuoteInputError,
    add_quote,
    bounds_from,
    last_quotes,
    parse_text,
    price_terms,
    resolve,
    terms_from_dict,
)
from skills.reminders.api import create_reminder, has_time_expression, parse_reminder
from skills.store.clients import find_client_in_text
from skills.store.models import Client

__all__ = ["memo_body", "memo_score", "save_memo", "set_memo_reminder"]

_MEMO = (
    re.compile(
        r"^\s*(?:after\s+(?:the|my)\s+)?(?:(?:phone\s+|video\s+)?call|meeting|met|spoke|talked|chat(?:ted)?|visit(?:ed)?|"
        r"lunch|dinner|call\s+notes?)\s+(?:with|to|at)\s+[^:：—–]{1,60}?\s*[:：—–]\s*(?P<body>\S.*)$",
        re.I | re.S,
    ),
    re.compile(
        r"^\s*(?:memo|note|call\s+notes?|meeting\s+notes?)\s*(?:on|for|about|re)?\s*[^:：]{0,60}[:：]\s*(?P<body>\S.*)$",
        re.I | re.S,
    ),
    re.compile(
        r"^\s*(?:刚才|今天|刚刚)?(?:和|跟|与)[^：:，,]{1,30}?(?:通话|通了电话|打了电话|电话沟通|开会|开了会|会面|见面|面谈|沟通|聊)了?"
        r"(?:一下)?\s*[：:，,]\s*(?P<body>\S.*)$",
        re.S,
    ),
    re.compile(
        r"^\s*(?:通话记录|会议纪要|拜访记录|沟通记录|备忘|纪要|拜访)[^：:，,]{0,30}[：:，,]\s*(?P<body>\S.*)$", re.S
    ),
)
_CLAUSE = re.compile(r"[;；。\n]|,\s*|，|\band\s+then\b|\bthen\b|然后|并且|另外")


def memo_body(text: str) -> str | None:
    """What was agreed, when ``text`` is a post-call memo; None otherwise.

    >>> memo_body("call with Acme: they want 85% advance, send revised quote Friday")
    'they want 85% advance, send revised quote Friday'
    >>> memo_body("和华东纺织通话：希望融资比例提高到85%，周五前发新报价")
    '希望融资比例提高到85%，周五前发新报价'
    >>> memo_body("remind me to call Acme on Friday") is None, memo_body("Acme says the rate is too high") is None
    (True, True)
    """
    for pattern in _MEMO:
        m = pattern.match(text)
        if m:
            return m.group("body").strip()
    return None


def memo_score(text: str) -> float:
    """The client skill's evidence that free text is a post-call memo (a call/meeting with someone, then a colon)."""
    return 1.0 if memo_body(text) is not None else 0.0  # the memo's shape ("call with X: …") is unmistakable


def _follow_up(body: str, request: Request, services: Services) -> dict[str, Any] | None:
    """The first clause of the memo that carries a time, read by the reminders skill: due (UTC) and task."""
    country = services.config.holiday_country
    for clause in (c.strip() for c in _CLAUSE.split(body)):
        if not clause or not has_time_expression(clause):
            continue
        parsed = parse_reminder(clause, now=request.now, tz=request.officer.timezone, country=country)
        if parsed.ok and parsed.due is not None:
            return {"due_at": parsed.due.astimezone(request.now.tzinfo).isoformat(), "task": parsed.task or clause,
                    "clause": clause, "recurrence": parsed.recurrence}  # fmt: skip
    return None


async def _proposed_quote(request: Request, services: Services, client: Client, body: str) -> dict[str, Any] | None:
    """A revised quote when the memo names deal terms: from its own amount and tenor, else the last saved quote."""
    cfg = services.config.quote
    today = request.now.astimezone(ZoneInfo(request.officer.timezone)).date()
    p = parse_text(body, today)
    changes = {k: v for k, v in (("advance_rate", p.advance_rate), ("annual_rate", p.annual_rate),
                                  ("discount_rate", p.discount_rate), ("basis", p.basis), ("fee_rate", p.fee_rate))
               if v is not None}  # fmt: skip
    try:
        if p.amount is not None and (p.tenor_days is not None or p.due_date is not None):
            res = resolve(p, cfg, today=today, tier=client.tier, client_first_deal=client.deals_count == 0,
                          client_currency=client.currency)  # fmt: skip
            terms, source = res.terms, "memo"
        elif changes:
            last = await last_quotes(request.db, client.id, 1)
            if not last:
                return {"source": None, "changes": {k: str(v) for k, v in changes.items()}}
            terms, source = terms_from_dict(dict(last[0].inputs)), "last_quote"
            if "discount_rate" in changes:
                changes["annual_rate"] = None
            elif "annual_rate" in changes:
                changes["discount_rate"] = None
            terms = dataclasses.replace(terms, **changes)
        else:
            return None
        result = price_terms(terms, bounds_from(cfg))
    except (QuoteInputError, ValueError, ArithmeticError):
        return None
    row = await add_quote(request.db, result, officer_id=request.officer.id, client_id=client.id, lang=request.lang,
                          assumed=[], tier=client.tier, now=request.now, inputs=result.terms.as_dict())  # fmt: skip
    return {"source": source, "quote_id": row.id, "changes": {k: str(v) for k, v in changes.items() if v is not None},
            "face_value": str(result.terms.face_value), "tenor_days": result.terms.tenor_days,
            "advance_rate": str(result.terms.advance_rate), "advance": str(result.advance),
            "total_cost": str(result.total_cost), "net_at_funding": str(result.net_at_funding),
            "currency": result.terms.currency}  # fmt: skip


async def save_memo(request: Request, services: Services, text: str) -> Reply:
    """Store the memo on the client's timeline; propose the follow-up reminder and the revised quote."""
    lang = detect_lang(text, request.lang)
    body = memo_body(text) or text
    client = await find_client_in_text(request.db, request.officer, text)
    if client is None:
        raise SkillError(t(MESSAGES, "memo_which_client", lang), data={"memo": None, "not_found": True})
    follow = _follow_up(body, request, services)
    quote = await _proposed_quote(request, services, client, body)
    note = ClientNote(client_id=client.id, officer_id=request.officer.id, kind="memo", text=text[:4000],
                      data={"body": body, "follow_up": follow, "quote": quote}, created_at=request.now)  # fmt: skip
    request.db.add(note)
    await request.db.flush()
    lines = [t(MESSAGES, "memo_saved", lang, client=esc(client.name), body=esc(body[:600]))]
    buttons: list[list[Button]] = []
    if follow is not None:
        when = local_time(datetime.fromisoformat(follow["due_at"]), request.officer.timezone, lang)
        lines.append(t(MESSAGES, "memo_follow_up", lang, task=esc(follow["task"]), when=when))
        buttons.append([Button(t(MESSAGES, "btn.memo_remind", lang, when=when)[:60],
                               payload("client", "memorem", note.id))])  # fmt: skip
    if quote is not None and quote.get("quote_id"):
        cur = quote["currency"]
        lines.append(t(MESSAGES, "memo_quote", lang, face=number(_dec(quote["face_value"]), lang, places=0),
                       days=quote["tenor_days"], advance_rate=percent(_dec(quote["advance_rate"]), lang, places=0),
                       advance=number(_dec(quote["advance"]), lang), cost=number(_dec(quote["total_cost"]), lang),
                       net=number(_dec(quote["net_at_funding"]), lang), cur=cur))  # fmt: skip
        buttons.append([Button(t(MESSAGES, "btn.memo_quote_save", lang), payload("quote", "save", quote["quote_id"])),
                        Button(t(MESSAGES, "btn.memo_quote_compare", lang),
                               payload("quote", "compare", quote["quote_id"]))])  # fmt: skip
    elif quote is not None:
        lines.append(
            t(MESSAGES, "memo_terms", lang, terms=esc(", ".join(f"{k} {v}" for k, v in quote["changes"].items())))
        )
    buttons.append([Button(t(MESSAGES, "btn.memo_profile", lang), payload("client", "show", client.id))])
    return Reply(text="\n".join(lines), buttons=buttons, intent="memo", client_id=client.id,
                 data={"memo_id": note.id, "client_id": client.id, "client": client.name, "body": body,
                       "follow_up": follow, "quote": quote})  # fmt: skip


def _dec(value: str) -> Decimal:
    return Decimal(value)


async def set_memo_reminder(request: Request, args: list[str]) -> Reply:
    """``client:memorem:<memo id>``: one tap sets the proposed follow-up (once)."""
    lang = request.lang
    try:
        note = await request.db.get(ClientNote, int(args[0])) if 0 < int(args[0]) < 2**31 else None
    except (IndexError, ValueError):
        note = None
    if note is None or note.officer_id != request.officer.id or not (note.data or {}).get("follow_up"):
        raise SkillError(t(MESSAGES, "not_found", lang), data={"refused": True})
    data = dict(note.data)
    follow = data["follow_up"]
    client = await request.db.get(Client, note.client_id)
    due = datetime.fromisoformat(follow["due_at"])
    when = local_time(due, request.officer.timezone, lang)
    if data.get("reminder_id"):
        return Reply(text=t(MESSAGES, "memo_reminder_already", lang, when=when),
                     data={"reminder_id": data["reminder_id"], "memo_id": note.id, "created": False})  # fmt: skip
    name = client.name if client is not None else ""
    reminder_id = await create_reminder(
        request.db, officer_id=request.officer.id, text=f"{follow['task']} — {name}" if name else follow["task"],
        due_at=due, client_id=note.client_id, source="memo", tz=request.officer.timezone, lang=lang, now=request.now,
        recurrence=follow.get("recurrence"),
    )  # fmt: skip
    data["reminder_id"] = reminder_id
    note.data = data
    await request.db.flush()
    return Reply(text=t(MESSAGES, "memo_reminder_set", lang, task=esc(follow["task"]), when=when),
                 data={"reminder_id": reminder_id, "memo_id": note.id, "due_at": due.isoformat(), "created": True},
                 intent="memo_reminder")  # fmt: skip
