"""Adapter tests."""

__all__: list[str] = []
