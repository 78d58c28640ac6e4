"""``python -m bot index`` (build/sync the playbook index) and ``python -m bot eval`` (retrieval figures)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

from bot.config import Settings
from bot.progress import Progress, track

__all__ = ["cmd_eval", "cmd_index", "register"]


def register(subparsers: Any) -> None:
    """Add the ``index`` and ``eval`` subcommands to ``python -m bot``."""
    index = subparsers.add_parser("index", help="validate the playbook and sync its search index (incremental)")
    index.set_defaults(handler=cmd_index)

    ev = subparsers.add_parser(
        "eval", help="playbook retrieval (hit@1, hit@3, MRR) or routing (precision/recall, confusion) on labelled sets"
    )
    ev.add_argument("what", nargs="?", choices=("playbook", "routing"), default="playbook")
    ev.add_argument(
        "--split",
        choices=("heldout", "dev", "train", "all", "heldout1", "heldout2"),
        default="heldout",
        help="playbook: heldout | dev | train | all; routing: heldout (both held-out files) | heldout1 | heldout2 | "
        "train | all",
    )
    ev.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ev.set_defaults(handler=cmd_eval)


async def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    """Validate the playbook and embed only new or changed entries; exit 1 naming a malformed file."""
    from knowledge.content import PlaybookError  # with PyYAML: not on every command's start
    from knowledge.service import build_index

    started = time.perf_counter()
    try:
        with Progress("embedding the playbook", unit="docs") as bar:  # shown only when something is embedded
            playbook, _store, _emb, report = await asyncio.to_thread(build_index, settings.knowledge, progress=bar)
    except PlaybookError as exc:
        print(f"playbook error: {exc}", file=sys.stderr)
        return 1
    where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(settings.chroma_path)
    print(f"playbook: {len(playbook)} entries ({len(playbook.ids())} ids × en/zh) → {where}")
    print(f"index: {report.summary()} in {time.perf_counter() - started:.1f}s")
    return 0


def _evaluate(settings: Settings, split: str) -> dict[str, Any]:
    from knowledge.evaluation import evaluate, load_queries
    from knowledge.service import open_knowledge

    threshold = settings.playbook.min_relevance
    with Progress("embedding the playbook", unit="docs") as bar:
        knowledge = open_knowledge(settings.knowledge, progress=bar)
    queries = load_queries(split=split)
    out: dict[str, Any] = {"split": split, "threshold": threshold, "retrievers": {}}
    for name, retriever in (("hybrid", knowledge.hybrid), ("dense", knowledge.dense), ("bm25", knowledge.bm25)):
        scores = evaluate(retriever, track(queries, len(queries), f"eval {name}", unit="queries"), threshold=threshold)
        out["retrievers"][name] = {lang: s.as_dict() for lang, s in sorted(scores.items())}
    return out


async def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    """Print hit@1, hit@3 and MRR per language for hybrid, dense-only and BM25-only retrieval (or routing)."""
    if getattr(args, "what", "playbook") == "routing":
        from bot.eval_routing import cmd_eval_routing

        return await cmd_eval_routing(settings, args)
    from knowledge.content import PlaybookError
    if args.split not in ("heldout", "dev", "train", "all"):
        print(f"playbook eval: no split {args.split!r} (heldout, dev, train, all)", file=sys.stderr)
        return 2
    try:
        result = await asyncio.to_thread(_evaluate, settings, args.split)
    except PlaybookError as exc:
        print(f"playbook error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"split: {result['split']}   relevance threshold: {result['threshold']}")
    print(
        f"{'retriever':<9} {'lang':<4} {'n':>3} {'hit@1':>6} {'hit@3':>6} {'MRR':>6} {'off':>4} {'reject':>7} {'accept':>7}"
    )
    for name, by_lang in result["retrievers"].items():
        for lang, s in by_lang.items():
            print(
                f"{name:<9} {lang:<4} {s['n']:>3} {s['hit@1']:>6.3f} {s['hit@3']:>6.3f} {s['mrr']:>6.3f} "
                f"{s['n_offtopic']:>4} {s['rejection']:>7.3f} {s['acceptance']:>7.3f}"
            )
    return 0
