"""The aging chart speaks the officer's language: Chinese titles and labels are drawn, not shown as boxes."""

from __future__ import annotations

import warnings
from decimal import Decimal

import pytest

from skills.client.chart import aging_chart, cjk_font

AGING = {
    "current": Decimal("850000"),
    "1-30": Decimal("120000"),
    "31-60": Decimal("0"),
    "61-90": Decimal("5000"),
    "90+": Decimal("30000"),
}


def _render(lang: str, name: str) -> tuple[bytes, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = aging_chart(AGING, "CNY", lang, name)
    return png, [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_the_packaged_cjk_font_is_used() -> None:
    assert cjk_font() == "Noto Sans CJK SC"


@pytest.mark.parametrize(("lang", "name"), [("zh", "华东纺织"), ("en", "华东纺织"), ("en", "Acme Trading")])
def test_every_glyph_of_the_title_and_labels_is_drawn(lang: str, name: str) -> None:
    png, missing = _render(lang, name)
    assert png.startswith(b"\x89PNG")
    assert missing == []


def test_a_chinese_officer_gets_a_different_chart_from_an_english_one() -> None:
    zh, _ = _render("zh", "华东纺织")
    en, _ = _render("en", "华东纺织")
    assert zh != en  # Chinese title, axis label and "未到期" bucket instead of the English ones
