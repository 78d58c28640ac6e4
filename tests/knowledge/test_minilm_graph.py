"""The lean embedding graph: int8 weights kept int8, the same retrieval, made once and checked at every load."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import onnx
import pytest

from knowledge import onnx_minilm
from knowledge.content import PLAYBOOK_DIR, load_playbook
from knowledge.embeddings import make_embeddings
from knowledge.index import documents_for
from knowledge.minilm_graph import GraphRewriteError, lean_model_path, rewrite_graph
from knowledge.onnx_minilm import FOLDED_ID, LEAN_ID, OnnxMiniLM, file_sha256


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="module")
def lean(cache: Path) -> OnnxMiniLM:
    model = make_embeddings("onnx", cache=cache)
    assert isinstance(model, OnnxMiniLM)
    return model


@pytest.fixture(scope="module")
def folded() -> OnnxMiniLM:
    model = make_embeddings("onnx")  # no cache: the packaged graph
    assert isinstance(model, OnnxMiniLM)
    return model


def _texts() -> list[str]:
    texts: list[str] = []
    for entry in load_playbook(PLAYBOOK_DIR):
        texts.extend(d.page_content for d in documents_for(entry)[1])
    return [*texts[::15], "client says the rate is too high", "how do I explain factoring to a sales manager?", ""]


def test_with_a_cache_the_lean_graph_runs_and_says_so(lean: OnnxMiniLM, folded: OnnxMiniLM, cache: Path) -> None:
    assert lean.model_id == LEAN_ID
    assert folded.model_id == FOLDED_ID  # different ids: the index re-embeds when it changes
    files = list(cache.glob("minilm-int8-lean-*.onnx"))
    assert len(files) == 1
    ops = {node.op_type for node in onnx.load(str(files[0])).graph.node}
    assert "MatMulNBits" in ops and "Erf" in ops  # projections on int8 kernels; the rest of BERT as it was
    types = {i.data_type for i in onnx.load(str(files[0])).graph.initializer}
    assert onnx.TensorProto.INT8 in types  # the embedding tables stay int8


def test_lean_vectors_agree_with_the_packaged_graph(lean: OnnxMiniLM, folded: OnnxMiniLM) -> None:
    texts = _texts()
    a = np.asarray(lean.embed_documents(texts))
    b = np.asarray(folded.embed_documents(texts))
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.995, cosines.min()
    assert cosines.mean() >= 0.998, cosines.mean()  # measured on every playbook text: mean 0.9992, min 0.9979
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)


def test_lean_ranking_matches_the_packaged_graph(lean: OnnxMiniLM, folded: OnnxMiniLM) -> None:
    docs = _texts()
    queries = ["the client thinks your rate is too expensive", "how long until the money arrives", "recourse"]
    matrices = [np.asarray(m.embed_documents(docs)) for m in (lean, folded)]
    for query in queries:
        top = [
            int(np.argmax(d @ np.asarray(m.embed_query(query)))) for d, m in zip(matrices, (lean, folded), strict=True)
        ]
        assert top[0] == top[1], query


def test_the_rewrite_is_deterministic_and_keeps_weights_exact(tmp_path: Path) -> None:
    source, _sha, _id = onnx_minilm._model_file()
    one = rewrite_graph(source, tmp_path / "a.onnx")
    two = rewrite_graph(source, tmp_path / "b.onnx")
    assert one == two == file_sha256(tmp_path / "a.onnx")
    # every packed projection dequantises to the packaged int8 weight times its column scale, exactly
    original = {i.name: onnx.numpy_helper.to_array(i) for i in onnx.load(str(source)).graph.initializer}
    rewritten = {i.name: onnx.numpy_helper.to_array(i) for i in onnx.load(str(tmp_path / "a.onnx")).graph.initializer}
    packed = [n.removesuffix("_nbits") for n in rewritten if n.endswith("_nbits")]
    assert len(packed) == 36  # 6 layers × (q, k, v, output, two feed-forward)
    for base in packed:
        q, scale = original[f"{base}_q"], original[f"{base}_scale"]
        cols, blocks, block = rewritten[f"{base}_nbits"].shape
        weights = (rewritten[f"{base}_nbits"].astype(np.int16) - 128).reshape(cols, blocks * block).T
        assert np.array_equal(weights, q)
        assert np.array_equal(rewritten[f"{base}_nbits_scale"].reshape(cols, blocks)[:, 0], scale.ravel())


def test_a_torn_lean_file_is_rewritten_not_run(tmp_path: Path) -> None:
    first = OnnxMiniLM(cache=tmp_path)
    assert first.model_id == LEAN_ID
    (lean_file,) = tmp_path.glob("*.onnx")
    good = file_sha256(lean_file)
    lean_file.write_bytes(lean_file.read_bytes()[:1000])  # a crash mid-copy, a full disk
    again = OnnxMiniLM(cache=tmp_path)
    assert again.model_id == LEAN_ID
    assert file_sha256(lean_file) == good
    assert len(again.embed_query("rate too high")) == 384


def test_a_lost_checksum_file_means_rewrite(tmp_path: Path) -> None:
    OnnxMiniLM(cache=tmp_path).load()
    (sidecar,) = tmp_path.glob("*.sha256")
    sidecar.unlink()
    assert OnnxMiniLM(cache=tmp_path).model_id == LEAN_ID
    assert sidecar.exists()


def _hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files hashed from now on."""
    seen: list[str] = []
    real = onnx_minilm.file_sha256

    def counting(path: Path) -> str:
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(onnx_minilm, "file_sha256", counting)
    return seen


