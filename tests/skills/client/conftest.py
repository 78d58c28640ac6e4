"""The client card tests run on the alerts scenario (``tests/skills/alerts/data.py``), so they use its harness:
the minimum-history gate and the morning brief off (see ``tests/skills/alerts/conftest.py``)."""

from __future__ import annotations

from tests.skills.alerts.conftest import any_db_harness, harness

__all__ = ["any_db_harness", "harness"]
