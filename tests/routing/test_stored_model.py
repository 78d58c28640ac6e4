"""The routing classifier from stored arrays: scikit-learn's probabilities, kept on disk, retrained when torn or
stale; and a running ``ask`` that finds its models stored never imports scikit-learn, scipy or joblib."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix, hstack

from bot import arbiter
from bot.arbiter import _arrays, _Classifier, _fit_sklearn, _load_or_train, _normalise
from knowledge.model_store import load_model, save_model
from skills.contract import Skill
from skills.registry import load_skills

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [
    "client says the rate is too high",
    "客户嫌手续费太高",
    "quote 1.2m 90d",
    "remind me tomorrow at 9 to call Acme",
    "how do I explain factoring?",
    "any red flags on Acme?",
    "帮我报个价 100万 60天",
    "hello",
    "",
    "😀 café\tnaïve  text",
]
WEIGHT, C = 3.0, 10.0


@pytest.fixture(scope="module")
def skills() -> tuple[Skill, ...]:
    return tuple(load_skills())


@pytest.fixture(scope="module")
def stored(skills: tuple[Skill, ...], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One trained and stored model for the module (training takes seconds); tests copy it."""
    folder = tmp_path_factory.mktemp("router-model")
    _load_or_train(skills, WEIGHT, C, folder)
    return next(folder.glob("router-*.npz"))


def _copy(stored: Path, folder: Path) -> Path:
    target = folder / stored.name
    target.write_bytes(stored.read_bytes())
    return target


def test_stored_arrays_give_scikit_learn_s_probabilities(skills: tuple[Skill, ...], tmp_path: Path) -> None:
    fitted = _fit_sklearn(list(skills), WEIGHT, C)
    assert fitted is not None
    chars, words, model = fitted
    path = tmp_path / "router.npz"
    assert save_model(path, *_arrays([s.name for s in skills], WEIGHT, fitted))
    stored = load_model(path)
    assert stored is not None
    classifier = _Classifier.from_stored(*stored)
    for text in MESSAGES:
        scores = {s.name: s.score(text, "en") for s in skills}
        norm = _normalise(text)
        row = np.asarray([[scores[s.name] for s in skills]]) * WEIGHT
        features = hstack([chars.transform([norm]), words.transform([norm]), csr_matrix(row)]).tocsr()
        expected = dict(zip(model.classes_, model.predict_proba(features)[0], strict=True))
        got = dict(classifier.probabilities(text, scores))
        assert set(got) == set(expected)
        for name, p in expected.items():
            assert got[name] == pytest.approx(p, abs=1e-9), (text, name)


def test_two_skills_use_scikit_learn_s_binary_form(skills: tuple[Skill, ...]) -> None:
    two = [s for s in skills if s.name in ("quote", "reminders")]
    fitted = _fit_sklearn(two, WEIGHT, C)
    assert fitted is not None
    chars, words, model = fitted
    classifier = _Classifier.from_stored(*_arrays([s.name for s in two], WEIGHT, fitted))
    for text in ("quote 1m 90d", "remind me tomorrow"):
        scores = {s.name: s.score(text, "en") for s in two}
        norm = _normalise(text)
        row = csr_matrix(np.asarray([[scores[s.name] for s in two]]) * WEIGHT)
        expected = model.predict_proba(hstack([chars.transform([norm]), words.transform([norm]), row]).tocsr())[0]
        got = dict(classifier.probabilities(text, scores))
        assert [got[str(c)] for c in model.classes_] == pytest.approx(list(expected), abs=1e-9)


