"""Portfolio data shared by the alerts and client skills: debtors, invoices, events, import, metrics.

This package has no chat skill of its own. Other skills and the adapters use it only through
:mod:`skills.portfolio.api` (``tests/test_architecture.py`` enforces it), so the package itself re-exports nothing.
"""

__all__: list[str] = []
