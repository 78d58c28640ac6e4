"""The time-expression corpora: officer phrasings at several reference clocks, and Duckling's EN/ZH Time corpora.

Both are data (TSV, see their headers). Every officer row must read exactly as recorded (due time to the
minute, the question asked, the RRULE and the saved task); every Duckling row marked ``ok`` must agree with
Duckling, ``divergence`` rows must give our documented reading, and agreement with Duckling per language
stays ≥ 95% (divergences and unsupported rows counted as misses).
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from skills.reminders.timeparse import Parsed, parse_reminder

HERE = Path(__file__).parent
CLOCKS = {
    "K1": ("2026-11-30T09:30:00+08:00", "Asia/Shanghai"),
    "K2": ("2026-12-31T16:00:00+08:00", "Asia/Shanghai"),
    "K3": ("2026-02-28T10:00:00+08:00", "Asia/Shanghai"),
    "K4": ("2026-03-08T01:30:00-05:00", "America/New_York"),
    "K5": ("2026-10-25T00:30:00+01:00", "Europe/London"),
    "K6": ("2026-06-17T14:01:00+08:00", "Asia/Shanghai"),
    "K7": ("2026-02-27T19:00:00+08:00", "Asia/Shanghai"),
}


def _rows(name: str) -> list[dict[str, Any]]:
    lines = [line for line in (HERE / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


OFFICER = _rows("corpus_officer.tsv")
DUCKLING = _rows("corpus_duckling.tsv")


def reading(p: Parsed) -> str:
    """How a corpus row records a result: the local due time, the candidates asked about, or the status."""
    if p.ok and p.due is not None:
        return p.due.strftime("%Y-%m-%dT%H:%M") + (f":{p.due.second:02d}" if p.due.second else "")
    if p.status == "ambiguous":
        return "ask:" + "|".join(c.strftime("%Y-%m-%dT%H:%M") for c in p.choices)
    return p.status


def test_corpus_size_languages_and_clocks() -> None:
    expressions = {(r["lang"], r["text"]) for r in OFFICER} | {(r["lang"], r["text"]) for r in DUCKLING}
    assert len(expressions) >= 600
    per_lang = Counter(lang for lang, _ in expressions)
    assert per_lang["en"] >= 250 and per_lang["zh"] >= 250
    clocks = Counter((r["lang"], r["text"]) for r in OFFICER)
    assert min(clocks.values()) >= 4  # every officer phrasing at several reference clocks
    assert {r["clock"] for r in OFFICER} == set(CLOCKS)


def test_officer_corpus_reads_exactly() -> None:
    started = time.perf_counter()
    wrong = []
    for r in OFFICER:
        now, tz = CLOCKS[r["clock"]]
        p = parse_reminder(r["text"], now=datetime.fromisoformat(now), tz=tz)
        got = (reading(p), p.recurrence or "", p.task)
        if got != (r["expected"], r["rrule"], r["task"]):
            wrong.append(f"{r['text']!r}@{r['clock']}: want {(r['expected'], r['rrule'], r['task'])} got {got}")
    assert not wrong, "\n".join(wrong[:40])
    assert time.perf_counter() - started < 10  # the whole corpus stays fast


def test_duckling_corpus_agrees_per_language() -> None:
    wrong, agree, total = [], Counter(), Counter()
    for r in DUCKLING:
        p = parse_reminder(r["text"], now=datetime.fromisoformat(r["now"]), tz=r["tz"])
        got = reading(p)
        exp = r["expected"]
        matches = p.ok and (got[:10] == exp if len(exp) == 10 else got[:16] == exp)
        total[r["lang"]] += 1
        agree[r["lang"]] += matches
        if r["status"] == "ok" and not matches:
            wrong.append(f"{r['text']!r}: Duckling {exp}, got {got}")
        if r["status"] == "divergence" and got != r["ours"]:
            wrong.append(f"{r['text']!r}: our convention {r['ours']}, got {got}")
    assert not wrong, "\n".join(wrong[:40])
    for lang in ("en", "zh"):
        assert agree[lang] / total[lang] >= 0.95, (lang, agree[lang], total[lang])  # divergences count as misses


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("remind me tomorrow at 10 to call Orion", "call Orion"),
        ("every Monday at 9 email Mon Chéri Ltd", "email Mon Chéri Ltd"),
        ("on Friday visit Huang Tingting", "visit Huang Tingting"),
        ("remind me at 3pm to meet Monica at the Monaco office", "meet Monica at the Monaco office"),
        ("remind me next Monday to call Ingrid in Incheon", "call Ingrid in Incheon"),
        ("remind me in 2 days to check on Atlas Trading", "check on Atlas Trading"),
        ("remind me to send Wednesday Addams the term sheet on Friday", "send Wednesday Addams the term sheet"),
        ("明天提醒我给周一鸣打电话", "给周一鸣打电话"),
        ("下周一提醒我找周总签合同", "找周总签合同"),
        ("明天提醒我去3号仓库", "去3号仓库"),
        ("30号提醒我去8号楼拜访", "去8号楼拜访"),
        ("禮拜三提醒我開會", "開會"),
    ],
)
def test_saved_task_keeps_names(text: str, task: str) -> None:
    p = parse_reminder(text, now=datetime.fromisoformat("2026-11-30T09:30:00+08:00"), tz="Asia/Shanghai")
    assert p.ok and p.task == task
