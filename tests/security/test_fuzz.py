"""Property tests (hypothesis): the parsers never raise anything but their documented input error, and
the router answers anything with sendable Telegram HTML and stores nothing when it refuses.

Examples are derandomised and bounded so the suite is reproducible and quick; async checks run on one
harness per test function (its own event loop), not one per example.
"""

from __future__ import annotations

import asyncio
import contextlib
import string
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skills.portfolio.flags import FlagError, parse_flag
from skills.portfolio.parsing import CellError, parse_amount, parse_bool, parse_date
from skills.quote.logic import QuoteInputError
from skills.quote.parse import parse_text, quote_score
from skills.quote.terms import tenor_days
from skills.reminders.timeparse import has_time_expression, parse_reminder
from skills.settings.skill import parse_quiet
from tests.conftest import OFFICER_ID, make_settings
from tests.fixtures.harness import Clock, ConsoleHarness
from tests.security.checks import assert_sendable, snapshot
from tests.skills.alerts.data import seed

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
ROUTER = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)

digits = st.text(alphabet=string.digits, min_size=1, max_size=30)
units = st.sampled_from(["", "k", "m", "mn", "bn", "万", "亿", "千万", "百万", "w", "e", "e308", "%", "d", "天", "days"])
amounts = st.builds(lambda s, n, f, u: f"{s}{n}{f}{u}", st.sampled_from(["", "-", "负", "¥", "$", "rmb ", "+"]), digits,
                    st.sampled_from(["", ".5", ",000", ".", "..1", "e5"]), units)  # fmt: skip
cn_numerals = st.text(alphabet="零〇一二两三四五六七八九十百千万亿点负", min_size=1, max_size=12)
time_words = st.lists(
    st.sampled_from([
        "remind me", "in", "at", "on", "tomorrow", "next", "every", "friday", "31", "feb", "9999", "years", "days",
        "99999999999", "hours", "10am", "25:61", "noon", "midnight", "working", "明天", "后天", "下周一", "每周五",
        "下午", "3点", "半", "2月30日", "提醒我", "个工作日后", "年后", "1e400", "-5", "0", "pm", "week",
    ]), max_size=8,
).map(" ".join)  # fmt: skip
payloads = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(st.sampled_from(["quote", "client", "alerts", "reminders", "objection", "router", "playbook",
                                        "settings", "help", "show", "ack", "snz", "at", "import", "saveto", "ok", "1d"]),
                       digits, st.text(max_size=6)), max_size=6).map(":".join),
)  # fmt: skip
free_text = st.one_of(st.text(max_size=300), amounts.map(lambda a: f"quote {a} 90d"), time_words, cn_numerals)


# -- pure parsers ------------------------------------------------------------------------------------------


@FUZZ
@given(st.one_of(st.text(max_size=200), amounts, cn_numerals, amounts.map(lambda a: f"报价 {a} 90天 融资比例{a}")))
def test_quote_parser_never_raises(text: str) -> None:
    parsed = parse_text(text, TODAY)
    assert 0.0 <= quote_score(text) <= 1.0
    with contextlib.suppress(QuoteInputError):
        tenor_days(parsed, TODAY)


@FUZZ
@given(st.one_of(st.text(max_size=200), time_words, st.tuples(cn_numerals, st.sampled_from(
    ["天后提醒我", "点提醒我", "个工作日后提醒我", "小时后提醒我", "月后", "周后"])).map("".join)))
def test_reminder_time_parser_never_raises_and_stays_in_range(text: str) -> None:
    has_time_expression(text)
    for command in (False, True):
        parsed = parse_reminder(text, now=NOW, tz="Asia/Shanghai", command=command)
        assert parsed.status in ("ok", "ambiguous", "past", "missing")
        for due in (parsed.due, *parsed.choices):
            assert due is None or due.tzinfo is not None


@FUZZ
@given(st.one_of(st.text(max_size=40), st.from_regex(r"\d{1,3}:\d{1,3}\s*[-~到至–]\s*\d{1,3}:\d{1,3}", fullmatch=True)))
def test_parse_quiet_returns_valid_hours_or_none(text: str) -> None:
    found = parse_quiet(text)
    if found is not None:
        for hhmm in found:
            hours, minutes = hhmm.split(":")
            assert 0 <= int(hours) < 24 and 0 <= int(minutes) < 60


