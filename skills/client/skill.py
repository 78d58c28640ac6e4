"""/client and /clients: the client profile card with its aging chart, the client list, and ledger uploads."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from skills.alerts.api import apply_button, find_client, get_visible_client, tier_label
from skills.client.feedback import sections as _feedback_sections  # noqa: F401  (registers brief and /portfolio sections)
from skills.client.feedback import views as feedback_views
from skills.client.feedback.memo import memo_score, save_memo, set_memo_reminder
from skills.client.feedback.messages import MESSAGES as FEEDBACK_MESSAGES
from skills.client.messages import MESSAGES
from skills.client.phrasings import PHRASINGS
from skills.client.profile import TIER_ICON, build_profile, open_alert_counts
from skills.client.upload import IMPORT_STATE, answer_upload, forget_upload, preview_upload, typed_answer
from skills.contract import Button, Command, Reply, Request, Services, Skill, SkillError, payload
from skills.fmt import esc
from skills.i18n import t
from skills.lazyre import lazy
from skills.store.clients import client_names, find_client_in_text, visible_clients
from skills.store.models import Client

__all__ = ["ClientSkill", "client_score"]

_P = r"[\s!?.,:;~…。！？，、～()\-]*"  # punctuation and spaces (not \W: under re.A it would also take Chinese)
_STRONG = lazy(
    r"\bclient\s+(profile|card|overview|summary)\b|\bprofile\s+(of|for)\b|"
    # the client list, asked for as such ("my clients", "list my clients", "我的客户"), not "trouble with my clients"
    rf"^{_P}(?:(?:ok\s+|so\s+)*(?:show|list|see|open|give)\s+(?:me\s+)?)?(?:all\s+)?(?:of\s+)?my\s+clients"
    rf"(?:\s+(?:list|pls|please|again))?{_P}$|\blist\s+(my\s+)?clients\b|\bmy\s+client\s+list\b|(?:我的|my\s*)clients?\s*(?:list|列表|清单)|"
    rf"^{_P}我的clients?{_P}$|"
    r"\b(how\s+many|which|what)\s+clients\s+(do|have)\s+i\b|\bclients\s+do\s+i\s+have\b|"
    rf"客户画像|信用画像|客户档案|客户资料|客户概况|^{_P}(?:看看|查看|列出)?我的客户(?:列表|清单|有哪些|都有谁)?{_P}$|我的客户(?:列表|清单)|"
    r"客户列表|(有|管)(哪些|几个|多少)(个)?客户",
    re.I | re.A,
)
_SHOW = re.compile(
    r"^\s*(please\s+)?(show|open|pull\s+up|display)\s+(me\s+)?(?P<rest>.+)$|^\s*(查看|看看|打开|调出)(?P<zh>.+)$", re.I
)
# What officers say around a client's name when they want the client's card ("how is Orion doing",
# "宏达建材最近咋样", "which tier is Orion in"): with nothing else left, the message is about the client.
_ABOUT_CLIENT = re.compile(
    r"(?<![a-z])(?:how'?s|how|is|are|was|things|going|doing|with|we|what'?s|whats|what|up|which|tier|in|the|of|for|"
    r"on|status|profile|card|file|limit|credit|exposure|overview|summary|info|about|tell|me|show|open|pull|client|"
    r"these|days|lately|now|today|pls|please|ok|so|and|at|our|a|an|it|its|it'?s|doing|look|looking|like|\'s|s)(?![a-z])"
    r"|最近|现在|怎么样|咋样|如何|情况|近况|怎样|好吗|还好吗|了|的|啊|呢|吗|是|什么|啥|哪个|哪一|层级|分层|等级|额度|资料|画像|"
    r"档案|客户|概况|那个|这个|看看|查查|一下|多少"
)
_NAMED, _MENTIONED = 0.9, 0.4
_FEEDBACK_ANSWER = 0.85  # above the router's "sure it answers" bar: the open question owns the next message
_SHOWN = 0.6  # "show me …", "查看…": often a client, but it could be anything shown
_LIST_LIMIT = 20
# Typed answers to an open import preview: the officer confirms in words as with the Confirm import button.
_CONFIRM_IMPORT = re.compile(
    r"^(?:ok(?:ay)?|yes|yep|yeah|y|sure|confirm(?:ed)?|import(?: it)?|go(?: ahead)?|do it|apply(?: it)?|proceed|"
    r"confirm(?: the)? import|确认|确认导入|导入|好|好的|可以|是|是的|行|没问题|继续导入)" + _P + r"$",
    re.I,
)
_IMPORT_ANSWER, _NOT_AN_ANSWER = 0.95, 0.1
_REFUSED = "refused"


def client_score(text: str) -> float:
    """Confidence that free text asks for a client profile or the client list.

    >>> [client_score(s) for s in ("client profile Acme", "查看华东纺织的客户画像", "my clients", "show me Acme")]
    [0.95, 0.95, 0.95, 0.6]
    >>> [client_score(s) for s in ("remind me to call Acme", "rate too high")]
    [0.0, 0.0]
    """
    if _STRONG.search(text):
        return 0.95
    return _SHOWN if _SHOW.match(text) else 0.0


class ClientSkill(Skill):
    """The client profile (客户画像) with an aging chart, the officer's client list, and ledger uploads."""

    name = "client"
    more_phrasings = PHRASINGS
    yields_to_questions = "howto"
    accepts_files = True
    commands = (
        Command("client", "A client's profile: /client <name>", "客户画像：/client <客户名>"),
        Command("clients", "Your clients, with tier and open alerts", "我的客户（含分层与预警）"),
        Command(
            "feedback", "Client feedback: /feedback <client> 4/5 remarks", "客户反馈：/feedback <客户名> 满意度4 评价"
        ),
    )
    summary: ClassVar[dict[str, str]] = {
        "en": "Client profile: tier, limit, receivables, aging chart, DSO, debtors, alerts, quotes",
        "zh": "客户画像：分层、额度、应收账款、账龄图、回款周期、买方、预警、报价",
    }
    examples: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": (
            "show me Acme",
            "client profile Acme Trading",
            "open the profile of Acme",
            "how is Acme doing",
            "my clients",
            "list my clients",
            "pull up Acme's file",
            "client card for Acme",
            "call with Acme: they want 85% advance, send revised quote Friday",
            "meeting with Acme: happy with service, asked about a higher limit",
        ),
        "zh": (
            "查看华东纺织的客户画像",
            "查看华东纺织",
            "华东纺织的客户画像",
            "我的客户",
            "客户列表",
            "看看华东纺织的情况",
            "调出华东纺织的客户资料",
            "华东纺织客户概况",
            "和华东纺织通话：希望融资比例提高到85%，周五前发新报价",
            "拜访华东纺织：对服务满意，想提高额度",
        ),
    }

    def warm_up(self, services: Services) -> None:
        """Import matplotlib and open the chart fonts on the chart thread, so the first profile card after a
        start is not the one that pays for them (~0.35 s)."""
        from skills.render import warm_charts

        warm_charts()

    def score(self, text: str, lang: str) -> float:
        return max(client_score(text), memo_score(text))  # a post-call memo goes on the client's timeline

    async def answer_score(self, request: Request, state: dict[str, Any]) -> float:
        """After "💬 Client feedback", what the officer types is what the client said (a satisfaction word, a
        complaint, a score) — unless it is another skill's clear request, which the router serves instead."""
        if "feedback_for" in state:
            return _FEEDBACK_ANSWER
        if IMPORT_STATE in state:  # the preview's question is Confirm / Cancel: only a yes answers it
            return _IMPORT_ANSWER if _CONFIRM_IMPORT.match(request.text.strip()) else _NOT_AN_ANSWER
        return await super().answer_score(request, state)

    def flow_label(self, state: dict[str, Any]) -> dict[str, str]:
        if IMPORT_STATE in state:
            return {lang: t(MESSAGES, "flow.import", lang) for lang in ("en", "zh")}
        return super().flow_label(state)

    async def on_cancel(self, request: Request, services: Services, state: dict[str, Any]) -> None:
        """Cancelling an open import preview forgets the file, as its Cancel button does."""
        if IMPORT_STATE in state:
            await forget_upload(request, int(state[IMPORT_STATE]))

    async def recognise(self, request: Request) -> float:
        """The text recogniser, or the officer's own client named with nothing else to say ("Orion?", "宏达建材")."""
        base = self.score(request.text, request.lang)  # the profile/list words, or a post-call memo
        if base >= _NAMED:
            return base
        client = await find_client_in_text(request.db, request.officer, request.text)
        if client is None:
            return base
        rest = request.text.lower()
        for name in client_names(client):
            rest = rest.replace(name, " ")
        rest = _ABOUT_CLIENT.sub(" ", rest)
        return _NAMED if not re.search(r"[a-z0-9\u4e00-\u9fff]", rest) else max(base, _MENTIONED)

    async def handle(self, request: Request, services: Services) -> Reply:
        """A profile for the named client, the client list, or an uploaded ledger's preview."""
        if request.attachment is not None:
            return await preview_upload(request, services)
        if request.state and IMPORT_STATE in request.state and not request.command:
            confirmed = bool(_CONFIRM_IMPORT.match(request.text.strip()))
            return await typed_answer(request, services, int(request.state[IMPORT_STATE]), confirmed)
        if request.command == "feedback":
            return await feedback_views.feedback_command(request)
        if request.state and "feedback_for" in request.state and not request.command:
            fb_client = await get_visible_client(request.db, request.officer, int(request.state["feedback_for"]))
            if fb_client is not None:
                return await feedback_views.feedback_reply(request, fb_client, request.text, request.lang)
        if not request.command and memo_score(request.text) > 0:
            return await save_memo(request, services, request.text)
        if request.command == "clients":
            return await self._list(request)
        query = request.args if request.command else request.text
        client = await find_client(request.db, request.officer, query) if query.strip() else None
        if client is None and not query.strip() and request.recent_client_id and request.command:
            client = await get_visible_client(request.db, request.officer, request.recent_client_id)
        if client is None:
            missing = _name_in(query) if query.strip() else ""
            return await self._list(request, missing=missing)
        return await self._profile(request, services, client)

    async def on_button(self, request: Request, services: Services) -> Reply:
        """``client:show:<id>`` (from alerts and reminders), ``client:list``, ``client:import:<id>:ok|no``."""
        lang = request.lang
        action, args = request.action
        if action == "list":
            return await self._list(request)
        if action == "fb":
            return await feedback_views.score_button(request, args)
        if action == "memorem":
            return await set_memo_reminder(request, args)
        if action == "import":
            return await answer_upload(request, services, args)
        if action in ("show", "fbask"):
            try:
                client_id = int(args[0])
            except (IndexError, ValueError):
                raise SkillError(t(MESSAGES, _REFUSED, lang)) from None
            client = await get_visible_client(request.db, request.officer, client_id)
            if client is None:
                raise SkillError(t(MESSAGES, _REFUSED, lang), data={"refused": True})
            if action == "fbask":
                return await feedback_views.ask_for_feedback(request, client)
            return await self._profile(request, services, client)
        raise SkillError(t(MESSAGES, _REFUSED, lang))

    async def _profile(self, request: Request, services: Services, client: Client) -> Reply:
        lang = request.lang
        profile = await build_profile(request.db, request.officer, client, request.now, services.config.alerts)
        buttons = [
            [
                Button(t(MESSAGES, "btn.alerts", lang), payload("alerts", "list", client.id)),
                Button(t(MESSAGES, "btn.clients", lang), payload("client", "list")),
            ],
            [
                apply_button(client.id, lang),
                Button(t(FEEDBACK_MESSAGES, "btn.feedback", lang), payload("client", "fbask", client.id)),
            ],
        ]
        # The client's own voice: satisfaction, trend and a yellow signal, (its button sits beside New application).
        fb_lines, profile.data["feedback"] = await feedback_views.profile_section(
            request.db, request.officer, client, request.now
        )
        return Reply(
            text="\n".join([profile.text, *fb_lines]),
            buttons=buttons,
            image=profile.chart,
            image_name=f"aging-{client.id}.png",
            data=profile.data,
            intent="profile",
            client_id=client.id,
        )

    async def _list(self, request: Request, *, missing: str = "") -> Reply:
        lang = request.lang
        clients = list(await visible_clients(request.db, request.officer))
        lines: list[str] = []
        if missing:
            lines.append(t(MESSAGES, "not_found", lang, name=esc(missing)))
        if not clients:
            lines.append(t(MESSAGES, "list.empty", lang))
            return Reply(text="\n".join(lines), data={"clients": [], "not_found": missing or None}, intent="list")
        counts = await open_alert_counts(request.db, [c.id for c in clients], request.now)
        clients.sort(
            key=lambda c: ({"risk": 0, "potential": 1, "quality": 2}.get(c.tier, 3), -counts.get(c.id, 0), c.name)
        )
        lines.append(t(MESSAGES, "list.title", lang, n=len(clients)))
        data: list[dict[str, Any]] = []
        buttons: list[list[Button]] = []
        for c in clients[:_LIST_LIMIT]:
            n = counts.get(c.id, 0)
            tier = tier_label(c.tier, lang)
            alerts = t(MESSAGES, "list.alerts", lang, n=n) if n else ""
            lines.append(
                t(
                    MESSAGES,
                    "list.line",
                    lang,
                    icon=TIER_ICON.get(c.tier, "⚪"),
                    name=esc(c.name),
                    tier=tier,
                    alerts=alerts,
                )
            )
            data.append({"id": c.id, "name": c.name, "tier": c.tier, "open_alerts": n})
            buttons.append([Button(f"{TIER_ICON.get(c.tier, '⚪')} {c.name}"[:60], payload("client", "show", c.id))])
        if len(clients) > _LIST_LIMIT:
            lines.append(t(MESSAGES, "list.more", lang, n=len(clients) - _LIST_LIMIT))
        return Reply(
            text="\n".join(lines), buttons=buttons, data={"clients": data, "not_found": missing or None}, intent="list"
        )


def _name_in(query: str) -> str:
    """The name the officer probably meant in "show me X" / "查看X的客户画像" (for the not-found line)."""
    match = _SHOW.match(query)
    name = (match.group("rest") or match.group("zh") or "") if match else query
    name = re.sub(
        r"(的)?(客户画像|客户资料|客户档案|情况|概况)$|'s\s+(profile|file|card)$|\s+profile$",
        "",
        name.strip(),
        flags=re.I,
    )
    return name.strip(" ?？。.!！")[:80]
