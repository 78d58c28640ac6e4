"""The vectors snapshot: a start with the index up to date answers as Chroma does, without opening Chroma."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from knowledge.content import load_playbook
from knowledge.index import INDEX_VERSION, dense_search, documents_for, model_id_of
from knowledge.service import Knowledge, build_index, open_knowledge
from knowledge.vectors import SNAPSHOT_NAME, VectorSnapshot, export_snapshot, load_snapshot, snapshot_key
from tests.knowledge.conftest import SpyEmbeddings, copy_playbook, knowledge_config

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _queries(knowledge: Knowledge) -> list[str]:
    texts = [d.page_content for entry in knowledge.playbook.entries.values() for d in documents_for(entry)[1]]
    officers = [
        "how do I explain factoring to a sales manager?",
        "client says the rate is too high",
        "what if the buyer doesn't pay",
        "怎么向销售经理解释保理",
        "客户嫌手续费太高",
        "",
    ]
    return [*texts[::9], *officers]


def _exact(
    documents: dict[str, Any], vector: list[float], k: int, lang: str | None, kind: str | None
) -> list[tuple[str, float]]:
    """Brute force over the collection's own stored vectors: each entry's best cosine, best first."""
    q = np.asarray(vector, dtype=np.float64)
    q /= np.linalg.norm(q)
    best: dict[tuple[str, str], float] = {}
    for emb, meta in zip(documents["embeddings"], documents["metadatas"], strict=True):
        if (lang and meta["lang"] != lang) or (kind and meta["kind"] != kind):
            continue
        v = np.asarray(emb, dtype=np.float64)
        score = float(v @ q / np.linalg.norm(v))
        key = (meta["id"], meta["lang"])
        best[key] = max(score, best.get(key, -2.0))
    return [(i, s) for (i, _l), s in sorted(best.items(), key=lambda kv: (-kv[1], kv[0][0]))[:k]]


def test_the_snapshot_finds_the_exact_neighbours_and_never_fewer_than_chroma(real_knowledge: Knowledge) -> None:
    chroma = real_knowledge.store
    assert not isinstance(chroma, VectorSnapshot)  # built fresh in this session: the Chroma collection
    path = _chroma_dir(real_knowledge) / SNAPSHOT_NAME
    key = snapshot_key(real_knowledge.playbook, model_id_of(real_knowledge.embeddings), INDEX_VERSION)
    snapshot = load_snapshot(path, key)
    documents = chroma.get(include=["embeddings", "metadatas"])  # type: ignore[union-attr]
    assert snapshot is not None and len(snapshot) == len(documents["ids"])
    compared = same_as_chroma = 0
    for query in _queries(real_knowledge):
        vector = real_knowledge.embeddings.embed_query(query)
        for lang in (None, "en", "zh"):
            for kind in (None, "objection", "technique"):
                got = dense_search(snapshot, vector, 5, lang=lang, kind=kind)
                exact = _exact(documents, vector, 5, lang, kind)
                # exactly the best entries (up to near-ties: Chinese documents MiniLM reads as [UNK]s embed
                # almost alike, and float32 sums differ in the 7th digit)
                assert np.allclose([h.score for h in got], [s for _i, s in exact], atol=1e-5), query
                tied = {i for i, s in exact if any(abs(s - h.score) <= 1e-5 for h in got)}
                assert {h.id for h in got} <= tied | {i for i, _s in exact}, query
                # and never a worse neighbour than Chroma's approximate (HNSW) search gives
                want = dense_search(chroma, vector, 5, lang=lang, kind=kind)
                assert all(g.score >= w.score - 1e-5 for g, w in zip(got, want, strict=False)), query
                same_as_chroma += [h.id for h in got] == [h.id for h in want]
                compared += 1
    assert compared > 300
    assert same_as_chroma >= 0.9 * compared  # HNSW usually finds them too; the snapshot never misses


def _chroma_dir(knowledge: Knowledge) -> Path:
    return Path(knowledge.store._client.get_settings().persist_directory)  # type: ignore[union-attr]


def test_an_up_to_date_start_reads_the_snapshot(real_knowledge: Knowledge, tmp_path: Path) -> None:
    shutil.copytree(_chroma_dir(real_knowledge), tmp_path / "chroma")  # an index synced at an earlier start
    again = open_knowledge(knowledge_config(tmp_path), embeddings=real_knowledge.embeddings)
    assert isinstance(again.store, VectorSnapshot) and not again.report.changed
    for question, lang in (("how do I explain factoring to a sales manager?", "en"), ("怎么解释有追索权", "zh")):
        want = real_knowledge.hybrid.search(question, 3, lang=lang)  # through the Chroma collection
        got = again.hybrid.search(question, 3, lang=lang)
        assert [(p.id, round(p.score, 6)) for p in got] == [(p.id, round(p.score, 6)) for p in want]


def test_a_changed_playbook_syncs_chroma_and_writes_a_new_snapshot(tmp_path: Path) -> None:
    root = copy_playbook(tmp_path / "playbook")
    config = knowledge_config(tmp_path)
    spy = SpyEmbeddings()
    open_knowledge(config, root=root, embeddings=spy)
    assert isinstance(open_knowledge(config, root=root, embeddings=spy).store, VectorSnapshot)
    entry = next(root.rglob("*.md"))
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("\n\n", "\n\nA new first line.\n\n", 1), encoding="utf-8"
    )
    spy.embedded.clear()
    changed = open_knowledge(config, root=root, embeddings=spy)
    assert not isinstance(changed.store, VectorSnapshot) and changed.report.updated and spy.embedded
    assert isinstance(open_knowledge(config, root=root, embeddings=spy).store, VectorSnapshot)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "stale"])
def test_a_damaged_or_stale_snapshot_falls_back_to_chroma_and_is_rewritten(tmp_path: Path, damage: str) -> None:
    root = copy_playbook(tmp_path / "playbook")
    config = knowledge_config(tmp_path)
    spy = SpyEmbeddings()
    open_knowledge(config, root=root, embeddings=spy)
    path = Path(config.chroma_path) / SNAPSHOT_NAME
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "garbage":
        path.write_bytes(b"not a snapshot")
    else:
        _playbook, store, _emb, _report = build_index(config, root=root, embeddings=spy)
        export_snapshot(store, path, "an older key")
    reopened = open_knowledge(config, root=root, embeddings=spy)
    assert not isinstance(reopened.store, VectorSnapshot)
    assert isinstance(open_knowledge(config, root=root, embeddings=spy).store, VectorSnapshot)


def test_a_chroma_server_is_always_queried(tmp_path: Path) -> None:
    from knowledge.service import _snapshot_path

    assert _snapshot_path(knowledge_config(tmp_path, chroma_host="chroma.internal")) is None
    assert _snapshot_path(knowledge_config(tmp_path)) == tmp_path / "chroma" / SNAPSHOT_NAME


def test_the_key_follows_the_model_and_every_entry(tmp_path: Path) -> None:
    root = copy_playbook(tmp_path / "playbook")
    before = load_playbook(root)
    key = snapshot_key(before, "onnx:a", INDEX_VERSION)
    assert key == snapshot_key(load_playbook(root), "onnx:a", INDEX_VERSION)
    assert key != snapshot_key(before, "onnx:b", INDEX_VERSION)
    assert key != snapshot_key(before, "onnx:a", "another index version")
    entry = next(root.rglob("*.md"))
    entry.write_text(entry.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert key != snapshot_key(load_playbook(root), "onnx:a", INDEX_VERSION)


def test_a_bot_start_with_the_snapshot_never_imports_chromadb_nor_langchain(real_knowledge: Knowledge) -> None:
    chroma = _chroma_dir(real_knowledge)  # synced, with its snapshot; a snapshot start only reads it
    cache = real_knowledge.embeddings._graph_cache  # type: ignore[attr-defined]
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from knowledge.config import KnowledgeConfig\n"
        "from knowledge.service import open_knowledge\n"
        f"k = open_knowledge(KnowledgeConfig(chroma_path=Path({str(chroma)!r}), model_cache=Path({str(cache)!r})))\n"
        "hits = k.hybrid.search('how do I explain factoring to a sales manager?', 3)\n"
        "print(json.dumps({'store': type(k.store).__name__, 'top': hits[0].id,\n"
        "    'loaded': sorted({m.split('.')[0] for m in sys.modules} & {'chromadb', 'langchain_chroma', 'langchain_core'})}))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["store"] == "VectorSnapshot" and seen["loaded"] == []
    assert seen["top"] == real_knowledge.hybrid.search("how do I explain factoring to a sales manager?", 3)[0].id
