"""The playbook loader: the real content is well-formed; a malformed entry fails naming its file and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.content import LANGS, OBJECTION_SECTIONS, TECHNIQUE_SECTIONS, PlaybookError, load_playbook
from tests.knowledge.conftest import copy_playbook


def test_real_playbook_has_every_entry_in_both_languages_with_its_sections() -> None:
    book = load_playbook()
    assert len(book.ids()) >= 30
    for entry_id in book.ids():
        for lang in LANGS:
            entry = book.entries[(entry_id, lang)]
            required = OBJECTION_SECTIONS if entry.kind == "objection" else TECHNIQUE_SECTIONS
            assert all(entry.section(s) for s in required), entry.path
            assert entry.triggers, entry.path
            if entry.kind != "objection":
                assert 1 <= len(entry.key_points()) <= 8, entry.path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("mutate", "file_name", "problem"),
    [
        (lambda root: _edit(root / "en/obj.paperwork.md", "id: obj.paperwork\n", ""), "obj.paperwork.md", "missing id"),
        (
            lambda root: _edit(root / "zh/obj.recourse.md", "kind: objection", "kind: recipe"),
            "obj.recourse.md",
            "unknown kind 'recipe'",
        ),
        (
            lambda root: _edit(root / "en/obj.paperwork.md", "id: obj.paperwork", "id: obj.recourse"),
            "obj.recourse.md",
            "duplicate id 'obj.recourse'",
        ),
        (lambda root: (root / "zh/risk.contingency.md").unlink(), "risk.contingency.md", "has no zh twin"),
        (
            lambda root: _edit(root / "en/comm.feedback-sla.md", "## Key points", "## Points"),
            "comm.feedback-sla.md",
            "missing section(s): Key points",
        ),
    ],
    ids=["missing-id", "unknown-kind", "duplicate-id", "missing-twin", "missing-section"],
)
def test_malformed_playbook_fails_with_file_name_and_problem(
    tmp_path: Path, mutate, file_name: str, problem: str
) -> None:
    root = copy_playbook(tmp_path / "playbook")
    mutate(root)
    with pytest.raises(PlaybookError) as info:
        load_playbook(root)
    assert file_name in str(info.value)
    assert problem in str(info.value)


def test_the_playbook_is_read_once_while_its_files_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The objection skill, the playbook skill and the retriever all load it at start-up: parsed once."""
    import threading

    from knowledge import content

    root = copy_playbook(tmp_path / "playbook")
    parsed: list[Path] = []
    real = content.parse_entry
    monkeypatch.setattr(content, "parse_entry", lambda path: parsed.append(path) or real(path))
    books: list[object] = []
    threads = [threading.Thread(target=lambda: books.append(load_playbook(root))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(b) for b in books}) == 1
    first = len(parsed)
    assert first == len(books[0])  # type: ignore[arg-type]
    assert load_playbook(root) is books[0]
    assert len(parsed) == first

    edited = next(root.glob("en/*.md"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("title:", "title: Edited —", 1), encoding="utf-8")
    again = load_playbook(root)
    assert again is not books[0] and len(parsed) == 2 * first
    assert any(e.title.startswith("Edited") for e in again)
