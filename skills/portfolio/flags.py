"""Credit events by chat: ``/flag <debtor or client> <kind> <note>`` (English or Chinese) and recording them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from skills.contract import Officer
from skills.lazyre import lazy
from skills.portfolio.models import EVENT_KINDS, CreditEvent, Debtor
from skills.portfolio.repository import NameIndex, visible_debtors
from skills.store.clients import find_client_in_text, visible_clients
from skills.store.models import Client

__all__ = ["FlagError", "Subject", "parse_flag", "parse_kind", "record_event", "resolve_subject"]

# Phrase -> kind; the longest phrase at the earliest position wins.
KIND_PHRASES: dict[str, str] = {
    "bankruptcy_rumour": "bankruptcy_rumour",
    "bankruptcy rumour": "bankruptcy_rumour",
    "bankruptcy rumor": "bankruptcy_rumour",
    "bankruptcy": "bankruptcy_rumour",
    "破产传闻": "bankruptcy_rumour",
    "破产传言": "bankruptcy_rumour",
    "破产": "bankruptcy_rumour",
    "negative_disclosure": "negative_disclosure",
    "negative disclosure": "negative_disclosure",
    "negative news": "negative_disclosure",
    "负面信息披露": "negative_disclosure",
    "负面信息": "negative_disclosure",
    "负面披露": "negative_disclosure",
    "负面新闻": "negative_disclosure",
    "lawsuit": "lawsuit",
    "litigation": "lawsuit",
    "sued": "lawsuit",
    "诉讼": "lawsuit",
    "起诉": "lawsuit",
    "被诉": "lawsuit",
    "rating_downgrade": "rating_downgrade",
    "rating downgrade": "rating_downgrade",
    "downgrade": "rating_downgrade",
    "downgraded": "rating_downgrade",
    "评级下调": "rating_downgrade",
    "降级": "rating_downgrade",
    "tax_default": "tax_default",
    "tax default": "tax_default",
    "tax arrears": "tax_default",
    "unpaid tax": "tax_default",
    "欠税": "tax_default",
    "欠税公告": "tax_default",
    "税务违法": "tax_default",
    "enforcement": "enforcement",
    "enforcement list": "enforcement",
    "judgment defaulter": "enforcement",
    "judgement defaulter": "enforcement",
    "dishonest debtor": "enforcement",
    "consumption restriction": "enforcement",
    "失信被执行人": "enforcement",
    "失信": "enforcement",
    "被执行人": "enforcement",
    "限高": "enforcement",
    "限制高消费": "enforcement",
    "equity_freeze": "equity_freeze",
    "equity freeze": "equity_freeze",
    "equity frozen": "equity_freeze",
    "share freeze": "equity_freeze",
    "equity pledge": "equity_freeze",
    "share pledge": "equity_freeze",
    "股权冻结": "equity_freeze",
    "股权出质": "equity_freeze",
    "股权质押": "equity_freeze",
    "registry_abnormal": "registry_abnormal",
    "abnormal registry": "registry_abnormal",
    "abnormal operations": "registry_abnormal",
    "registry status": "registry_abnormal",
    "经营异常": "registry_abnormal",
    "经营异常名录": "registry_abnormal",
    "director_change": "director_change",
    "director change": "director_change",
    "legal representative change": "director_change",
    "change of director": "director_change",
    "法定代表人变更": "director_change",
    "法人变更": "director_change",
    "董事变更": "director_change",
    "高管变更": "director_change",
}


def _phrase_pattern(phrase: str) -> str:
    escaped = re.escape(phrase)
    if any("\u4e00" <= ch <= "\u9fff" for ch in phrase):  # a Chinese phrase (no regex: this runs at import)
        return escaped
    return r"(?<![\w])" + escaped.replace(r"\ ", r"\s+").replace(" ", r"\s+") + r"(?![\w])"


_KIND_RE = lazy("|".join(_phrase_pattern(p) for p in sorted(KIND_PHRASES, key=len, reverse=True)), re.I)


class FlagError(ValueError):
    """A flag that cannot be recorded; ``key`` names the message in ``messages.py``, ``value`` the input."""

    def __init__(self, key: str, value: str = "", names: str = "") -> None:
        super().__init__(key, value)
        self.key = key
        self.value = value
        self.names = names


def parse_kind(text: str) -> str:
    """The event kind for an English or Chinese phrase.

    >>> parse_kind("Rating Downgrade"), parse_kind("诉讼")
    ('rating_downgrade', 'lawsuit')
    """
    key = re.sub(r"\s+", " ", text.strip().lower())
    if key in KIND_PHRASES:
        return KIND_PHRASES[key]
    raise FlagError("bad_kind", text)


def parse_flag(args: str) -> tuple[str, str, str]:
    """Split ``/flag`` arguments into (subject text, kind, note).

    >>> parse_flag("Sinoway Auto bankruptcy rumour heard from two suppliers")
    ('Sinoway Auto', 'bankruptcy_rumour', 'heard from two suppliers')
    >>> parse_flag("华东纺织 诉讼：被供应商起诉")
    ('华东纺织', 'lawsuit', '被供应商起诉')
    """
    match = _KIND_RE.search(args)
    if match is None:
        raise FlagError("flag_usage", args)
    subject = args[: match.start()].strip(" \t:：,，-—")
    note = args[match.end() :].strip(" \t:：,，-—")
    if not subject:
        raise FlagError("flag_usage", args)
    return subject, KIND_PHRASES[re.sub(r"\s+", " ", match.group(0).lower())], note


@dataclass(frozen=True, slots=True)
class Subject:
    """What an event is about: a client or a debtor."""

    client: Client | None = None
    debtor: Debtor | None = None

    @property
    def name(self) -> str:
        return self.client.name if self.client else self.debtor.name if self.debtor else ""


async def resolve_subject(session: AsyncSession, officer: Officer, text: str) -> Subject:
    """Find the visible client or debtor named ``text`` (name or alias; exact first, then mentioned)."""
    clients = await visible_clients(session, officer)
    debtors = await visible_debtors(session, officer)
    hits: list[Subject] = [Subject(client=c) for c in NameIndex.of_clients(clients).get(text)]
    hits += [Subject(debtor=d) for d in NameIndex.of_debtors(debtors).get(text)]
    if not hits:
        client = await find_client_in_text(session, officer, text)
        if client is not None:
            hits.append(Subject(client=client))
        lowered = text.lower()
        hits += [
            Subject(debtor=d)
            for d in debtors
            if any(n and n.lower() in lowered for n in [d.name, *(d.aliases or [])] if len(n) >= 2)
        ]
    if not hits:
        raise FlagError("unknown_subject", text)
    if len(hits) > 1:
        raise FlagError("ambiguous_subject", text, names=", ".join(h.name for h in hits[:5]))
    return hits[0]


async def record_event(
    session: AsyncSession,
    officer: Officer,
    subject_text: str,
    kind: str,
    note: str,
    today: date,
    *,
    now: datetime | None = None,
) -> CreditEvent:
    """Record a credit event on a visible client or debtor, dated ``today``; raises :class:`FlagError`."""
    kind = kind if kind in EVENT_KINDS else parse_kind(kind)
    subject = await resolve_subject(session, officer, subject_text)
    event = CreditEvent(
        client_id=subject.client.id if subject.client else None,
        debtor_id=subject.debtor.id if subject.debtor else None,
        kind=kind,
        on=today,
        note=note.strip()[:2000],
        created_by=officer.id,
    )
    if now is not None:
        event.created_at = now
    session.add(event)
    await session.flush()
    return event
