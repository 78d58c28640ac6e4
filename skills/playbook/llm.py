"""Optional LLM synthesis through LangChain, grounded only in the retrieved playbook entries.

The model sees the officer's question and the retrieved entries (in the officer's language) and must cite
each entry it uses as ``[id]``. An answer that cites nothing, or cites an id it was not given, is discarded,
as is any error or a reply slower than ``llm_timeout``: the skill then answers extractively.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from skills.playbook.config import LLMConfig
from skills.playbook.logic import cited_ids

if TYPE_CHECKING:  # langchain_core loads only when an LLM is configured (start-up stays quick)
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import HumanMessage, SystemMessage

    from knowledge.content import Entry

__all__ = ["SYSTEM_PROMPT", "build_messages", "make_chat_model", "synthesise"]

log = logging.getLogger(__name__)

MAX_ANSWER = 1500

SYSTEM_PROMPT = {
    "en": (
        "You help a receivables-financing (factoring) officer. Answer the question in at most five short lines, "
        "using ONLY the playbook entries given. Cite every entry you use as [id], e.g. [obj.rate-too-high]. "
        "If the entries do not answer the question, reply exactly: NOT_IN_PLAYBOOK. Never add facts, numbers "
        "or promises that are not in the entries."
    ),
    "zh": (
        "你在协助一名保理业务专员。只根据下面给出的业务手册条目，用简体中文、最多五行简短回答问题；"
        "每用到一个条目就用 [id] 注明，例如 [obj.rate-too-high]。如果条目回答不了这个问题，只回复：NOT_IN_PLAYBOOK。"
        "不要添加条目里没有的事实、数字或承诺。"
    ),
}


def make_chat_model(config: LLMConfig) -> BaseChatModel | None:
    """A LangChain chat model from ``LLM_PROVIDER``/``LLM_MODEL``/``LLM_BASE_URL``/``LLM_API_KEY``; None if unset."""
    provider, model = config.llm_provider, config.llm_model
    if provider == "none" or not model:
        return None
    try:
        return _provider_model(config)
    except ImportError:
        log.warning("LLM_PROVIDER=%s needs the llm extra: pip install '.[llm]'; answering extractively", provider)
        return None


def _provider_model(config: LLMConfig) -> BaseChatModel | None:
    provider, model = config.llm_provider, config.llm_model
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        key = config.llm_api_key
        secret = key.get_secret_value() if key is not None else "not-needed"
        return ChatOpenAI(
            model=model,
            base_url=config.llm_base_url,
            api_key=secret,
            timeout=config.llm_timeout,
            max_retries=0,
            temperature=0,
        )
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=model, base_url=config.llm_base_url, temperature=0)
    log.warning("unknown LLM_PROVIDER %r; answering extractively", provider)
    return None


def build_messages(question: str, entries: list[Entry], lang: str) -> list[SystemMessage | HumanMessage]:
    """The prompt: rules, then each entry (id, title, body), then the question."""
    from langchain_core.messages import HumanMessage, SystemMessage

    blocks = [f"[{e.id}] {e.title}\n{e.body}" for e in entries]
    label = "问题" if lang == "zh" else "Question"
    context = "\n\n---\n\n".join(blocks)
    return [SystemMessage(SYSTEM_PROMPT.get(lang, SYSTEM_PROMPT["en"])), HumanMessage(f"{context}\n\n{label}: {question}")]


async def synthesise(
    model: BaseChatModel, question: str, entries: list[Entry], lang: str, *, seconds: float
) -> tuple[str, list[str]] | None:
    """A grounded short answer and the ids it cites, or None (error, timeout, refusal or ungrounded)."""
    allowed = {e.id for e in entries}
    try:
        reply = await asyncio.wait_for(model.ainvoke(build_messages(question, entries, lang)), timeout=seconds)
    except TimeoutError:
        log.warning("LLM answer timed out after %.1fs; answering extractively", seconds)
        return None
    except Exception:  # any provider/network/parsing failure must fall back, never reach the officer
        log.warning("LLM answer failed; answering extractively", exc_info=True)
        return None
    text = reply.content if isinstance(reply.content, str) else str(reply.content)
    text = text.strip()
    ids = cited_ids(text)
    if not text or "NOT_IN_PLAYBOOK" in text or not ids or not set(ids) <= allowed:
        log.info("LLM answer discarded (refused, uncited or citing unknown ids: %s)", ids)
        return None
    return text[:MAX_ANSWER], ids
