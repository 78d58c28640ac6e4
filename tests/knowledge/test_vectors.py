"""The vectors snapshot: a start with the index up to date answers as Chroma does, without opening Chroma."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

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


def test_the_snapshot_finds_what_chroma_finds(real_knowledge: Knowledge) -> None:
    chroma = real_knowledge.store
    assert not isinstance(chroma, VectorSnapshot)  # built fresh in this session: the Chroma collection
    path = _chroma_dir(real_knowledge) / SNAPSHOT_NAME
    key = snapshot_key(real_knowledge.playbook, model_id_of(real_knowledge.embeddings), INDEX_VERSION)
    snapshot = load_snapshot(path, key)
    assert snapshot is not None and len(snapshot) == len(chroma.get(include=[])["ids"])  # type: ignore[union-attr]
    compared = 0
    for query in _queries(real_knowledge):
        vector = real_knowledge.embeddings.embed_query(query)
        for lang in (None, "en", "zh"):
            for kind in (None, "objection", "technique"):
                want = dense_search(chroma, vector, 5, lang=lang, kind=kind)
                got = dense_search(snapshot, vector, 5, lang=lang, kind=kind)
                # the same entries in the same order (which of an entry's equally close documents matched may
                # differ: Chinese triggers MiniLM cannot read often embed identically)
                assert [(h.id, h.lang) for h in got] == [(h.id, h.lang) for h in want], query
                assert np.allclose([h.score for h in got], [h.score for h in want], atol=1e-5)
                compared += 1
    assert compared > 300


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


def test_a_bot_start_with_the_snapshot_never_imports_chromadb(real_knowledge: Knowledge) -> None:
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
        "    'loaded': sorted({m.split('.')[0] for m in sys.modules} & {'chromadb', 'langchain_chroma'})}))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["store"] == "VectorSnapshot" and seen["loaded"] == []
    assert seen["top"] == real_knowledge.hybrid.search("how do I explain factoring to a sales manager?", 3)[0].id
