"""The playbook skill tests share the session-built real index with tests/knowledge."""

from tests.knowledge.conftest import real_knowledge

__all__ = ["real_knowledge"]
