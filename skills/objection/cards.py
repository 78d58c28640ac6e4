"""Static facts about the objection cards: short aliases, categories, and the strongest topic cues.

The cards' text lives in the playbook (``knowledge/playbook/{en,zh}/obj.*.md``); this module only names
them for ``/obj <alias>``, groups them for the log, and holds the keyword cues the recogniser trusts most.
"""

from __future__ import annotations

import re

__all__ = ["ALIASES", "CATEGORY", "CUES", "DEV_EXTRA", "alias_of", "resolve_alias"]

# /obj <alias> → card id (the twenty cards of the playbook).
ALIASES: dict[str, str] = {
    "rate": "obj.rate-too-high",
    "fees": "obj.fees-too-high",
    "guarantee": "obj.guarantee-required",
    "deposit": "obj.deposit-margin",
    "advance": "obj.advance-rate-low",
    "slow": "obj.approval-slow",
    "paperwork": "obj.paperwork",
    "notify": "obj.debtor-notification",
    "recourse": "obj.recourse",
    "bank": "obj.have-bank-line",
    "noneed": "obj.no-need-now",
    "competitor": "obj.competitor-offer",
    "lockin": "obj.contract-lock-in",
    "trust": "obj.trust-nonbank",
    "reputation": "obj.reputation-signal",
    "data": "obj.confidentiality-data",
    "limit": "obj.concentration-limit",
    "verify": "obj.invoice-verification",
    "firstdeal": "obj.first-deal-hesitation",
    "early": "obj.early-repayment",
}
_EXTRA_ALIASES = {
    "fee": "fees", "interest": "rate", "price": "rate", "margin": "deposit", "guarantor": "guarantee",
    "approval": "slow", "docs": "paperwork", "documents": "paperwork", "notification": "notify",
    "lock-in": "lockin", "contract": "lockin", "competition": "competitor", "privacy": "data",
    "concentration": "limit", "confirmation": "verify", "first": "firstdeal", "trial": "firstdeal",
    "prepayment": "early", "no-need": "noneed",
    "利率": "rate", "利息": "rate", "手续费": "fees", "服务费": "fees", "担保": "guarantee",
    "保证金": "deposit", "融资比例": "advance", "审批": "slow", "材料": "paperwork", "通知": "notify",
    "追索": "recourse", "追索权": "recourse", "银行": "bank", "不缺钱": "noneed", "竞争": "competitor",
    "别家": "competitor", "合同": "lockin", "信任": "trust", "名声": "reputation", "数据": "data",
    "额度": "limit", "确权": "verify", "首笔": "firstdeal", "提前还款": "early",
}

# Category of each card, for the log and /objections.
CATEGORY: dict[str, str] = {
    "obj.rate-too-high": "pricing",
    "obj.fees-too-high": "pricing",
    "obj.competitor-offer": "pricing",
    "obj.early-repayment": "pricing",
    "obj.guarantee-required": "security",
    "obj.deposit-margin": "security",
    "obj.recourse": "security",
    "obj.advance-rate-low": "terms",
    "obj.concentration-limit": "terms",
    "obj.contract-lock-in": "terms",
    "obj.approval-slow": "process",
    "obj.paperwork": "process",
    "obj.invoice-verification": "process",
    "obj.debtor-notification": "relationship",
    "obj.reputation-signal": "relationship",
    "obj.confidentiality-data": "relationship",
    "obj.trust-nonbank": "relationship",
    "obj.have-bank-line": "need",
    "obj.no-need-now": "need",
    "obj.first-deal-hesitation": "need",
}


def resolve_alias(word: str) -> str | None:
    """The card id for ``/obj <word>`` (an alias, a synonym, or a full id), or None."""
    key = word.strip().lower()
    if key in ALIASES.values():
        return key
    if key.startswith("obj.") is False and f"obj.{key}" in ALIASES.values():
        return f"obj.{key}"
    key = _EXTRA_ALIASES.get(key, key)
    return ALIASES.get(key)


def alias_of(card_id: str) -> str:
    """The short alias of a card id (``obj.rate-too-high`` → ``rate``)."""
    return next((a for a, i in ALIASES.items() if i == card_id), card_id)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# The strongest topic cues per card (English | Chinese). A hit adds to the classifier's score and is
