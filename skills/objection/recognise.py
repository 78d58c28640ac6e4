"""Recognise a client's objection in what an officer typed, without the language model.

Features: character n-gram TF-IDF (script-agnostic, robust to typos) plus word TF-IDF (jieba words for
Chinese, plain words for English), trained with a logistic regression over the cards' titles, triggers and
our own phrasings in both languages. Keyword cues (:data:`skills.objection.cards.CUES`) add to the score of
the card they name; the playbook retriever is fused in only when the classifier is unsure.

:func:`Recogniser.objection_score` answers the router's question — is this an objection at all? — from
reported-speech and complaint cues, topic cues and closeness to known phrasings, and stays ≤ 0.3 for
quotes, reminders, how-to questions, risk and client look-ups and greetings.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge import zh_words
from knowledge.model_store import StoredModel, load_model, package_version, save_model
from knowledge.text_features import FittedTfidf, char_wb_analyzer
from knowledge.zh_words import cut
from skills.objection.cards import ALIASES, CUES, DEV_EXTRA
from skills.objection.phrasings import PHRASINGS

if TYPE_CHECKING:
    from knowledge.content import Playbook
    from knowledge.retrieval import Retriever

__all__ = ["DEFAULT_PARAMS", "Params", "Recogniser", "Recognition", "strip_reported_speech", "training_set"]

log = logging.getLogger(__name__)
# Someone reporting what the client said or feels.
_REPORTED = re.compile(
    r"^\s*(says?|said|thinks?|feels?|complains?|claims?|asks?|wants?|refuses?|won'?t|doesn'?t want)\b(\s+that)?[:,]?|"
    r"\b(the )?(client|customer|he|she|they|boss|owner|cfo|ceo|buyer|seller|prospect|[A-Z][\w&.-]+)'?s?\s+"
    r"(says?|said|thinks?|feels?|complains?|complained|worr(y|ies|ied)|is worried|objects?|argues?|claims?|"
    r"refuses?|refused|won'?t|wont|doesn'?t want|does not want|don'?t want|isn'?t happy|is not happy|hates?|"
    r"insists?|asked|asks|asks for|wants|wanted|would like|requests?|pushes back|pushed back|is pushing back|balks?|is hesitant|keeps saying)\b(\s+that)?[:,]?"
    r"|(客户|对方|老板|他们|他|她|财务|买方)(说|嫌|觉得|担心|不愿意|不愿|不肯|不想|不接受|要求|希望|想|怕|问|认为|抱怨|反映|表示|坚持|质疑|犹豫|顾虑)[：:，,]?",
    re.IGNORECASE,
)
# A complaint or refusal in the message itself.
_COMPLAINT = re.compile(
    r"\btoo (expensive|high|slow|long|many|much|low|small|big|risky|complicated|tight|steep|costly)\b|"
    r"\b(won'?t|wont|refuses? to|doesn'?t want|don'?t want|do not want|does not want|not willing|unwilling|"
    r"no way|deal ?breaker|unacceptable|ridiculous|can'?t afford|not happy|not ready|nervous|worried|"
    r"why (do|does|should|must|would|is|are|can'?t)|can'?t wait|cheaper|expensive|crazy|forever|hassle)\b|"
    r"太贵|太高|太慢|太麻烦|太多|太低|太长|太少|太小|太紧|太重|太复杂|不想|不愿|不肯|不要|嫌|凭什么|为什么要|为什么|不行|"
    r"不能接受|不接受|抱怨|谈不拢|吃不消|扛不住|受不了|担心|怕|没底|犹豫|不信|离谱",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Params:
    """Recogniser settings, chosen by 5-fold cross-validation over our own phrasings (tests/skills/objection/cv.py)."""

    c: float = 0.3  # LinearSVC soft margin
    word_weight: float = 0.8  # word features relative to the character n-grams
    cue_bonus: float = 1.0  # added to the margin of a card whose keyword cue appears
    temperature: float = 8.0  # softmax(temperature × margin) → card probabilities
    route_probability: float = 0.5  # a message nobody else claims is an objection when its top card is this likely
    retriever_weight: float = 0.5  # reciprocal-rank bonus of the retriever's first hit (margin units)
    class_weight: str | None = None


DEFAULT_PARAMS = Params()
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_EN_WORD = re.compile(r"[a-z][a-z'-]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def strip_reported_speech(text: str) -> str:
    """Drop "client says", "客户嫌" and the like, which say nothing about *which* objection it is.

    >>> strip_reported_speech("客户嫌保证金比例太高")
    '保证金比例太高'
    """
    return _REPORTED.sub(" ", text).strip()


def _normalise(text: str) -> str:
    return _DIGITS.sub("0", strip_reported_speech(text).lower())


def _words(text: str) -> list[str]:
    """English words and jieba words of Chinese runs (the analyser of the word features)."""
    out = _EN_WORD.findall(text)
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        out.extend(w for w in cut(run) if w.strip())
    return out


@dataclass(frozen=True, slots=True)
class Recognition:
    """What the recogniser made of a message."""

    ranked: list[tuple[str, float]]  # card id, probability (softmax over the fused margins) — best first
    confidence: float  # is it an objection at all (0..1)
    others: list[str] = field(default_factory=list)  # further objections named in the same message
    margins: dict[str, float] = field(default_factory=dict)  # fused classifier margins (cues included)
    fused: bool = False  # the retriever's ranking is already in

    @property
    def main(self) -> str | None:
        return self.ranked[0][0] if self.ranked else None

    @property
    def probability(self) -> float:
        return self.ranked[0][1] if self.ranked else 0.0

    @property
    def alternatives(self) -> list[str]:
        return [i for i, _ in self.ranked[1:4]]


@dataclass(frozen=True, slots=True)
class _Phrasings:
    """The training phrasings' feature matrix by column (CSC arrays): similarity of a message to each one."""

    data: np.ndarray
    indices: np.ndarray  # row (phrasing) of each value
    indptr: np.ndarray  # column j's values are data[indptr[j]:indptr[j + 1]]
    rows: int

    def similarities(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Each phrasing's dot product with the message whose non-zero ``columns`` hold ``values``: scipy's
        ``matrix.tocsc()[:, columns] @ values``, summed in the same order."""
        starts, ends = self.indptr[columns], self.indptr[columns + 1]
        lengths = ends - starts
        if not lengths.sum():
            return np.zeros(self.rows)
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        weights = self.data[at] * np.repeat(values, lengths)
        return np.bincount(self.indices[at], weights=weights, minlength=self.rows).astype(float)


@dataclass(frozen=True, slots=True)
class _Model:
    """The fitted recogniser as plain arrays (see :func:`_fit`): scored one message at a time by
    :meth:`Recogniser._sparse_rank` without scikit-learn or scipy."""

    classes: list[str]
    blocks: tuple[tuple[FittedTfidf, int, float], ...]  # TF-IDF block, column offset, weight
    coef: np.ndarray  # (features, cards)
    intercept: np.ndarray
    phrasings: _Phrasings

    @classmethod
    def from_stored(cls, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> _Model:
        """From :func:`_fit`'s arrays and metadata (as stored); ValueError when they disagree."""
        word_weight = float(meta["word_weight"])
        chars = FittedTfidf.from_terms(char_wb_analyzer(1, 4), meta["chars"], arrays["chars_idf"])
        words = FittedTfidf.from_terms(_words, meta["words"], arrays["words_idf"])
        classes = [str(c) for c in meta["classes"]]
        coef = np.ascontiguousarray(arrays["coef"], dtype=float)
        intercept = np.asarray(arrays["intercept"], dtype=float)
        features = len(chars) + len(words)
        indptr = np.asarray(arrays["indptr"], dtype=np.intp)
        phrasings = _Phrasings(
            np.asarray(arrays["data"], dtype=float), np.asarray(arrays["indices"], dtype=np.intp), indptr,
            int(meta["rows"]),
        )  # fmt: skip
        if coef.shape != (features, len(classes)) or intercept.shape != (len(classes),) or len(indptr) != features + 1:
            raise ValueError(f"objection model arrays do not fit: coef {coef.shape}, {len(indptr)} column pointers")
        if len(phrasings.data) != len(phrasings.indices) or (
            len(phrasings.indices) and phrasings.indices.max() >= phrasings.rows
        ):
            raise ValueError("objection model: the phrasings' matrix is torn")
        return cls(classes, ((chars, 0, 1.0), (words, len(chars), word_weight)), coef, intercept, phrasings)


def _fit(texts: list[str], labels: list[str], params: Params) -> StoredModel:
    """Train with scikit-learn (a stored model never needs it) and return the arrays and metadata :class:`_Model`
    reads. Two cards (scikit-learn's binary form, one margin z) become margins (-z, z)."""
    return _arrays(*_fit_sklearn(texts, labels, params), params)


def _arrays(chars: Any, words: Any, model: Any, matrix: Any, params: Params) -> StoredModel:
    """The arrays and metadata of a fitted model (:func:`_fit_sklearn`'s vectorisers, LinearSVC and matrix)."""
    coef = np.asarray(model.coef_, dtype=float)
    intercept = np.asarray(model.intercept_, dtype=float)
    if coef.shape[0] == 1:
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    columns = matrix.tocsc()
    columns.sort_indices()
    arrays = {
        "chars_idf": chars.idf_,
        "words_idf": words.idf_,
        "coef": np.ascontiguousarray(coef.T),
        "intercept": intercept,
        "data": columns.data.astype(float),
        "indices": columns.indices.astype(np.int64),
        "indptr": columns.indptr.astype(np.int64),
    }
    meta = {
        "classes": [str(c) for c in model.classes_],
        "chars": chars.get_feature_names_out().tolist(),
        "words": words.get_feature_names_out().tolist(),
        "word_weight": params.word_weight,
        "rows": columns.shape[0],
    }
    return arrays, meta


def _fit_sklearn(texts: list[str], labels: list[str], params: Params) -> tuple[Any, Any, Any, Any]:
    """The fitted character and word vectorisers, the LinearSVC and the phrasings' feature matrix (CSR).
    scikit-learn and scipy are imported here only."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1)
    words = TfidfVectorizer(analyzer=_words, sublinear_tf=True)
    x_chars = chars.fit_transform(texts)
    x_words = words.fit_transform(texts) * params.word_weight
    matrix = hstack([x_chars, x_words]).tocsr()
    model = LinearSVC(C=params.c, class_weight=params.class_weight)  # trains in well under a second
    model.fit(matrix, np.array(labels))
    return chars, words, model, matrix


def _fingerprint(texts: list[str], labels: list[str], params: Params) -> str:
    """Digest of everything the model is learned from: the phrasings and their cards, the settings,
    scikit-learn's version (from its metadata: not imported), this module and the Chinese word segmentation."""
    digest = hashlib.sha256(f"{package_version('scikit-learn')}|{sorted(asdict(params).items())}".encode())
    digest.update(repr(list(zip(texts, labels, strict=True))).encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(Path(zh_words.__file__).read_bytes())
    return digest.hexdigest()[:24]


def _load_or_fit(texts: list[str], labels: list[str], params: Params, cache: Path | None) -> _Model:
    """The stored model for these phrasings and settings under ``cache``, or a new one trained and stored."""
    path = cache / f"objection-{_fingerprint(texts, labels, params)}.npz" if cache is not None else None
    stored = load_model(path) if path is not None else None
    if stored is not None:
        try:
            return _Model.from_stored(*stored)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            log.warning("objection model %s does not fit (%s); retraining", path, exc)
    arrays, meta = _fit(texts, labels, params)
    if path is not None:
        save_model(path, arrays, meta)
    return _Model.from_stored(arrays, meta)


def training_set(playbook: Playbook, extra: dict[str, tuple[str, ...]] | None = None) -> tuple[list[str], list[str]]:
    """The normalised phrasings the recogniser learns from and their cards: every objection card's title and
    triggers, and ``extra`` (our own phrasings by default) for the cards the playbook has."""
    texts: list[str] = []
    labels: list[str] = []
    cards = {e.id for e in playbook.of_kind("objection")}
    for entry in playbook.of_kind("objection"):
        for phrase in (entry.title, *entry.triggers):
            texts.append(_normalise(phrase))
            labels.append(entry.id)
    for card_id, phrases in (_default_extra() if extra is None else extra).items():
        if card_id in cards:
            for phrase in phrases:
                texts.append(_normalise(phrase))
                labels.append(card_id)
    if not texts:
        raise ValueError("the playbook has no objection cards")
    return texts, labels


class Recogniser:
    """Card classifier over the playbook's objection cards (both languages in one model).

    With a ``cache`` folder the fitted model is kept there as plain arrays keyed by what it is learned from,
    so a restart loads it without scikit-learn; without one it is trained in memory."""

    def __init__(
        self,
        playbook: Playbook,
        *,
        extra: dict[str, tuple[str, ...]] | None = None,
        params: Params = DEFAULT_PARAMS,
        cache: Path | None = None,
    ) -> None:
        self.params = params
        texts, labels = training_set(playbook, extra)
        self.ids = sorted(set(labels))
        self.model = _load_or_fit(texts, labels, params, cache)
        self.classes = self.model.classes

    # -- which card ----------------------------------------------------------------------------

    def cue_hits(self, text: str) -> list[str]:
        """Cards whose strongest keyword cues appear in ``text``, in the order they first appear."""
        found: list[tuple[int, str]] = []
        for card_id, pattern in CUES.items():
            if card_id not in self.classes:
                continue
            m = pattern.search(text)
            if m:
                found.append((m.start(), card_id))
        return [c for _, c in sorted(found)]

    def rank(self, text: str) -> tuple[dict[str, float], float, list[str]]:
        """Fused margins per card (classifier + cues), the nearest known phrasing's similarity, and the cue hits."""
        margins, sims = self._sparse_rank(_normalise(text))
        scores = {c: float(m) for c, m in zip(self.classes, margins, strict=True)}
        hits = self.cue_hits(text)
        for card_id in hits:
            scores[card_id] += self.params.cue_bonus
        sims = sims / (1 + self.params.word_weight**2)  # two unit blocks → [0, 1]
        nearest = float(sims.max()) if sims.size else 0.0
        return scores, nearest, hits

    def _sparse_rank(self, norm: str) -> tuple[np.ndarray, np.ndarray]:
        """``decision_function`` and the similarity to every known phrasing (``linear_kernel``), from the few
        features ``norm`` has: the same numbers as the vectorisers' ``transform`` and the model's
        ``decision_function``, without scikit-learn (and its per-call validation and sparse-matrix assembly)."""
        model = self.model
        rows: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for block, offset, weight in model.blocks:
            row = block.row(norm)
            if row is not None:
                rows.append(row[0] + offset)
                values.append(row[1] * weight)
        if not rows:
            return model.intercept.copy(), np.zeros(model.phrasings.rows)
        at, x = np.concatenate(rows), np.concatenate(values)
        return model.intercept + x @ model.coef[at], model.phrasings.similarities(at, x)

    def _probabilities(self, margins: dict[str, float]) -> list[tuple[str, float]]:
        ids = list(margins)
        z = np.array([margins[i] for i in ids]) * self.params.temperature
        p = np.exp(z - z.max())
        p /= p.sum()
        return sorted(zip(ids, (float(x) for x in p), strict=True), key=lambda kv: kv[1], reverse=True)

    def fuse(self, found: Recognition, text: str, retriever: Retriever, lang: str | None) -> Recognition:
        """Add a reciprocal-rank bonus from the playbook retriever (objection entries only) and re-rank."""
        if found.fused or not found.margins:
            return found
        passages = retriever.search(text, 5, lang=lang, kind="objection")
        bonus: dict[str, float] = {}
        for position, passage in enumerate(passages):
            if passage.id not in bonus:
                bonus[passage.id] = self.params.retriever_weight / (1 + position)
        margins = {cid: m + bonus.get(cid, 0.0) for cid, m in found.margins.items()}
        return Recognition(ranked=self._probabilities(margins), confidence=found.confidence, others=found.others,
                           margins=margins, fused=True)  # fmt: skip

    # -- is it an objection at all -----------------------------------------------------------

    def objection_score(
        self,
        text: str,
        *,
        nearest: float | None = None,
        hits: Iterable[str] | None = None,
        top: float | None = None,
        probability: float | None = None,
    ) -> float:
        """Confidence that ``text`` reports a client's objection (router routes at ≥ 0.75)."""
        text = text.strip()
        if not text or text.startswith("/"):
            return 0.0
        if nearest is None or hits is None or top is None or probability is None:
            margins, nearest, hits_list = self.rank(text)
            top = max(margins.values()) if margins else -1.0
            probability = self._probabilities(margins)[0][1] if margins else 0.0
        else:
            hits_list = list(hits)
        reported = bool(_REPORTED.search(text))
        complaint = bool(_COMPLAINT.search(text))
        topic = bool(hits_list)
        voiced = reported or complaint
        if voiced and topic:
            return 0.95
        if topic and nearest >= 0.3:
            return 0.85
        if voiced and (top >= -0.3 or nearest >= 0.22):
            return 0.8
        if nearest >= 0.5 and top >= -0.3:
            return 0.8
        if probability >= self.params.route_probability and (topic or voiced or nearest >= 0.4):
            return 0.78
        if topic and nearest >= 0.2:
            return 0.6
        # No topic, no voice and no clear card: chit-chat that merely shares letters with a phrasing.
        return round(min(0.6 if probability >= 0.3 else 0.3, nearest), 3)

    def recognise(
        self,
        text: str,
        *,
        retriever: Retriever | None = None,
        lang: str | None = None,
        margin: float = 1.0,
        secondary_gap: float = 0.9,
    ) -> Recognition:
        """Rank the cards for ``text``, say how sure we are it is an objection, and list further ones.

        With a ``retriever``, its ranking is fused in when the top card's probability is below ``margin``.
        """
        margins, nearest, hits = self.rank(text)
        ranked = self._probabilities(margins)
        top_margin = max(margins.values()) if margins else -1.0
        confidence = self.objection_score(
            text, nearest=nearest, hits=hits, top=top_margin, probability=ranked[0][1] if ranked else 0.0
        )
        main = ranked[0][0] if ranked else None
        top = margins.get(main, 0.0) if main else 0.0
        others = [c for c in hits if c != main and margins.get(c, -9.0) >= top - secondary_gap]
        # A second topic only counts when it sits in its own clause ("rate too high and no guarantee").
        if others and not re.search(r"\b(and|also|plus|but|as well)\b|[,，;；、]|还|也|而且|另外|并且", text, re.I):
            others = []
        found = Recognition(ranked=ranked, confidence=confidence, others=others[:2], margins=margins)
        if retriever is not None and ranked and ranked[0][1] < margin:
            found = self.fuse(found, text, retriever, lang)
        return found


def _default_extra() -> dict[str, tuple[str, ...]]:
    """Our own phrasings: ``cards.DEV_EXTRA`` and ``phrasings.PHRASINGS``, per card."""
    out = {card: list(phrases) for card, phrases in DEV_EXTRA.items()}
    for card, (en, zh) in PHRASINGS.items():
        out.setdefault(card, []).extend((*en, *zh))
    return {card: tuple(dict.fromkeys(p)) for card, p in out.items()}


def alias_help() -> str:
    """``rate · fees · …`` for usage messages."""
    return " · ".join(ALIASES)
