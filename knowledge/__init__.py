"""The playbook: content (markdown, en + zh) and retrieval (embeddings, Chroma, BM25, fusion)."""

__all__: list[str] = []
