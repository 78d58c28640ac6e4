"""Reading a one-line quote ("quote 1.2m 90d advance 85%", "100万 90天 融资比例80%") into partial terms.

Pure: no I/O, no clock (``today`` is a parameter). Chinese numerals go through ``cn2an``; English due
dates through ``dateparser``; Chinese ``M月D日`` dates are read here because dateparser misreads them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from skills.lazyre import LazyPattern, lazy

__all__ = ["Parsed", "parse_amount", "parse_text", "quote_score"]

_NUM = r"(\d+(?:\.\d+)?)"
_PCT = _NUM + r"\s*(%)?"
# a number with a magnitude ("fee 400k 45d": how much fee on 400k) is the amount, not the fee's rate
_NOT_AN_AMOUNT = r"(?![\d.])(?!\s*(?:k|thousand|千|w|万|m|mn|mio|million|百万|千万|亿|bn|billion)(?![a-z]))"
_AMOUNT = r"(?:[¥$€£]\s*)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(k|thousand|千|w|万|m|mn|mio|million|百万|千万|亿|bn|billion)?(?![a-z])"
_MULT = {
    "k": 3, "thousand": 3, "千": 3, "w": 4, "万": 4, "m": 6, "mn": 6, "mio": 6, "million": 6, "百万": 6,
    "千万": 7, "亿": 8, "bn": 9, "billion": 9,
}  # fmt: skip
_UNITS = "|".join(sorted(_MULT, key=len, reverse=True))
_AMOUNT_TOKEN = lazy(
    r"(?P<sign>(?:-|负)\s*)?(?P<pre>us\$|[¥$€£]|rmb|cny|usd|eur|gbp|hkd)?\s*"
    # a number glued to a letter or another number ("1e308", "x500") is not an amount, unless after a currency
    r"(?(pre)|(?<![a-z\d.]))(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    rf"(?P<unit>{_UNITS})?(?![a-z\d])\s*"
    r"(?P<post>元|块|人民币|美元|欧元|英镑|港币|港元|rmb|cny|usd|eur|gbp|hkd|dollars?|euros?)?"
)
_CURRENCY = {
    "¥": "CNY", "元": "CNY", "块": "CNY", "人民币": "CNY", "rmb": "CNY", "cny": "CNY",
    "$": "USD", "us$": "USD", "usd": "USD", "美元": "USD", "dollar": "USD", "dollars": "USD",
    "€": "EUR", "eur": "EUR", "欧元": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "英镑": "GBP", "hkd": "HKD", "港币": "HKD", "港元": "HKD",
}  # fmt: skip
_CURRENCY_WORD = lazy(r"(?<![a-z])(rmb|cny|usd|eur|gbp|hkd)(?![a-z])|(人民币|美元|欧元|英镑|港币|港元)")
_CN_NUM = lazy(r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]*")  # "200万九十天": 万 is 200's unit
_CN_DIGIT = lazy(r"[零〇一二两三四五六七八九十]")
_CN_PERCENT = lazy(r"百分之([零〇一二两三四五六七八九十百点\d.]+)")
# "一百万六十天": the amount's unit, then the tenor's numeral — two numbers, not 1,000,060
_UNIT_THEN_TENOR = lazy(r"(?<=[万亿])(?=[零〇一二两三四五六七八九十百]+\s*(?:天|日|个月|個月|周|星期))")
_HALF_YEAR = lazy(r"半年|half[\s-]+(?:a[\s-]+)?year")
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_EN_DATE = rf"\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s*\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?:\s*,?\s*\d{{4}})?"
_ZH_DATE = r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?|(\d{4})-(\d{1,2})-(\d{1,2})"

_DUE_EN = lazy(rf"\bdue\s+(?:on\s+|by\s+|date\s*:?\s*)?({_EN_DATE})")
_DUE_ZH = (
    lazy(rf"(?:{_ZH_DATE})\s*(?:前)?到期"),
    lazy(rf"到期(?:日期|日)?\s*(?:为|是|:)?\s*(?:{_ZH_DATE})"),
)


def _basis_pattern(days: int) -> LazyPattern:
    """Every way officers write a day-count basis: ACT/365, basis 365, on a 365(-day) basis, 按365天计息…"""
    n = str(days)
    return lazy(
        rf"(?<!\d)(?:act(?:ual)?\s*/\s*{n}|a\s*/\s*{n}(?!\d)"
        rf"|(?:on\s+an?\s+)?{n}[\s-]*(?:days?[\s-]*)?(?:basis|day[\s-]*count|days?\s+year)"
        rf"|(?:day[\s-]*count\s+)?basis\s*(?:of\s+|[:=]\s*)?(?:act(?:ual)?\s*/\s*)?{n}(?:[\s-]*days?)?"
        rf"|day[\s-]*count\s*(?:of\s+|[:=]\s*)?{n}(?:[\s-]*days?)?"
        rf"|(?:一年|全年|每年)?按\s*{n}\s*天?\s*(?:计息?|计算|算)?|{n}\s*天?\s*计息|计息(?:基础|基数|天数)\s*(?:为|是)?\s*{n}\s*天?)"
        rf"(?!\d)"
    )


_BASIS = ((_basis_pattern(365), 365), (_basis_pattern(360), 360))
_DISCOUNT = (
    lazy(
        rf"discount(?:\s+(?:fee|rate))?\s*(?:of|at|=|:)?\s*{_PCT}\s*(?:per|/|every|a|each)\s*(?:started\s+)?30[\s-]*days?(?:\s+period)?"
    ),
    lazy(rf"每\s*30\s*天\s*(?:贴息|折扣费?|贴现率?)\s*(?:为|是)?\s*{_PCT}"),
    lazy(rf"(?:贴息|折扣费?|贴现率?)\s*{_PCT}\s*(?:/|每)\s*30\s*天"),
)
_PER_PERIOD = lazy(
    r"per\s+started\s+(?:30[\s-]*days?|period)|started\s+periods?|按整期|不足\s*30\s*天按\s*30\s*天"
)
_PRORATA = lazy(r"pro[\s-]*rata|pro[\s-]*rated|按日计")
_ADVANCE = (
    lazy(rf"(?:advance(?:\s+rate)?|adv|ltv)\s*(?:of|at|=|:)?\s*{_PCT}"),
    lazy(rf"{_NUM}\s*(%)\s*advance"),
    lazy(rf"(?:融资比例|预付比例|预付款比例|融资率|预付)\s*(?:为|是|:)?\s*{_PCT}"),
)
_WAIVE = lazy(
    r"no\s+(?:service\s+)?fee|fee\s+waived|waive(?:\s+the)?\s+(?:service\s+)?fee|免(?:收)?(?:服务费|手续费)"
)
_FEE = (
    lazy(
        rf"(?:service\s+fee|handling\s+fee|fee)\s*(?:rate)?\s*(?:of|at|=|:)?\s*{_PCT}{_NOT_AN_AMOUNT}"
        rf"(?:\s*,?\s*(?:min(?:imum)?|at\s+least|floor)\s*(?:of\s*)?{_AMOUNT})?"
    ),
    lazy(rf"(?:服务费|手续费)(?:率)?\s*(?:为|是|:)?\s*{_PCT}(?:\s*,?\s*(?:最低|最少|保底)\s*{_AMOUNT})?"),
)
_FEE_MIN = lazy(rf"(?:min(?:imum)?\s+fee|fee\s+min(?:imum)?|最低(?:服务费|手续费))\s*(?:of|=|:|为)?\s*{_AMOUNT}")
_RATE = (
    lazy(
        rf"(?:annual\s+rate|interest\s+rate|interest|rate|apr)\s*(?:of|at|=|:)?\s*{_PCT}"
        r"(?:\s*(?:p\.?a\.?|a\s+year|per\s+(?:year|annum)|annual(?:ly)?|/\s*y(?:ea)?r))?"
    ),
    lazy(rf"{_NUM}\s*(%)\s*(?:p\.?a\.?|a\s+year|per\s+(?:year|annum)|annual(?:ly)?|/\s*y(?:ea)?r)"),
    lazy(rf"(?:年化利率|年化|年利率|利率|年息)\s*(?:为|是|:)?\s*{_PCT}"),
    lazy(rf"{_NUM}\s*(%)\s*(?:年化|/\s*年|每年)"),
)
_ARREARS = lazy(r"in\s+arrears|arrears|at\s+maturity|利随本清|后付息|到期付息|到期还本付息")
_UPFRONT = lazy(r"up[\s-]*front|interest\s+in\s+advance|先息后本|预扣利息|利息前置|前置收息|先付息")
_NON_RECOURSE = lazy(r"non[\s-]*recourse|without\s+recourse|无追索权?")
_RECOURSE = lazy(r"with\s+recourse|recourse|有追索权?")
_FIRST = lazy(r"first\s+deal|first[\s-]+time|首笔|首单|第一笔")
_TENOR = (
    (lazy(r"(-\s*)?(\d+)\s*(?:个月|個月|months?|mos?)(?![a-z])"), 30),
    (lazy(r"(-\s*)?(\d+)\s*(?:weeks?|wks?|周)(?![a-z])"), 7),
    (lazy(r"(-\s*)?(\d+)\s*(?:d|days?|天|日)(?![a-z])"), 1),
    (lazy(r"(?:tenor|term|期限|账期)\s*(?:of|=|:|为)?\s*(-\s*)?(\d+)"), 1),
)
_QUOTE_WORD = lazy(r"(?<![a-z])(?:quote|price|pricing|priced)(?![a-z])|报价|询价|报个价|测算|算一下|定价")
_STRAY_PERCENT = lazy(_NUM + r"\s*%")


@dataclass(slots=True)
class Parsed:
    """What a message says about a deal; None where it says nothing."""

    amount: Decimal | None = None
    amount_marked: bool = False  # had a currency or a unit (k, m, 万…)
    currency: str | None = None
    tenor_days: int | None = None
    due_date: date | None = None
    due_text: str | None = None
    advance_rate: Decimal | None = None
    annual_rate: Decimal | None = None
    discount_rate: Decimal | None = None
    discount_mode: str | None = None
    basis: int | None = None
    fee_rate: Decimal | None = None
    fee_minimum: Decimal | None = None
    fee_waived: bool | None = None
    interest_timing: str | None = None
    recourse: bool | None = None
    first_deal: bool = False
    quote_word: bool = False
    stray_percent: str | None = None
    terms_found: list[str] = field(default_factory=list)
    rest: str = ""  # what is left of the (normalised) text once every term and amount is read

    @property
    def has_terms(self) -> bool:
        """Names at least one deal term beyond amount and tenor (advance, rate, fee, basis, recourse…)."""
        return any(
            value is not None
            for value in (
                self.advance_rate, self.annual_rate, self.discount_rate, self.discount_mode, self.basis,
                self.fee_rate, self.fee_minimum, self.fee_waived, self.interest_timing, self.recourse,
            )
        ) or self.first_deal  # fmt: skip

    @property
    def has_amount(self) -> bool:
        return self.amount is not None and (self.amount_marked or self.quote_word or self.amount >= 1000)

    @property
    def has_tenor(self) -> bool:
        return self.tenor_days is not None or self.due_text is not None


def normalise(text: str) -> str:
    """NFKC (full-width digits and ％ become ASCII), lower case, Chinese numerals as digits, half a year as 6 months.

    >>> normalise("报价 一百万元 九十天 百分之八十")
    '报价 1000000元 90天 80%'
    >>> normalise("300万 半年"), normalise("算算一百万六十天")
    ('300万 6个月', '算算1000000 60天')
    """
    out = _HALF_YEAR.sub("6个月", unicodedata.normalize("NFKC", text).lower())
    out = _UNIT_THEN_TENOR.sub(" ", out)
    out = _CN_PERCENT.sub(lambda m: _cn_number(m.group(1)) + "%", out)
    return _CN_NUM.sub(lambda m: _cn_number(m.group(0)) if _CN_DIGIT.search(m.group(0)) else m.group(0), out)


def _cn_number(run: str) -> str:
    try:
        import cn2an  # 0.2 s to import: loaded with the first Chinese numeral, not with every command

        return str(cn2an.cn2an(run, "smart"))
    except (ValueError, KeyError):  # cn2an raises KeyError for some malformed runs ("万亿八")
        return run


def _pct(value: str) -> Decimal:
    """A percentage as a fraction: "85" → 0.85 (labelled clauses read numbers as percent, with or without %)."""
    return Decimal(value) / 100


def parse_amount(text: str) -> tuple[Decimal, bool, str | None] | None:
    """The first amount in ``text``: (value, marked by unit/currency, currency code or None).

    >>> parse_amount("$250,000 invoice")
    (Decimal('250000'), True, 'USD')
    >>> parse_amount("1.2亿")
    (Decimal('120000000'), True, None)
    """
    best: tuple[Decimal, bool, str | None] | None = None
    for m in _AMOUNT_TOKEN.finditer(text):
        value = Decimal(m.group("num").replace(",", ""))
        unit = m.group("unit")
        if unit:
            value = value.scaleb(_MULT[unit])
        value = Decimal(format(-value if m.group("sign") else value, "f"))
        cur = m.group("pre") or m.group("post")
        marked = bool(unit or cur)
        found = (value, marked, _CURRENCY.get(cur) if cur else None)
        if marked:
            return found
        best = best or found
    return best


def _take(pattern: LazyPattern, text: str) -> tuple[re.Match[str] | None, str]:
    m = pattern.search(text)
    if m is None:
        return None, text
    return m, text[: m.start()] + " " + text[m.end() :]


def _zh_date(m: re.Match[str], today: date) -> date | None:
    g = [x for x in m.groups()]
    year, month, day = (g[0], g[1], g[2]) if g[1] else (g[3], g[4], g[5])
    try:
        if year:
            return date(int(year), int(month), int(day))
        due = date(today.year, int(month), int(day))
        return due if due > today else date(today.year + 1, int(month), int(day))
    except (TypeError, ValueError):
        return None


def _en_date(text: str, today: date) -> date | None:
    import dateparser  # heavy: imported only when a due date is written out

    base = datetime(today.year, today.month, today.day)
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base, "DATE_ORDER": "YMD"}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def parse_text(raw: str, today: date | None = None) -> Parsed:
    """Read every deal term in ``raw``; due dates are resolved only when ``today`` is given.

    >>> p = parse_text("/quote 500000 60d advance 85% rate 7%")
    >>> p.amount, p.tenor_days, p.advance_rate, p.annual_rate
    (Decimal('500000'), 60, Decimal('0.85'), Decimal('0.07'))
    """
    text = normalise(raw)
    p = Parsed(quote_word=bool(_QUOTE_WORD.search(text)))
    for zh in _DUE_ZH:
        m, text = _take(zh, text)
        if m:
            p.due_text = m.group(0)
            p.due_date = _zh_date(m, today) if today else None
            break
    if p.due_text is None:
        m, text = _take(_DUE_EN, text)
        if m:
            p.due_text = m.group(1)
            p.due_date = _en_date(m.group(1), today) if today else None
    for pattern, basis in _BASIS:
        m, text = _take(pattern, text)
        if m:
            p.basis = basis
            break
    for pattern in _DISCOUNT:
        m, text = _take(pattern, text)
        if m:
            p.discount_rate = _pct(m.group(1))
            if "started" in m.group(0):
                p.discount_mode = "per_period"
            break
    m, text = _take(_PER_PERIOD, text)
    if m:
        p.discount_mode = "per_period"
    m, text = _take(_PRORATA, text)
    if m:
        p.discount_mode = "prorata"
    for pattern in _ADVANCE:
        m, text = _take(pattern, text)
        if m:
            p.advance_rate = _pct(m.group(1))
            break
    m, text = _take(_WAIVE, text)
    if m:
        p.fee_waived = True
    for pattern in _FEE:
        m, text = _take(pattern, text)
        if m:
            p.fee_rate = _pct(m.group(1))
            if m.group(3):
                p.fee_minimum = _money(m.group(3), m.group(4))
            break
    m, text = _take(_FEE_MIN, text)
    if m:
        p.fee_minimum = _money(m.group(1), m.group(2))
    for pattern in _RATE:
        m, text = _take(pattern, text)
        if m:
            p.annual_rate = _pct(m.group(1))
            break
    m, text = _take(_ARREARS, text)
    if m:
        p.interest_timing = "arrears"
    m, text = _take(_UPFRONT, text)
    if m:
        p.interest_timing = "upfront"
    m, text = _take(_NON_RECOURSE, text)
    if m:
        p.recourse = False
    else:
        m, text = _take(_RECOURSE, text)
        if m:
            p.recourse = True
    m, text = _take(_FIRST, text)
    p.first_deal = m is not None
    for pattern, days in _TENOR:
        m, text = _take(pattern, text)
        if m:
            p.tenor_days = int(m.group(2)) * days * (-1 if m.group(1) else 1)
            break
    stray = _STRAY_PERCENT.search(text)
    if stray:
        p.stray_percent = stray.group(0).replace(" ", "")
        text = text[: stray.start()] + " " + text[stray.end() :]
    m = _CURRENCY_WORD.search(text)
    if m:
        p.currency = _CURRENCY[m.group(1) or m.group(2)]
    found = parse_amount(text)
    if found:
        p.amount, p.amount_marked = found[0], found[1]
        p.currency = found[2] or p.currency
    p.rest = _CURRENCY_WORD.sub(" ", _AMOUNT_TOKEN.sub(" ", text))
    return p


def _money(num: str, unit: str | None) -> Decimal:
    value = Decimal(num.replace(",", ""))
    return Decimal(format(value.scaleb(_MULT[unit]), "f")) if unit else value


_LEADING_QUOTE = lazy(r"\s*(?:pls\s+|please\s+)?(?:quote|price|报价|询价)(?![a-z])", re.I)


def quote_score(text: str) -> float:
    """How sure we are that ``text`` asks for a quote: high for an amount with a tenor or a quote word.

    >>> quote_score("quote 1.2m 90d"), quote_score("client says 1.2% is too expensive"), quote_score("报价 50万")
    (0.95, 0.0, 0.9)
    """
    p = parse_text(text)
    if p.has_amount and p.has_tenor:
        return 0.95
    if p.quote_word and _LEADING_QUOTE.match(text):  # "quote 1e308", "报价 abc": asked for a quote (refused later)
        return 0.9
    if p.quote_word and p.has_amount:
        return 0.92
    if p.has_amount and p.amount_marked and (p.advance_rate is not None or p.discount_rate is not None):
        return 0.85
    return 0.0
