"""What every reply must be, whatever was sent: Telegram HTML we can send, and a database left as it was.

``telegram_html_problems`` is a small validator over ``html.parser``: only the tags Telegram accepts in
our subset (b, i, u, s, code, pre, a with an href), properly nested and closed, and no bare ``<`` or
``&`` in text. ``snapshot`` fingerprints the stored tables so a test can assert "nothing changed".
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.router import Outcome
from bot.telegram_app import MAX_MESSAGE, _chunks
from skills.contract import MAX_PAYLOAD_BYTES, Reply
from skills.store.base import Base

__all__ = ["assert_sendable", "snapshot", "telegram_html_problems"]

ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a"}
_ENTITIES = {"lt", "gt", "amp", "quot"}
_BARE = re.compile(r"[<&]")
# Router state, not stored business data: a clarify question or a cancelled flow may touch it.
VOLATILE_TABLES = {"conversations"}


class _Validator(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
            return
        names = [name for name, _ in attrs]
        if tag == "a" and (names != ["href"] or not attrs[0][1]):
            self.problems.append(f"<a> needs exactly one href, got {attrs}")
        elif tag != "a" and names:
            self.problems.append(f"<{tag}> takes no attributes, got {attrs}")
        if tag in ("code", "pre") and self.stack and self.stack[-1] in ("code", "pre") and tag == "pre":
            self.problems.append("<pre> inside <code>/<pre>")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/> is not Telegram HTML")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> does not close {self.stack[-1] if self.stack else 'anything'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if _BARE.search(data):
            self.problems.append(f"bare < or & in text: {data[:40]!r}")

    def handle_entityref(self, name: str) -> None:
        if name not in _ENTITIES:
            self.problems.append(f"entity &{name}; is not supported by Telegram")

    def handle_charref(self, name: str) -> None:
        return None

    def handle_comment(self, data: str) -> None:
        self.problems.append("HTML comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("unknown declaration")


def telegram_html_problems(text: str) -> list[str]:
    """What Telegram's HTML parse mode would reject (or render as markup the sender did not mean)."""
    validator = _Validator()
    validator.feed(text)
    validator.close()
    if validator.rawdata:  # html.parser keeps an unfinished "<..." back instead of reporting it
        validator.problems.append(f"unfinished markup: {validator.rawdata[:40]!r}")
    if validator.stack:
        validator.problems.append(f"unclosed tags: {validator.stack}")
    return validator.problems


def assert_sendable(outcome: Outcome | list[Reply]) -> None:
    """Every reply is valid Telegram HTML, each message the adapter sends fits 4096 characters, buttons fit."""
    replies = outcome.replies if isinstance(outcome, Outcome) else outcome
    assert replies, "every update gets an answer"
    for reply in replies:
        assert reply.text.strip(), "an empty message cannot be sent"
        problems = telegram_html_problems(reply.text)
        assert not problems, f"{problems} in {reply.text[:300]!r}"
        for part in _chunks(reply.text):
            assert len(part) <= MAX_MESSAGE
            assert not telegram_html_problems(part), f"splitting broke the HTML: {part[:200]!r}"
        for row in reply.buttons:
            for button in row:
                assert button.url or 0 < len(button.payload.encode()) <= MAX_PAYLOAD_BYTES
                assert button.label.strip() and len(button.label) <= 64


async def snapshot(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    """Row count and content hash of every stored table (router conversation state aside)."""
    out: dict[str, str] = {}
    async with sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in VOLATILE_TABLES:
                continue
            exists = await session.run_sync(lambda s, n=table.name: s.bind.dialect.has_table(s.connection(), n))
            if not exists:
                continue
            rows = (await session.execute(select(table).order_by(*table.primary_key.columns))).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()[:16]
            out[table.name] = f"{len(rows)}:{digest}"
    return out


async def count(sessionmaker: async_sessionmaker[AsyncSession], table: str) -> int:
    async with sessionmaker() as session:
        return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())
