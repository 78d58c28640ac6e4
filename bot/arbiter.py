"""The arbiter: the one routing policy for free text, and for messages that arrive while a flow is open.

Skills speak only for themselves (their recogniser's ``score``, their example phrasings, how plausible a
message is as an answer to their open question); the arbiter alone decides between them, with the numbers
in :class:`RoutingConfig` (settings ``ROUTING__*``). It names no skill: fallback roles (who answers open
questions nobody claims, who is offered when unsure) are attributes the skills declare.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from bot.routing_config import RoutingConfig
from skills.contract import Skill

__all__ = ["Arbiter", "Decision", "FlowVerdict", "RoutingConfig", "is_cancel"]


# Ending a flow in words, as /cancel does: the whole message, give or take filler and punctuation.
_CANCEL = re.compile(
    r"^(?:(?:ok(?:ay)?|oh|ah|no|nah|please|pls|just|hmm+|um+)[\s,]+)*"
    r"(?:cancel(?:\s+(?:it|that|this))?|stop(?:\s+(?:it|that|this))?|never\s*mind|nvm|forget\s+(?:it|that|about\s+it)|"
    r"drop\s+(?:it|that|this)|abort|quit|exit|leave\s+it|skip\s+it|no\s+thanks?|not\s+now|scrap\s+(?:it|that)|"
    r"取消|算了|算啦|不用了|不用|不要了|不要|先不用了?|先这样|停|停止|退出|没事了?|不做了|不弄了|别弄了|放弃)"
    r"(?:[\s,]*(?:please|pls|thanks?|thank\s+you|then|for\s+now|吧|啦|了|谢谢|哈|啊))*"
    r"[\s.!。！~～]*$",
    re.IGNORECASE,
)

_QUESTION = re.compile(
    r"[?？]|^\s*(how|what|what's|whats|why|when|where|who|which|can|could|should|is|are|do|does)\b|"
    r"怎么|如何|什么|为什么|吗|呢|哪|能否|是否",
    re.IGNORECASE,
)
# Asking how to do something (stronger than a question: "any red flags on Acme?" is a lookup, not this).
_HOWTO = re.compile(
    r"\b(how\s+(do|to|should|can)|what\s+(should|can|do)\s+i|explain|explanation|difference\s+between|first\s+step|"
    r"what\s+to\s+do|advise|advice|tips?\s+(on|for)|best\s+way|quick\s+way)\b|"
    r"怎么|如何|区别|第一步|干什么|该怎|应该|要不要|要记|注意什么|哪些指标|技巧",
    re.IGNORECASE,
)
# Someone else's words being reported: then the officer is not asking their own question.
_REPORTED = re.compile(
    r"\b(client|customer|prospect|buyer|owner|boss|cfo|he|she|they|their\s+\w+)\s+"
    r"(says?|said|asks?|asked|thinks?|feels?|complains?|wants?|won'?t|doesn'?t|don'?t|is\s+not|isn'?t|refuses?|"
    r"worries|worried|argues?|insists?|claims?|keeps?|pushes?|objects?)\b|"
    r"客户(说|问|嫌|觉得|担心|认为|抱怨|不愿|不想|不肯|要求|坚持|质疑|反映|表示|怕)|他(说|问|嫌|觉得|担心|不愿|不想)|"
    r"(老板|财务|对方|他们)(说|问|嫌|觉得|担心|不愿|不想|不肯)",
    re.IGNORECASE,
)


def is_cancel(text: str) -> bool:
    """True when the whole message says "stop this" ("cancel", "never mind", "取消", "算了", "不用了")."""
    return bool(_CANCEL.match(unicodedata.normalize("NFKC", text).strip()))


@dataclass(frozen=True, slots=True)
class Decision:
    """Where free text should go: a skill (``how`` says why) or, with ``skill`` None, ask among ``candidates``."""

    skill: str | None
    confidence: float
    how: str  # "pattern" | "similarity" | "question" | "clarify"
    candidates: tuple[str, ...] = ()

    @property
    def routed(self) -> bool:
        return self.skill is not None


@dataclass(frozen=True, slots=True)
class FlowVerdict:
    """What to do with a message while a flow is open: ``answer`` it in the flow, or ``leave`` for ``decision``."""

    action: str  # "answer" | "leave"
    fit: float
    decision: Decision | None = None


class _Similarity:
    """Nearest example phrasing per skill (char n-grams, language-agnostic)."""

    def __init__(self, skills: list[Skill]) -> None:
        self.labels: list[str] = []
        texts: list[str] = []
        for skill in skills:
            for phrases in skill.examples.values():
                for phrase in phrases:
                    self.labels.append(skill.name)
                    texts.append(phrase.lower())
        self.vectorizer: TfidfVectorizer | None = None
        if texts:
            self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
            self.matrix = self.vectorizer.fit_transform(texts)

    def rank(self, text: str) -> list[tuple[str, float]]:
        if self.vectorizer is None:
            return []
        sims = linear_kernel(self.vectorizer.transform([text.lower()]), self.matrix)[0]
        best: dict[str, float] = {}
        for label, score in zip(self.labels, sims, strict=True):
            best[label] = max(best.get(label, 0.0), float(score))
        return sorted(best.items(), key=lambda kv: kv[1], reverse=True)


@dataclass
class Arbiter:
    """Decides between skills for free text, and between an open flow and a new request."""

    skills: list[Skill]
    config: RoutingConfig = field(default_factory=RoutingConfig)

    def __post_init__(self) -> None:
        self.by_name = {s.name: s for s in self.skills}
        self.similarity = _Similarity(self.skills)
        self.answerer = next((s.name for s in self.skills if s.answers_open_questions), None)

    def decide(self, text: str, lang: str) -> Decision:
        """Route free text: a sure recogniser, else the best-supported skill by a clear margin, else ask."""
        cfg = self.config
        scored = sorted(((s.name, s.score(text, lang)) for s in self.skills), key=lambda kv: kv[1], reverse=True)
        top_name, top_score = scored[0] if scored else ("", 0.0)
        if self.answerer and self._officer_question(top_name, text):
            return Decision(self.answerer, top_score, "question")
        if top_score >= cfg.recogniser_sure:
            return Decision(top_name, top_score, "pattern")
        merged: dict[str, float] = {name: score for name, score in scored if score >= cfg.recogniser_evidence}
        for name, sim in self.similarity.rank(text):
            merged[name] = max(merged.get(name, 0.0), sim)
        best = sorted(merged.items(), key=lambda kv: kv[1], reverse=True)
        name, conf = best[0] if best else ("", 0.0)
        runner_up = best[1][1] if len(best) > 1 else 0.0
        if name and conf >= cfg.threshold and conf - runner_up >= cfg.margin:
            return Decision(name, conf, "similarity")
        if self.answerer and _QUESTION.search(text):
            return Decision(self.answerer, conf, "question")
        return Decision(None, conf, "clarify", self._choices([n for n, s in best if s > 0.0]))

    def in_flow(self, owner: str, fit: float, text: str, lang: str) -> FlowVerdict:
        """Keep a plausible answer (``fit``, the owner's own rating) in the flow; leave only for a clear new request."""
        cfg = self.config
        if fit >= cfg.flow_answer_sure:
            return FlowVerdict("answer", fit)
        decision = self.decide(text, lang)
        clear = decision.routed and decision.confidence >= cfg.flow_leave_confidence
        if clear and (decision.skill != owner or fit < cfg.flow_answer_floor):
            return FlowVerdict("leave", fit, decision)
        return FlowVerdict("answer", fit, decision)

    def _choices(self, ranked: list[str]) -> tuple[str, ...]:
        offered = {s.name for s in self.skills if s.offered_when_unsure}
        padding = sorted((s for s in self.skills if s.default_choice > 0), key=lambda s: -s.default_choice)
        ordered = [n for n in ranked if n in offered] + [s.name for s in padding]
        return tuple(dict.fromkeys(ordered))[: self.config.clarify_choices]

    def _officer_question(self, top: str, text: str) -> bool:
        """A question in the officer's own voice that the top skill declared it yields to the answerer."""
        skill = self.by_name.get(top)
        if skill is None or not skill.yields_to_questions or _REPORTED.search(text):
            return False
        if skill.yields_to_questions == "question":
            return bool(_QUESTION.search(text) or _HOWTO.search(text))
        return bool(_HOWTO.search(text))
