"""The CLI's progress: plain lines at each quarter off a terminal (a bar on one), on stderr only."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.progress import Progress, track

ROOT = Path(__file__).resolve().parent.parent


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


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "ALLOWED_", "ADMIN_", "TELEGRAM_"))}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=300, check=False
    )


def _counts(stderr: str, label: str) -> list[tuple[int, int]]:
    """The (done, total) of each progress line ``label: done/total unit (pct%)`` on stderr."""
    found = re.findall(rf"^{re.escape(label)}: (\d+)/(\d+) ", stderr, flags=re.M)
    return [(int(done), int(total)) for done, total in found]


def test_demo_and_import_count_their_rows_on_stderr_and_keep_json_on_stdout(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'p.db'}", "CHROMA_PATH": str(tmp_path / "chroma")}
    demo = _run("demo", "--scale", "20", "--json", env=env)  # 400 clients: written 200 at a time
    assert demo.returncode == 0, demo.stderr
    assert json.loads(demo.stdout)["clients"] == 400
    assert _counts(demo.stderr, "demo: creating") == [(200, 400), (400, 400)], demo.stderr
    ledger = tmp_path / "ledger.csv"
    rows = [f"Progress Test Co,Globex,INV-P-{n},{1000 + n},CNY,2026-10-01,2026-12-30" for n in range(2000)]
    ledger.write_text("client,debtor,invoice_no,amount,currency,issue_date,due_date\n" + "\n".join(rows) + "\n")
    imported = _run("import", str(ledger), "--yes", "--json", env=env)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout.splitlines()[-1])["applied"] is True
    checked = _counts(imported.stderr, "import ledger.csv: checking")
    assert checked == [(500, 2000), (1000, 2000), (1500, 2000), (2000, 2000)], imported.stderr
    assert _counts(imported.stderr, "import ledger.csv: writing") == [(2000, 2000)], imported.stderr
