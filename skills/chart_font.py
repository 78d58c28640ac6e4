"""The font every chart draws Chinese with: Noto Sans CJK SC from the ``mplfonts`` package (the font file
ships inside the wheel; nothing is downloaded), registered with matplotlib's font manager on first use.

Shared infrastructure, not a skill: the client profile's aging chart and the alerts' /portfolio chart both
use :func:`cjk_font`. A system CJK font is used if the packaged file is
missing, and with no CJK font at all the labels fall back to English.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

__all__ = ["cjk_font"]

log = logging.getLogger(__name__)

# The font file registered from mplfonts (Noto Sans CJK SC, SIL Open Font License).
_PACKAGED_FONT = "NotoSansCJKsc-Regular.otf"

_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Droid Sans Fallback",
)


def _packaged_font() -> Path | None:
    from mplfonts.conf import FONT_DIR  # imports matplotlib: only when a chart is drawn

    path = Path(FONT_DIR) / _PACKAGED_FONT
    return path if path.is_file() else None


@functools.cache
def cjk_font() -> str | None:
    """The name of a font that can draw Chinese (the packaged Noto Sans CJK SC first), or None."""
    from matplotlib import font_manager

    packaged = _packaged_font()
    if packaged is not None:
        font_manager.fontManager.addfont(str(packaged))
        return font_manager.FontProperties(fname=str(packaged)).get_name()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in _CJK_FONTS if name in installed), None)
    if found is None:
        log.warning("no CJK font installed (pip install mplfonts); Chinese chart labels fall back to English")
    return found
