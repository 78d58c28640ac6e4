"""The skills' compiled patterns are kept between starts (skills.regex_cache): same matches, no recompiling,
and a damaged, foreign or missing file only means compiling again."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
import textwrap
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from skills import regex_cache
from skills.lazyre import LazyPattern

ROOT = Path(__file__).resolve().parents[2]

# Patterns of the kinds the skills hold: named groups, flags set inline and by argument, CJK classes,
# look-behind, alternations of phrases, backreferences.
PATTERNS = [
    (r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm)\b", re.I),
    (r"(?i)remind\s+me\s+(?:to\s+)?(?P<task>.+)", 0),
    (r"(?<![\d一二两三四五六七八九十])(?P<n>[一二两三四五六七八九十]+)点(?P<half>半)?", 0),
    (r"[\u4e00-\u9fff]{2,}", 0),
    (r"\b(rate|fee|price)s?\s+(?:is|are)\s+too\s+(high|steep)\b", re.I | re.X),
    (r"(?P<word>\w+)\s+(?P=word)", 0),
    (r"^/(?P<cmd>[a-z_]+)(?:@\w+)?(?:\s+(?P<args>.*))?$", re.S),
]
TEXTS = [
    "call Acme at 10:30am tomorrow",
    "Remind me to chase the docs",
    "下午三点半给华东纺织打电话",
    "客户嫌手续费太高",
    "the client says the rates are too high",
    "the the invoice",
    "/quote@FactorMateBot 500k 90d",
    "",
]


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert (a.pattern, a.flags, a.groups, dict(a.groupindex)) == (b.pattern, b.flags, b.groups, dict(b.groupindex))
    for text in TEXTS:
        for x, y in zip(a.finditer(text), b.finditer(text), strict=True):
            assert (x.span(), x.groups(), x.groupdict()) == (y.span(), y.groups(), y.groupdict())


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A fresh cache state on ``tmp_path``; the previous folder is put back afterwards."""
    before = regex_cache._folder
    regex_cache._new.clear()
    regex_cache.use_folder(tmp_path)
    yield tmp_path
    regex_cache._new.clear()
    regex_cache.use_folder(None)
    regex_cache.use_folder(before)


def _restart(folder: Path) -> None:
    """As a new process: nothing in memory, the file on disk."""
    regex_cache._new.clear()
    regex_cache.use_folder(None)
    regex_cache.use_folder(folder)


def test_a_pattern_built_from_the_kept_code_matches_as_re_compile_does(folder: Path) -> None:
    first = [regex_cache.compile_cached(p, f) for p, f in PATTERNS]
    assert regex_cache.save() == len(PATTERNS)
    assert regex_cache.cache_file(folder).is_file()
    _restart(folder)

    def no_parsing(pattern: str, flags: int) -> object:
        raise AssertionError(f"{pattern!r} was compiled again")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(regex_cache, "_generate", no_parsing)
        kept = [regex_cache.compile_cached(p, f) for p, f in PATTERNS]
    for (pattern, flags), a, b in zip(PATTERNS, first, kept, strict=True):
        _same(re.compile(pattern, flags), a)
        _same(re.compile(pattern, flags), b)
    assert regex_cache.save() == 0  # nothing new: the file is not written again


def test_lazy_patterns_use_the_cache(folder: Path) -> None:
    rule = LazyPattern(r"(?P<n>\d+)\s*(?:days?|天)", re.I)
    assert rule.search("90 Days").group("n") == "90"
    assert regex_cache.save() == 1
    _restart(folder)
    again = LazyPattern(r"(?P<n>\d+)\s*(?:days?|天)", re.I)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(regex_cache, "_generate", lambda *a: pytest.fail("compiled again"))
        assert again.search("账期 60 天").group("n") == "60"


@pytest.mark.parametrize(
    "content",
    [
        b"",  # an empty file (a crash before the data reached the disk)
        b"\x00garbage\xff" * 10,  # not marshal at all
        marshal.dumps(((0, 0, "cpython-27"), {})),  # another interpreter's
        marshal.dumps(["a list", "not a table"]),  # not our layout
    ],
    ids=["empty", "garbage", "other-interpreter", "other-layout"],
)
def test_a_damaged_or_foreign_file_is_ignored_then_replaced(folder: Path, content: bytes) -> None:
    path = regex_cache.cache_file(folder)
    path.write_bytes(content)
    pattern, flags = PATTERNS[0]
    _same(re.compile(pattern, flags), regex_cache.compile_cached(pattern, flags))
    assert regex_cache.save() == 1
    version, table = marshal.loads(path.read_bytes())
    assert version == regex_cache._VERSION and (pattern, flags) in table