# what lets a second objection in the same message surface as a button.
CUES: dict[str, re.Pattern[str]] = {
    "obj.rate-too-high": _rx(
        r"(?<!advance )\b(rates?|interest|apr|per month|% a month|monthly|p\.?m\.?|per annum|% a year|annual\w*|"
        r"discount (rate|charge)|expensive money|cost of (money|funds))\b|利率|利息|月息|年化|年息|贴息|钱太贵|费率"
    ),
    "obj.fees-too-high": _rx(
        r"\b(fees?|service charges?|handling|processing|admin(istration)? (fee|charge)s?|hidden charges?|"
        r"commission)\b|手续费|服务费|管理费|费用|收费|隐藏"
    ),
    "obj.guarantee-required": _rx(
        r"\b(guarantee[sd]?|guarantor|joint liability|personal(ly)? liab\w*|my house|co-?sign)\b|担保|连带|房子|爱人一起签"
    ),
    "obj.deposit-margin": _rx(
        r"\b(deposits?|cash margin|margin (deposit|requirement|ratio|call)|cash collateral|frozen|lock money)\b|"
        r"保证金|押金|押钱|冻结"
    ),
    "obj.advance-rate-low": _rx(
        r"\b(advance (rate|ratio|percentage|level)|advance (is|of) (only|just)|only (advance|finance|give)|"
        r"financing ratio|reserve|holdback|hold back|full (invoice )?amount|100 ?%|\d0 ?% (advance|of the invoice)|"
        r"only \d0 ?%|remaining \d0|whole invoice|entire invoice)\b|融资比例|预付比例|八成|七成|保留款|尾款|全额|只给|只能融|融\d+%|剩下.{0,3}(两成|20%)"
    ),
    "obj.approval-slow": _rx(
        r"\b(slow(ly)?|too long|forever|how long|dragging|drags|faster|weeks? to|waiting (for|on)|"
        r"still waiting|can'?t wait|credit committee|time to (funding|cash|money)|approv\w*)\b|审批|太慢|慢|拖|多久|放款|到账|上会|等不|批了|批下来"
    ),
    "obj.paperwork": _rx(
        r"\b(paperwork|paper|papers|documents?|documentation|docs|forms?|red tape|bureaucra\w*|statements|"
        r"fill in|stamping)\b|材料|资料|手续(麻烦|繁琐|太多)|填表|表格|报表|繁琐|手续麻烦"
    ),
    "obj.debtor-notification": _rx(
        r"\b(notif\w*|notice of assignment|(tell|telling|inform\w*) (the |our |my )?(buyer|customer|debtor)s?|"
        r"buyers? (to )?know|undisclosed|silent factoring|confidential from|letter to the buyer|"
        r"contact(ing)? (our|my) (customer|buyer|client)s?|pay you instead|payment account)\b|"
        r"通知|知道|暗保理|明保理|告诉买方|发函|联系我们的客户|收款账户"
    ),
    "obj.recourse": _rx(
        r"\b(recourse|liable|liability for|buy ?back|repurchase|goes bust|go bust|bad debt|buyer risk|"
        r"(buyer|debtor|customer) (doesn'?t|does not|won'?t|fails to|can'?t) pay|just a loan|defaults?)\b|"
        r"追索|兜底|回购|倒闭|坏账|不付款|不还钱|违约你们|还得还"
    ),
    "obj.have-bank-line": _rx(
        r"\b(bank (line|facility|credit|loan|limit)s?|credit line|facility|overdraft|revolving|our bank|"
        r"with (the|our|a big) bank|another lender)\b|银行授信|授信|银行额度|循环贷|透支|有银行|银行贷款|大行|银行.*够用"
    ),
    "obj.no-need-now": _rx(
        r"\b(don'?t need (money|financing|funding|cash|it)|no need|not now|cash ?flow is (fine|ok|good)|enough cash|"
        r"flush|liquid|not interested|maybe later|come back|call me when|no funding need|cash position)\b|"
        r"不缺钱|不需要融资|用不上|暂时不|以后再说|资金充足|钱够|不考虑|没有融资需求|明年再"
    ),
    "obj.competitor-offer": _rx(
        r"\b(another (factor|company|lender|provider)|competitors?|elsewhere|other (factor|company|provider|lender)s?|"
        r"match (their|the|this)|better (offer|terms|deal|quote)|three quotes|fintech|beat (this|that|their)|"
        r"over them|cheaper offer|they offer)\b|别家|人家|竞争对手|其他(保理|公司|机构)|外面|那家|跟.{0,3}价|三家|压价"
    ),
    "obj.contract-lock-in": _rx(
        r"\b(contract|lock(ed)?[- ]?in|minimum (volume|usage|monthly)|exclusiv\w*|commitment|terminat\w*|"
        r"cancel\w*|tied|whole[- ]turnover|all (of )?our invoices|two[- ]year|leave)\b|合同|绑|排他|最低(业务|使用)|解约|退出|锁住|所有发票|全部应收"
    ),
    "obj.trust-nonbank": _rx(
        r"\b(not a bank|regulat\w*|licen[cs]e\w*|supervis\w*|legit\w*|disappear|never heard|p2p|are you safe|"
        r"trust (you|a factor)|non-?bank|legal)\b|不是银行|监管|牌照|合法|跑路|正规|P2P|靠得住|不信任|非银"
    ),
    "obj.reputation-signal": _rx(
        r"\b(look(s)? (desperate|bad|weak)|reputation|image|weakness|in trouble|struggling|last resort|"
        r"short of cash|shaky|think we('re| are) (broke|in trouble)|perception|stigma)\b|形象|名声|看低|出问题|资金链|不好看|走投无路|撑不住|没面子"
    ),
    "obj.confidentiality-data": _rx(
        r"\b(data|ledgers?|confidential(ity)?|privacy|nda|erp|accounting system|leak\w*|customer list|buyer list|"
        r"information)\b|数据|台账|账本|保密|泄露|隐私|ERP|客户名单|财务系统|商业机密"
    ),
    "obj.concentration-limit": _rx(
        r"\b((buyer|debtor|customer)'?s? (limit|cap|share)|concentration|cap (per|on)|one (buyer|customer)|"
        r"main buyer|biggest (client|customer|buyer)|limit)\b|集中度|买方额度|单一|单户|上限|限额|额度.{0,4}(用满|不够|太低|太小)"
    ),
    "obj.invoice-verification": _rx(
        r"\b(confirm\w*|verif\w*|acknowledg\w*|stamp|seal)\b|确权|确认|核验|盖章|公章"
    ),
    "obj.first-deal-hesitation": _rx(
        r"\b(wait and see|wait a (few|couple)|pilot|trial|small (invoice|amount|deal)|think about it|first (deal|transaction|time)|"
        r"hesita\w*|nervous|partners first|new year|test (you|it)|try (it|once|with)|not ready)\b|"
        r"试试|试点|考虑考虑|观望|犹豫|没底|第一笔|首笔|先做|商量|过完年|再等|没准备好"
    ),
    "obj.early-repayment": _rx(
        r"\b(early|prepay\w*|before the due date|unused (interest|days)|penalty|minimum interest|days we didn'?t use)\b|"
        r"提前|罚息|没用的|最低计息"
    ),
}

