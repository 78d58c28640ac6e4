"""Strings of the portfolio package: import previews, row-level reasons, credit-event wording (en + zh)."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["FIELD_LABELS", "KIND_LABELS", "MESSAGES"]

FIELD_LABELS: Catalogue = {
    "client": {"en": "client", "zh": "客户"},
    "client_aliases": {"en": "client aliases", "zh": "客户别名"},
    "officer_id": {"en": "officer id", "zh": "专员ID"},
    "debtor": {"en": "debtor", "zh": "买方"},
    "debtor_core": {"en": "core enterprise", "zh": "核心企业"},
    "invoice_no": {"en": "invoice number", "zh": "发票号"},
    "amount": {"en": "amount", "zh": "金额"},
    "currency": {"en": "currency", "zh": "币种"},
    "issue_date": {"en": "issue date", "zh": "开票日期"},
    "due_date": {"en": "due date", "zh": "到期日"},
    "paid_amount": {"en": "paid amount", "zh": "已付金额"},
    "paid_date": {"en": "paid date", "zh": "付款日期"},
    "disputed": {"en": "disputed", "zh": "争议"},
    "advanced_amount": {"en": "advanced amount", "zh": "融资金额"},
    "credit_limit": {"en": "credit limit", "zh": "授信额度"},
    "industry": {"en": "industry", "zh": "行业"},
    "doc_type": {"en": "document type", "zh": "单据类型"},
    "paid_to": {"en": "paid to", "zh": "收款方"},
    "application_date": {"en": "application date", "zh": "申请日期"},
    "application_amount": {"en": "application amount", "zh": "申请金额"},
    "subject": {"en": "subject", "zh": "对象"},
    "kind": {"en": "kind", "zh": "类型"},
    "date": {"en": "date", "zh": "日期"},
    "note": {"en": "note", "zh": "备注"},
}

KIND_LABELS: Catalogue = {
    "bankruptcy_rumour": {"en": "bankruptcy rumour", "zh": "破产传闻"},
    "negative_disclosure": {"en": "negative disclosure", "zh": "负面信息披露"},
    "lawsuit": {"en": "lawsuit", "zh": "诉讼"},
    "rating_downgrade": {"en": "rating downgrade", "zh": "评级下调"},
    "tax_default": {"en": "tax default", "zh": "欠税"},
    "enforcement": {"en": "enforcement list", "zh": "失信被执行人/限高"},
    "equity_freeze": {"en": "equity freeze or pledge", "zh": "股权冻结/出质"},
    "registry_abnormal": {"en": "abnormal registry status", "zh": "经营异常"},
    "director_change": {"en": "legal representative / director change", "zh": "法定代表人/董事变更"},
}

MESSAGES: Catalogue = {
    # file-level problems
    "too_big": {
        "en": "The file is {size} bytes; the limit is {limit} bytes. Split the ledger and send the parts.",
        "zh": "文件大小为 {size} 字节，上限为 {limit} 字节。请拆分台账后分别发送。",
    },
    "empty": {"en": "The file is empty.", "zh": "文件是空的。"},
    "wrong_type": {
        "en": "I can read .csv and .xlsx ledgers; “{name}” is neither.",
        "zh": "只能读取 .csv 和 .xlsx 台账，“{name}” 不是这两种格式。",
    },
    "unreadable": {
        "en": "I could not read the file (it is damaged or not really a CSV/XLSX).",
        "zh": "无法读取该文件（文件已损坏，或并非真正的 CSV/XLSX）。",
    },
    "unreadable_detail": {
        "en": "I could not read the file ({detail}).",
        "zh": "无法读取该文件（{detail}）。",
    },
    "zip_bomb": {
        "en": "The workbook unpacks to {size} bytes, over the {limit}-byte limit; it was not opened.",
        "zh": "该工作簿解压后为 {size} 字节，超过 {limit} 字节上限，未予打开。",
    },
    "zip_ratio": {
        "en": "The workbook is compressed {ratio}:1 (limit {limit}:1), which looks like a zip bomb; it was not opened.",
        "zh": "该工作簿压缩比为 {ratio}:1（上限 {limit}:1），疑似压缩炸弹，未予打开。",
    },
    "too_many_rows": {
        "en": "The ledger has more than {limit} rows. Split it and send the parts.",
        "zh": "台账超过 {limit} 行，请拆分后分别发送。",
    },
    "no_header": {
        "en": "I found no header row. The first rows must name the columns, e.g. client, debtor, invoice_no, "
        "amount, issue_date, due_date.",
        "zh": "未找到表头。前几行须写明列名，例如：客户、买方、发票号、金额、开票日期、到期日。",
    },
    "missing_columns": {
        "en": "Required columns are missing: {columns}.",
        "zh": "缺少必填列：{columns}。",
    },
    # row-level reasons
    "row": {"en": "row {row}: {reason}", "zh": "第 {row} 行：{reason}"},
    "missing": {"en": "{field} is missing", "zh": "缺少{field}"},
    "bad_amount": {"en": "{field} '{value}' is not a number", "zh": "{field}“{value}”不是有效数字"},
    "missing_amount": {"en": "{field} is missing", "zh": "缺少{field}"},
    "bad_date": {"en": "{field} '{value}' is not a date", "zh": "{field}“{value}”不是有效日期"},
    "missing_date": {"en": "{field} is missing", "zh": "缺少{field}"},
    "bad_bool": {"en": "{field} '{value}' is not yes/no", "zh": "{field}“{value}”应为是/否"},
    "bad_currency": {"en": "currency '{value}' is not a 3-letter code", "zh": "币种“{value}”不是三位字母代码"},
    "bad_officer": {"en": "officer id '{value}' is not a number", "zh": "专员ID“{value}”不是数字"},
    "zero_amount": {"en": "amount must be more than zero", "zh": "金额必须大于零"},
    "due_before_issue": {"en": "due date before issue date", "zh": "到期日早于开票日期"},
    "bad_doc_type": {
        "en": "document type '{value}' is neither an invoice nor a credit note",
        "zh": "单据类型“{value}”既不是发票也不是贷项通知单（红字发票）",
    },
    "negative_invoice": {
        "en": "amount '{value}' is negative but the row is marked as an invoice (a credit note?)",
        "zh": "金额“{value}”为负数，但该行标为发票（是否为红字发票/贷项通知单？）",
    },
    "bad_paid_to": {
        "en": "paid to '{value}' should be the factor (collection account) or the client",
        "zh": "收款方“{value}”应为保理商（回款专户）或客户",
    },
    "application_in_future": {"en": "application date {value} is in the future", "zh": "申请日期 {value} 在未来"},
    "paid_before_issue": {"en": "paid date before issue date", "zh": "付款日期早于开票日期"},
    "paid_in_future": {"en": "paid date {value} is in the future", "zh": "付款日期 {value} 在未来"},
    "paid_over_amount": {"en": "paid amount is more than the invoice amount", "zh": "已付金额大于发票金额"},
    "advanced_over_amount": {"en": "advanced amount is more than the invoice amount", "zh": "融资金额大于发票金额"},
    "duplicate": {
        "en": "invoice {value} for this client is also on row {other}",
        "zh": "该客户的发票 {value} 在第 {other} 行重复出现",
    },
    "other_officer": {
        "en": "you may import only into your own book (officer {value})",
        "zh": "只能导入到您本人名下（专员 {value}）",
    },
    "unknown_officer": {"en": "officer {value} is not known", "zh": "专员 {value} 不存在"},
    "not_your_client": {
        "en": "client “{value}” belongs to another officer",
        "zh": "客户“{value}”属于其他专员",
    },
    "client_officer_mismatch": {
        "en": "client “{value}” belongs to officer {other}, not {officer}",
        "zh": "客户“{value}”属于专员 {other}，而非 {officer}",
    },
    "bad_kind": {
        "en": "'{value}' is not an event kind (bankruptcy rumour, negative disclosure, lawsuit, rating downgrade)",
        "zh": "“{value}”不是事件类型（破产传闻、负面信息披露、诉讼、评级下调）",
    },
    "unknown_subject": {
        "en": "no client or debtor of yours is called “{value}”",
        "zh": "您名下没有名为“{value}”的客户或买方",
    },
    "ambiguous_subject": {
        "en": "“{value}” matches several: {names}",
        "zh": "“{value}”对应多个对象：{names}",
    },
    # preview
    "preview_title": {"en": "📥 <b>Import preview</b> — {name}", "zh": "📥 <b>导入预览</b> — {name}"},
    "preview_invoices": {
        "en": "{total} invoices ({new} new, {updated} updated, {unchanged} unchanged)",
        "zh": "{total} 张发票（新增 {new}，更新 {updated}，未变 {unchanged}）",
    },
    "preview_events": {
        "en": "{total} credit events ({new} new, {unchanged} already recorded)",
        "zh": "{total} 条信用事件（新增 {new}，已记录 {unchanged}）",
    },
    "preview_credit_notes": {
        "en": "{total} credit notes ({new} new, {updated} updated, {unchanged} unchanged)",
        "zh": "{total} 张贷项通知单/红字发票（新增 {new}，更新 {updated}，未变 {unchanged}）",
    },
    "preview_redated": {
        "en": "⚠️ {n} invoices arrive with a different date than before (the original dates are kept): {numbers}",
        "zh": "⚠️ {n} 张发票的日期与上次导入不同（保留原日期）：{numbers}",
    },
    "preview_paid_to_client": {
        "en": "⚠️ {n} payments received by the client, not the factor: {numbers}",
        "zh": "⚠️ {n} 笔回款由客户而非保理商收取：{numbers}",
    },
    "preview_applications": {
        "en": "{n} financing applications (first-feedback reminders set)",
        "zh": "{n} 笔融资申请（已设首次反馈提醒）",
    },
    "preview_debtors": {"en": "{n} new debtors", "zh": "新增买方 {n} 家"},
    "preview_clients": {"en": "{n} new clients", "zh": "新增客户 {n} 家"},
    "preview_clients_updated": {"en": "{n} clients updated", "zh": "更新客户 {n} 家"},
    "preview_rejected": {"en": "{n} rows rejected:", "zh": "{n} 行被拒绝："},
    "preview_none_rejected": {"en": "0 rows rejected", "zh": "0 行被拒绝"},
    "preview_more": {"en": "… and {n} more", "zh": "……另有 {n} 行"},
    "preview_fix_rows": {
        "en": "Nothing was imported. Fix these rows and send the file again.",
        "zh": "未导入任何数据。请修改上述行后重新发送文件。",
    },
    "preview_partial": {
        "en": "The rejected rows will be skipped; confirm to import the rest.",
        "zh": "被拒绝的行将被跳过；确认后导入其余数据。",
    },
    "preview_confirm": {"en": "Confirm to import.", "zh": "确认后即导入。"},
    "preview_nothing": {"en": "Nothing to change: the ledger is already up to date.", "zh": "无需更改：台账已是最新。"},
    "preview_rejected_file": {"en": "❌ The file was rejected: {reason}", "zh": "❌ 文件被拒绝：{reason}"},
    "applied": {
        "en": "✅ Imported: {summary}",
        "zh": "✅ 已导入：{summary}",
    },
    # flags
    "flag_usage": {
        "en": "Usage: /flag &lt;debtor or client&gt; &lt;kind&gt; &lt;note&gt;, kinds: bankruptcy rumour, negative disclosure, "
        "lawsuit, rating downgrade, tax default, enforcement, equity freeze, abnormal registry, director change.",
        "zh": "用法：/flag &lt;买方或客户&gt; &lt;类型&gt; &lt;备注&gt;，类型：破产传闻、负面信息披露、诉讼、评级下调、欠税、"
        "失信被执行人/限高、股权冻结、经营异常、法定代表人变更。",
    },
    "flag_recorded": {
        "en": "🚩 Recorded: {kind} on {subject} ({on}).",
        "zh": "🚩 已记录：{subject} {kind}（{on}）。",
    },
}
