"""Chinese segmentation over the compact dictionary table is jieba's, word for word; the table's file is
rebuilt when torn or stale; a process that segments never builds jieba's own 70 MB dictionary."""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import jieba
import numpy as np
import pytest

from knowledge import jieba_freq, zh_words
from knowledge.content import PLAYBOOK_DIR
from skills.objection.phrasings import PHRASINGS
from tests.skills.objection.dev_set import DEV, NEGATIVE, NEGATIVE_MORE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def reference() -> tuple[jieba.Tokenizer, jieba.Tokenizer]:
    """Real jieba (its whole dictionary, in a tokenizer of the test's own) with each glossary added."""
    jieba.setLogLevel(logging.WARNING)
    recogniser, retrieval = jieba.Tokenizer(), jieba.Tokenizer()
    for tokenizer in (recogniser, retrieval):
        tokenizer.initialize()
    for word in zh_words.RECOGNISER_WORDS:
        recogniser.add_word(word)
    for word in zh_words.RETRIEVAL_TERMS:
        retrieval.add_word(word, freq=zh_words._RETRIEVAL_FREQ)
    return recogniser, retrieval


def _corpus() -> Iterator[str]:
    """Every Chinese text the bot segments (playbook, routing corpus, objection phrasings) and odd cases."""
    for path in sorted((PLAYBOOK_DIR / "zh").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        yield text
        yield from text.splitlines()
    for path in sorted((ROOT / "tests" / "routing").glob("corpus_*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            yield line.split("\t")[-1]
    for english, chinese in PHRASINGS.values():
        yield from english
        yield from chinese
    yield from (text for text, _ in DEV)
    yield from NEGATIVE
    yield from NEGATIVE_MORE
    for path in sorted((ROOT / "knowledge" / "eval").glob("*.yaml")):
        yield from path.read_text(encoding="utf-8").splitlines()
    yield from (
        "",
        " ",
        "\r\n\t",
        "，。！？",
        "客户",
        "嫌",
        "龘靐齉𠀀𪚥㐀䶵",  # rare characters, some outside the BMP
        "客户说DSO是45天，3.5%的rate太高！！email: a.b@c.com, +86 138-0000-0000",
        "保理ABC公司的应收账款100万元（USD 150k）#1 & #2_用于融资",
        "ｆｕｌｌ　ｗｉｄｔｈ１２３客户",
        "😀客户😀说😀",
        "中华人民共和国" * 300,
        "的" * 2000,
    )
    text = "".join(path.read_text(encoding="utf-8") for path in sorted((PLAYBOOK_DIR / "zh").glob("*.md")))
    han = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fd5")
    yield han  # one very long run without punctuation
    rng = random.Random(15)
    alphabet = sorted(set(han)) + list("ab1 ,.-")
    for _ in range(300):  # random strings: mostly unknown words, so jieba's HMM segments them
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))


def test_cut_is_jiebas_word_for_word(reference: tuple[jieba.Tokenizer, jieba.Tokenizer]) -> None:
    recogniser, retrieval = reference
    texts = list(_corpus())
    assert len(texts) > 3000
    for text in texts:
        assert zh_words.cut(text) == recogniser.lcut(text), text
        assert zh_words.cut_for_search(text) == retrieval.lcut_for_search(text), text


def test_the_table_answers_every_question_as_jiebas_dictionary() -> None:
    jieba.setLogLevel(logging.WARNING)
    full = jieba.Tokenizer()
    full.initialize()
    table = jieba_freq.load()
    assert table.total == full.total
    assert len(table) == len(full.FREQ)
    for word, freq in full.FREQ.items():
        assert table[word] == freq
    rng = random.Random(7)
    chars = [chr(rng.randint(0x4E00, 0x9FD5)) for _ in range(20000)]
    for i in range(0, len(chars) - 6, 3):
        fragment = "".join(chars[i : i + 2 + i % 5])
        assert (fragment in table) == (fragment in full.FREQ)
        assert table.get(fragment) == full.FREQ.get(fragment)
    with pytest.raises(KeyError):
        table["不是词典里的一个词"]


_SMALL_DICT = "保理 500 n\n应收账款 300 n\n应收 10\n应收账 7\n保理 80 n\n客户 1000 n\n"


def _small_dictionary(tmp_path: Path) -> Path:
    path = tmp_path / "dict.txt"
    path.write_text(_SMALL_DICT, encoding="utf-8")
    return path


def test_small_dictionary_as_jieba_reads_it(tmp_path: Path) -> None:
    """A later line wins, a prefix seen first becomes a word, total counts every line (gen_pfdict)."""
    table = jieba_freq.load(tmp_path / "cache", _small_dictionary(tmp_path))
    expected, total = jieba.Tokenizer.gen_pfdict(_small_dictionary(tmp_path).open("rb"))
    assert table.total == total == 1897
    assert {word: table[word] for word in expected} == expected
    assert expected["保理"] == 80 and expected["应收账"] == 7 and expected["应"] == 0
    assert "理" not in table


def test_torn_foreign_and_stale_files_are_rebuilt(tmp_path: Path) -> None:
    cache, dictionary = tmp_path / "cache", _small_dictionary(tmp_path)
    jieba_freq.load(cache, dictionary)
    [path] = cache.glob("jieba-freq-*.npy")
    good = path.read_bytes()
    assert path.stat().st_mode & 0o777 == 0o644
    for broken in (good[: len(good) // 2], good[:100], b"", b"not a numpy file" * 100):
        path.write_bytes(broken)
        assert jieba_freq.load(cache, dictionary)["应收账款"] == 300
        assert path.read_bytes() == good
    # a file of the right name and size whose header names another dict.txt (or another format)
    data = np.load(path)
    for field, value in ((4, 12345), (1, jieba_freq.FORMAT + 1), (0, 0)):
        altered = data.copy()
        altered[field] = value
        np.save(path, altered)
        assert jieba_freq.load(cache, dictionary)["保理"] == 80
        assert path.read_bytes() == good
    # a changed dictionary gets its own file, and the stale one is removed
    dictionary.write_text(_SMALL_DICT + "融资 40\n", encoding="utf-8")
    assert jieba_freq.load(cache, dictionary)["融资"] == 40
    [new] = cache.glob("jieba-freq-*.npy")
    assert new != path
    assert not list(cache.glob("*.tmp"))


def test_an_unwritable_cache_folder_falls_back_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert jieba_freq.load(blocker / "cache", _small_dictionary(tmp_path))["客户"] == 1000
    assert len(list((tmp_path / "tmp").glob("jieba-freq-*.npy"))) == 1


_FIRST_CUT = """
import json, sys
def rss():
    with open('/proc/self/status') as f:
        return int(f.read().split('VmRSS:')[1].split()[0]) / 1024
import numpy
before = rss()
from knowledge import zh_words
words = zh_words.cut('客户嫌手续费太高') + zh_words.cut_for_search('应收账款保理融资')
import jieba
print(json.dumps({'mib': rss() - before, 'words': words, 'jieba_dict': [jieba.dt.initialized, len(jieba.dt.FREQ)],
                  'pkg_resources': 'pkg_resources' in sys.modules}))
"""


def test_a_segmenting_process_never_builds_jiebas_dictionary() -> None:
    """Fresh interpreter: the first cuts add ~15 MiB (jieba's import with its HMM tables ~9, the table's
    pages ~6), where they added ~79 MiB with jieba's own dictionary; jieba's global tokenizer stays empty."""
    jieba_freq.load()  # the default cache file exists (what `make install` leaves)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", _FIRST_CUT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["words"][:4] == ["客户", "嫌", "手续费", "太高"]
    assert figures["jieba_dict"] == [False, 0]
    assert figures["pkg_resources"] is False
    assert figures["mib"] < 25, figures
