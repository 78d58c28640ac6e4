"""Pure parsing of ledger cells: headers (English/Chinese), amounts (separators, ¥/$, 万/亿), dates, yes/no.

No I/O here; every function raises :class:`CellError` (a ``ValueError``) naming what was wrong, which the
importer turns into a row-level reason in the officer's language.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

__all__ = [
    "EVENT_COLUMNS",
    "INVOICE_COLUMNS",
    "CellError",
    "map_headers",
    "normalise_header",
    "normalise_name",
    "parse_amount",
    "parse_bool",
    "parse_date",
    "parse_doc_type",
    "parse_paid_to",
    "signed_amount",
    "split_aliases",
]

CENT = Decimal("0.01")


class CellError(ValueError):
    """A cell that cannot be read; ``key`` names the message, ``value`` is what the file held."""

    def __init__(self, key: str, value: object) -> None:
        super().__init__(f"{key}: {value!r}")
        self.key = key
        self.value = value


# Canonical column -> accepted headers (matched case-, space- and underscore-insensitively).
INVOICE_COLUMNS: dict[str, tuple[str, ...]] = {
    "client": ("client", "client name", "seller", "客户", "客户名称", "卖方"),
    "client_aliases": ("client_aliases", "client alias", "aliases", "客户别名", "别名"),
    "officer_id": ("officer_id", "officer", "专员ID", "专员", "客户经理ID"),
    "debtor": ("debtor", "buyer", "debtor name", "买方", "债务人", "买方名称"),
    "debtor_core": ("debtor_core", "core", "core enterprise", "核心企业", "是否核心企业"),
    "invoice_no": ("invoice_no", "invoice", "invoice number", "invoice #", "发票号", "发票号码", "发票编号"),
    "amount": ("amount", "invoice amount", "face value", "金额", "发票金额", "票面金额", "应收账款金额"),
    "currency": ("currency", "ccy", "币种", "货币"),
    "issue_date": ("issue_date", "invoice date", "issued", "开票日期", "发票日期"),
    "due_date": ("due_date", "due", "maturity", "到期日", "到期日期"),
    "paid_amount": ("paid_amount", "paid", "amount paid", "已付金额", "回款金额", "已回款"),
    "paid_date": ("paid_date", "payment date", "付款日期", "回款日期"),
    "disputed": ("disputed", "dispute", "争议", "是否争议", "有争议"),
    "advanced_amount": ("advanced_amount", "advanced", "advance", "financed", "融资金额", "预付款金额"),
    "credit_limit": ("credit_limit", "limit", "授信额度", "额度"),
    "industry": ("industry", "sector", "行业"),
    "doc_type": (
        "doc_type", "type", "document type", "doc type", "document", "类型", "单据类型", "票据类型", "发票类型",
    ),
    "paid_to": (
        "paid_to", "paid to", "payee", "received by", "payment received by", "collection account", "收款方",
        "收款人", "回款账户", "收款账户",
    ),
    "application_date": ("application_date", "application date", "applied on", "申请日期", "融资申请日期"),
    "application_amount": (
        "application_amount", "application amount", "amount applied", "applied amount", "申请金额", "融资申请金额",
    ),
}  # fmt: skip
INVOICE_REQUIRED = ("client", "debtor", "invoice_no", "amount", "issue_date", "due_date")

EVENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "subject": ("subject", "company", "name", "对象", "主体", "企业", "公司"),
    "kind": ("kind", "event", "type", "类型", "事件", "事件类型"),
    "date": ("date", "on", "日期", "发生日期"),
    "note": ("note", "notes", "detail", "备注", "说明"),
}
EVENT_REQUIRED = ("subject", "kind", "date")

_UNIT_SUFFIX = re.compile(r"[（(][^）)]*[）)]$")
_HEADER_DROP = re.compile(r"[\s_\-./#:：]+")


def normalise_header(text: object) -> str:
    """Fold a header for matching: NFKC, lower case, no spaces/underscores, no trailing unit in brackets.

    >>> normalise_header(" Invoice_No ")
    'invoiceno'
    >>> normalise_header("金额（元）")
    '金额'
    """
    folded = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    folded = _UNIT_SUFFIX.sub("", folded)
    return _HEADER_DROP.sub("", folded)


def _lookup(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(alias): canon for canon, aliases in columns.items() for alias in (canon, *aliases)}


_INVOICE_LOOKUP = _lookup(INVOICE_COLUMNS)
_EVENT_LOOKUP = _lookup(EVENT_COLUMNS)


def map_headers(headers: list[object], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Canonical column -> index in ``headers`` (first occurrence wins; unknown headers are ignored)."""
    lookup = _INVOICE_LOOKUP if columns is INVOICE_COLUMNS else _EVENT_LOOKUP if columns is EVENT_COLUMNS else None
    lookup = lookup or _lookup(columns)
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        canon = lookup.get(normalise_header(header))
        if canon and canon not in found:
            found[canon] = index
    return found


