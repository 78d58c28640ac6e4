"""/alerts and /flag: open red/yellow cards by chat, their buttons, credit events, and the periodic sweep."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any, ClassVar

from skills.alerts.applications import ESCALATE_TICK_SECONDS, escalate_missed
from skills.alerts.apply_command import answer_apply, apply_from_button, feedback_given
from skills.alerts.brief import BRIEF_TICK_SECONDS, send_briefs
from skills.alerts.brief_command import answer_brief
from skills.alerts.messages import MESSAGES
from skills.alerts.models import LIVE_STATES, Alert
from skills.alerts.phrasings import PHRASINGS
from skills.alerts.portfolio_view import answer_portfolio
from skills.alerts.render import finding_line, finding_text, kind_label
from skills.alerts.repository import (
    button_client,
    count_snoozed,
    find_client,
    get_visible_alert,
    visible_alerts,
)
from skills.alerts.schedule import local_date, tomorrow_at
from skills.alerts.service import SWEEP_TICK_SECONDS, finding_of, sweep_clients, sweep_when_due
from skills.contract import Button, Command, Periodic, Reply, Request, Role, Services, Skill, SkillError, payload
from skills.fmt import esc, local_time
from skills.i18n import t
from skills.lazyre import lazy
from skills.portfolio.api import FlagError, Invoice, flag_error_text, parse_flag, record_event
from skills.reminders.api import create_reminder
from skills.store.models import Client

__all__ = ["AlertsSkill", "alerts_score"]

_STRONG = lazy(
    r"\bred[\s-]?flags?\b|\brisk\s+(alerts?|warnings?|flags?)\b|\bwarnings?\b|\balerts?\b|\balrts?\b|\balrets?\b|"
    r"\b(?:yellow|red)\s+(?:cards?|flags?)\b|\boverdue\b|\bover\s+(their\s+|the\s+|its\s+)?limits?\b|\bover\s*limit\b|"
    r"\bdso\b|\bflagged\b|\bflags?\b|\bdisputes?\b|\bdisputed\b|\bworry\s+about\b|\brisky\b|\brisks?\b|"
    # late or missing payment, credit events, bad news — in any language, code-mixed included
    r"\bpa(?:ying|ys|y|id)\s+late\b|\blate\s+(?:payers?|payments?|invoices?|paying|ones)\b|\bpast\s+due\b|"
    r"\b(?:hasn'?t|haven'?t|hasnt|havent|not|never|didn'?t|didnt)\s+(?:yet\s+)?paid\b|\bnot\s+paying\b|\bis\s+late\b|"
    r"\bare\s+late\b|\bin\s+(?:trouble|arrears)\b|\btrouble\b|\bbad\s+(?:news|debts?|payers?|ones|clients|buyers|debtors|accounts)\b|\banything\s+bad\b|"
    r"\blawsuits?\b|\bsued\b|\blitigation\b|\bdefaults?\b|\bdefaulted\b|\bdowngrades?d?\b|\bbankrupt|\binsolven|"
    r"\bcredit\s+events?\b|\bflgs?\b|\bred\s+fl\w*\b|\bred\s+alerts?\b|\bneeds?\s+(?:my\s+|our\s+)?(?:attention|a\s+look)\b|\bbehind\s+(?:on|with)\s+(?:payments?|paying|invoices?)\b|\blate(?=\s*[\u4e00-\u9fff])|\b(?:anything|something|what'?s|whats|what\s+is)\s+wrong\b|"
    r"风险|预警|红牌|黄牌|逾期|超额度|超限额|超限|超limit|回款慢|账龄超期|出问题|出事|负面|争议|坏消息|拖欠|欠款|违约|"
    r"被起诉|起诉|诉讼|失信|被执行|冻结|破产|降级|没(?:有)?(?:按时|按期)?(?:付款|付钱|回款|还款|打款)|延迟付款|晚付|付款慢|"
    r"(?:哪些|哪个|什么|有没有)(?:客户|买方|client|buyer)s?(?:要|需要|得|该)(?:注意|关注|留意|小心)",
    re.I | re.A,
)
_LIST_LIMIT = 15
_BUTTON_ROWS = 5


def alerts_score(text: str) -> float:
    """Confidence that free text asks for risk alerts.

    >>> [alerts_score(s) for s in ("any red flags on Acme?", "今天有什么风险预警", "Acme有什么风险", "show warnings")]
    [0.95, 0.95, 0.95, 0.95]
    >>> [alerts_score(s) for s in ("quote 1m 90d", "rate too high", "show me Acme")]
    [0.0, 0.0, 0.0]
    """
    return 0.95 if _STRONG.search(text) else 0.0


class AlertsSkill(Skill):
    """Risk alerts (red/yellow cards) from the portfolio rules: lookups, buttons, /flag, the sweep."""

    name = "alerts"
    more_phrasings = PHRASINGS
    yields_to_questions = "howto"
    commands = (
        Command("alerts", "Open risk alerts (optionally for one client)", "未解除的风险预警（可指定客户）"),
        Command(
            "brief",
            "Morning brief now; /brief 08:30 sets its time, /brief off stops it",
            "晨间简报；/brief 08:30 设置时间，/brief off 关闭",
        ),
        Command(
            "portfolio",
            "Managers: exposure by debtor, alerts by officer and tier, this week's movers",
            "主管：买方敞口、各专员/分层预警、本周变化",
            roles=(Role.MANAGER, Role.ADMIN),
        ),
        Command(
            "apply",
            "Record a financing application: /apply <client> [amount]",
            "登记融资申请：/apply <客户> [金额]",
        ),
        Command(
            "flag",
            "Record a credit event: /flag <debtor or client> <kind> <note>",
            "记录信用事件：/flag <买方或客户> <类型> <备注>",
        ),
    )
    summary: ClassVar[dict[str, str]] = {
        "en": "Risk alerts: red/yellow cards on your clients, with the figures and what to do",
        "zh": "风险预警：客户的红牌/黄牌，附数据与处理按钮",
    }
    examples: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": (
            "any red flags on Acme?",
            "show my risk alerts",
            "what warnings do I have today",
            "any red cards this week?",
            "alerts for Acme Trading",
            "is anything flagged on my clients",
            "risk alerts",
            "yellow cards",
        ),
        "zh": (
            "今天有什么风险预警",
            "Acme有什么风险",
            "我的客户有红牌吗",
            "查看风险预警",
            "有没有黄牌",
            "华东纺织有什么预警",
            "最近的风险提示",
            "红牌预警",
        ),
    }

    def score(self, text: str, lang: str) -> float:
        return alerts_score(text)

    def periodic(self) -> list[Periodic]:
        """The sweep (woken every minute; it runs when ``alerts.sweep_interval_seconds`` have passed — the
        interval is a setting ``periodic()`` cannot see), the morning briefs (every minute) and the
        application-SLA escalation (every 5 minutes)."""
        return [
            ("alerts.sweep", SWEEP_TICK_SECONDS, sweep_when_due),
            ("alerts.brief", BRIEF_TICK_SECONDS, send_briefs),
            ("alerts.applications", ESCALATE_TICK_SECONDS, escalate_missed),
        ]

    async def handle(self, request: Request, services: Services) -> Reply:
        """List open alerts (red first, optionally for a named client) or record a credit event."""
        if request.command == "flag":
            return await self._flag(request, services)
        if request.command == "brief":
            return await answer_brief(request, services)
        if request.command == "apply":
            return await answer_apply(request, services)
        if request.command == "portfolio":
            return await answer_portfolio(request)
        return await self._list(request, services)

    async def _list_for(self, request: Request, args: list[str]) -> Reply:
        """``alerts:list:<client_id>`` from the client profile; a client the officer may not see is refused."""
        return await self._list(request, client=await button_client(request, args))

    async def _list(self, request: Request, services: Services | None = None, *, client: Client | None = None) -> Reply:
        lang, officer = request.lang, request.officer
        query = "" if client else (request.args if request.command else request.text)
        if query.strip():
            client = await find_client(request.db, officer, query)
            if client is None and request.command:
                raise SkillError(t(MESSAGES, "list.unknown_client", lang))
        rows = await visible_alerts(request.db, officer, request.now, client_id=client.id if client else None)
        snoozed = await count_snoozed(request.db, officer, request.now, client_id=client.id if client else None)
        red = sum(1 for a, _ in rows if a.severity == "red")
        yellow = len(rows) - red
        data: dict[str, Any] = {
            "alerts": [self._alert_data(a, c, lang) for a, c in rows],
            "red": red,
            "yellow": yellow,
            "snoozed": snoozed,
            "client_id": client.id if client else None,
        }
        name = esc(client.name) if client else ""
        if not rows:
            text = t(MESSAGES, "list.empty_client", lang, client=name) if client else t(MESSAGES, "list.empty", lang)
            if snoozed:
                text += "\n" + t(MESSAGES, "list.snoozed", lang, n=snoozed)
            buttons = (
                [[Button(t(MESSAGES, "btn.profile", lang), payload("client", "show", client.id))]] if client else []
            )
            return Reply(text=text, buttons=buttons, data=data, intent="list", client_id=client.id if client else None)
        title = "list.title_client" if client else "list.title"
        lines = [t(MESSAGES, title, lang, client=name, red=red, yellow=yellow)]
        for i, (alert, c) in enumerate(rows[:_LIST_LIMIT], start=1):
            since = local_time(alert.first_seen, officer.timezone, lang)
            state = t(MESSAGES, "list.state.acknowledged", lang) if alert.state == "acknowledged" else ""
            lines.append(f"{i}. {finding_text(finding_of(alert), lang, c.name)}{state}")
            lines.append("   " + t(MESSAGES, "list.since", lang, date=since).strip())
        if len(rows) > _LIST_LIMIT:
            lines.append(t(MESSAGES, "list.more", lang, n=len(rows) - _LIST_LIMIT))
        if snoozed:
            lines.append(t(MESSAGES, "list.snoozed", lang, n=snoozed))
        buttons = [
            [
                Button(f"✅ {i}", payload("alerts", "ack", a.id)),
                Button(f"💤 {i}", payload("alerts", "snooze", a.id, "1d")),
                Button(f"⏰ {i}", payload("alerts", "remind", a.id)),
            ]
            for i, (a, _) in enumerate(rows[:_BUTTON_ROWS], start=1)
        ]
        if client:
            buttons.append([Button(t(MESSAGES, "btn.profile", lang), payload("client", "show", client.id))])
        return Reply(
            text="\n".join(lines), buttons=buttons, data=data, intent="list", client_id=client.id if client else None
        )

    @staticmethod
    def _alert_data(alert: Alert, client: Client, lang: str) -> dict[str, Any]:
        return {
            "id": alert.id,
            "client_id": client.id,
            "client": client.name,
            "rule": alert.rule,
            "severity": alert.severity,
            "state": alert.state,
            "dedup_key": alert.dedup_key,
            "figures": dict(alert.figures or {}),
            "first_seen": alert.first_seen.isoformat(),
            "text": finding_text(finding_of(alert), lang, client.name),
        }

    async def _flag(self, request: Request, services: Services) -> Reply:
        lang = request.lang
        today = local_date(request.now, request.officer.timezone)
        try:
            subject, kind, note = parse_flag(request.args)
            event = await record_event(request.db, request.officer, subject, kind, note, today, now=request.now)
        except FlagError as exc:
            raise SkillError(_flag_error(exc, lang)) from None
        client_ids = await _clients_of_event(request, event.client_id, event.debtor_id)
        result = await sweep_clients(request.db, services.config, request.now, client_ids)
        names = {c.id: c for c in (await request.db.scalars(_client_select(client_ids))).all()}
        subject_name = names[event.client_id].name if event.client_id in names else subject
        lines = [t(MESSAGES, "flag.recorded", lang, kind=kind_label(event.kind, lang), subject=esc(subject_name))]
        fired: list[dict[str, Any]] = []
        for cid in client_ids:
            for f in result.by_client.get(cid, []):
                if f.rule == "event" and f.figures.get("event_id") == str(event.id) and cid in names:
                    lines.append(finding_text(f, lang, names[cid].name))
                    fired.append({"client_id": cid, "severity": f.severity, "dedup_key": f.dedup_key})
        if not fired:
            lines.append(t(MESSAGES, "flag.nothing", lang))
        return Reply(
            text="\n".join(lines),
            data={
                "event_id": event.id,
                "kind": event.kind,
                "client_ids": client_ids,
                "findings": fired,
                "alerts_created": result.created,
                "pushes": result.pushes,
            },
            intent="flag",
        )

    async def on_button(self, request: Request, services: Services) -> Reply:
        """Acknowledge, snooze (1d/1w) or remind me about an alert the officer may see."""
        lang = request.lang
        action, args = request.action
        if action == "list":
            return await self._list_for(request, args)
        if action == "apply":
            return await apply_from_button(request, services, args)
        if action == "appdone":
            return await feedback_given(request, args)
        if action == "all":
            return await self._list(request)
        if action == "clients":
            return await self._by_client(request)
        if action == "ackall":
            return await self._ack_all(request, args)
        try:
            alert_id = int(args[0])
        except (IndexError, ValueError):
            raise SkillError(t(MESSAGES, "alert.not_found", lang)) from None
        found = await get_visible_alert(request.db, request.officer, alert_id)
        if found is None:
            raise SkillError(t(MESSAGES, "alert.not_found", lang), data={"refused": True})
        alert, client = found
        text = finding_text(finding_of(alert), lang, client.name)
        data: dict[str, Any] = {"alert_id": alert.id, "client_id": client.id, "action": action}
        if alert.state not in LIVE_STATES:
            return Reply(text=t(MESSAGES, "alert.resolved", lang, text=text), data={**data, "state": alert.state})
        if action == "ack":
            alert.state, alert.acknowledged_by, alert.snoozed_until = "acknowledged", request.officer.id, None
            return Reply(
                text=t(MESSAGES, "ack.done", lang, text=text),
                data={**data, "state": alert.state},
                edit=True,
                intent="ack",
                client_id=client.id,
            )
        if action == "snooze":
            span = timedelta(weeks=1) if args[1:2] == ["1w"] else timedelta(days=1)
            alert.state, alert.snoozed_until = "snoozed", request.now + span
            when = local_time(alert.snoozed_until, request.officer.timezone, lang)
            return Reply(
                text=t(MESSAGES, "snooze.done", lang, when=when, text=text),
                data={**data, "state": alert.state, "snoozed_until": alert.snoozed_until.isoformat()},
                edit=True,
                intent="snooze",
                client_id=client.id,
            )
        if action == "remind":
            return await self._remind(request, services, alert, client, data)
        raise SkillError(t(MESSAGES, "alert.not_found", lang))

    async def _by_client(self, request: Request) -> Reply:
        """The officer's open alerts counted per client, one button per client (from a digest)."""
        lang = request.lang
        rows = await visible_alerts(request.db, request.officer, request.now, limit=2000)
        counts: dict[int, list[Any]] = {}
        for alert, client in rows:
            entry = counts.setdefault(client.id, [client.name, 0, 0])
            entry[1 if alert.severity == "red" else 2] += 1
        if not counts:
            return Reply(text=t(MESSAGES, "list.empty", lang), data={"clients": []}, intent="by_client")
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[1][0]))
        lines = [t(MESSAGES, "clients.title", lang, n=len(ordered))]
        buttons: list[list[Button]] = []
        for cid, (name, red, yellow) in ordered[:_LIST_LIMIT]:
            lines.append(t(MESSAGES, "clients.line", lang, name=esc(name), red=red, yellow=yellow))
            buttons.append([Button(f"{name} ({red}/{yellow})"[:60], payload("alerts", "list", cid))])
        data = {"clients": [{"client_id": c, "client": v[0], "red": v[1], "yellow": v[2]} for c, v in ordered]}
        return Reply(text="\n".join(lines), buttons=buttons, data=data, intent="by_client")

    async def _ack_all(self, request: Request, args: list[str]) -> Reply:
        """Acknowledge every open alert the officer may see that existed when the digest was sent."""
        from datetime import UTC, datetime

        try:
            until = datetime.fromtimestamp(int(args[0]), tz=UTC)
        except (IndexError, ValueError, OverflowError, OSError):
            raise SkillError(t(MESSAGES, "alert.not_found", request.lang)) from None
        rows = await visible_alerts(request.db, request.officer, request.now, limit=100_000)
        done = [a for a, _ in rows if a.state == "open" and a.first_seen <= until]
        for alert in done:
            alert.state, alert.acknowledged_by, alert.snoozed_until = "acknowledged", request.officer.id, None
        return Reply(
            text=t(MESSAGES, "ackall.done", request.lang, n=len(done)),
            data={"acknowledged": [a.id for a in done]},
            intent="ack_all",
        )

    async def _remind(
        self, request: Request, services: Services, alert: Alert, client: Client, data: dict[str, Any]
    ) -> Reply:
        lang, officer = request.lang, request.officer
        due = tomorrow_at(request.now, officer.timezone, services.config.alerts.remind_at)
        line = html.unescape(re.sub(r"<[^>]+>", "", finding_line(finding_of(alert), lang)))
        reminder_text = t(MESSAGES, "remind.text", lang, client=client.name, rule=line)
        reminder_id = await create_reminder(
            request.db, officer_id=officer.id, text=reminder_text, due_at=due, client_id=client.id, source="alert"
        )
        when = local_time(due, officer.timezone, lang)
        return Reply(
            text=t(MESSAGES, "remind.done", lang, when=when, text=esc(reminder_text)),
            data={**data, "reminder_id": reminder_id, "due_at": due.isoformat()},
            intent="remind",
            client_id=client.id,
        )


def _client_select(ids: list[int]):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    return select(Client).where(Client.id.in_(ids))


async def _clients_of_event(request: Request, client_id: int | None, debtor_id: int | None) -> list[int]:
    """The visible clients an event concerns: its client, or every visible client with invoices on its debtor."""
    from sqlalchemy import select

    if client_id is not None:
        return [client_id]
    stmt = select(Invoice.client_id).where(Invoice.debtor_id == debtor_id).distinct()
    visible = request.officer.visible_officer_ids()
    if visible is not None:
        stmt = stmt.join(Client, Client.id == Invoice.client_id).where(Client.officer_id.in_(visible))
    return sorted(set((await request.db.scalars(stmt)).all()))


def _flag_error(exc: FlagError, lang: str) -> str:
    """A portfolio FlagError in the officer's language, then the usage line."""
    usage = t(MESSAGES, "flag.usage", lang)
    why = flag_error_text(exc, lang)
    return usage if why is None else f"{why}\n\n{usage}"
