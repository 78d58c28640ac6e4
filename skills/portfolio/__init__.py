"""Portfolio data shared by the alerts and client skills: debtors, invoices, events, import, metrics."""

__all__: list[str] = []
