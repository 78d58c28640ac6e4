"""A command answers without paying for what it does not use: Alembic when the database is current,
aiohttp without a voice note, the reminder parser's hundred patterns without a reminder, the holiday, lunar
and number-formatting libraries without a date or an amount to show, the skills' big patterns without a
message to score, httpx's command-line client ever."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

import bot.runtime
from bot.runtime import Runtime
from knowledge.lazy import LazyRetriever
from skills.store.migrate import MIGRATIONS, alembic_config, at_heads, head_revisions
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_heads_read_from_the_scripts_are_alembics_heads() -> None:
    expected = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert head_revisions() == frozenset(expected)
    assert head_revisions(MIGRATIONS / "versions") == frozenset(expected)


def test_heads_of_a_branching_and_merging_history(tmp_path: Path) -> None:
    scripts = {
        "a.py": 'revision = "a"\ndown_revision = None\n',
        "b.py": 'revision = "b"\ndown_revision = "a"\n',
        "c.py": 'revision: str = "c"\ndown_revision: str | None = "a"\n',
        "d.py": 'revision = "d"\ndown_revision = "c"\n',
        "e.py": 'revision = "e"\ndown_revision = ("b", "x")\n',  # a merge
        "x.py": 'revision = "x"\ndown_revision = "a"\n',
    }
    for name, body in scripts.items():
        (tmp_path / name).write_text(body)
    assert head_revisions(tmp_path) == frozenset({"d", "e"})
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.py").write_text("revision = make_id()\n")  # not a literal: refuse rather than guess
    with pytest.raises(ValueError):
        head_revisions(bad)


async def test_a_new_database_is_migrated_and_a_current_one_is_not_handed_to_alembic(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(database_url, tmp_path)
    calls: list[str] = []
    real_upgrade = bot.runtime.upgrade

    def counting_upgrade(url: str, revision: str = "heads") -> None:
        calls.append(url)
        real_upgrade(url, revision)

    monkeypatch.setattr(bot.runtime, "upgrade", counting_upgrade)
    runtime = await Runtime.create(settings, retriever=False, warm_up="skip")
    try:
        assert calls == [database_url]  # a new database: migrated
        assert await at_heads(runtime.engine)
    finally:
        await runtime.close()
    runtime = await Runtime.create(settings, retriever=False, warm_up="skip")
    await runtime.close()
    assert calls == [database_url]  # already current: Alembic never ran


# Libraries /help has no use for, each imported by the function that needs it (see the commits that deferred
# them): a reminder's working days and festivals, recurrences, ledger dates, Traditional Chinese, money and
# times (Babel), objection scoring (numpy), httpx's CLI (rich, click, pygments); on SQLite, SQLAlchemy's
# PostgreSQL dialect.
DEFERRED = ("alembic", "aiohttp", "numpy", "holidays", "chinese_calendar", "lunar_python", "opencc", "babel", "yaml",
            "dateutil.easter", "dateutil.rrule", "dateutil.parser", "rich", "click", "pygments",
            "sqlalchemy.dialects.postgresql")  # fmt: skip


def test_ask_help_loads_no_library_it_does_not_use_and_compiles_no_lazy_pattern(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "CHROMA_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'fm.db'}", CHROMA_PATH=str(tmp_path / "chroma"))
    probe = textwrap.dedent(
        """
        import gc, io, json, sys
        from contextlib import redirect_stdout
        from bot.cli import main
        for _ in range(2):  # the first run migrates the new database; the second is the usual start
            out = io.StringIO()
            with redirect_stdout(out):
                main(["ask", "--json", "/help"])
        from skills.lazyre import LazyPattern
        from skills.reminders.timeparse import TABLE
        lazy = [o for o in gc.get_objects() if isinstance(o, LazyPattern)]
        print(json.dumps({
            "skill": json.loads(out.getvalue())["skill"],
            "loaded": sorted(name for name in DEFERRED if name in sys.modules),
            "compiled": sum(rule.pattern._compiled is not None for rule in TABLE),
            "lazy": len(lazy) > 150,
            "lazy compiled": [p.pattern[:60] for p in lazy if p._compiled is not None],
        }))
        """
    )
    probe = f"DEFERRED = {DEFERRED!r}\n{probe}"
    first = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    )
    assert json.loads(first.stdout.splitlines()[-1])["skill"] == "help"
    second = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    )
    seen = json.loads(second.stdout.splitlines()[-1])
    assert seen == {"skill": "help", "loaded": [], "compiled": 0, "lazy": True, "lazy compiled": []}


def test_a_reminder_still_compiles_and_reads_its_time() -> None:
    from skills.reminders.timeparse import TABLE

    rule = next(r for r in TABLE if r.name == "en_ap")
    assert rule.pattern.search("call Acme at 10am") is not None
    assert rule.pattern.compiled.flags & 2  # re.IGNORECASE, as before


def test_the_deferred_libraries_still_answer_when_used() -> None:
    """Each library imported on first use is there when a reply needs it (the suite covers them in depth)."""
    from datetime import date
    from decimal import Decimal

    from skills.fmt import money
    from skills.help.skill import _HELP
    from skills.objection.cards import CUES
    from skills.reminders.festivals import festival_date
    from skills.reminders.recurrence import validate
    from skills.reminders.workdays import is_official, is_working_day

    assert festival_date("easter", 2026) == date(2026, 4, 5)  # dateutil.easter
    assert festival_date("spring", 2026) == date(2026, 2, 17)  # lunar_python
    assert is_working_day(date(2026, 10, 10), "CN") and not is_working_day(date(2026, 10, 5), "CN")  # chinese_calendar
    assert not is_official(date(2099, 1, 1)) and not is_working_day(date(2099, 1, 1), "CN")  # holidays' estimate
    assert validate("FREQ=WEEKLY;BYDAY=FR") == "FREQ=WEEKLY;BYDAY=FR"  # dateutil.rrule
    assert money(Decimal("1000"), "CNY") == "CN¥1,000.00"  # Babel
    assert _HELP.search("what can you do") and _HELP.compiled.flags & 256  # re.ASCII, as before
    assert CUES["obj.rate-too-high"].search("the interest is too high")


def test_the_telegram_adapter_loads_httpx_without_its_command_line_client() -> None:
    probe = textwrap.dedent(
        """
        import json, sys
        import bot.telegram_app
        import httpx
        client = httpx.Client()
        client.close()
        print(json.dumps({"cli": sorted(m for m in ("httpx._main", "rich", "click", "pygments") if sys.modules.get(m)),
                          "fallback": httpx.main.__module__}))
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300)
    assert json.loads(done.stdout.splitlines()[-1]) == {"cli": [], "fallback": "httpx"}


