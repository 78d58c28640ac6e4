"""The dense index: playbook entries embedded with MiniLM into Chroma (through ``langchain_chroma``).

Per entry and language we store one *main* document (title, summary or card opening, key points) and one
document per trigger phrase (how officers and clients actually ask), all with metadata ``id``, ``lang``,
``kind``, ``part`` and ``digest``. ``sync_index`` is incremental: an entry whose digest is already in the
collection is not re-embedded, a changed entry is replaced, an entry gone from the playbook is deleted.

Every document also records the embedding ``model`` (backend and model id) in its metadata, and the digest
is salted with it: switching ``EMBEDDINGS`` between onnx and torch re-embeds the whole index by itself.

Chroma is embedded and persistent at ``config.chroma_path``, or a server when ``CHROMA_HOST`` is set.
We always hand it our own embeddings, so chromadb never fetches its default ONNX model, and telemetry is off.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.config import KnowledgeConfig
from knowledge.content import Entry, Playbook
from knowledge.local_embeddings import langchain_embeddings

if TYPE_CHECKING:
    import chromadb
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings

    from knowledge.vectors import VectorSnapshot


__all__ = [
    "COLLECTION",
    "INDEX_VERSION",
    "DenseHit",
    "SyncReport",
    "dense_search",
    "documents_for",
    "main_text",
    "make_client",
    "model_id_of",
    "open_store",
    "stored_digest",
    "sync_index",
]

log = logging.getLogger(__name__)

COLLECTION = "factormate_playbook"
# Bump when the indexed text of an entry changes shape: every entry is then re-embedded once.
INDEX_VERSION = "2"
_ADD_BATCH = 64  # documents embedded and written per call (progress is reported per batch)


def model_id_of(embeddings: Embeddings) -> str:
    """What produced the vectors: the backend's ``model_id`` (e.g. ``onnx:all-MiniLM-L6-v2-onnx-int8``)."""
    return str(getattr(embeddings, "model_id", "") or type(embeddings).__name__)


def stored_digest(entry: Entry, model_id: str = "") -> str:
    """The digest kept in Chroma metadata: the entry's content hash salted with the index version and model."""
    return hashlib.sha256(f"{INDEX_VERSION}:{model_id}:{entry.digest}".encode()).hexdigest()[:32]


def main_text(entry: Entry) -> str:
    """The main document of an entry: what it is about, in its own words."""
    if entry.kind == "objection":
        body = [entry.section("Acknowledge"), entry.section("Ask"), entry.section("Respond")]
    else:
        body = [entry.section("Summary"), *entry.key_points()]
    return "\n".join([entry.title, *[b for b in body if b]])


def documents_for(entry: Entry, model_id: str = "") -> tuple[list[str], list[Document]]:
    """Chroma ids and documents of one entry (main + one per trigger)."""
    # Imported here: langchain_core.documents pulls in the runnables and callbacks (~0.3 s), which only
    # syncing the index needs, not a start that reads the vectors snapshot.
    from langchain_core.documents import Document

    digest = stored_digest(entry, model_id)
    base = {
        "id": entry.id,
        "lang": entry.lang,
        "kind": entry.kind,
        "digest": digest,
        "title": entry.title,
        "model": model_id,
    }
    ids = [f"{entry.lang}:{entry.id}:main"]
    docs = [Document(page_content=main_text(entry), metadata={**base, "part": "main"})]
    for n, trigger in enumerate(entry.triggers):
        ids.append(f"{entry.lang}:{entry.id}:t{n}")
        docs.append(Document(page_content=trigger, metadata={**base, "part": f"trigger{n}"}))
    return ids, docs


def make_client(config: KnowledgeConfig) -> chromadb.ClientAPI:
    """A Chroma client: HTTP to ``CHROMA_HOST`` when set, else persistent at ``chroma_path``. No telemetry."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if config.chroma_host:
        return chromadb.HttpClient(host=config.chroma_host, port=config.chroma_port, settings=chroma_settings)
    path = Path(config.chroma_path)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _store(client: chromadb.ClientAPI, embeddings: Embeddings) -> Chroma:
    from langchain_chroma import Chroma

    langchain_embeddings()  # our backends count as LangChain Embeddings from here on

    return Chroma(
        collection_name=COLLECTION,
        embedding_function=embeddings,
        client=client,
        collection_configuration={"hnsw": {"space": "cosine"}},
    )


def open_store(config: KnowledgeConfig, embeddings: Embeddings) -> Chroma:
    """Open (creating if needed) the playbook collection; a corrupt local directory is rebuilt from scratch."""
    try:
        store = _store(make_client(config), embeddings)
        store.get(limit=1, include=[])  # probe: a corrupt directory fails here
        return store
    except Exception as exc:  # chromadb raises many types on a damaged directory; all mean "rebuild"
        if config.chroma_host:
            raise
        path = Path(config.chroma_path)
        log.warning(
            "Chroma directory %s is unreadable (%s: %s); rebuilding it from the playbook",
            path,
            type(exc).__name__,
            str(exc).splitlines()[0] if str(exc) else "",
        )
        _forget_client(path)
        shutil.rmtree(path, ignore_errors=True)
        return _store(make_client(config), embeddings)


def _forget_client(path: Path) -> None:
    """Drop chromadb's cached client for ``path`` so a rebuilt directory gets a fresh one."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


