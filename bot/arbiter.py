"""The arbiter: the one routing policy for free text, and for messages that arrive while a flow is open.

Skills speak only for themselves (their recogniser's ``score``, their example phrasings, how plausible a
message is as an answer to their open question); the arbiter alone decides between them, with the numbers
in :class:`RoutingConfig` (settings ``ROUTING__*``). It names no skill: fallback roles (who answers open
questions nobody claims, who is offered when unsure) are attributes the skills declare.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.routing_config import RoutingConfig
from skills.contract import Skill
from skills.lazyre import lazy

if TYPE_CHECKING:
    from knowledge.model_store import StoredModel
    from knowledge.text_features import FittedTfidf

__all__ = ["Arbiter", "Decision", "FlowVerdict", "RoutingConfig", "is_cancel"]

log = logging.getLogger(__name__)


# Ending a flow in words, as /cancel does: the whole message, give or take filler and punctuation.
_CANCEL = lazy(
    r"^(?:(?:ok(?:ay)?|oh|ah|no|nah|please|pls|just|hmm+|um+)[\s,]+)*"
    r"(?:cancel(?:\s+(?:it|that|this))?|stop(?:\s+(?:it|that|this))?|never\s*mind|nvm|forget\s+(?:it|that|about\s+it)|"
    r"drop\s+(?:it|that|this)|abort|quit|exit|leave\s+it|skip\s+it|no\s+thanks?|not\s+now|scrap\s+(?:it|that)|"
    r"取消|算了|算啦|不用了|不用|不要了|不要|先不用了?|先这样|停|停止|退出|没事了?|不做了|不弄了|别弄了|放弃)"
    r"(?:[\s,]*(?:please|pls|thanks?|thank\s+you|then|for\s+now|吧|啦|了|谢谢|哈|啊))*"
    r"[\s.!。！~～]*$",
    re.IGNORECASE,
)

_QUESTION = lazy(
    r"[?？]|^\s*(how|what|what's|whats|why|when|where|who|which|can|could|should|is|are|do|does)\b|"
    r"怎么|如何|什么|为什么|吗|呢|哪|能否|是否",
    re.IGNORECASE,
)
# Asking how to do something (stronger than a question: "any red flags on Acme?" is a lookup, not this).
_HOWTO = lazy(
    r"\b(how\s+(do|to|should|can)|what\s+(should|can|do)\s+(i|we)|explain|explanation|difference\s+between|first\s+step|"
    r"what\s+to\s+(do|ask|say)|what\s+questions?|questions?\s+(to|i\s+should|should\s+i)\s+ask|advise|advice|"
    r"tips?\s+(on|for)|best\s+way|quick\s+way)\b|"
    r"怎么(?!样|了)|(?<!情况)如何(?![\s?？。!！呢啊吧了]*$)|区别|第一步|干什么|该怎|应该|要不要|要记|注意什么|哪些指标|技巧|"
    r"(?:要|该)问(?:什么|哪些|啥)|问(?:什么|哪些|啥)问题",
    re.IGNORECASE,
)
# Someone else's words being reported: then the officer is not asking their own question.
_REPORTED = lazy(
    r"\b(client|customer|prospect|buyer|owner|boss|cfo|he|she|they|their\s+\w+)\s+"
    r"(says?|said|asks?|asked|thinks?|feels?|complains?|wants?|won'?t|doesn'?t|don'?t|is\s+not|isn'?t|refuses?|"
    r"worries|worried|argues?|insists?|claims?|keeps?|pushes?|objects?)\b|"
    # a message that opens on the client in the third person: "she's tired of…", "they fear…", "he moans…"
    r"^\s*(?:he|she|they)(?:'s|’s|'re|’re|'ve|\s+(?:fears?|feared|moans?|grumbles?|hates?|dislikes?|doubts?|"
    r"only|just|still|never|already|prefers?|have|has|had|may|might|would|will|won't|can't|cannot|are|were|was))\b|"
    # a named party's words ("Risky Textiles says the deposit is too high", "acme said…")
    r"\b(?!it\b|that\b|this\b|which\b|who\b|what\b)\w[\w&.'’-]*\s+(says|said|complains?|complained|insists?|insisted|"
    r"argues?|argued|claims?|claimed|objects?|objected)\b|"
    # a named party's refusal ("Acme won't sign a personal guarantee"): not the officer's own (I, we, you)
    r"^\s*(?!(?:i|we|you|u|it|that|this|there|what|who|which|how|pls|please)\b)[\w&.'’-]+(?:\s+[\w&.'’-]+)?\s+"
    r"(?:won'?t|wont|refuses?|refused|doesn'?t\s+want|does\s+not\s+want|isn'?t\s+happy|is\s+not\s+happy|"
    r"hates?|pushes\s+back|pushed\s+back)\b|"
    r"客户(说|问|嫌|觉得|担心|认为|抱怨|不愿|不想|不肯|要求|坚持|质疑|反映|表示|怕)|他(说|问|嫌|觉得|担心|不愿|不想)|"
    # a named client's complaint ("华东纺织嫌保证金太高", "Acme抱怨放款慢"): 嫌/抱怨 are someone else's words
    r"[\u4e00-\u9fffA-Za-z](?<![我你])(嫌|抱怨)|"
    # … and a named client's words ("华东纺织说利息太高了"), not "怎么说", "听说", "再说", "说明"
    r"[\u4e00-\u9fffA-Za-z](?<![我你么听再如是以要该就会能])说(?![明法一话])|"
    r"(老板|财务|对方|他们)(说|问|嫌|觉得|担心|不愿|不想|不肯)",
    re.IGNORECASE,
)


def _reported(text: str) -> bool:
    """Someone else's words, and not inside the officer's own how-to question ("怎么处理客户说再考虑一下的情况",
    "how should I handle a client who says it is too expensive": the officer asks, the client is the subject)."""
    quoted = _REPORTED.search(text)
    if quoted is None:
        return False
    asked = _HOWTO.search(text)
    return asked is None or asked.start() > quoted.start()


def is_cancel(text: str) -> bool:
    """True when the whole message says "stop this" ("cancel", "never mind", "取消", "算了", "不用了")."""
    return bool(_CANCEL.match(unicodedata.normalize("NFKC", text).strip()))


@dataclass(frozen=True, slots=True)
class Decision:
    """Where free text should go: a skill (``how`` says why) or, with ``skill`` None, ask among ``candidates``."""

    skill: str | None
    confidence: float
    how: str  # "pattern" | "reported" | "arbitrated" | "classifier" | "question" | "clarify"
    candidates: tuple[str, ...] = ()
    leader: str = ""  # when asking: the skill the classifier ranked first, though not clearly enough

    @property
    def routed(self) -> bool:
        return self.skill is not None


@dataclass(frozen=True, slots=True)
class FlowVerdict:
    """What to do with a message while a flow is open: ``answer`` it in the flow, or ``leave`` for ``decision``."""

    action: str  # "answer" | "leave"
    fit: float
    decision: Decision | None = None


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


_LATIN_WORD = re.compile(r"[a-z][a-z'’]*|\d+(?:\.\d+)?")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_jieba_lock = threading.Lock()


def _words(text: str) -> list[str]:
    """Word tokens for English and Chinese alike: Latin words and numbers, jieba words of every Han run."""
    from knowledge.zh_words import cut  # the process's one jieba dictionary: loaded when the classifier is trained

    tokens = _LATIN_WORD.findall(text)
    for run in _HAN_RUN.findall(text):
        with _jieba_lock:
            tokens.extend(cut(run))
    return tokens


_EVIDENCE_LEVELS = (0.8, 0.85, 0.9, 0.95, 1.0)


class _Classifier:
    """P(skill | message): logistic regression over character n-grams, words (jieba for Chinese) and the
    skills' own recogniser scores, trained on every skill's declared phrasings.

    It runs from plain arrays (the fitted weights, each TF-IDF block's vocabulary and idf): scikit-learn is
    needed only to train it (:meth:`train`), and a stored model (:func:`_load_or_train`) never imports it."""

    def __init__(
        self,
        names: list[str],
        weight: float,
        classes: list[str] | None = None,
        coef: Any = None,
        intercept: Any = None,
        blocks: tuple[FittedTfidf, ...] = (),
    ) -> None:
        self.names = names
        self.weight = weight
        self.classes = classes or []
        self.coef = coef  # (classes, features): char n-grams, words, recogniser scores; two rows for two classes
        self.intercept = intercept
        self.blocks = blocks
        self._compiled: _Compiled | None = None

    @classmethod
    def train(cls, skills: list[Skill], recogniser_weight: float, regularisation: float) -> _Classifier:
        """Fit with scikit-learn (imported here, only when no stored model fits)."""
        return cls.from_stored(*_fit(skills, recogniser_weight, regularisation))

    @classmethod
    def from_stored(cls, arrays: dict[str, Any], meta: dict[str, Any]) -> _Classifier:
        """The classifier from :func:`_fit`'s arrays and metadata (as stored); ValueError when they disagree."""
        import numpy as np

        from knowledge.text_features import FittedTfidf, char_wb_analyzer

        names, classes, weight = list(meta["names"]), list(meta["classes"]), float(meta["weight"])
        if not classes:
            return cls(names, weight)
        chars = FittedTfidf.from_terms(char_wb_analyzer(1, 4), meta["chars"], arrays["chars_idf"])
        words = FittedTfidf.from_terms(_words, meta["words"], arrays["words_idf"])
        coef = np.asarray(arrays["coef"], dtype=float)
        intercept = np.asarray(arrays["intercept"], dtype=float)
        if coef.shape != (len(classes), len(chars) + len(words) + len(names)) or intercept.shape != (len(classes),):
            raise ValueError(f"routing model arrays do not fit: coef {coef.shape}, intercept {intercept.shape}")
        return cls(names, weight, classes, coef, intercept, (chars, words))

    def probabilities(self, text: str, scores: dict[str, float]) -> list[tuple[str, float]]:
        """The model's ``predict_proba`` for one message, computed from the fitted weights directly: only the
        features the message has are looked up (scikit-learn's per-call input validation and sparse-matrix
        assembly cost more than the arithmetic for a single short message)."""
        if not self.classes:
            return []
        import numpy as np

        compiled = self._compiled or self._compile()
        norm = _normalise(text)
        logits = compiled.intercept + np.asarray([scores.get(name, 0.0) for name in self.names]) @ compiled.scores
        for part in compiled.parts:
            part.add(norm, logits)
        logits -= logits.max()
        probs = np.exp(logits)
        probs /= probs.sum()
        return sorted(zip(self.classes, (float(p) for p in probs), strict=True), key=lambda kv: kv[1], reverse=True)

    def _compile(self) -> _Compiled:
        import numpy as np

        parts = []
        offset = 0
        for block in self.blocks:
            weights = np.ascontiguousarray(self.coef[:, offset : offset + len(block)].T)
            parts.append(_Part(block, weights))
            offset += len(block)
        scores = self.coef[:, offset:].T * self.weight
        self._compiled = _Compiled(self.intercept, scores, tuple(parts))
        return self._compiled


def _fit(skills: list[Skill], weight: float, regularisation: float) -> StoredModel:
    """Train the classifier with scikit-learn; its arrays (binary models in the two-row softmax form) and
    metadata, as :class:`_Classifier` reads them and :mod:`knowledge.model_store` keeps them."""
    return _arrays([s.name for s in skills], weight, _fit_sklearn(skills, weight, regularisation))


def _arrays(names: list[str], weight: float, fitted: tuple[Any, Any, Any] | None) -> StoredModel:
    """The arrays and metadata of :func:`_fit_sklearn`'s vectorisers and model (None: no model)."""
    import numpy as np

    meta: dict[str, Any] = {"names": names, "classes": [], "weight": weight}
    if fitted is None:
        return {}, meta
    chars, words, model = fitted
    coef = np.asarray(model.coef_, dtype=float)
    intercept = np.asarray(model.intercept_, dtype=float)
    if coef.shape[0] == 1:  # two skills only: scikit-learn's binary form, P(second) = sigmoid(z) = softmax(-z/2, z/2)
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.asarray([-intercept[0] / 2, intercept[0] / 2])
    meta["classes"] = [str(c) for c in model.classes_]
    meta["chars"] = chars.get_feature_names_out().tolist()
    meta["words"] = words.get_feature_names_out().tolist()
    arrays = {"coef": coef, "intercept": intercept, "chars_idf": chars.idf_, "words_idf": words.idf_}
    return arrays, meta


def _fit_sklearn(skills: list[Skill], weight: float, regularisation: float) -> tuple[Any, Any, Any] | None:
    """The fitted character and word vectorisers and the logistic regression (None: fewer than two skills
    have phrasings). scikit-learn and scipy are imported here only."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts: list[str] = []
    labels: list[str] = []
    for skill in skills:
        for phrases in skill.phrasings().values():
            for phrase in phrases:
                texts.append(_normalise(phrase))
                labels.append(skill.name)
    if len(set(labels)) < 2:
        return None
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1)
    words = TfidfVectorizer(analyzer=_words, sublinear_tf=True)
    scores = [[s.score(text, "en") for s in skills] for text in texts]
    # Evidence rows: a skill's recogniser sure of its own skill, with nothing else to go on, means that skill
    # (its examples cannot show this when the evidence comes from the officer's data, e.g. a client's name).
    for i, skill in enumerate(skills):
        for level in _EVIDENCE_LEVELS:
            texts.append("")
            labels.append(skill.name)
            scores.append([level if j == i else 0.0 for j in range(len(skills))])
    x_chars, x_words = chars.fit_transform(texts), words.fit_transform(texts)
    features = hstack([x_chars, x_words, csr_matrix(np.asarray(scores) * weight)]).tocsr()
    model = LogisticRegression(C=regularisation, max_iter=3000, class_weight="balanced")
    model.fit(features, labels)
    return chars, words, model


@dataclass(frozen=True, slots=True)
class _Part:
    """One TF-IDF block of the classifier (sublinear tf, l2 norm, as fitted), with its rows of the weights."""

    block: FittedTfidf
    weights: Any  # (features, classes)

    def add(self, text: str, logits: Any) -> None:
        row = self.block.row(text)
        if row is not None:
            columns, values = row
            logits += values @ self.weights[columns]


@dataclass(frozen=True, slots=True)
class _Compiled:
    intercept: Any
    scores: Any  # (skills, classes), already times the recogniser weight
    parts: tuple[_Part, ...]


_trained_lock = threading.Lock()
_TRAINED: dict[tuple[tuple[int, ...], float, float], _Classifier] = {}


def _trained(skills: tuple[Skill, ...], weight: float, regularisation: float, cache: Path | None) -> _Classifier:
    """The classifier for these skills and settings: trained once per process (skills are singletons), and
    kept on disk under ``cache`` keyed by everything it is learned from, so a restart does not retrain."""
    key = (tuple(id(s) for s in skills), weight, regularisation)
    with _trained_lock:
        if key not in _TRAINED:
            _TRAINED[key] = _load_or_train(skills, weight, regularisation, cache)
        return _TRAINED[key]


def _fingerprint(skills: tuple[Skill, ...], weight: float, regularisation: float) -> str:
    """Digest of the phrasings, the settings, scikit-learn's version (read from its metadata: not imported),
    and the code of the skills' recognisers, of this module and of the Chinese word segmentation."""
    import hashlib
    import inspect

    from knowledge import zh_words
    from knowledge.model_store import package_version

    digest = hashlib.sha256(f"{package_version('scikit-learn')}|{weight}|{regularisation}".encode())
    for skill in skills:
        digest.update(repr((skill.name, sorted(skill.phrasings().items()))).encode())
        folder = Path(inspect.getfile(type(skill))).parent
        for source in sorted(folder.glob("*.py")):
            digest.update(source.read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(Path(zh_words.__file__).read_bytes())  # how Chinese is segmented into the word features
    return digest.hexdigest()[:24]


def _load_or_train(skills: tuple[Skill, ...], weight: float, regularisation: float, cache: Path | None) -> _Classifier:
    from knowledge.model_store import load_model, save_model

    path = cache / f"router-{_fingerprint(skills, weight, regularisation)}.npz" if cache else None
    stored = load_model(path) if path is not None else None
    if stored is not None:
        try:
            return _Classifier.from_stored(*stored)
        except (KeyError, ValueError, TypeError, IndexError) as exc:  # arrays that do not fit: retrain
            log.warning("routing model %s does not fit (%s); retraining", path, exc)
    arrays, meta = _fit(list(skills), weight, regularisation)
    if path is not None:
        save_model(path, arrays, meta)
    return _Classifier.from_stored(arrays, meta)


@dataclass
class Arbiter:
    """Decides between skills for free text, and between an open flow and a new request."""

    skills: list[Skill]
    config: RoutingConfig = field(default_factory=RoutingConfig)

    def __post_init__(self) -> None:
        self.by_name = {s.name: s for s in self.skills}
        self._classifier: _Classifier | None = None
        self.claimers = tuple(s.name for s in self.skills if s.claims_reported_speech)
        self.answerer = next((s.name for s in self.skills if s.answers_open_questions), None)

    @property
    def classifier(self) -> _Classifier:
        """Loaded from the cache (or trained, when no stored model fits) on first use — the first free text or
        the start-up warm-up — so a command such as /help never waits for it nor for jieba."""
        if self._classifier is None:
            cfg = self.config
            self._classifier = _trained(tuple(self.skills), cfg.recogniser_weight, cfg.regularisation, cfg.model_cache)
        return self._classifier

    def warm_up(self) -> None:
        """Train or load the classifier now (the runtime calls this in its warm-up thread)."""
        _ = self.classifier

    def decide(self, text: str, lang: str, scores: dict[str, float] | None = None) -> Decision:
        """Route free text; ``scores`` are the skills' own recogniser scores (computed here when not given).

        0. Someone else's words quoted ("client says…"): the skill that claims reported speech, if its recogniser
           gives it at least ``reported_evidence``.
        1. A recogniser sure of its skill routes there; when several are sure, the classifier picks among them.
        2. Otherwise the classifier routes when its probability clears the threshold by the margin — or clears
           the lower ``corroborated_threshold`` while the leader's own recogniser gives the strongest evidence
           in the message (at least ``corroborating_evidence``).
        3. The officer's own question goes to the skill that answers open questions when the chosen skill
           declared it yields to such questions (``yields_to_questions``).
        4. Nothing chosen: an open question goes to the answerer when the classifier ranks it first, its own
           recogniser claims it, or the officer asks how to; anything else is asked about with buttons.
        """
        if scores is None:
            scores = {s.name: s.score(text, lang) for s in self.skills}
        decision = self._candidate(text, scores)
        if self.answerer and decision.skill and self._officer_question(decision.skill, text):
            return Decision(self.answerer, decision.confidence, "question")
        if decision.routed:
            return decision
        if (
            self.answerer
            and _QUESTION.search(text)
            and (decision.leader == self.answerer or scores.get(self.answerer, 0.0) > 0.0 or _HOWTO.search(text))
        ):
            # unsure, but the answerer leads, claims it, or the officer asks how to: asked of the playbook
            return Decision(self.answerer, decision.confidence, "question")
        return decision

    def _candidate(self, text: str, scores: dict[str, float]) -> Decision:
        cfg = self.config
        sure = [name for name, score in scores.items() if score >= cfg.recogniser_sure]
        reported = _reported(text)
        if len(sure) == 1 and not (reported and sure[0] in self.claimers):
            # One recogniser certain of its own skill routes there; it outranks a reported-speech cue inside the
            # message (a memo's "call with Acme: … they want 85% advance", "remind me …").
            return Decision(sure[0], scores[sure[0]], "pattern")
        if reported:
            quoted = [n for n in self.claimers if scores.get(n, 0.0) >= cfg.reported_evidence]
            if quoted:
                return Decision(quoted[0], scores[quoted[0]], "reported")
        ranked = self.classifier.probabilities(text, scores)
        if sure:
            among = [(name, p) for name, p in ranked if name in sure]
            return Decision(among[0][0], among[0][1], "arbitrated")
        name, conf = ranked[0] if ranked else ("", 0.0)
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if name and conf - runner_up >= cfg.margin:
            if conf >= cfg.threshold:
                return Decision(name, conf, "classifier")
            # the leader's own recogniser is the strongest evidence in the message and vouches for it
            own = scores.get(name, 0.0)
            if conf >= cfg.corroborated_threshold and own >= cfg.corroborating_evidence and own >= max(scores.values()):
                return Decision(name, conf, "corroborated")
        return Decision(None, conf, "clarify", self._choices([n for n, p in ranked if p > 0.0]), leader=name)

    def in_flow(
        self, owner: str, fit: float, text: str, lang: str, scores: dict[str, float] | None = None
    ) -> FlowVerdict:
        """Keep a plausible answer (``fit``, the owner's own rating) in the flow; leave only for a clear new request."""
        cfg = self.config
        if fit >= cfg.flow_answer_sure:
            return FlowVerdict("answer", fit)
        decision = self.decide(text, lang, scores)
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
        if skill is None or not skill.yields_to_questions or _reported(text):
            return False
        if skill.yields_to_questions == "question":
            return bool(_QUESTION.search(text) or _HOWTO.search(text))
        return bool(_HOWTO.search(text))
