"""The client's own voice: satisfaction feedback (``/feedback``) and post-call memos on the client's timeline."""

__all__: list[str] = []
