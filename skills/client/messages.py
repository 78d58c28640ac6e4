"""Strings of the client skill (profile card, client list, ledger upload), English and Chinese."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES"]

MESSAGES: Catalogue = {
    "title": {"en": "👤 <b>{name}</b>", "zh": "👤 <b>{name}</b> 客户画像"},
    "tier": {"en": "Tier: {icon} <b>{tier}</b> — {reason}", "zh": "分层：{icon} <b>{tier}</b>——{reason}"},
    "limit": {"en": "Limit {limit} · utilisation {util}", "zh": "授信额度 {limit} · 使用率 {util}"},
    "no_limit": {"en": "No credit limit on file", "zh": "暂无授信额度"},
    "open": {
        "en": "Open receivables {amount} ({count} invoices) · overdue {overdue} ({overdue_count})",
        "zh": "未回款应收账款 {amount}（{count} 张）· 逾期 {overdue}（{overdue_count} 张）",
    },
    "aging": {"en": "Aging: {buckets}", "zh": "账龄：{buckets}"},
    "bucket.current": {"en": "current", "zh": "未到期"},
    "bucket.days": {"en": "{b} d", "zh": "{b} 天"},
    "dso": {"en": "DSO {dso} days (trailing avg {avg}){trend}", "zh": "回款周期 {dso} 天（此前平均 {avg} 天）{trend}"},
    "dso_only": {"en": "DSO {dso} days{trend}", "zh": "回款周期 {dso} 天{trend}"},
    "dso_none": {"en": "DSO: not enough history yet", "zh": "回款周期：历史数据不足"},
    "trend": {"en": " · trend {points}", "zh": " · 走势 {points}"},
    "top_debtors": {"en": "Top debtors: {items}", "zh": "主要买方：{items}"},
    "core": {"en": " (core)", "zh": "（核心）"},
    "alerts": {"en": "Open alerts: 🟥 {red} · 🟨 {yellow}", "zh": "未解除预警：🟥 {red} · 🟨 {yellow}"},
    "alerts_none": {"en": "Open alerts: none 👍", "zh": "未解除预警：无 👍"},
    "quotes": {"en": "Last quotes:", "zh": "最近报价："},
    "quote_line": {
        "en": "· {date}: {face} for {days} d, net {net}, effective {eac}/yr",
        "zh": "· {date}：{face}，{days} 天，到手 {net}，年化成本 {eac}",
    },
    "objections": {"en": "Objections logged: {items}", "zh": "已记录异议：{items}"},
    "next_reminder": {"en": "Next reminder: {when} — {text}", "zh": "下一条提醒：{when}——{text}"},
    "no_data": {
        "en": "No receivables on file for this client yet. Send a ledger (CSV/XLSX) to import them.",
        "zh": "该客户暂无应收账款数据。发送台账文件（CSV/XLSX）即可导入。",
    },
    "btn.alerts": {"en": "🚨 Alerts", "zh": "🚨 风险预警"},
    "btn.clients": {"en": "📋 All my clients", "zh": "📋 我的全部客户"},
    "chart.title": {"en": "Aging (days past due)", "zh": "账龄分布（逾期天数）"},
    "chart.ylabel": {"en": "open amount ({currency})", "zh": "未回款金额（{currency}）"},
    # -- client list -----------------------------------------------------------------------
    "list.title": {
        "en": "<b>Your clients</b> ({n}) — tap one for its profile:",
        "zh": "<b>您的客户</b>（{n} 家）——点击查看客户画像：",
    },
    "list.line": {"en": "{icon} {name} · {tier}{alerts}", "zh": "{icon} {name} · {tier}{alerts}"},
    "list.alerts": {"en": " · 🚨 {n}", "zh": " · 🚨 {n}"},
    "list.more": {"en": "…and {n} more — name one: /client &lt;name&gt;", "zh": "……另有 {n} 家——可直接发送 /client &lt;客户名&gt;"},
    "list.empty": {
        "en": "You have no clients yet. Send a ledger (CSV or XLSX) to import your portfolio.",
        "zh": "您还没有客户。发送台账文件（CSV 或 XLSX）即可导入业务组合。",
    },
    "not_found": {
        "en": "I couldn't find a client of yours called “{name}”.",
        "zh": "没有找到您名下名为“{name}”的客户。",
    },
    "refused": {
        "en": "That client isn't one of yours, so I can't show it.",
        "zh": "该客户不在您的名下，无法查看。",
    },
    # -- upload ----------------------------------------------------------------------------
    "btn.confirm": {"en": "✅ Confirm import", "zh": "✅ 确认导入"},
    "btn.cancel": {"en": "✖️ Cancel", "zh": "✖️ 取消"},
    "upload.cancelled": {"en": "Import cancelled; nothing was changed.", "zh": "已取消导入，数据未作任何更改。"},
    "upload.confirm_or_cancel": {
        "en": "The ledger preview above is waiting: Confirm import, or Cancel to leave everything as it is.",
        "zh": "上面的台账预览还在等您确认：点“确认导入”，或“取消”保持数据不变。",
    },
    "flow.import": {"en": "ledger import", "zh": "台账导入"},
    "upload.expired": {
        "en": "That upload has expired or was already handled. Send the file again.",
        "zh": "该上传已过期或已处理，请重新发送文件。",
    },
    "upload.swept": {
        "en": "Re-checked {clients} clients: {new} new alerts ({red} red).",
        "zh": "已重新评估 {clients} 家客户：新增预警 {new} 条（红牌 {red} 条）。",
    },
    "application": {
        "en": "📝 Application {amount}: first feedback due {due}",
        "zh": "📝 融资申请 {amount}：首次反馈截止 {due}",
    },
    "application_missed": {
        "en": "⛔ Application {amount}: first feedback was due {due} — overdue",
        "zh": "⛔ 融资申请 {amount}：首次反馈已于 {due} 到期——已超时",
    },
}