def test_stored_then_loaded_without_training(
    skills: tuple[Skill, ...], stored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _load_or_train(skills, WEIGHT, C, stored.parent)
    stored = _copy(stored, tmp_path)

    def no_training(*args: object) -> None:
        raise AssertionError("trained again although a stored model fits")

    monkeypatch.setattr(arbiter, "_fit_sklearn", no_training)
    again = _load_or_train(skills, WEIGHT, C, tmp_path)
    assert list(tmp_path.iterdir()) == [stored]
    for text in MESSAGES:
        scores = {s.name: s.score(text, "en") for s in skills}
        assert again.probabilities(text, scores) == first.probabilities(text, scores)


def test_a_torn_model_file_is_retrained_not_a_crash(
    skills: tuple[Skill, ...], stored: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stored = _copy(stored, tmp_path)
    stored.write_bytes(stored.read_bytes()[:4096])
    with caplog.at_level(logging.WARNING):
        classifier = _load_or_train(skills, WEIGHT, C, tmp_path)
    assert "retraining" in caplog.text
    assert classifier.probabilities("quote 1m 90d", {"quote": 1.0})[0][0] == "quote"
    assert load_model(stored) is not None  # stored anew, whole


def test_a_stale_fingerprint_means_a_new_model(
    skills: tuple[Skill, ...], stored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _copy(stored, tmp_path)
    monkeypatch.setattr("knowledge.model_store.package_version", lambda name: "99.0")  # another scikit-learn
    _load_or_train(skills, WEIGHT, C, tmp_path)
    assert {p.name for p in tmp_path.glob("router-*.npz")} - {old.name} != set()


_PROBE = """
import asyncio, json, sys
from pathlib import Path
from bot.config import Settings
from bot.runtime import Runtime
from skills.contract import Officer, Request, Role
from datetime import UTC, datetime

async def main() -> None:
    tmp = Path(sys.argv[1])
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp / 'probe.db'}", chroma_path=tmp / "chroma",
                        routing={"model_cache": sys.argv[2]}, objection={"model_cache": sys.argv[2]})
    runtime = await Runtime.create(settings, retriever=False, warm_up="skip")
    routed = {}
    async with runtime.services.sessionmaker() as session:
        for text, lang in (("client says the rate is too high", "en"), ("客户嫌手续费太高", "zh"),
                           ("quote 1.2m 90d", "en"), ("what is factoring?", "en")):
            officer = Officer(0, "Console", Role.ADMIN, lang, "Asia/Shanghai")
            request = Request(officer=officer, text=text, now=datetime.now(UTC), session=session)
            routed[text] = (await runtime.router.decide(request)).skill
    await runtime.close()
    print(json.dumps({"routed": routed, "loaded": sorted(m for m in ("sklearn", "scipy", "joblib") if m in sys.modules)}))

asyncio.run(main())
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ROUTING__", "OBJECTION__"))}
    return env | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m bot train`` into a fresh model cache, once for the module's subprocess tests."""
    cache = tmp_path_factory.mktemp("models")
    db = cache.parent / f"{cache.name}-train.db"
    train = subprocess.run(
        [sys.executable, "-m", "bot", "train"], cwd=ROOT, env=_env() | {"ROUTING__MODEL_CACHE": str(cache),
        "OBJECTION__MODEL_CACHE": str(cache), "DATABASE_URL": f"sqlite+aiosqlite:///{db}"},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert train.returncode == 0, train.stderr
    assert sorted(p.name.split("-")[0] for p in cache.glob("*.npz")) == ["objection", "router"]
    return cache


def test_with_stored_models_routing_never_imports_scikit_learn(trained: Path, tmp_path: Path) -> None:
    cache = trained
    env = _env()
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path), str(cache)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    assert result["loaded"] == []
    assert result["routed"]["client says the rate is too high"] == "objection"
    assert result["routed"]["客户嫌手续费太高"] == "objection"
    assert result["routed"]["quote 1.2m 90d"] == "quote"


def test_ask_answers_an_objection_from_stored_models(trained: Path, tmp_path: Path) -> None:
    cache = trained
    env = _env() | {
        "ROUTING__MODEL_CACHE": str(cache),
        "OBJECTION__MODEL_CACHE": str(cache),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'ask.db'}",
        "CHROMA_PATH": str(tmp_path / "chroma"),
        "OBJECTION__USE_RETRIEVER": "false",
    }
    for text, expected in (
        ("client says the rate is too high", "obj.rate-too-high"),
        ("客户嫌手续费太高", "obj.fees-too-high"),
    ):
        ask = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "bot", "ask", "--json", text],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert ask.returncode == 0, ask.stderr
        reply = json.loads(ask.stdout)
        assert reply["skill"] == "objection", reply
        imported = {
            line.split("|")[-1].strip().split(".")[0] for line in ask.stderr.splitlines() if "import time:" in line
        }
        assert imported & {"sklearn", "scipy", "joblib"} == set()
        assert (reply["intent"], reply["data"]["objection_id"]) == ("card", expected)
