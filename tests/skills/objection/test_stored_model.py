"""The objection recogniser from stored arrays: scikit-learn's numbers, kept on disk, retrained when torn or stale."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from scipy.sparse import hstack
from sklearn.metrics.pairwise import linear_kernel

from knowledge.content import load_playbook
from knowledge.model_store import load_model, save_model
from skills.objection import recognise
from skills.objection.recognise import DEFAULT_PARAMS, Params, Recogniser, _arrays, _fit_sklearn, _Model, training_set

MESSAGES = [
    "client says the rate is too high",
    "客户嫌手续费太高",
    "they refuse to post a margin deposit",
    "the boss won't sign a personal guarantee, and approval is too slow",
    "客户说别家利率更低，而且审批太慢",
    "Acme's CFO thinks factoring looks desperate",
    "remind me tomorrow to call Acme",
    "quote 1.2m 90d",
    "hello",
    "😀",
    "",
    "zzzz qqqq",
    "费率 too high 太贵了!!",
]


def _features(chars: object, words: object, text: str, params: Params) -> object:
    norm = recognise._normalise(text)
    return hstack([chars.transform([norm]), words.transform([norm]) * params.word_weight]).tocsr()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def fitted() -> tuple[object, object, object, object]:
    texts, labels = training_set(load_playbook())
    return _fit_sklearn(texts, labels, DEFAULT_PARAMS)


def test_stored_arrays_give_scikit_learn_s_margins_and_similarities(
    fitted: tuple[object, object, object, object], tmp_path: Path
) -> None:
    chars, words, model, matrix = fitted
    path = tmp_path / "objection.npz"
    assert save_model(path, *_arrays(chars, words, model, matrix, DEFAULT_PARAMS))
    stored = load_model(path)
    assert stored is not None
    rec = object.__new__(Recogniser)
    rec.params, rec.model = DEFAULT_PARAMS, _Model.from_stored(*stored)
    rec.classes = rec.model.classes
    assert rec.classes == [str(c) for c in model.classes_]  # type: ignore[attr-defined]
    for text in MESSAGES:
        features = _features(chars, words, text, DEFAULT_PARAMS)
        margins, sims = rec._sparse_rank(recognise._normalise(text))
        np.testing.assert_allclose(margins, model.decision_function(features)[0], rtol=0, atol=1e-9, err_msg=text)  # type: ignore[attr-defined]
        np.testing.assert_allclose(sims, linear_kernel(features, matrix)[0], rtol=0, atol=1e-9, err_msg=text)


def _two_card_book() -> SimpleNamespace:
    cards = [
        SimpleNamespace(id="rate", title="rate too high", triggers=("interest too high", "too expensive")),
        SimpleNamespace(id="fee", title="fees too high", triggers=("service fee", "hidden charges")),
    ]
    return SimpleNamespace(of_kind=lambda kind: cards if kind == "objection" else [])


def test_two_cards_rank_from_scikit_learn_s_single_binary_margin() -> None:
    book = _two_card_book()
    texts, labels = training_set(book, {})  # type: ignore[arg-type]
    chars, words, model, matrix = _fit_sklearn(texts, labels, DEFAULT_PARAMS)
    rec = object.__new__(Recogniser)
    rec.params, rec.model = DEFAULT_PARAMS, _Model.from_stored(*_arrays(chars, words, model, matrix, DEFAULT_PARAMS))
    rec.classes = rec.model.classes
    for text in ("the interest rate is too high", "the service fee", "hello"):
        z = model.decision_function(_features(chars, words, text, DEFAULT_PARAMS))[0]  # type: ignore[attr-defined]
        margins = rec.rank(text)[0]
        assert margins["rate"] == pytest.approx(z, abs=1e-9) and margins["fee"] == pytest.approx(-z, abs=1e-9)
    assert Recogniser(book, extra={}).recognise("the interest rate is too high").main == "rate"  # type: ignore[arg-type]


def test_the_model_is_stored_and_then_loaded_without_training(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = load_playbook()
    first = Recogniser(book, cache=tmp_path)
    [stored] = tmp_path.glob("objection-*.npz")

    def no_training(*args: object) -> None:
        raise AssertionError("trained again although a stored model fits")

    monkeypatch.setattr(recognise, "_fit_sklearn", no_training)
    again = Recogniser(book, cache=tmp_path)
    assert list(tmp_path.iterdir()) == [stored]
    for text in MESSAGES:
        assert again.rank(text) == first.rank(text)


def test_a_torn_model_file_is_retrained_not_a_crash(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    book = load_playbook()
    reference = Recogniser(book, cache=tmp_path)
    [stored] = tmp_path.glob("objection-*.npz")
    stored.write_bytes(stored.read_bytes()[:5000])
    with caplog.at_level(logging.WARNING):
        rec = Recogniser(book, cache=tmp_path)
    assert "retraining" in caplog.text
    assert (
        rec.recognise("client says the rate is too high").main
        == reference.recognise("client says the rate is too high").main
    )
    assert load_model(stored) is not None  # stored anew, whole


def test_arrays_that_do_not_fit_are_retrained(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    book = load_playbook()
    Recogniser(book, cache=tmp_path)
    [stored] = tmp_path.glob("objection-*.npz")
    loaded = load_model(stored)
    assert loaded is not None
    arrays, meta = loaded
    save_model(stored, {**arrays, "coef": arrays["coef"][:10]}, meta)
    with caplog.at_level(logging.WARNING):
        rec = Recogniser(book, cache=tmp_path)
    assert "does not fit" in caplog.text
    assert rec.recognise("客户嫌手续费太高").main is not None


def test_a_stale_fingerprint_means_a_new_model(tmp_path: Path) -> None:
    book = load_playbook()
    Recogniser(book, cache=tmp_path)
    before = set(tmp_path.glob("objection-*.npz"))
    changed = Params(c=0.31)  # other settings (as other phrasings or another scikit-learn) → another file
    Recogniser(book, params=changed, cache=tmp_path)
    after = set(tmp_path.glob("objection-*.npz"))
    assert before < after and len(after) == 2


def test_another_scikit_learn_version_means_a_new_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = load_playbook()
    Recogniser(book, cache=tmp_path)
    [old] = tmp_path.glob("objection-*.npz")
    monkeypatch.setattr(recognise, "package_version", lambda name: "99.0")
    Recogniser(book, cache=tmp_path)
    assert {p.name for p in tmp_path.glob("objection-*.npz")} - {old.name} != set()
