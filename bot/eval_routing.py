"""``python -m bot eval routing``: the router's decisions on the labelled routing corpus.

The corpus (``tests/routing/corpus_*.tsv``: label, language en|zh|mixed, message) holds officer messages as
typed, written apart from the skills' example phrasings; the router never trains on it. The report gives
per-skill precision and recall, a confusion matrix per language, and how often the router asked (buttons)
instead of guessing. Decisions are taken on a scratch database holding the demo portfolio, as the console
officer, without running any skill.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import ROOT, Settings
from bot.router import Router
from skills.contract import Officer, Request, Role
from skills.i18n import detect_lang

__all__ = ["ASKED", "CORPUS", "SPLITS", "Example", "Report", "cmd_eval_routing", "evaluate", "load_corpus", "render", "run_eval"]

CORPUS = ROOT / "tests" / "routing"
ASKED = "(asked)"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message: the skill it is for, its language (en, zh, mixed), the text."""

    label: str
    lang: str
    text: str


SPLITS: dict[str, tuple[str, ...]] = {
    "train": ("train",),
    "heldout1": ("heldout",),
    "heldout2": ("heldout2",),
    "heldout": ("heldout", "heldout2"),
    "all": ("train", "heldout", "heldout2"),
}


def load_corpus(split: str) -> list[Example]:
    """``split``: "train" (what the skills' phrasings were checked against), "heldout1" and "heldout2" (the two
    held-out files, the second written before the routing changes it measures), "heldout" (both) or "all"."""
    names = SPLITS[split]
    rows: list[Example] = []
    for name in names:
        for line in (CORPUS / f"corpus_{name}.tsv").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                label, lang, text = line.split("\t", 2)
                rows.append(Example(label, lang, text))
    return rows


@dataclass
class Report:
    """Decisions against labels; ``predicted`` is a skill name or :data:`ASKED`."""

    rows: list[tuple[Example, str]] = field(default_factory=list)

    def accuracy(self, lang: str | None = None) -> float:
        rows = [(e, p) for e, p in self.rows if lang is None or e.lang == lang]
        return sum(e.label == p for e, p in rows) / len(rows) if rows else 0.0

    def share(self, kind: str, lang: str | None = None) -> float:
        """``kind`` "wrong" (another skill) or "asked" (buttons instead of a guess)."""
        rows = [(e, p) for e, p in self.rows if lang is None or e.lang == lang]
        if not rows:
            return 0.0
        if kind == "asked":
            return sum(p == ASKED for _, p in rows) / len(rows)
        return sum(p not in (ASKED, e.label) for e, p in rows) / len(rows)

    def per_skill(self) -> dict[str, tuple[float, float, int]]:
        """skill → (precision, recall, support)."""
        out: dict[str, tuple[float, float, int]] = {}
        for skill in sorted({e.label for e, _ in self.rows}):
            tp = sum(e.label == skill and p == skill for e, p in self.rows)
            predicted = sum(p == skill for _, p in self.rows)
            support = sum(e.label == skill for e, _ in self.rows)
            out[skill] = (tp / predicted if predicted else 0.0, tp / support if support else 0.0, support)
        return out

    def confusion(self, lang: str) -> dict[str, Counter[str]]:
        matrix: dict[str, Counter[str]] = defaultdict(Counter)
        for e, p in self.rows:
            if e.lang == lang:
                matrix[e.label][p] += 1
        return matrix

    def mistakes(self) -> list[tuple[Example, str]]:
        return [(e, p) for e, p in self.rows if p != e.label]

    def as_dict(self) -> dict[str, Any]:
        langs = sorted({e.lang for e, _ in self.rows})
        return {
            "n": len(self.rows),
            "accuracy": {lang: round(self.accuracy(lang), 4) for lang in langs} | {"all": round(self.accuracy(), 4)},
            "wrong": {lang: round(self.share("wrong", lang), 4) for lang in langs} | {"all": round(self.share("wrong"), 4)},
            "asked": {lang: round(self.share("asked", lang), 4) for lang in langs} | {"all": round(self.share("asked"), 4)},
            "per_skill": {k: {"precision": round(p, 4), "recall": round(r, 4), "n": n} for k, (p, r, n) in self.per_skill().items()},
            "confusion": {lang: {k: dict(v) for k, v in self.confusion(lang).items()} for lang in langs},
            "mistakes": [{"text": e.text, "label": e.label, "lang": e.lang, "got": p} for e, p in self.mistakes()],
        }  # fmt: skip