# Our own phrasings, added to the classifier's training next to the playbook triggers and titles.
# They are the officer-side ways of reporting an objection that triggers (written in the client's voice) lack.
DEV_EXTRA: dict[str, tuple[str, ...]] = {
    "obj.rate-too-high": ("interest rate too high", "pricing is too expensive", "利率太高", "价格太贵", "利息太贵"),
    "obj.fees-too-high": ("service fee too high", "too many charges", "服务费太高", "费用太多"),
    "obj.guarantee-required": ("won't sign a personal guarantee", "refuses to guarantee", "不愿意担保", "不肯提供担保"),
    "obj.deposit-margin": ("margin deposit too high", "deposit ratio too high", "不想交保证金", "保证金太高"),
    "obj.advance-rate-low": ("advance rate too low", "want a higher advance", "融资比例太低", "想多融一点"),
    "obj.approval-slow": ("approval too slow", "takes too long to get funded", "审批太慢", "放款太慢"),
    "obj.paperwork": ("too many documents", "too much paperwork", "材料太多", "资料太麻烦"),
    "obj.debtor-notification": ("doesn't want the buyer notified", "buyer must not know", "不想通知买方", "不想让买方知道"),
    "obj.recourse": ("doesn't like recourse", "wants non-recourse", "不想要追索权", "要无追索权"),
    "obj.have-bank-line": ("already has a bank loan", "bank credit is enough", "已经有银行贷款", "银行授信够用"),
    "obj.no-need-now": ("doesn't need financing now", "no financing need", "现在不需要融资", "不缺资金"),
    "obj.competitor-offer": ("competitor is cheaper", "other factor offers better", "别家更便宜", "竞争对手报价更低"),
    "obj.contract-lock-in": ("doesn't want a long contract", "no exclusivity", "不想签长期合同", "不想被绑定"),
    "obj.trust-nonbank": ("doesn't trust a factoring company", "is a factor safe", "不信任保理公司", "担心你们不正规"),
    "obj.reputation-signal": ("factoring looks bad", "worried about image", "怕影响形象", "觉得做保理丢面子"),
    "obj.confidentiality-data": ("won't share data", "data confidentiality", "不想给数据", "担心数据泄露"),
    "obj.concentration-limit": ("buyer limit too low", "debtor limit too small", "买方额度太低", "单一买方限额太小"),
    "obj.invoice-verification": ("buyer won't confirm invoices", "confirmation is a hassle", "买方不配合确权", "确权太麻烦"),
    "obj.first-deal-hesitation": ("wants to try a small deal first", "hesitant to start", "想先试一笔", "还在犹豫"),
    "obj.early-repayment": ("early repayment penalty", "pays early, still charged", "提前还款要罚息吗", "提前回款利息退吗"),
}
