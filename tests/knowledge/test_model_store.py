"""knowledge.model_store: plain arrays in, the same arrays out; a torn file is None (retrain), never a crash."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from knowledge.model_store import load_model, package_version, save_model


def test_arrays_and_metadata_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "m.npz"
    arrays = {"coef": np.arange(6, dtype=float).reshape(2, 3), "idx": np.array([3, 1], dtype=np.int64)}
    meta = {"terms": [" a ", "客户", "😀", "x\ty"], "weight": 0.8}
    assert save_model(path, arrays, meta)
    loaded = load_model(path)
    assert loaded is not None
    got, got_meta = loaded
    assert got_meta == meta
    assert set(got) == set(arrays)
    for name, value in arrays.items():
        np.testing.assert_array_equal(got[name], value)
    assert list(tmp_path.joinpath("sub").iterdir()) == [path]  # no scratch file left behind


def test_missing_file_is_none(tmp_path: Path) -> None:
    assert load_model(tmp_path / "absent.npz") is None


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_torn_file_is_none_with_a_warning(tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "m.npz"
    save_model(path, {"a": np.ones(1000)}, {"k": 1})
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 2], "garbage": b"not a zip at all", "empty": b""}[damage])
    with caplog.at_level(logging.WARNING):
        assert load_model(path) is None
    assert "unreadable" in caplog.text


def test_pickled_arrays_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    np.savez(path, __meta__=np.frombuffer(b"{}", dtype=np.uint8), obj=np.array([{"a": 1}], dtype=object))
    assert load_model(path) is None


def test_package_version_reads_metadata_only() -> None:
    assert package_version("numpy") == np.__version__
    assert package_version("no-such-distribution-here") == "absent"