def test_the_tls_context_is_built_once_even_when_needed_while_its_build_is_under_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ssl

    import bot.tls

    started, release, built = threading.Event(), threading.Event(), []
    real = ssl.create_default_context

    def slow_build(*args: object, **kwargs: object) -> ssl.SSLContext:
        started.set()
        assert release.wait(10)
        context = real(*args, **kwargs)  # type: ignore[arg-type]
        built.append(context)
        return context

    monkeypatch.setattr(bot.tls, "_context", None)
    monkeypatch.setattr(bot.tls.ssl, "create_default_context", slow_build)
    bot.tls.prepare_tls_context()  # what `python -m bot run` does before importing python-telegram-bot
    assert started.wait(10)
    results: list[ssl.SSLContext] = []
    waiter = threading.Thread(target=lambda: results.append(bot.tls.tls_context()))
    waiter.start()  # the Application being built while the context is still loading its CA bundle
    release.set()
    waiter.join(10)
    assert results == [bot.tls.tls_context()] == built  # one build, waited for, then shared
    assert results[0].verify_mode == ssl.CERT_REQUIRED and results[0].check_hostname


async def test_the_warm_up_starts_once_when_the_bot_is_ready_to_receive(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[int] = []
    monkeypatch.setattr(bot.runtime, "_warm_up", lambda skills, services, router: runs.append(len(skills)))
    runtime = await Runtime.create(make_settings(database_url, tmp_path), retriever=False, warm_up="skip")
    try:
        assert runtime.warming is None and not runtime.warmed  # start-up itself does not warm up
        runtime.start_background()
        runtime.start_background()  # the adapter may call it again (a polling restart): one warm-up only
        assert runtime.warming is not None
        await runtime.warming
        assert len(runs) == 1 and runs[0] == len(runtime.skills)
    finally:
        await runtime.close()
    warmed = await Runtime.create(make_settings(database_url, tmp_path), retriever=False, warm_up="now")
    try:
        warmed.start_background()  # already warmed at creation: nothing more
        assert warmed.warming is None and len(runs) == 2
    finally:
        await warmed.close()


@pytest.mark.parametrize("load_fails", [False, True])
async def test_the_warm_up_can_wait_for_the_playbook_so_the_two_do_not_share_the_cpu(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load_fails: bool
) -> None:
    order: list[str] = []
    release = threading.Event()

    def load(_progress: object) -> object:
        release.wait(30)
        order.append("playbook")
        if load_fails:
            raise RuntimeError("no model")
        return object()

    monkeypatch.setattr(bot.runtime, "_warm_up", lambda skills, services, router: order.append("warm-up"))
    lazy = LazyRetriever(load)  # type: ignore[arg-type]
    runtime = await Runtime.create(make_settings(database_url, tmp_path), retriever=lazy, warm_up="skip")
    try:
        assert not lazy.started  # nothing loads until the adapter is receiving
        runtime.start_background()
        runtime.start_background()  # once
        assert lazy.started and runtime.warming is not None
        for _ in range(50):
            await asyncio.sleep(0)
        assert order == []  # the warm-up waits for the playbook
        release.set()
        await runtime.warming
        assert order == ["playbook", "warm-up"]  # and runs even when the playbook failed to load
    finally:
        release.set()
        await runtime.close()


class _Step:
    """A skill whose warm-up records whether an officer's message was being handled when it ran."""

    name = "step"

    def __init__(self, router: _BusyRouter, log: list[str]) -> None:
        self.router, self.log = router, log

    def warm_up(self, services: object) -> None:
        self.log.append("busy" if self.router.busy_now else "step")


class _BusyRouter:
    """Busy for the first ``busy_polls`` looks (a message being answered), then idle."""

    def __init__(self, busy_polls: int, log: list[str]) -> None:
        self.busy_polls, self.polls, self.busy_now = busy_polls, 0, False
        self.arbiter = type("A", (), {"warm_up": staticmethod(lambda: log.append("classifier"))})()

    @property
    def busy(self) -> bool:
        self.polls += 1
        self.busy_now = self.polls <= self.busy_polls
        return self.busy_now


def test_the_warm_up_loads_the_classifier_first_and_gives_way_to_messages_being_answered() -> None:
    log: list[str] = []
    router = _BusyRouter(busy_polls=4, log=log)
    bot.runtime._warm_up([_Step(router, log), _Step(router, log)], object(), router)  # type: ignore[arg-type, list-item]
    assert log == ["classifier", "step", "step"]  # no step ran while a message was being handled
    assert router.polls >= 5


def test_a_steady_stream_of_messages_delays_the_warm_up_but_never_cancels_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.runtime, "_GIVE_WAY_BUDGET", 0.02)
    log: list[str] = []
    router = _BusyRouter(busy_polls=10**9, log=log)  # always busy
    bot.runtime._warm_up([_Step(router, log), _Step(router, log)], object(), router)  # type: ignore[arg-type, list-item]
    assert log == ["classifier", "busy", "busy"]  # ran anyway once the waiting budget was spent