async def evaluate(
    router: Router, examples: list[Example], *, officer_id: int = 0, tz: str = "Asia/Shanghai"
) -> Report:
    """Ask the router where each message goes (no skill runs; nothing is written)."""
    report = Report()
    now = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    async with router.services.sessionmaker() as session:
        for example in examples:
            officer = Officer(officer_id, "Console", Role.ADMIN, detect_lang(example.text), tz)
            request = Request(officer=officer, text=example.text, now=now, session=session)
            decision = await router.decide(request)
            report.rows.append((example, decision.skill or ASKED))
        await session.rollback()
    return report


def render(report: Report) -> str:
    """The report as text: accuracy, wrong and asked shares per language, per-skill P/R, confusion matrices."""
    out: list[str] = []
    langs = sorted({e.lang for e, _ in report.rows})
    out.append(f"{'lang':<6} {'n':>4} {'accuracy':>9} {'wrong':>7} {'asked':>7}")
    for lang in [*langs, None]:
        n = sum(1 for e, _ in report.rows if lang is None or e.lang == lang)
        out.append(
            f"{lang or 'all':<6} {n:>4} {report.accuracy(lang):>9.3f} "
            f"{report.share('wrong', lang):>7.3f} {report.share('asked', lang):>7.3f}"
        )
    out.append("")
    out.append(f"{'skill':<10} {'precision':>9} {'recall':>7} {'n':>4}")
    for skill, (p, r, n) in report.per_skill().items():
        out.append(f"{skill:<10} {p:>9.3f} {r:>7.3f} {n:>4}")
    columns = [*sorted({e.label for e, _ in report.rows}), ASKED]
    short = {c: c[:6] for c in columns}
    for lang in langs:
        out.append("")
        out.append(f"confusion ({lang}): rows = label, columns = decision")
        out.append(" " * 10 + " ".join(f"{short[c]:>6}" for c in columns))
        matrix = report.confusion(lang)
        for label in columns[:-1]:
            if label in matrix:
                out.append(f"{label:<10}" + " ".join(f"{matrix[label].get(c, 0):>6}" for c in columns))
    mistakes = report.mistakes()
    if mistakes:
        out.append("")
        out.append("not routed to their label:")
        out.extend(f"  [{e.lang}] {e.label:<10} → {p:<10} {e.text}" for e, p in mistakes)
    return "\n".join(out)


async def run_eval(settings: Settings, split: str) -> Report:
    """Build the runtime on a scratch database with the demo portfolio and evaluate ``split``."""
    from bot.runtime import Runtime
    from skills.portfolio.api import ensure_demo

    with tempfile.TemporaryDirectory() as tmp:
        scratch = settings.model_copy(
            update={"database_url": f"sqlite+aiosqlite:///{Path(tmp) / 'routing-eval.db'}", "load_playbook": False}
        )
        runtime = await Runtime.create(scratch, retriever=False)
        try:
            await ensure_demo(runtime)
            return await evaluate(runtime.router, load_corpus(split), officer_id=scratch.console_officer_id)
        finally:
            await runtime.close()


async def cmd_eval_routing(settings: Settings, args: argparse.Namespace) -> int:
    """Print the routing report for the corpus split (held-out by default)."""
    report = await run_eval(settings, args.split if args.split in SPLITS else "heldout")
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(report))
    return 0
