"""jieba's word-frequency table (``Tokenizer.FREQ``) without its 70 MB: hashes in a memory-mapped file.

jieba segments with one dict of ~500k entries: every word of its ``dict.txt`` with its frequency, and every
prefix of a word (frequency 0 unless it is a word itself), plus ``total``, the sum of the file's frequencies.
It only ever asks ``frag in FREQ``, ``FREQ[frag]`` and ``FREQ.get(frag)`` of it (``get_DAG``, ``calc``,
``__cut_DAG``, ``cut_for_search``, ``suggest_freq``, ``add_word``). :class:`FreqTable` answers the same
questions from three arrays of one ``.npy`` file: the 64-bit blake2b hashes of the entries' UTF-8 bytes,
sorted; their frequencies; and where each of 65,536 buckets (a hash's top 16 bits) starts, so a look-up is
one hash and a bisection of about eight numbers (the last 4096 answers are remembered). The file (6.2 MB)
is memory-mapped: its pages are the page cache's, shared by every process that segments and clean (the
kernel can drop them), where loading it would copy it into each process (measured: +6.3 MiB of RSS after a
first cut either way, as the kernel maps the file's neighbouring pages on the first look-ups).

The table is built from jieba's own ``gen_pfdict`` over ``dict.txt`` (so its contents are jieba's by
construction), refused if two entries share a hash, written atomically, and named after ``dict.txt``'s
sha256, jieba's version and :data:`FORMAT`: a new jieba or dictionary gets a new file; a torn or foreign
file is rebuilt. It lives in the project's ``data/cache`` (beside the routing classifier's cache; kept
across reboots, unlike the temporary folder jieba uses; no setting needed, in tests or a fresh checkout),
or in the temporary folder if that cannot be written. ``make install`` builds it (``python -m
knowledge.jieba_freq``); otherwise the first segmenting process does (~1.3 s, once).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.abc
import logging
import sys
import tempfile
import threading
from bisect import bisect_left
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge.atomic_file import remove_others, write_atomically

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["CACHE_DIR", "FORMAT", "MEMO", "FreqTable", "build", "dictionary_path", "import_jieba", "load", "word_hash"]

log = logging.getLogger(__name__)

FORMAT = 1
CACHE_DIR = Path(__file__).resolve().parent.parent / "data" / "cache"
_MAGIC = 0x4A49454241465131  # "JIEBAFQ1"
_BUCKET_BITS = 16
MEMO = 4096  # look-ups remembered per table (a few hundred KB at most)
_HEADER = 8  # magic, format, entries, total, sha256 of dict.txt as four words
_blake2b = hashlib.blake2b


def word_hash(word: str) -> int:
    """The stable 64-bit hash of ``word`` (blake2b of its UTF-8 bytes; Python's ``hash`` is salted)."""
    return int.from_bytes(_blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


class FreqTable:
    """Read-only ``FREQ``: ``word in table``, ``table[word]``, ``table.get(word)``, like jieba's dict."""

    __slots__ = ("_freqs", "_hashes", "_lookup", "_starts", "entries", "path", "total")

    def __init__(self, data: NDArray[np.uint64], path: Path | None = None) -> None:
        self.path = path  # the file it is mapped from (None: built in memory, nowhere to write it)
        entries = int(data[2])
        buckets = 1 << _BUCKET_BITS
        self.entries = entries
        self.total = int(data[3])
        # memoryviews: indexing them gives Python ints directly, and bisect works on them in C
        self._starts = memoryview(data[_HEADER : _HEADER + buckets + 1]).cast("B").cast("Q")
        at = _HEADER + buckets + 1
        self._hashes = memoryview(data[at : at + entries]).cast("B").cast("Q")
        self._freqs = memoryview(data[at + entries :]).cast("B").cast("i")
        # a message's fragments recur (single characters, common words): the last few thousand are remembered
        self._lookup = functools.lru_cache(maxsize=MEMO)(self._find)

    def _find(self, word: str) -> int | None:
        """The frequency of ``word`` (0 for a prefix that is no word), or None when it is neither."""
        h = word_hash(word)
        bucket = h >> (64 - _BUCKET_BITS)
        hi = self._starts[bucket + 1]
        i = bisect_left(self._hashes, h, self._starts[bucket], hi)
        return self._freqs[i] if i < hi and self._hashes[i] == h else None  # type: ignore[no-any-return]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._lookup(word) is not None

    def __getitem__(self, word: str) -> int:
        freq = self._lookup(word)
        if freq is None:
            raise KeyError(word)
        return freq  # type: ignore[no-any-return]

    def get(self, word: str, default: Any = None) -> Any:
        freq = self._lookup(word)
        return default if freq is None else freq

    def __len__(self) -> int:
        return self.entries


class _NoPkgResourcesHere(importlib.abc.MetaPathFinder):
    """Refuses ``pkg_resources`` to one thread while it imports jieba (other threads import it as usual)."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pkg_resources" and threading.get_ident() == self.thread:
            raise ImportError("not needed by jieba")
        return None


def import_jieba() -> ModuleType:
    """jieba, imported without ``pkg_resources`` (0.15-0.25 s and 9 MB) unless something already loaded it.

    jieba 0.42.1's ``_compat`` imports ``pkg_resources`` only to open its package files and opens them
    with ``open`` when the import fails; segmentation never opens one (finalseg's HMM tables are modules)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    finder = _NoPkgResourcesHere()
    sys.meta_path.insert(0, finder)
    try:
        import jieba
    finally:
        sys.meta_path.remove(finder)
    return jieba


def dictionary_path() -> Path:
    """jieba's default ``dict.txt`` (the file its global tokenizer reads)."""
    jieba = import_jieba()

    return Path(jieba.__file__).resolve().parent / jieba.DEFAULT_DICT_NAME


def _sha256(path: Path) -> bytes:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").digest()


def build(dictionary: Path) -> NDArray[np.uint64]:
    """The table's file contents for ``dictionary``, from jieba's own parser (``Tokenizer.gen_pfdict``)."""
    jieba = import_jieba()

    freq, total = jieba.Tokenizer.gen_pfdict(dictionary.open("rb"))
    words = list(freq)
    hashes = np.fromiter((word_hash(w) for w in words), dtype=np.uint64, count=len(words))
    freqs = np.fromiter((freq[w] for w in words), dtype=np.int64, count=len(words))
    del freq, words
    order = np.argsort(hashes, kind="stable")
    hashes, freqs = hashes[order], freqs[order]
    if len(hashes) > 1 and not np.all(hashes[1:] != hashes[:-1]):
        raise ValueError(f"two entries of {dictionary} share a 64-bit hash")
    if freqs.size and (freqs.min() < 0 or freqs.max() > np.iinfo(np.int32).max):
        raise ValueError(f"a frequency in {dictionary} does not fit 32 bits")
    starts = np.searchsorted(hashes >> np.uint64(64 - _BUCKET_BITS), np.arange((1 << _BUCKET_BITS) + 1))
    packed = freqs.astype("<i4")
    if packed.size % 2:
        packed = np.append(packed, np.int32(0))
    header = np.array([_MAGIC, FORMAT, len(hashes), total], dtype=np.uint64)
    sha = np.frombuffer(_sha256(dictionary), dtype="<u8")
    parts = (header, sha, starts.astype(np.uint64), hashes, packed.view("<u8"))
    return np.concatenate(parts).astype("<u8")


def _expected_size(entries: int) -> int:
    return _HEADER + (1 << _BUCKET_BITS) + 1 + entries + (entries + 1) // 2


def _valid(data: NDArray[np.uint64], sha: bytes) -> bool:
    return (
        data.ndim == 1
        and data.size >= _HEADER
        and int(data[0]) == _MAGIC
        and int(data[1]) == FORMAT
        and data.size == _expected_size(int(data[2]))
        and data[4:_HEADER].tobytes() == sha
    )


def _write(path: Path, data: NDArray[np.uint64]) -> None:
    """Write ``data`` to ``path`` atomically: a reader sees the old file, the new one or none."""
    write_atomically(path, lambda fh: np.save(fh, data))


def _open(path: Path, sha: bytes) -> NDArray[np.uint64] | None:
    try:
        data = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if data.dtype != np.dtype("<u8") or not _valid(data, sha):
        return None
    return data  # type: ignore[no-any-return]


def load(cache_dir: Path | None = None, dictionary: Path | None = None) -> FreqTable:
    """The table for ``dictionary`` (jieba's default), from its file in ``cache_dir`` (built when missing,
    torn or stale; in the temporary folder when ``cache_dir`` cannot be written)."""
    jieba = import_jieba()

    dictionary = dictionary or dictionary_path()
    sha = _sha256(dictionary)
    name = f"jieba-freq-{jieba.__version__}-f{FORMAT}-{sha.hex()[:16]}.npy"
    folders = [cache_dir or CACHE_DIR, Path(tempfile.gettempdir())]
    for folder in folders:
        data = _open(folder / name, sha)
        if data is not None:
            return FreqTable(data, folder / name)
    log.info("building jieba's word table from %s", dictionary)
    built = build(dictionary)
    for folder in folders:
        try:
            _write(folder / name, built)
        except OSError as exc:
            log.warning("cannot write jieba's word table in %s: %s", folder, exc)
            continue
        remove_others(folder / name, "jieba-freq-*.npy")
        data = _open(folder / name, sha)
        if data is not None:
            return FreqTable(data, folder / name)
    return FreqTable(built)  # nowhere writable: this process keeps it in memory


if __name__ == "__main__":  # `make install` builds the table here, so the bot's first Chinese message is quick
    table = load()
    print(f"jieba word table: {table.entries} words and prefixes → {table.path or 'memory only'}")