_MULTIPLIER = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "k": Decimal(1000), "m": Decimal(1_000_000)}
_AMOUNT = re.compile(r"^(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万|亿|k|m)?\s*(?:元|rmb|cny|usd|eur|hkd)?$", re.I)
_CURRENCY_MARK = re.compile(r"^(?:¥|￥|\$|rmb|cny|usd|us\$|hk\$|eur|€)\s*", re.I)
_SYMBOL_CCY = {"¥": "CNY", "￥": "CNY", "$": "USD", "us$": "USD", "hk$": "HKD", "€": "EUR"}


_PLAIN = re.compile(r"^\d{1,15}(?:\.\d{1,2})?$")


@lru_cache(maxsize=8192)
def _plain_amount(text: str) -> Decimal:
    return Decimal(text).quantize(CENT)


def parse_amount(value: object) -> Decimal:
    """Read money: ``1,234.50``, ``¥1,234``, ``$2,000``, ``12.5万``, ``RMB 1 000``; Decimal with 2 places.

    Negative or non-numeric values raise :class:`CellError`. Floats from spreadsheets go through ``str``.

    >>> parse_amount("12.5万")
    Decimal('125000.00')
    >>> parse_amount("¥1,234.5")
    Decimal('1234.50')
    """
    if isinstance(value, bool):
        raise CellError("bad_amount", value)
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str) and _PLAIN.match(value):
        return _plain_amount(value)
    else:
        text = unicodedata.normalize("NFKC", str(value or "")).strip().replace("￥", "¥")
        if not text:
            raise CellError("missing_amount", value)
        text = _CURRENCY_MARK.sub("", text.lower())
        text = re.sub(r"(?<=\d)[,\s'](?=\d{3}\b)", "", text).replace(",", "")
        match = _AMOUNT.match(text.strip())
        if not match:
            raise CellError("bad_amount", value)
        try:
            number = Decimal(match.group("num"))
        except InvalidOperation:
            raise CellError("bad_amount", value) from None
        unit = (match.group("unit") or "").lower()
        if unit:
            number *= _MULTIPLIER[unit]
    if not number.is_finite() or number < 0:
        raise CellError("bad_amount", value)
    try:
        return number.quantize(CENT)
    except InvalidOperation:  # more digits than the decimal context holds: no real invoice is that big
        raise CellError("bad_amount", value) from None