@dataclass(slots=True)
class SyncReport:
    """What a sync did; ``embedded`` counts documents sent to the embedding model."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    embedded: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged ({self.embedded} documents embedded)"
        )


def sync_index(
    store: Chroma, playbook: Playbook, *, model_id: str = "", progress: Callable[[int, int], None] | None = None
) -> SyncReport:
    """Bring the collection in line with the playbook, embedding only new or changed entries.

    ``model_id`` is what embeds (see :func:`model_id_of`): documents embedded by another model count as
    changed. ``progress(done, total)`` is called before the first batch and after each embedded batch.
    """
    existing = store.get(include=["metadatas"])
    by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    digests: dict[tuple[str, str], set[str]] = defaultdict(set)
    for doc_id, meta in zip(existing["ids"], existing["metadatas"], strict=True):
        meta = meta or {}
        key = (str(meta.get("id", "")), str(meta.get("lang", "")))
        by_key[key].append(doc_id)
        digests[key].add(str(meta.get("digest", "")))
    report = SyncReport()
    new_ids: list[str] = []
    new_docs: list[Document] = []
    stale: list[str] = []
    for entry in sorted(playbook, key=lambda e: (e.lang, e.id)):
        key = (entry.id, entry.lang)
        ids, docs = documents_for(entry, model_id)
        if key in by_key and digests[key] == {stored_digest(entry, model_id)} and sorted(by_key[key]) == sorted(ids):
            report.unchanged += 1
            continue
        if key in by_key:
            stale.extend(by_key[key])
            report.updated.append(f"{entry.lang}/{entry.id}")
        else:
            report.added.append(f"{entry.lang}/{entry.id}")
        new_ids.extend(ids)
        new_docs.extend(docs)
    wanted = {(e.id, e.lang) for e in playbook}
    for key, doc_ids in by_key.items():
        if key not in wanted:
            stale.extend(doc_ids)
            report.removed.append(f"{key[1]}/{key[0]}")
    if stale:
        store.delete(ids=stale)
    # Embed in order of length: a batch of similar lengths needs little padding (a tenth of the work here).
    order = sorted(range(len(new_docs)), key=lambda i: len(new_docs[i].page_content))
    if progress is not None and order:
        progress(0, len(order))
    for start in range(0, len(order), _ADD_BATCH):
        chunk = order[start : start + _ADD_BATCH]
        batch = [new_docs[i] for i in chunk]
        store.add_documents(batch, ids=[new_ids[i] for i in chunk])
        report.embedded += len(batch)
        if progress is not None:
            progress(report.embedded, len(order))
    if report.changed:
        log.info("playbook index: %s", report.summary())
    return report


@dataclass(frozen=True, slots=True)
class DenseHit:
    """One entry's best cosine similarity over its documents, and which document gave it."""

    id: str
    lang: str
    kind: str
    title: str
    score: float
    part: str
    text: str


def _where(lang: str | None, kind: str | None) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if lang:
        clauses.append({"lang": lang})
    if kind:
        clauses.append({"kind": kind})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def dense_search(
    store: Chroma | VectorSnapshot,
    vector: list[float],
    k: int = 5,
    *,
    lang: str | None = None,
    kind: str | None = None,
    fan_out: int = 5,
) -> list[DenseHit]:
    """The ``k`` best entries by cosine similarity of ``vector`` to any of their documents, from the Chroma
    collection or its snapshot (:mod:`knowledge.vectors`)."""
    from knowledge.vectors import VectorSnapshot

    if isinstance(store, VectorSnapshot):
        results = store.nearest(vector, k * fan_out, lang=lang, kind=kind)
    else:
        found = store.similarity_search_by_vector_with_relevance_scores(
            vector, k=k * fan_out, filter=_where(lang, kind)
        )
        results = [(doc.metadata, doc.page_content, distance) for doc, distance in found]
    best: dict[tuple[str, str], DenseHit] = {}
    for meta, text, distance in results:
        key = (str(meta["id"]), str(meta["lang"]))
        score = 1.0 - float(distance)
        if key not in best or score > best[key].score:
            best[key] = DenseHit(
                key[0],
                key[1],
                str(meta["kind"]),
                str(meta.get("title", "")),
                score,
                str(meta.get("part", "")),
                text,
            )
    return sorted(best.values(), key=lambda h: (-h.score, h.id))[:k]
