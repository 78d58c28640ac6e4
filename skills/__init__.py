"""FactorMate skills: the contract, the store, and one package per skill. Nothing here knows Telegram."""

__all__: list[str] = []
