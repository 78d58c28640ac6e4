"""Static facts about the objection cards: short aliases, categories, and the strongest topic cues.

The cards' text lives in the playbook (``knowledge/playbook/{en,zh}/obj.*.md``); this module only names
them for ``/obj <alias>``, groups them for the log, and holds the keyword cues the recogniser trusts most.
"""

from __future__ import annotations

import re

from skills.lazyre import LazyPattern, lazy

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


def _rx(pattern: str) -> LazyPattern:
    return lazy(pattern, re.IGNORECASE)  # compiled by the first objection, not at start


# The strongest topic cues per card (English | Chinese). A hit adds to the classifier's score and is
# what lets a second objection in the same message surface as a button.
CUES: dict[str, LazyPattern] = {
    "obj.rate-too-high": _rx(
        r"(?<!advance )\b(rates?|interest|apr|per month|% a month|monthly|p\.?m\.?|per annum|% a year|annual\w*|"
        r"discount (rate|charge)|expensive money|cost of (money|funds|financing)|pricing|pricey|loan shark|p\.?a\.?)\b|利率|利息|月息|年化|年息|贴息|钱太贵|费率|比银行贵|价格.{0,3}(太贵|太高|接受不了)"
    ),
    "obj.fees-too-high": _rx(
        r"\b(fees?|service charges?|handling|processing|admin(istration)? (fee|charge)s?|hidden charges?|"
        r"commission|charges?|setup fee|line items?)\b|手续费|服务费|管理费|费用|收费|隐藏"
    ),
    "obj.guarantee-required": _rx(
        r"\b(guarantee[sd]?|guarantor|joint liability|personal(ly)? liab\w*|my house|his house|co-?sign|pg|pledge|put (his|her) name|personal assets|personally)\b|担保|连带|房子|爱人一起签|个人兜底|个人财产|实控人|法人.{0,2}(签|担保)"
    ),
    "obj.deposit-margin": _rx(
        r"\b(deposits?|cash margin|margin (deposit|requirement|ratio|call)|cash collateral|frozen|lock money|(leave|park|put|keep|post) (cash|money)|money down|security cash)\b|"
        r"保证金|押金|押钱|冻结|存一笔钱|押在你们|押.{0,3}万"
    ),
    "obj.advance-rate-low": _rx(
        r"\b(advance (rate|ratio|percentage|level)|advance (is|of) (only|just)|only (advance|finance|give)|"
        r"financing ratio|reserve|holdback|hold back|full (invoice )?amount|100 ?%|\d0 ?% (advance|of the invoice)|"
        r"only \d0 ?%|remaining \d0|whole invoice|entire invoice|upfront|face value|full invoice|\d0 ?(pct|percent)|\d+k on a \d+(m|k)|financing (ratio|percentage))\b|多融|预付|融资比例|预付比例|八成|七成|保留款|尾款|全额|只给|只能融|融\d+%|剩下.{0,3}(两成|20%)"
    ),
    "obj.approval-slow": _rx(
        r"\b(slow(ly)?|too long|forever|how long|dragging|drags|faster|weeks? to|waiting (for|on)|"
        r"still waiting|can'?t wait|credit committee|time to (funding|cash|money)|approv\w*|turnaround|in \d+ days|by (next )?(week|friday|monday)|no answer|credit review)\b|\d+天内|催|审批|太慢|慢|拖|多久|放款|到账|上会|等不|批了|批下来"
    ),
    "obj.paperwork": _rx(
        r"\b(paperwork|paper|papers|documents?|documentation|docs|forms?|red tape|bureaucra\w*|statements|"
        r"fill in|stamping|admin|checklist|application pack|copy|copies)\b|材料|资料|手续(麻烦|繁琐|太多)|填.{0,6}表|表格|报表|繁琐|手续麻烦"
    ),
    "obj.debtor-notification": _rx(
        r"\b(notif\w*|notice of assignment|(tell|telling|inform\w*) (the |our |my )?(buyer|customer|debtor)s?|"
        r"buyers? (to )?know|undisclosed|silent factoring|confidential from|letter to the buyer|"
        r"contact(ing)? (our|my) (customer|buyer|client)s?|pay you instead|payment account)\b|"
        r"通知|知道|暗保理|明保理|告诉买方|发函|联系我们的客户|收款账户|对买方保密|保密.{0,3}买方|联系.{0,3}(他们|我们)?的?客户"
    ),
    "obj.recourse": _rx(
        r"\b(recourse|liable|liability for|buy ?back|repurchase|goes bust|go bust|bad debt|buyer risk|"
        r"(buyer|debtor|customer) (doesn'?t|does not|won'?t|fails to|can'?t) pay|just a loan|defaults?|credit risk|on the hook|carry the risk)\b|"
        r"追索|兜底|回购|倒闭|坏账|不付款|不还钱|违约你们|还得还"
    ),
    "obj.have-bank-line": _rx(
        r"\b(bank (line|facility|credit|loan|limit)s?|credit line|facility|overdraft|revolving|our bank|"
        r"with (the|our|a big) bank|another lender)\b|银行授信|授信|银行额度|循环贷|透支|有银行|银行贷款|大行|银行.*够用"
    ),
    "obj.no-need-now": _rx(
        r"\b(don'?t need (money|financing|funding|cash|it)|no need|not now|cash ?flow is (fine|ok|good)|enough cash|"
        r"flush|liquid|plenty of (cash|money)|not interested|maybe later|come back|call me when|no funding need|cash position|cash rich|\d+ ?(m|k|million) in the bank|no need)\b|"
        r"不缺钱|不需要融资|用不上|暂时不|以后再说|资金充足|钱够|不考虑|没有融资需求|明年再"
    ),
    "obj.competitor-offer": _rx(
        r"\b(another (factor|company|lender|provider)|competitors?|elsewhere|other (factor|company|provider|lender)s?|"
        r"match (their|the|this)|better (offer|terms|deal|quote)|three quotes|fintech|beat (this|that|their)|"
        r"over them|cheaper offer|they offer|[A-Z]{2,} factoring|rival|shopping around|comparing)\b|某银行|某某|比价|别家|人家|竞争对手|其他(保理|公司|机构)|外面|那家|跟.{0,3}价|三家|压价"
    ),
    "obj.contract-lock-in": _rx(
        r"\b(contract|lock(ed)?[- ]?in|minimum (volume|usage|monthly)|exclusiv\w*|commitment|terminat\w*|"
        r"cancel\w*|tied|whole[- ]turnover|all (of )?(our )?invoices|two[- ]year|\d+ ?years?|leave|notice period|term of the (agreement|contract)|which invoices|exit)\b|合同|绑|排他|独家|部分发票|最低(业务|使用)|解约|退出|锁住|所有发票|全部应收"
    ),
    "obj.trust-nonbank": _rx(
        r"\b(not a bank|regulat\w*|licen[cs]e\w*|supervis\w*|legit\w*|disappear|never heard|p2p|are you safe|"
        r"trust (you|a factor)|non-?bank|legal|(you|you guys|your company) (go|goes|went) (bust|under)|funding come from|financial institution)\b|不是银行|你们.{0,3}(倒闭|倒了)|资金来源|监管|牌照|合法|跑路|正规|P2P|靠得住|不信任|非银"
    ),
    "obj.reputation-signal": _rx(
        r"\b(look(s)? (desperate|bad|weak)|reputation|image|weakness|in trouble|struggling|last resort|"
        r"short of cash|shaky|think we('re| are) (broke|in trouble)|perception|stigma|(market|suppliers?|people|others) (will )?(think|see)|embarrass\w*|credibility|broke)\b|形象|别人会|怎么看|信誉|丢人|名声|看低|出问题|资金链|不好看|走投无路|撑不住|没面子"
    ),
    "obj.confidentiality-data": _rx(
        r"\b(data|ledgers?|confidential(ity)?|privacy|nda|erp|accounting system|leak\w*|customer list|buyer list|"
        r"information|secrets?|books|financials|system access|export)\b|数据|系统|权限|机密|信息安全|台账|账本|保密|泄露|隐私|ERP|客户名单|财务系统|商业机密"
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
        r"提前|罚息|没用的|最低计息|早还|早回款"
    ),
}

