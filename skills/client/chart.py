"""The aging chart on the client profile: a PNG bar chart rendered with matplotlib's Agg backend.

No pyplot (its global state is not safe across requests): a ``Figure`` with an Agg canvas, rendered off
the event loop on the one chart thread (:func:`skills.render.render_off_loop`). PNGs are written with zlib
level 1 (faster, no bigger for flat-colour charts). Chinese titles and labels use the font
:func:`skills.chart_font.cjk_font` finds (re-exported here: Noto Sans CJK SC from the ``mplfonts`` package,
registered with matplotlib's font manager on first use); with none, the labels fall back to English.
"""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot; no display needed

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from skills.chart_font import cjk_font
from skills.client.messages import MESSAGES
from skills.i18n import t
from skills.portfolio.api import AGING_BUCKETS

__all__ = ["aging_chart", "cjk_font"]

# One render at a time: matplotlib's font caches are shared by every figure in the process.
_RENDER = threading.Lock()

_COLOURS = ("#4caf50", "#cddc39", "#ffc107", "#ff9800", "#f44336")


def aging_chart(aging: dict[str, Decimal], currency: str, lang: str, title_name: str = "") -> bytes:
    """A PNG of open amounts per aging bucket (current, 1-30, 31-60, 61-90, 90+ days past due).

    Blocking CPU work (about 70 ms of CPU): call it through :func:`skills.render.render_off_loop`.
    """
    with _RENDER:
        return _render(aging, currency, lang, title_name)


def _render(aging: dict[str, Decimal], currency: str, lang: str, title_name: str) -> bytes:
    font = cjk_font()
    label_lang = lang if lang != "zh" or font else "en"
    values = [float(aging.get(b, Decimal(0))) for b in AGING_BUCKETS]  # plotting only; figures stay Decimal
    fig = Figure(figsize=(5.0, 2.8), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    # Chinese labels in the CJK font; English ones keep matplotlib's font, falling back to the CJK font for
    # a Chinese client name in the title.
    family: dict[str, list[str]] = {}
    if font:
        family = {"fontfamily": [font] if label_lang == "zh" else [*matplotlib.rcParams["font.sans-serif"][:1], font]}
    labels = ["current" if label_lang == "en" else "未到期", *AGING_BUCKETS[1:]]
    bars = ax.bar(labels, values, color=_COLOURS)
    total = sum(values) or 1.0
    for bar, value in zip(bars, values, strict=True):
        if value:
            ax.annotate(
                f"{value / total:.0%}", (bar.get_x() + bar.get_width() / 2, value), ha="center", va="bottom", fontsize=8
            )
    title = t(MESSAGES, "chart.title", label_lang)
    shown_name = title_name if title_name and (font or title_name.isascii()) else ""
    ax.set_title(f"{shown_name} — {title}" if shown_name else title, fontsize=10, **family)
    ax.set_ylabel(t(MESSAGES, "chart.ylabel", label_lang, currency=currency), fontsize=8, **family)
    if family:
        for tick in ax.get_xticklabels():
            tick.set_fontfamily(family["fontfamily"])
    ax.yaxis.set_major_formatter(FuncFormatter(_short_number))
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.16, right=0.97, top=0.88, bottom=0.12)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _short_number(value: float, _pos: int) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:g}k"
    return f"{value:g}"