def test_kept_code_the_engine_rejects_falls_back_to_compiling(folder: Path) -> None:
    pattern, flags = PATTERNS[0]
    regex_cache.compile_cached(pattern, flags)
    regex_cache.save()
    path = regex_cache.cache_file(folder)
    version, table = marshal.loads(path.read_bytes())
    entry = table[(pattern, flags)]
    table[(pattern, flags)] = (entry[0], array("I", [99999, 1, 2]).tobytes(), *entry[2:])  # not valid SRE code
    path.write_bytes(marshal.dumps((version, table)))
    _restart(folder)
    _same(re.compile(pattern, flags), regex_cache.compile_cached(pattern, flags))
    assert regex_cache.save() == 1  # the rejected entry is replaced, not compiled again at every start
    _restart(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(regex_cache, "_generate", lambda *a: pytest.fail("compiled again"))
        _same(re.compile(pattern, flags), regex_cache.compile_cached(pattern, flags))


def test_without_a_folder_nothing_is_kept(tmp_path: Path) -> None:
    before = regex_cache._folder
    regex_cache.use_folder(None)
    try:
        pattern, flags = PATTERNS[1]
        _same(re.compile(pattern, flags), regex_cache.compile_cached(pattern, flags))
        assert regex_cache.save() == 0
    finally:
        regex_cache.use_folder(before)
    assert not list(tmp_path.iterdir())


def test_saving_keeps_what_another_process_wrote_meanwhile(folder: Path) -> None:
    older = folder / "regex-cpython-311-20220615-v1.marshal"  # an earlier format's file: no longer read
    older.write_bytes(b"old")
    regex_cache.compile_cached(*PATTERNS[0])
    regex_cache.save()
    assert not older.exists()
    path = regex_cache.cache_file(folder)
    version, table = marshal.loads(path.read_bytes())
    other = re.compile(PATTERNS[3][0])  # written by "another process": add its entry to the file by hand
    table[(other.pattern, 0)] = regex_cache._generate(other.pattern, 0)
    path.write_bytes(marshal.dumps((version, table)))
    regex_cache.compile_cached(*PATTERNS[1])
    assert regex_cache.save() == 1
    _, merged = marshal.loads(path.read_bytes())
    assert {PATTERNS[0][:2], PATTERNS[1][:2], (other.pattern, 0)} <= set(merged)


def test_train_keeps_every_skill_pattern_so_a_start_compiles_none(tmp_path: Path) -> None:
    """``python -m bot train`` (run by ``make install``) keeps them all; a free-text message in a new process
    then builds every lazy pattern it uses from the kept code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "CHROMA_"))}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'fm.db'}",
        CHROMA_PATH=str(tmp_path / "chroma"),
        ROUTING__MODEL_CACHE=str(tmp_path / "cache"),
        OBJECTION__MODEL_CACHE=str(tmp_path / "cache"),
        LOAD_PLAYBOOK="false",
    )
    subprocess.run(
        [sys.executable, "-m", "bot", "train"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300
    )
    kept = list((tmp_path / "cache").glob("regex-*.marshal"))
    assert len(kept) == 1
    _, table = marshal.loads(kept[0].read_bytes())
    assert len(table) > 150
    probe = textwrap.dedent(
        """
        import io, json, sys
        from contextlib import redirect_stdout
        from skills import regex_cache
        generated = []
        real = regex_cache._generate
        regex_cache._generate = lambda p, f: generated.append(p[:50]) or real(p, f)
        from bot.cli import main
        for text in ("remind me tomorrow at 9 to call acme", "客户说费率太高", "quote 500k 90 days"):
            with redirect_stdout(io.StringIO()):
                main(["ask", "--json", text])
        print(json.dumps(generated))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=300
    )
    assert out.stdout.splitlines()[-1] == "[]"
