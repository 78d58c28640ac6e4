"""The /portfolio chart: open receivables of the largest debtors across all clients, a PNG (matplotlib Agg).

Same approach as :mod:`skills.client.chart` (a ``Figure`` with an Agg canvas, no pyplot; Chinese labels only
when a CJK font is installed, via the shared :func:`skills.chart_font.cjk_font`).
"""

from __future__ import annotations

import io
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from skills.chart_font import cjk_font

__all__ = ["exposure_chart"]


def exposure_chart(rows: list[tuple[str, Decimal]], currency: str, lang: str) -> bytes:
    """A horizontal bar chart of (debtor name, open amount), largest on top; amounts in millions."""
    font = cjk_font()
    zh_ok = lang == "zh" and font is not None
    names = [n if zh_ok or n.isascii() else f"#{i + 1}" for i, (n, _) in enumerate(rows)]
    values = [float(v) / 1_000_000 for _, v in rows]  # plotting only; the figures stay Decimal in data
    fig = Figure(figsize=(6.0, 0.45 * max(3, len(rows)) + 1.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    family = {"fontfamily": font} if zh_ok else {}
    ax.barh(range(len(values)), values, color="#1976d2")
    ax.set_yticks(range(len(values)), [n[:28] for n in names], **family)
    ax.invert_yaxis()
    ax.set_xlabel(f"{currency} m" if not zh_ok else f"{currency} 百万", **family)
    ax.set_title("Exposure by debtor (all clients)" if not zh_ok else "按买方汇总的敞口（全部客户）", **family)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
