"""The Chroma index is incremental (counted with a spy embedding function) and rebuilt when corrupt."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from knowledge.content import PlaybookError, load_playbook
from knowledge.index import documents_for
from knowledge.service import build_index
from tests.knowledge.conftest import SpyEmbeddings, copy_playbook, knowledge_config


def _docs_per_entry(root: Path) -> dict[str, int]:
    return {f"{e.lang}/{e.id}": len(documents_for(e)[1]) for e in load_playbook(root)}


def test_second_build_embeds_nothing_and_an_edit_re_embeds_only_that_entry(tmp_path: Path) -> None:
    root = copy_playbook(tmp_path / "playbook")
    config = knowledge_config(tmp_path)
    spy = SpyEmbeddings()
    book, store, _, first = build_index(config, root=root, embeddings=spy)
    total_docs = sum(_docs_per_entry(root).values())
    assert len(first.added) == len(book) and first.embedded == total_docs == len(spy.embedded)

    spy.embedded.clear()
    _, _, _, second = build_index(config, root=root, embeddings=spy)
    assert spy.embedded == [] and not second.changed and second.unchanged == len(book)

    path = root / "en" / "obj.paperwork.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("## Acknowledge\n", "## Acknowledge\nEdited. "), encoding="utf-8"
    )
    _, store, _, third = build_index(config, root=root, embeddings=spy)
    assert third.updated == ["en/obj.paperwork"] and third.added == [] and third.removed == []
    assert len(spy.embedded) == _docs_per_entry(root)["en/obj.paperwork"]
    assert store.get(where={"id": "obj.paperwork"}, include=[])["ids"]  # still indexed, once per language
    assert len(store.get(include=[])["ids"]) == total_docs


def test_removed_entries_are_deleted_from_the_index(tmp_path: Path) -> None:
    root = copy_playbook(tmp_path / "playbook")
    config = knowledge_config(tmp_path)
    spy = SpyEmbeddings()
    build_index(config, root=root, embeddings=spy)
    (root / "en" / "longterm.ecosystem.md").unlink()
    (root / "zh" / "longterm.ecosystem.md").unlink()
    for lang in ("en", "zh"):  # other entries point at it as related; drop those links
        for path in (root / lang).glob("*.md"):
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace(", longterm.ecosystem", "").replace("longterm.ecosystem, ", ""), encoding="utf-8"
            )
    spy.embedded.clear()
    _, store, _, report = build_index(config, root=root, embeddings=spy)
    assert sorted(report.removed) == ["en/longterm.ecosystem", "zh/longterm.ecosystem"]
    assert store.get(where={"id": "longterm.ecosystem"}, include=[])["ids"] == []


def test_corrupt_chroma_directory_is_rebuilt_with_a_log_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = knowledge_config(tmp_path)
    chroma = Path(config.chroma_path)
    chroma.mkdir(parents=True)
    (chroma / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    spy = SpyEmbeddings()
    with caplog.at_level(logging.WARNING, logger="knowledge.index"):
        book, store, _, report = build_index(config, embeddings=spy)
    assert "rebuilding it from the playbook" in caplog.text
    assert len(report.added) == len(book)
    assert store.get(where={"id": "obj.rate-too-high"}, include=[])["ids"]


def test_malformed_entry_fails_the_build_naming_the_file(tmp_path: Path) -> None:
    root = copy_playbook(tmp_path / "playbook")
    path = root / "zh" / "obj.recourse.md"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: objection", "kind: rumour"), encoding="utf-8")
    with pytest.raises(PlaybookError, match=r"zh/obj\.recourse\.md: unknown kind 'rumour'"):
        build_index(knowledge_config(tmp_path), root=root, embeddings=SpyEmbeddings())


def test_switching_the_embedding_model_re_embeds_everything_once(tmp_path: Path) -> None:
    root = copy_playbook(tmp_path / "playbook")
    config = knowledge_config(tmp_path)
    onnx_like, torch_like = SpyEmbeddings(), SpyEmbeddings()
    onnx_like.model_id, torch_like.model_id = "onnx:test", "torch:test"  # type: ignore[attr-defined]
    _, _, _, first = build_index(config, root=root, embeddings=onnx_like)
    _, store, _, switched = build_index(config, root=root, embeddings=torch_like)
    _, _, _, again = build_index(config, root=root, embeddings=torch_like)
    assert len(switched.updated) == len(first.added) and switched.embedded == first.embedded
    assert again.embedded == 0
    models = {m["model"] for m in store.get(include=["metadatas"])["metadatas"]}
    assert models == {"torch:test"}