# Our own phrasings, added to the classifier's training next to the playbook triggers and titles.
# They are the officer-side ways of reporting an objection that triggers (written in the client's voice) lack.
DEV_EXTRA: dict[str, tuple[str, ...]] = {
    "obj.rate-too-high": (
        "interest rate too high", "pricing is too expensive", "your money costs too much",
        "the monthly percentage is a lot", "he expected something closer to the bank rate",
        "annual cost of the financing is high", "our profit can't carry that interest",
        "cut the interest and we have a deal", "cheaper rate please",
        "利率太高", "价格太贵", "利息太贵", "成本太高了", "年化算下来太高", "利息压得我们没利润", "利率能便宜点吗",
    ),
    "obj.fees-too-high": (
        "service fee too high", "too many charges", "why is there an extra fee", "the fee on each invoice adds up",
        "he wants to skip the fee", "charges besides interest", "fee per transaction is steep",
        "take the commission off", "the upfront fee bothers them",
        "服务费太高", "费用太多", "为什么还要额外收费", "每笔都收钱", "这笔费用能不能免", "杂七杂八的收费太多",
    ),
    "obj.guarantee-required": (
        "won't sign a personal guarantee", "refuses to guarantee", "the owner won't put his name on it",
        "no guarantee from the shareholders", "personal assets at risk is a no", "won't pledge his own property",
        "why should the boss back the company's debt", "doesn't want to be liable personally",
        "不愿意担保", "不肯提供担保", "老板不想个人兜底", "股东不愿意签担保", "不想用个人财产担保", "为什么要法人担保",
    ),
    "obj.deposit-margin": (
        "margin deposit too high", "deposit ratio too high", "doesn't want to leave cash with us",
        "the margin money sits idle", "posting security cash hurts liquidity", "refuses to put money down",
        "why freeze part of the funds", "cash margin makes no sense",
        "不想交保证金", "保证金太高", "钱押在你们那不划算", "保证金占用太多", "不想冻结资金", "为什么要先存一笔钱",
    ),
    "obj.advance-rate-low": (
        "advance rate too low", "want a higher advance", "we only get part of the invoice", "they need more cash upfront",
        "financing percentage should be higher", "the holdback is too much", "wants the whole face value",
        "only eighty percent is not enough",
        "融资比例太低", "想多融一点", "只给一部分不够", "预付太少", "能不能全额融资", "留的尾款太多",
    ),
    "obj.approval-slow": (
        "approval too slow", "takes too long to get funded", "money arrives too late", "your process takes ages",
        "credit review is slow", "waiting too long for a decision", "needs the funds faster",
        "the turnaround time is bad",
        "审批太慢", "放款太慢", "钱到得太晚", "审核周期太长", "等批复等太久", "急着用钱等不了",
    ),
    "obj.paperwork": (
        "too many documents", "too much paperwork", "the application is a burden", "so much to prepare",
        "the checklist is too long", "they have no staff for the documents", "too much admin work",
        "filling forms takes days",
        "材料太多", "资料太麻烦", "申请要准备的东西太多", "表格太多", "盖章签字太多", "没人手准备材料",
    ),
    "obj.debtor-notification": (
        "doesn't want the buyer notified", "buyer must not know", "keep it secret from the customer",
        "worried the buyer finds out", "no assignment notice to the debtor", "don't tell their customer",
        "wants confidential factoring", "the customer shouldn't be involved",
        "不想通知买方", "不想让买方知道", "别告诉下游客户", "怕买方知道", "不想发转让通知", "希望对买方保密",
    ),
    "obj.recourse": (
        "doesn't like recourse", "wants non-recourse", "still on the hook if buyer defaults",
        "the credit risk stays with them", "wants you to carry the bad debt", "having to repay if unpaid is unfair",
        "then what risk do you take", "this is just a loan with extra steps",
        "不想要追索权", "要无追索权", "买方不付款还得我们还", "风险还是我们的", "坏账要你们承担", "这跟贷款有什么区别",
    ),
    "obj.have-bank-line": (
        "already has a bank loan", "bank credit is enough", "their bank already lends to them",
        "they use bank financing", "the bank gives them working capital", "they have a credit facility",
        "no need for a factor, they have a bank", "their bank relationship covers it",
        "已经有银行贷款", "银行授信够用", "银行已经给了额度", "有银行支持不需要保理", "银行贷款就够了", "在银行有授信",
    ),
    "obj.no-need-now": (
        "doesn't need financing now", "no financing need", "cash is fine for now", "they have enough money",
        "no shortage of funds", "not the right time, they are liquid", "they will call when they need money",
        "no working capital gap",
        "现在不需要融资", "不缺资金", "现在资金够", "暂时没需要", "账上有钱", "等缺钱了再说",
    ),
    "obj.competitor-offer": (
        "competitor is cheaper", "other factor offers better", "another provider quoted less",
        "a rival firm gave a better price", "someone else offers more", "they have an offer from another factor",
        "a different company will do it cheaper", "they are shopping around",
        "别家更便宜", "竞争对手报价更低", "其他公司给的条件好", "人家报价比你们低", "别的保理公司更划算", "在比较几家",
    ),
    "obj.contract-lock-in": (
        "doesn't want a long contract", "no exclusivity", "wants flexibility to leave", "no minimum commitment",
        "afraid of being tied in", "term of the agreement too long", "wants to choose which invoices",
        "the exit clause is unfair",
        "不想签长期合同", "不想被绑定", "合同期限太长", "不想有最低量要求", "想随时退出", "不想独家合作",
    ),
    "obj.trust-nonbank": (
        "doesn't trust a factoring company", "is a factor safe", "worried you are not licensed",
        "factoring companies are not reliable", "who regulates factoring firms", "are you a real financial institution",
        "afraid you might collapse", "doubts your legitimacy",
        "不信任保理公司", "担心你们不正规", "你们是正规机构吗", "怕你们不靠谱", "保理公司有没有监管", "对非银行机构不放心",
    ),
    "obj.reputation-signal": (
        "factoring looks bad", "worried about image", "others will see them as weak",
        "factoring signals money trouble", "embarrassed to use factoring", "afraid of what the market thinks",
        "factoring is for companies in distress", "it hurts their credibility",
        "怕影响形象", "觉得做保理丢面子", "别人会觉得我们不行", "做保理显得缺钱", "怕影响公司信誉", "觉得保理不体面",
    ),
    "obj.confidentiality-data": (
        "won't share data", "data confidentiality", "doesn't want to hand over financials",
        "worried about sensitive information", "customer details are secret", "they won't export their system",
        "they want to protect business secrets", "too much access to our books",
        "不想给数据", "担心数据泄露", "财务数据不想给", "商业秘密不能外泄", "不想开放系统", "信息安全怎么保证",
    ),
    "obj.concentration-limit": (
        "buyer limit too low", "debtor limit too small", "one customer makes most of their sales",
        "the cap on a single buyer", "their biggest buyer is over the limit", "they want more on their key account",
        "the limit per buyer blocks them", "concentration rules are too strict",
        "买方额度太低", "单一买方限额太小", "大客户额度不够", "一个买方占比太高被限制", "单户限额太紧", "核心买方额度太少",
    ),
    "obj.invoice-verification": (
        "buyer won't confirm invoices", "confirmation is a hassle", "the debtor won't sign anything",
        "getting the customer to acknowledge is hard", "verification takes too long", "buyers refuse to stamp",
        "no way to get the buyer's confirmation", "checking each invoice with the buyer is too much",
        "买方不配合确权", "确权太麻烦", "买方不肯盖章", "让买方确认太难", "核实发票太费事", "确权函签不下来",
    ),
    "obj.first-deal-hesitation": (
        "wants to try a small deal first", "hesitant to start", "wants to start small", "not sure yet, wants time",
        "wants a test run", "will decide later after one try", "first time with factoring, cautious",
        "needs time to decide",
        "想先试一笔", "还在犹豫", "想先小额试试", "第一次合作不放心", "需要时间考虑", "先看看再说",
    ),
    "obj.early-repayment": (
        "early repayment penalty", "pays early, still charged", "charged for the full period even if repaid sooner",
        "wants interest back if paid early", "fees for settling early", "can they close the financing ahead of time",
        "paying before maturity costs extra", "unused days still charged",
        "提前还款要罚息吗", "提前回款利息退吗", "提前结清有没有费用", "早还钱还收全额利息", "提前还有没有违约金", "没用满的天数退息吗",
    ),
}
