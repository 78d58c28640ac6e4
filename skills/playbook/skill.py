"""Answer "how do I…" questions from the team playbook: the best entry, short, with its source; never invented."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from knowledge.lazy import LazyRetriever
from knowledge.retrieval import Passage, Retriever
from skills.contract import Button, Command, Reply, Request, Services, Skill, SkillError, payload
from skills.fmt import esc
from skills.i18n import detect_lang, t
from skills.objection.api import outcome_row
from skills.playbook.config import PlaybookConfig
from skills.playbook.llm import synthesise
from skills.playbook.logic import answer_points, route_score
from skills.playbook.messages import MESSAGES, SECTION_LABELS
from skills.playbook.phrasings import PHRASINGS

if TYPE_CHECKING:  # knowledge.content (with PyYAML) loads with the first playbook answer, not at start
    from knowledge.content import Entry, Playbook

__all__ = ["PlaybookSkill"]

_SEARCH_K = 5
_LABEL_MAX = 40


def _label(text: str) -> str:
    return text if len(text) <= _LABEL_MAX else text[: _LABEL_MAX - 1] + "…"


def _relevance(p: Passage) -> float:
    value = p.metadata.get("relevance", p.score)
    return float(value) if isinstance(value, (int, float)) else 0.0


class PlaybookSkill(Skill):
    """The team's playbook of client-communication techniques, products and objection cards, in en and zh."""

    name = "playbook"
    more_phrasings = PHRASINGS
    answers_open_questions = True
    default_choice = 3
    commands = (Command("playbook", "Ask the playbook: /playbook how do I…", "查业务手册：/playbook 怎么…"),)
    examples: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": (
            "how do I explain factoring to a sales manager?",
            "what should I say when the buyer pays late",
            "how to prepare a client before peak season",
            "what is non-recourse factoring",
            "explain the effective annual cost",
            "how do I handle a red risk alert",
            "best way to answer any objection",
            "how should I run a client feedback forum",
            "what's the difference between recourse and non-recourse",
        ),
        "zh": (
            "怎么跟不懂财务的老板讲保理",
            "买方逾期了怎么处理",
            "如何在客户旺季前做准备",
            "什么是无追索权保理",
            "综合年化成本怎么解释",
            "收到红牌预警该怎么办",
            "处理客户异议的话术",
            "客户座谈会怎么组织",
            "保证金的作用该怎么说",
        ),
    }
    summary: ClassVar[dict[str, str]] = {
        "en": "How-to answers from the team playbook (with the source)",
        "zh": "业务手册问答（注明出处）",
    }

    def score(self, text: str, lang: str) -> float:
        """0.85 for a clear how-to question; ≤ 0.5 for a quoted client objection (the objection skill's)."""
        return route_score(text)

    def anticipate(self, text: str, services: Services) -> None:
        """A how-to question starts the model's load (where it loads on first need: the CLI) while the other
        skills weigh the message; the question is then answered a routing's time sooner."""
        retriever = services.retriever
        if isinstance(retriever, LazyRetriever) and not retriever.started and route_score(text) > 0:
            retriever.start(demanded=True)

    # -- answering ---------------------------------------------------------------------------------

    async def handle(self, request: Request, services: Services) -> Reply:
        """Answer a how-to question with the best playbook entry, or say it is not in the playbook."""
        lang = request.lang
        question = (request.args if request.command else request.text).strip()
        if not question:
            return Reply(text=t(MESSAGES, "usage", lang), intent="usage")
        retriever = services.retriever
        if retriever is None:
            return Reply(text=t(MESSAGES, "unavailable", lang), data={"available": False, "lang": lang},
                         intent="unavailable")
        config = self._config(services)
        query_lang = detect_lang(question, lang)
        hits = await asyncio.to_thread(retriever.search, question, _SEARCH_K, lang=query_lang)
        book = self._playbook(retriever)
        scores = {p.id: p.score for p in hits}
        relevant = [p for p in hits if _relevance(p) >= config.min_relevance]
        base: dict[str, Any] = {
            "query_lang": query_lang,
            "lang": lang,
            "scores": scores,
            "relevance": {p.id: _relevance(p) for p in hits},
        }
        if not relevant:
            return self._not_found(lang, hits, book, base)
        best = book.get(relevant[0].id, lang)
        assert best is not None  # every hit comes from the loaded playbook
        model = services.chat_model if config.use_llm else None
        if model is not None:
            context = [e for e in (book.get(p.id, lang) for p in relevant[: config.llm_context]) if e is not None]
            synthesised = await synthesise(model, question, context, lang, seconds=services.config.llm_timeout)
            if synthesised is not None:
                text, cited = synthesised
                return self._answer(best, lang, book, config, base, body=esc(text), source_ids=cited,
                                    grounded_by="llm", others=relevant)
        return self._answer(best, lang, book, config, base, body=None, source_ids=[best.id],
                            grounded_by="extractive", others=relevant)

    async def on_button(self, request: Request, services: Services) -> Reply:
        """``playbook:more:<id>`` shows the full entry; ``playbook:show:<id>`` the short answer for it."""
        lang = request.lang
        action, args = request.action
        retriever = services.retriever
        if retriever is None:
            return Reply(text=t(MESSAGES, "unavailable", lang), data={"available": False, "lang": lang})
        book = self._playbook(retriever)
        entry = book.get(args[0], lang) if args else None
        if entry is None or action not in ("more", "show"):
            raise SkillError(t(MESSAGES, "unknown_entry", lang))
        if action == "more":
            return self._full(entry, lang)
        base: dict[str, Any] = {"query_lang": lang, "lang": lang, "scores": {}, "relevance": {}}
        return self._answer(entry, lang, book, self._config(services), base, body=None, source_ids=[entry.id],
                            grounded_by="extractive", others=[])

    # -- rendering ---------------------------------------------------------------------------------

    def _answer(
        self,
        entry: Entry,
        lang: str,
        book: Playbook,
        config: PlaybookConfig,
        base: dict[str, Any],
        *,
        body: str | None,
        source_ids: list[str],
        grounded_by: str,
        others: list[Passage],
    ) -> Reply:
        lines = [f"📘 <b>{esc(entry.title)}</b>"]
        if body is not None:
            lines.append(body)
        else:
            for section, text in answer_points(entry, config.key_points):
                if entry.kind == "objection":
                    lines.append(f"• <b>{esc(SECTION_LABELS[section][lang])}</b> — {esc(text)}")
                else:
                    lines.append(f"• {esc(text)}")
        lines.append(f"<i>{esc(t(MESSAGES, 'source', lang, ids=', '.join(source_ids)))}</i>")
        related = self._related(entry, book, others, config.related)
        buttons = [[Button(t(MESSAGES, "more", lang), payload("playbook", "more", entry.id))]]
        for rid in related:
            twin = book.get(rid, lang)
            if twin is not None:
                buttons.append([Button("→ " + _label(twin.title), payload("playbook", "show", rid))])
        buttons.append(outcome_row(entry.id, "p", 0, lang))  # 👍 / 👎 / 💬: the objection skill's feedback loop
        data = {
            **base,
            "source_ids": source_ids,
            "entry_id": entry.id,
            "kind": entry.kind,
            "title": entry.title,
            "related_ids": related,
            "grounded_by": grounded_by,
            "found": True,
        }
        return Reply(text="\n".join(lines), buttons=buttons, data=data, intent="answer")

    @staticmethod
    def _related(entry: Entry, book: Playbook, others: list[Passage], limit: int) -> list[str]:
        ids: list[str] = []
        for rid in [*entry.related, *(p.id for p in others)]:
            if rid != entry.id and rid not in ids and book.get(rid, entry.lang) is not None:
                ids.append(rid)
        return ids[:limit]

    def _not_found(self, lang: str, hits: list[Passage], book: Playbook, base: dict[str, Any]) -> Reply:
        nearest = [p.id for p in hits[:3]]
        lines = [t(MESSAGES, "not_found", lang)]
        buttons = []
        if nearest:
            lines.append(t(MESSAGES, "nearest", lang))
            for rid in nearest:
                twin = book.get(rid, lang)
                if twin is not None:
                    buttons.append([Button("→ " + _label(twin.title), payload("playbook", "show", rid))])
        data = {**base, "source_ids": [], "nearest_ids": nearest, "grounded_by": "extractive", "found": False}
        return Reply(text="\n".join(lines), buttons=buttons, data=data, intent="not_found")

    @staticmethod
    def _full(entry: Entry, lang: str) -> Reply:
        lines = [f"📘 <b>{esc(entry.title)}</b>"]
        for section, text in entry.sections.items():
            label = SECTION_LABELS.get(section, {}).get(lang, section)
            lines.append(f"\n<b>{esc(label)}</b>\n{esc(text)}")
        lines.append(f"\n<i>{esc(t(MESSAGES, 'source', lang, ids=entry.id))}</i>")
        data = {"source_ids": [entry.id], "entry_id": entry.id, "kind": entry.kind, "lang": lang,
                "grounded_by": "extractive", "full": True}
        return Reply(text="\n".join(lines), data=data, intent="more")

    # -- services ----------------------------------------------------------------------------------

    @staticmethod
    def _config(services: Services) -> PlaybookConfig:
        return services.config.playbook

    @staticmethod
    def _playbook(retriever: Retriever) -> Playbook:
        from knowledge.content import Playbook, load_playbook

        book = getattr(retriever, "playbook", None)
        return book if isinstance(book, Playbook) else load_playbook()  # parsed once while unchanged

