"""The ``/objections`` chart: this month's top objections next to the month before (PNG, matplotlib Agg).

No pyplot (its global state is not safe across requests): a ``Figure`` with an Agg canvas. Bars are
labelled with the cards' short aliases (rate, deposit…), which every font can draw.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from skills.objection.cards import alias_of

__all__ = ["month_chart"]


def month_chart(top: list[tuple[str, int]], previous: dict[str, int], month: str, previous_month: str) -> bytes:
    """A PNG of the top (≤ 8) objections: this month's count and last month's, side by side."""
    shown = top[:8]
    labels = [alias_of(card) for card, _ in shown]
    now = [n for _, n in shown]
    before = [previous.get(card, 0) for card, _ in shown]
    fig = Figure(figsize=(5.6, 2.9), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = range(len(shown))
    ax.bar([x - 0.2 for x in xs], before, width=0.4, color="#b0bec5", label=previous_month)
    ax.bar([x + 0.2 for x in xs], now, width=0.4, color="#1976d2", label=month)
    ax.set_xticks(list(xs), labels, rotation=30, ha="right", fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"Objections logged: {month} vs {previous_month}", fontsize=9)
    ax.legend(fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
