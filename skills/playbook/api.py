"""What adapters may use of the playbook skill: the optional LLM chat model the composition root builds
once (``bot/runtime.py``) and hands to the skill.

Other packages import only this module (``tests/test_architecture.py`` enforces it).
"""

from __future__ import annotations

from skills.playbook.llm import make_chat_model

__all__ = ["make_chat_model"]
