"""Bilingual text for an import plan: the preview shown before confirming, and the result after applying."""

from __future__ import annotations

from skills.fmt import esc
from skills.i18n import t
from skills.portfolio.importer import ImportPlan
from skills.portfolio.ledger import RowIssue
from skills.portfolio.messages import FIELD_LABELS, MESSAGES

__all__ = ["render_applied", "render_issue", "render_preview", "render_reason"]

MAX_LISTED = 15


def render_issue(issue: RowIssue, lang: str) -> str:
    """``row 17: due date before issue date`` / ``第 17 行：到期日早于开票日期`` (plain text, unescaped)."""
    return t(MESSAGES, "row", lang, row=issue.row, reason=render_reason(issue.key, issue.params, lang))


def render_reason(key: str, params: dict[str, object], lang: str) -> str:
    """One reason (row-level or file-level) in ``lang``."""
    values = {k: ("" if v is None else v) for k, v in params.items()}
    if "field" in values and str(values["field"]) in FIELD_LABELS:
        values["field"] = t(FIELD_LABELS, str(values["field"]), lang)
    values.setdefault("value", "")
    try:
        return t(MESSAGES, key, lang, **values)
    except KeyError:
        return key


def _counts(plan: ImportPlan, lang: str) -> list[str]:
    lines: list[str] = []
    if plan.kind == "events":
        total = plan.events_new + plan.events_unchanged
        lines.append(
            t(MESSAGES, "preview_events", lang, total=total, new=plan.events_new, unchanged=plan.events_unchanged)
        )
        return lines
    lines.append(
        t(
            MESSAGES,
            "preview_invoices",
            lang,
            total=plan.invoices_total,
            new=plan.invoices_new,
            updated=plan.invoices_updated,
            unchanged=plan.invoices_unchanged,
        )
    )
    if plan.credit_notes_total:
        lines.append(
            t(
                MESSAGES,
                "preview_credit_notes",
                lang,
                total=plan.credit_notes_total,
                new=plan.credit_notes_new,
                updated=plan.credit_notes_updated,
                unchanged=plan.credit_notes_unchanged,
            )
        )
    for key, numbers in (("preview_redated", plan.redated), ("preview_paid_to_client", plan.paid_to_client)):
        if numbers:
            lines.append(t(MESSAGES, key, lang, n=len(numbers), numbers=esc(_listed(numbers))))
    applications = len({(r.client, r.application_date) for r in plan.invoice_rows if r.application_date})
    if applications:
        lines.append(t(MESSAGES, "preview_applications", lang, n=applications))
    lines.append(t(MESSAGES, "preview_debtors", lang, n=len(plan.new_debtors)))
    lines.append(t(MESSAGES, "preview_clients", lang, n=len(plan.new_clients)))
    if plan.clients_updated:
        lines.append(t(MESSAGES, "preview_clients_updated", lang, n=plan.clients_updated))
    return lines


def _listed(numbers: list[str], most: int = 5) -> str:
    shown = ", ".join(numbers[:most])
    return shown + (f", … (+{len(numbers) - most})" if len(numbers) > most else "")


def render_preview(plan: ImportPlan, lang: str) -> str:
    """The dry-run summary: counts, then each rejected row with its reason, then what confirming does."""
    title = t(MESSAGES, "preview_title", lang, name=esc(plan.file_name))
    if plan.error is not None:
        reason = render_reason(plan.error.key, dict(plan.error.params), lang)
        return f"{title}\n{t(MESSAGES, 'preview_rejected_file', lang, reason=esc(reason))}"
    lines = [title, *(f"• {line}" for line in _counts(plan, lang))]
    if plan.rejected:
        lines.append("• " + t(MESSAGES, "preview_rejected", lang, n=len(plan.rejected)))
        lines += [f"   {esc(render_issue(issue, lang))}" for issue in plan.rejected[:MAX_LISTED]]
        if len(plan.rejected) > MAX_LISTED:
            lines.append("   " + t(MESSAGES, "preview_more", lang, n=len(plan.rejected) - MAX_LISTED))
        key = "preview_partial" if plan.partial_allowed else "preview_fix_rows"
        lines.append(t(MESSAGES, key, lang))
    else:
        lines.append("• " + t(MESSAGES, "preview_none_rejected", lang))
        lines.append(t(MESSAGES, "preview_confirm" if plan.has_changes else "preview_nothing", lang))
    return "\n".join(lines)


def render_applied(plan: ImportPlan, lang: str) -> str:
    """After ``apply_import``: what was written."""
    return t(MESSAGES, "applied", lang, summary="; ".join(_counts(plan, lang)))
