"""Quoting: price a deal from one line or step by step, explain it, compare it, save it to a client."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from skills.contract import Button, Command, Reply, Request, Services, Skill, SkillError, payload
from skills.fmt import esc, local, money, number, percent
from skills.i18n import t
from skills.quote import repository as repo
from skills.quote.answers import BARE_INT, DEFAULT_WORDS, answer_fit, names_a_client
from skills.quote.config import QuoteConfig
from skills.quote.logic import QuoteInputError, QuoteResult, price_terms
from skills.quote.messages import MESSAGES
from skills.quote.models import Quote
from skills.quote.parse import parse_text, quote_score
from skills.quote.phrasings import PHRASINGS
from skills.quote.terms import bounds_from, resolve, tenor_days, terms_from_dict
from skills.quote.views import breakdown, compare, explain, pct
from skills.store.clients import find_client_in_text, visible_clients
from skills.store.models import Client

__all__ = ["QuoteSkill"]

_RATE_ERRORS = {"advance_range", "rate_range", "discount_range", "fee_range", "premium_negative", "deposit_range"}
_MONEY_PARAMS = {
    "amount_not_positive": ("value",),
    "amount_too_large": ("value", "max"),
    "costs_exceed_advance": ("cost", "advance"),
    "fee_minimum_negative": ("value",),
}
_FLOW_STEPS = ("amount", "tenor", "terms", "save")
_CLIENT_FIT = 0.9  # one of the officer's clients named at the terms or save step: an answer


def _error(exc: QuoteInputError, lang: str) -> SkillError:
    """The engine's narrow error as a bilingual SkillError (one place maps keys to messages)."""
    params: dict[str, Any] = dict(exc.params)
    for key, value in params.items():
        if exc.key in _RATE_ERRORS and key in ("value", "lo", "hi"):
            params[key] = pct(Decimal(str(value)))
        elif key in _MONEY_PARAMS.get(exc.key, ()):
            try:
                params[key] = number(Decimal(str(value)), lang)
            except ArithmeticError:
                params[key] = str(value)
    return SkillError(t(MESSAGES, exc.key, lang, **params), data={"error_key": exc.key})


def _check_size(amount: Decimal, cfg: QuoteConfig, lang: str) -> None:
    """Refuse an amount beyond the quotable maximum before anything formats it (1e100000 cannot be shown)."""
    if abs(amount) > cfg.max_face_value:
        shown = str(amount) if amount.adjusted() < 25 else f"{amount:.2E}"
        raise _error(QuoteInputError("amount_too_large", value=shown, max=str(cfg.max_face_value)), lang)


