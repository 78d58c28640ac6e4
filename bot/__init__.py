"""FactorMate runtime and adapters: config, router, Telegram app, console, CLI, dispatcher."""

__all__: list[str] = []