@FUZZ
@given(st.text(max_size=200))
def test_parse_flag_raises_only_flag_error(text: str) -> None:
    try:
        subject, kind, _ = parse_flag(text)
    except FlagError:
        return
    assert subject and kind


cells = st.one_of(st.text(max_size=40), amounts, cn_numerals, st.integers(), st.floats(allow_nan=True),
                  st.decimals(allow_nan=True), st.booleans(), st.none(), st.dates(), st.datetimes())  # fmt: skip


@FUZZ
@given(cells)
def test_ledger_cell_parsers_raise_only_cell_error(value: Any) -> None:
    for parse in (parse_amount, parse_date, parse_bool):
        with contextlib.suppress(CellError):
            parse(value)


@FUZZ
@given(st.text(max_size=200))
def test_objection_recogniser_never_raises(text: str) -> None:
    from skills.objection import SKILL

    recogniser = SKILL._load()  # type: ignore[attr-defined]
    assert recogniser is not None
    found = recogniser.recognise(text)
    assert 0.0 <= found.confidence <= 1.0
    assert 0.0 <= SKILL.score(text, "en") <= 1.0


# -- the router, end to end --------------------------------------------------------------------------------


def _run_with_harness(tmp_path: Path, body: Callable[[ConsoleHarness, Callable[[Awaitable[Any]], Any]], None]) -> None:
    """One harness on its own loop for the whole test function; ``run`` drives one coroutine on it."""
    loop = asyncio.new_event_loop()
    harness = loop.run_until_complete(
        ConsoleHarness.create(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'fuzz.db'}", tmp_path), clock=Clock())
    )
    try:
        loop.run_until_complete(seed(harness, OFFICER_ID, OFFICER_ID + 1))
        body(harness, loop.run_until_complete)
    finally:
        loop.run_until_complete(harness.close())
        loop.close()


def test_router_answers_any_text_with_sendable_html(tmp_path: Path) -> None:
    def body(h: ConsoleHarness, run: Callable[[Awaitable[Any]], Any]) -> None:
        @ROUTER
        @given(free_text)
        def check(text: str) -> None:
            run(h.send("/cancel", user=OFFICER_ID))
            out = run(h.send(text, user=OFFICER_ID))
            if out.replies[0].data.get("error"):
                return  # (stored-nothing on errors is checked per input in test_bad_input)
            assert_sendable(out)

        check()

    _run_with_harness(tmp_path, body)


def test_router_refuses_any_forged_payload_and_stores_nothing(tmp_path: Path) -> None:
    def body(h: ConsoleHarness, run: Callable[[Awaitable[Any]], Any]) -> None:
        @ROUTER
        @given(payloads)
        def check(data: str) -> None:
            before = run(snapshot(h.runtime.services.sessionmaker))
            out = run(h.press(data, user=OFFICER_ID))
            assert_sendable(out)
            if out.replies[0].data.get("error") or out.intent == "expired":
                assert run(snapshot(h.runtime.services.sessionmaker)) == before, data

        check()

    _run_with_harness(tmp_path, body)


def test_router_errors_store_nothing(tmp_path: Path) -> None:
    def body(h: ConsoleHarness, run: Callable[[Awaitable[Any]], Any]) -> None:
        @ROUTER
        @given(st.one_of(amounts.map(lambda a: f"quote {a} 99999d"), amounts.map(lambda a: f"/remind {a} x"),
                         time_words.map(lambda w: f"/reminders cancel {w}"), st.text(max_size=50).map(lambda t: f"/flag {t}")))  # fmt: skip
        def check(text: str) -> None:
            run(h.send("/cancel", user=OFFICER_ID))
            before = run(snapshot(h.runtime.services.sessionmaker))
            out = run(h.send(text, user=OFFICER_ID))
            assert_sendable(out)
            if out.replies[0].data.get("error"):
                assert run(snapshot(h.runtime.services.sessionmaker)) == before, text

        check()

    _run_with_harness(tmp_path, body)