class QuoteSkill(Skill):
    """Factoring quotes in English and Chinese."""

    name = "quote"
    more_phrasings = PHRASINGS
    default_choice = 1
    flow_name: ClassVar[dict[str, str]] = {"en": "quote", "zh": "报价"}
    commands = (
        Command(
            "quote",
            "Price a deal: /quote 1m 90d (alone: step by step)",
            "报价：/quote 100万 90天（单独发送则分步报价）",
        ),
        Command("quotes", "Your recent saved quotes (/quotes Acme for one client)", "最近保存的报价（/quotes 客户名）"),
    )
    examples: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": (
            "quote 1.2m 90d",
            "/quote 500000 60d advance 85% rate 7%",
            "price a $250,000 invoice due in 45 days",
            "quote Acme 2m 60d",
            "quote 1m 90d act/365 in arrears",
            "quote 800k 60d non-recourse",
            "quote 1m 90d discount 1% per 30 days",
            "quote 2m 120d fee 0.3% min 2000 USD",
            "price 1m due on 2027-03-01",
        ),
        "zh": (
            "100万 90天 融资比例80%",
            "报价 50万元 60天",
            "报价 一百万 九十天",
            "报价 华东纺织 200万 60天",
            "100万 90天 利随本清",
            "80万 60天 无追索权",
            "100万 90天 每30天贴息1%",
            "报价 200万 120天 手续费0.3% 最低2000",
            "100万 3月1日到期 按365天计息",
        ),
    }
    summary: ClassVar[dict[str, str]] = {
        "en": "Price a factoring deal in one line: advance, interest, fees, net, reserve, annual cost",
        "zh": "一句话报价：融资金额、利息、服务费、到手金额、保留款、综合年化成本",
    }

    def score(self, text: str, lang: str) -> float:
        """High for an amount with a tenor (or quote/报价 with an amount); 0 for reminders, objections, alerts."""
        return quote_score(text)

    async def answer_score(self, request: Request, state: dict[str, Any]) -> float:
        """How plausible the text is as the answer to the open step (amount, tenor, terms, client to save to)."""
        fit = answer_fit(state, request.text)
        if fit < _CLIENT_FIT and state.get("step") in ("terms", "save") and await self._named_client(request):
            return _CLIENT_FIT
        return fit

    @staticmethod
    async def _named_client(request: Request) -> bool:
        """The message is one of the officer's clients by name ("Acme", "宏达建材 pls"), and little else."""
        client = await find_client_in_text(request.db, request.officer, request.text)
        return client is not None and names_a_client(request.text, [client.name, *(client.aliases or [])])

    async def handle(self, request: Request, services: Services) -> Reply:
        """Price a deal from one line, run a step of the guided quote, or list saved quotes."""
        if request.command == "quotes":
            return await self._list(request, services)
        if request.command == "quote":
            if not request.args.strip():
                return self._ask(request, "ask_amount", {"step": "amount", "line": "", "ask_terms": True})
            return await self._quote(request, services, request.args)
        if request.state is not None:
            return await self._step(request, services, request.state)
        return await self._quote(request, services, request.text)

    # -- one-line quote ----------------------------------------------------------------------

    def _today(self, request: Request) -> date:
        return local(request.now, request.officer.timezone).date()

    def _cfg(self, services: Services) -> QuoteConfig:
        return services.config.quote

    async def _quote(self, request: Request, services: Services, text: str, *, ask_terms: bool = False) -> Reply:
        lang, cfg = request.lang, self._cfg(services)
        p = parse_text(text, self._today(request))
        if p.stray_percent:
            raise _error(QuoteInputError("unlabelled_percent", value=p.stray_percent), lang)
        if p.amount is None:
            return self._ask(request, "ask_amount", {"step": "amount", "line": text, "ask_terms": ask_terms})
        _check_size(p.amount, cfg, lang)
        if not p.has_tenor:
            amount = money(p.amount, p.currency or cfg.default_currency, lang)
            return self._ask(
                request, "ask_tenor", {"step": "tenor", "line": text, "ask_terms": ask_terms}, amount=amount
            )
        client = await find_client_in_text(request.db, request.officer, text)
        try:
            res = resolve(
                p, cfg, today=self._today(request), tier=client.tier if client else None,
                client_first_deal=bool(client and client.deals_count == 0), client_currency=client.currency if client else None,
            )  # fmt: skip
            result = price_terms(res.terms, bounds_from(cfg))
        except QuoteInputError as exc:
            raise _error(exc, lang) from None
        inputs = {
            **result.terms.as_dict(),
            "due_date": p.due_date.isoformat() if p.due_date and p.tenor_days is None else None,
            "tier": res.tier,
            "first_deal_waiver": res.waiver_applied,
        }
        row = await repo.add_quote(
            request.db, result, officer_id=request.officer.id, client_id=client.id if client else None, lang=lang,
            assumed=list(res.assumed), tier=res.tier, now=request.now, inputs=inputs,
        )  # fmt: skip
        data = {
            "quote_id": row.id, "saved": False, "client_id": client.id if client else None,
            "client": client.name if client else None, "tier": res.tier, "currency": result.terms.currency,
            "face_value": str(result.terms.face_value), "tenor_days": result.terms.tenor_days, **result.as_dict(),
            "inputs": inputs, "assumed": list(res.assumed), "first_deal_waiver": res.waiver_applied,
        }  # fmt: skip
        return Reply(
            text=breakdown(result, res, row.id, client.name if client else None, lang),
            buttons=self._buttons(row.id, lang),
            data=data,
            intent="quote",
            client_id=client.id if client else None,
            state=Reply.END if request.state is not None else None,
        )

    @staticmethod
    def _buttons(quote_id: int, lang: str) -> list[list[Button]]:
        return [
            [
                Button(t(MESSAGES, "btn_explain", lang), payload("quote", "explain", quote_id)),
                Button(t(MESSAGES, "btn_compare", lang), payload("quote", "compare", quote_id)),
            ],
            [Button(t(MESSAGES, "btn_save", lang), payload("quote", "save", quote_id))],
        ]

    # -- guided quote ------------------------------------------------------------------------

    @staticmethod
    def _ask(
        request: Request, key: str, state: dict[str, Any], buttons: list[list[Button]] | None = None, **params: object
    ) -> Reply:
        return Reply(
            text=t(MESSAGES, key, request.lang, **params),
            buttons=buttons or [],
            data={"step": state["step"], "awaiting": state["step"]},
            intent=f"guided.{state['step']}",
            state=state,
        )

    def _reask(self, request: Request, state: dict[str, Any], text: str) -> Reply:
        buttons = self._defaults_button(request.lang) if state.get("step") == "terms" else []
        return Reply(
            text=text, buttons=buttons, data={"step": state["step"], "error": True}, intent="guided.reask", state=state
        )

    @staticmethod
    def _defaults_button(lang: str) -> list[list[Button]]:
        return [[Button(t(MESSAGES, "btn_defaults", lang), payload("quote", "defaults"))]]

    async def _step(self, request: Request, services: Services, state: dict[str, Any]) -> Reply:
        lang, cfg = request.lang, self._cfg(services)
        step, line, answer = state.get("step"), str(state.get("line", "")), request.text.strip()
        ask_terms = bool(state.get("ask_terms", False))
        if step not in _FLOW_STEPS:  # a stale or foreign state: start over instead of failing
            return self._ask(request, "ask_amount", {"step": "amount", "line": "", "ask_terms": True})
        if step == "save":
            return await self._save_typed(request, state, answer)
        if step == "amount":
            p = parse_text(answer, self._today(request))
            if p.amount is None:
                return self._reask(request, state, t(MESSAGES, "reask_amount", lang, answer=esc(answer[:60])))
            if p.amount <= 0:
                err = _error(QuoteInputError("amount_not_positive", value=str(p.amount)), lang)
                return self._reask(request, state, t(MESSAGES, "reask", lang, error=err.text))
            try:
                _check_size(p.amount, cfg, lang)
            except SkillError as err:
                return self._reask(request, state, t(MESSAGES, "reask", lang, error=err.text))
            line = f"{line} {answer}".strip()
            if not parse_text(line).has_tenor:
                full = parse_text(line)
                amount = money(p.amount, full.currency or cfg.default_currency, lang)
                return self._ask(
                    request, "ask_tenor", {"step": "tenor", "line": line, "ask_terms": ask_terms}, amount=amount
                )
        elif step == "tenor":
            if BARE_INT.match(answer):
                answer = f"{answer}d"
            p = parse_text(answer, self._today(request))
            if not p.has_tenor:
                return self._reask(request, state, t(MESSAGES, "reask_tenor", lang, answer=esc(answer[:60])))
            try:
                days = tenor_days(p, self._today(request))
                if not 0 < days <= cfg.max_tenor_days:
                    raise QuoteInputError("tenor_range", days=days, max=cfg.max_tenor_days)
            except QuoteInputError as exc:
                return self._reask(request, state, t(MESSAGES, "reask", lang, error=_error(exc, lang).text))
            line = f"{line} {answer}".strip()
        elif step == "terms":
            if not DEFAULT_WORDS.match(answer):
                if answer_fit(state, answer) <= 0 and not await self._named_client(
                    request
                ):  # not an answer: price nothing
                    return self._reask(request, state, t(MESSAGES, "reask_terms", lang, answer=esc(answer[:60])))
                line = f"{line} {answer}".strip()
            return await self._finish(request, services, state, line)
        if ask_terms:
            full = parse_text(line, self._today(request))
            amount = money(full.amount or Decimal(0), full.currency or cfg.default_currency, lang)
            try:
                days = tenor_days(full, self._today(request))
            except QuoteInputError as exc:
                return self._reask(request, state, t(MESSAGES, "reask", lang, error=_error(exc, lang).text))
            new = {"step": "terms", "line": line, "ask_terms": True}
            return self._ask(request, "ask_terms", new, self._defaults_button(lang), amount=amount, days=days)
        return await self._finish(request, services, state, line)

    async def _finish(self, request: Request, services: Services, state: dict[str, Any], line: str) -> Reply:
        try:
            reply = await self._quote(request, services, line)
        except SkillError as exc:
            return self._reask(request, state, t(MESSAGES, "reask", request.lang, error=exc.text))
        if isinstance(reply.state, dict):  # still missing something: keep asking
            return reply
        reply.state = Reply.END
        return reply

    # -- buttons -----------------------------------------------------------------------------

    async def on_button(self, request: Request, services: Services) -> Reply:
        """Explain, compare or save a stored quote, or finish the guided quote with defaults."""
        action, args = request.action
        lang, cfg = request.lang, self._cfg(services)
        if action == "defaults":
            state = request.state
            if not state or state.get("step") != "terms":
                return Reply(text=t(MESSAGES, "flow_expired", lang), data={"expired": True}, intent="guided.expired")
            return await self._finish(request, services, state, str(state.get("line", "")))
        quote = await self._load(request, args)
        if action == "save":
            return await self._save(request, quote)
        if action == "saveto":
            return await self._save_to(request, quote, args[1] if len(args) > 1 else "")
        try:
            result = price_terms(terms_from_dict(quote.inputs), bounds_from(cfg))
        except QuoteInputError as exc:
            raise _error(exc, lang) from None
        if action == "explain":
            return Reply(text=explain(result, quote.id, lang), data=self._figures(quote, result), intent="explain")
        if action == "compare":
            text, data = compare(result, quote.id, cfg, lang)
            return Reply(text=text, data=data, intent="compare")
        raise SkillError(t(MESSAGES, "quote_not_found", lang))

    async def _load(self, request: Request, args: list[str]) -> Quote:
        try:
            quote_id = int(args[0])
        except (IndexError, ValueError):
            quote_id = -1
        quote = await repo.get_by_id_visible(request.db, quote_id, request.officer.visible_officer_ids())
        if quote is None:
            raise SkillError(t(MESSAGES, "quote_not_found", request.lang), data={"error_key": "quote_not_found"})
        return quote

    @staticmethod
    def _figures(quote: Quote, result: QuoteResult) -> dict[str, Any]:
        return {"quote_id": quote.id, "face_value": str(result.terms.face_value), "tenor_days": result.terms.tenor_days,
                **result.as_dict(), "inputs": dict(quote.inputs)}  # fmt: skip

    # -- saving ------------------------------------------------------------------------------

    def _may_see(self, request: Request, client: Client | None) -> bool:
        visible = request.officer.visible_officer_ids()
        return client is not None and (visible is None or client.officer_id in visible)

    async def _save(self, request: Request, quote: Quote) -> Reply:
        lang = request.lang
        if quote.client_id is not None:
            client = await request.db.get(Client, quote.client_id)
            if self._may_see(request, client):
                assert client is not None
                return self._saved(request, quote, client)
        clients = list(await visible_clients(request.db, request.officer))
        if not clients:
            raise SkillError(t(MESSAGES, "no_clients", lang), data={"error_key": "no_clients"})
        clients.sort(key=lambda c: c.id != request.recent_client_id)
        buttons = [Button(c.name[:30], payload("quote", "saveto", quote.id, c.id)) for c in clients[:8]]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        state = {"step": "save", "quote_id": quote.id}
        return self._ask(request, "ask_client", state, rows, id=quote.id)

    async def _save_to(self, request: Request, quote: Quote, client_arg: str) -> Reply:
        client = (
            await request.db.get(Client, int(client_arg)) if client_arg.isascii() and client_arg.isdigit() else None
        )
        if not self._may_see(request, client):
            raise SkillError(t(MESSAGES, "quote_not_found", request.lang), data={"error_key": "client_not_visible"})
        assert client is not None
        return self._saved(request, quote, client)

    async def _save_typed(self, request: Request, state: dict[str, Any], answer: str) -> Reply:
        quote = await self._load(request, [str(state.get("quote_id", ""))])
        client = await find_client_in_text(request.db, request.officer, answer)
        if client is None:
            return self._reask(request, state, t(MESSAGES, "reask_client", request.lang, answer=esc(answer[:60])))
        return self._saved(request, quote, client)

    def _saved(self, request: Request, quote: Quote, client: Client) -> Reply:
        repo.mark_saved(quote, client.id, request.now)
        return Reply(
            text=t(MESSAGES, "saved", request.lang, id=quote.id, client=esc(client.name)),
            data={"quote_id": quote.id, "saved": True, "client_id": client.id, "client": client.name},
            intent="saved",
            client_id=client.id,
            state=Reply.END if request.state is not None else None,
        )

    # -- listing -----------------------------------------------------------------------------

    async def _list(self, request: Request, services: Services) -> Reply:
        lang = request.lang
        limit = self._cfg(services).recent_quotes_limit
        client = await find_client_in_text(request.db, request.officer, request.args) if request.args.strip() else None
        if client is not None:
            rows = await repo.last_quotes(request.db, client.id, limit)
        else:
            rows = await repo.recent_saved(request.db, request.officer.visible_officer_ids(), limit)
        if not rows:
            return Reply(text=t(MESSAGES, "quotes_empty", lang), data={"quotes": []}, intent="quotes")
        lines = [t(MESSAGES, "quotes_title", lang)]
        for r in rows:
            when = local(r.saved_at or r.created_at, request.officer.timezone).date().isoformat()
            lines.append(t(
                MESSAGES, "quote_line", lang, id=r.id, client=esc(r.client_name or "—"), face=money(r.face_value, r.currency, lang),
                days=r.tenor_days, net=number(r.net_at_funding, lang), eac=percent(r.effective_annual_cost, lang), date=when,
            ))  # fmt: skip
        data = [
            {"quote_id": r.id, "client_id": r.client_id, "client": r.client_name, "currency": r.currency,
             "face_value": str(r.face_value), "tenor_days": r.tenor_days, "net_at_funding": str(r.net_at_funding),
             "total_cost": str(r.total_cost), "effective_annual_cost": str(r.effective_annual_cost)}
            for r in rows
        ]  # fmt: skip
        return Reply(text="\n".join(lines), data={"quotes": data}, intent="quotes")
