"""What other skills may use of the objection skill: how often a client objected, and the 👍/👎/💬 row that
feeds a card's outcome back into the objection skill's learning.

Other skills import only this module (``tests/test_architecture.py`` enforces it).
"""

from __future__ import annotations

from skills.objection.outcomes import outcome_row
from skills.objection.repository import count_by_category, count_by_objection

__all__ = ["count_by_category", "count_by_objection", "outcome_row"]