def amount_currency(value: object) -> str | None:
    """The currency a money cell's symbol implies (``¥`` → CNY, ``$`` → USD), or None.

    >>> amount_currency("$1,000")
    'USD'
    """
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    if not text or (text[0].isdigit() and text[-1].isdigit()):
        return None
    for mark, ccy in sorted(_SYMBOL_CCY.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(mark):
            return ccy
    match = re.match(r"^(rmb|cny|usd|eur|hkd)\b", text) or re.search(r"(rmb|cny|usd|eur|hkd)$", text)
    if match:
        return {"rmb": "CNY"}.get(match.group(1), match.group(1).upper())
    return None


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_ZH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")


@lru_cache(maxsize=4096)
def _parse_date_text(text: str, dayfirst: bool) -> date:
    for pattern in (_ISO, _ZH):
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    match = _DMY.match(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        if first > 12:
            day, month = first, second
        elif second > 12:
            month, day = first, second
        else:
            day, month = (first, second) if dayfirst else (second, first)
        return date(year, month, day)
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # a spreadsheet serial day number (1900 date system)
        return date.fromordinal(_EXCEL_EPOCH + int(float(text)))
    if not re.search(r"\d{4}", text):  # dateutil would silently fill in the current year or month
        raise ValueError(text)
    from dateutil import parser as dateutil_parser  # only for a ledger's free-form dates, not at start

    parsed = dateutil_parser.parse(text, dayfirst=dayfirst, yearfirst=not dayfirst, fuzzy=False)
    return parsed.date()


def parse_date(value: object, *, dayfirst: bool = True) -> date:
    """Read a date: ISO ``2026-11-30``, ``2026/11/30``, ``30/11/2026`` (``dayfirst``), ``2026年11月30日``,
    ``30 Nov 2026`` (python-dateutil), or a spreadsheet date cell.

    >>> parse_date("2026年11月30日")
    datetime.date(2026, 11, 30)
    >>> parse_date("03/04/2026", dayfirst=False)
    datetime.date(2026, 3, 4)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        raise CellError("missing_date", value)
    if " " in text and re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$", text):
        text = text.split(" ", 1)[0]
    try:
        return _parse_date_text(text, dayfirst)
    except (ValueError, OverflowError):
        raise CellError("bad_date", value) from None


_TRUE = {"y", "yes", "true", "1", "x", "✓", "是", "有", "对", "t"}
_FALSE = {"", "n", "no", "false", "0", "否", "无", "没有", "f", "-"}


def parse_bool(value: object) -> bool:
    """Read a yes/no cell (yes/no, true/false, 1/0, x, 是/否); blank is no.

    >>> parse_bool("是"), parse_bool(""), parse_bool("Yes")
    (True, False, True)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("bad_bool", value)


def split_aliases(value: object) -> list[str]:
    """Split an aliases cell on , ; | 、 ，；.

    >>> split_aliases("Acme; ACME Trading、阿克米")
    ['Acme', 'ACME Trading', '阿克米']
    """
    parts = re.split(r"[,;|、，；]", str(value or ""))
    return [p.strip() for p in parts if p.strip()]


@lru_cache(maxsize=65536)
def _fold_name(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).strip().lower())


def normalise_name(text: object) -> str:
    """Fold a company name for identity: NFKC, lower case, single spaces.

    >>> normalise_name("  ACME  Trading ")
    'acme trading'
    """
    return _fold_name(str(text or ""))


# Document types: an invoice, or a credit note (贷项通知单; in China a red-letter invoice 红字发票 / 负数发票).
_INVOICE_WORDS = {
    "",
    "invoice",
    "inv",
    "tax invoice",
    "vat invoice",
    "发票",
    "蓝字发票",
    "正数发票",
    "增值税发票",
    "专票",
    "普票",
}
_CREDIT_WORDS = {
    "credit note", "credit", "cn", "c/n", "credit memo", "credit memorandum", "creditnote", "贷项通知单", "贷项通知",
    "贷项", "红字发票", "红票", "红冲", "红字", "负数发票", "折让", "销售折让", "退货",
}  # fmt: skip


def parse_doc_type(value: object) -> str:
    """``invoice`` or ``credit_note`` from a document-type cell (blank is an invoice).

    >>> parse_doc_type("Credit Note"), parse_doc_type("红字发票"), parse_doc_type(""), parse_doc_type("发票")
    ('credit_note', 'credit_note', 'invoice', 'invoice')
    """
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value or "")).strip().lower())
    if text in _INVOICE_WORDS:
        return "invoice"
    if text in _CREDIT_WORDS:
        return "credit_note"
    raise CellError("bad_doc_type", value)


_FACTOR_WORDS = {
    "factor", "the factor", "us", "we", "factor account", "collection account", "escrow", "escrow account",
    "lockbox", "保理商", "保理公司", "保理", "保理专户", "我司", "我方", "监管账户", "回款专户", "收款专户", "专户",
}  # fmt: skip
_CLIENT_WORDS = {
    "client", "the client", "seller", "supplier", "client account", "客户", "卖方", "供应商", "融资方", "融资人",
    "客户账户", "卖方账户", "企业",
}  # fmt: skip
_ACCOUNT = re.compile(r"^[\d\s-]{6,40}$")


def parse_paid_to(value: object, collection_accounts: frozenset[str] = frozenset()) -> str | None:
    """Who received the debtor's payment: ``factor``, ``client`` or None (blank).

    An account number counts as the factor's when it is one of ``collection_accounts`` (digits only), as
    the client's otherwise; without configured accounts a number cannot be told apart and is rejected.

    >>> parse_paid_to("Factor"), parse_paid_to("卖方"), parse_paid_to(""), parse_paid_to("6222 0001", frozenset({"62220001"}))
    ('factor', 'client', None, 'factor')
    """
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value or "")).strip().lower())
    if not text:
        return None
    if text in _FACTOR_WORDS:
        return "factor"
    if text in _CLIENT_WORDS:
        return "client"
    if collection_accounts and _ACCOUNT.match(text):
        return "factor" if re.sub(r"\D", "", text) in collection_accounts else "client"
    raise CellError("bad_paid_to", value)


_NEGATIVE = re.compile(r"^\s*(?:[-−–]\s*(?P<a>.+)|\((?P<b>.+)\))\s*$")


def signed_amount(value: object) -> tuple[Decimal, bool]:
    """(the amount's size, whether it was negative): ``-1,200.00``, ``−1200``, ``(1,200.00)`` are negative.

    >>> signed_amount("-1,200.50"), signed_amount("(300)"), signed_amount("¥500")
    ((Decimal('1200.50'), True), (Decimal('300.00'), True), (Decimal('500.00'), False))
    """
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and value < 0:
        return parse_amount(-value), True
    if isinstance(value, str):
        match = _NEGATIVE.match(unicodedata.normalize("NFKC", value))
        if match:
            return parse_amount((match["a"] or match["b"]).strip()), True
    return parse_amount(value), False
