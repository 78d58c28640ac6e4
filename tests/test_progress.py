"""The CLI's progress: plain lines at each quarter off a terminal (a bar on one), on stderr only."""

from __future__ import annotations

import io

from bot.progress import Progress, track


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_progress_is_a_line_per_quarter() -> None:
    out = io.StringIO()
    with Progress("embedding the playbook", unit="docs", stream=out) as bar:
        for done in (0, 64, 128, 400, 993):
            bar(done, 993)
    assert out.getvalue().splitlines() == [
        "embedding the playbook: 400/993 docs (25%)",
        "embedding the playbook: 993/993 docs (100%)",
    ]


def test_nothing_is_shown_when_nothing_needs_doing() -> None:
    out = io.StringIO()
    with Progress("embedding the playbook", stream=out):
        pass  # a warm index: the callback is never called
    assert out.getvalue() == ""


def test_on_a_terminal_it_draws_a_bar_and_track_yields_every_item() -> None:
    out = _Tty()
    assert list(track(range(5), 5, "eval hybrid", unit="queries", stream=out)) == [0, 1, 2, 3, 4]
    assert "eval hybrid" in out.getvalue() and "5/5" in out.getvalue()