def test_an_untouched_lean_file_is_not_hashed_again_but_the_packaged_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    OnnxMiniLM(cache=tmp_path).load()
    (lean_file,) = tmp_path.glob("*.onnx")
    seen = _hashed(monkeypatch)
    again = OnnxMiniLM(cache=tmp_path)
    assert again.model_id == LEAN_ID
    assert seen == ["model.onnx"]  # the pinned file, at every load; the lean one matched its recorded stamp
    assert len(again.embed_query("rate too high")) == 384
    assert lean_file.exists()


def test_a_lean_file_changed_in_place_is_hashed_and_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    OnnxMiniLM(cache=tmp_path).load()
    (lean_file,) = tmp_path.glob("*.onnx")
    good = file_sha256(lean_file)
    data = bytearray(lean_file.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one bit pattern changed, a new modification time
    lean_file.write_bytes(bytes(data))
    seen = _hashed(monkeypatch)
    again = OnnxMiniLM(cache=tmp_path)
    assert again.model_id == LEAN_ID
    assert lean_file.name in seen
    assert file_sha256(lean_file) == good


def test_a_checksum_file_of_the_earlier_layout_is_checked_by_hash_then_stamped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    OnnxMiniLM(cache=tmp_path).load()
    (lean_file,) = tmp_path.glob("*.onnx")
    (sidecar,) = tmp_path.glob("*.sha256")
    sidecar.write_text(file_sha256(lean_file) + "\n")  # as written before the stamp was recorded
    seen = _hashed(monkeypatch)
    assert OnnxMiniLM(cache=tmp_path).model_id == LEAN_ID
    assert lean_file.name in seen  # hashed once, matched: not rewritten
    assert sidecar.read_text().split()[1:] == [str(lean_file.stat().st_size), str(lean_file.stat().st_mtime_ns)]
    seen.clear()
    assert OnnxMiniLM(cache=tmp_path).model_id == LEAN_ID
    assert seen == ["model.onnx"]


def test_without_the_rewrite_the_packaged_graph_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(source: Path, target: Path) -> str:
        raise GraphRewriteError("the onnx package is not installed (see requirements.lock)")

    monkeypatch.setattr(onnx_minilm, "rewrite_graph", refuse)
    with caplog.at_level(logging.WARNING, logger="knowledge.onnx_minilm"):
        model = OnnxMiniLM(cache=tmp_path)
        assert model.model_id == FOLDED_ID
        assert len(model.embed_query("rate too high")) == 384
    assert "packaged graph" in caplog.text


def test_an_unwritable_cache_falls_back_to_the_packaged_graph(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    assert OnnxMiniLM(cache=blocked / "cache").model_id == FOLDED_ID


def test_the_lean_file_name_follows_the_source_and_the_rewrite_version(tmp_path: Path) -> None:
    a = lean_model_path(tmp_path, "a" * 64)
    b = lean_model_path(tmp_path, "b" * 64)
    assert a != b and a.parent == tmp_path and a.suffix == ".onnx"


def test_a_lean_graph_onnxruntime_cannot_run_falls_back_to_the_packaged_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import onnxruntime

    real = onnxruntime.InferenceSession

    def no_lean(path: str, *args: object, **kwargs: object) -> onnxruntime.InferenceSession:
        if "minilm-int8-lean" in path:
            raise RuntimeError("Could not find an implementation for MatMulNBits(1) node")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(onnxruntime, "InferenceSession", no_lean)
    model = OnnxMiniLM(cache=tmp_path)
    assert model.model_id == LEAN_ID  # the rewrite itself was made
    with caplog.at_level(logging.WARNING, logger="knowledge.onnx_minilm"):
        vector = model.embed_query("rate too high")
    assert len(vector) == 384 and model.model_id == FOLDED_ID  # the index re-embeds rather than mixing vectors
    assert "does not load" in caplog.text
