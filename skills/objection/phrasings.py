"""Officer-voice phrasings of each objection (written by us, en + zh), used to train the recogniser.

These are the ways an officer actually types a client's objection mid-call: short fragments, figures,
"he says…", "客户说…", typos, mixed language. They are neither the playbook triggers nor the held-out
``knowledge/eval/objection_queries.yaml``. ``tests/skills/objection/dev_set.py`` holds further phrasings;
the recogniser's settings were chosen by cross-validation over both (``tests/skills/objection/cv.py``).
"""

from __future__ import annotations

__all__ = ["PHRASINGS"]

# card id → (English phrasings, Chinese phrasings)
PHRASINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "obj.rate-too-high": (
        (
            "1.5%/month?? way too much he says", "rate too hgih", "says 18% p.a. is loan shark pricing",
            "client: the interest kills our margin", "wants 0.8% a month max", "bank gives them 4%, we're at 12",
            "too pricey, the monthly rate", "he says your pricing is double the bank", "can we go lower on the rate",
            "cost of financing too high for them", "she says interest of 1% monthly is not acceptable",
            "CFO says annualised cost is insane", "they'd sign at a lower interest rate",
        ),
        (
            "月息1.5太高", "客户说利率要降到1%以下才做", "年化18%太吓人", "嫌利息贵", "利率高了 做不了",
            "老板说你们比银行贵太多", "客户说这个价格接受不了，利息太高", "融资成本太高了", "他说利息能不能打个折",
            "客户要求年化降到8%", "利率再低点就签", "客户嫌rate太高", "利息一个月要这么多？",
        ),
    ),
    "obj.fees-too-high": (
        (
            "0.3% service fee on top?? no", "fees too high", "why a handling charge per invoice", "he hates the admin fee",
            "client wants the processing fee waived", "all these fees add up to too much", "what's this 2000 fee for",
            "no hidden charges please, he says", "fee on full face value is unfair", "they'll sign if we drop the service charge",
            "too many line items of fees in the quote", "she says the setup fee is a rip-off",
        ),
        (
            "服务费0.5%太多", "手续费能免吗", "客户嫌各种费用太多", "为啥还要收管理费", "每张发票都收手续费太坑了",
            "服务费按发票全额收不合理", "客户问这个费用是干嘛的", "收费项目太杂了", "客户说有隐藏收费",
            "服务费去掉就签", "一笔收两千服务费太贵", "客户说fee太高了",
        ),
    ),
    "obj.guarantee-required": (
        (
            "no PG from the owner", "boss won't guarantee personally", "refuses personal guarantee",
            "why does the shareholder have to sign a guarantee", "wife won't co-sign", "he says no guarantee, the invoices are enough",
            "joint and several liability is a deal breaker", "owner won't put his house up", "the guarantee clause has to go",
            "they say bank didn't ask for a guarantor", "no personal guarantee = deal?", "director refuses to be liable personally",
        ),
        (
            "老板不签个人担保", "不要担保行不行", "股东不愿意承担连带责任", "个人无限连带担保不接受", "客户说有发票了还要什么担保",
            "老板娘不肯签字担保", "担保条款去掉才谈", "法人担保不签", "客户说银行都没要担保", "不想拿房子做担保",
            "实控人不愿意担保", "客户说guarantee不可能",
        ),
    ),
    "obj.deposit-margin": (
        (
            "20% deposit is too much", "no margin deposit please", "he won't park cash with us as margin",
            "why a security deposit if we hold the invoice", "the margin eats half the benefit", "deposit too high",
            "can we drop the cash collateral", "deposit earns nothing, he says", "they want the margin lowered to 5%",
            "cash margin ties up 100k", "when do they get the deposit back", "client balks at the margin requirement",
        ),
        (
            "保证金20%太高了", "不想交保证金", "保证金能不能降到5%", "押10万保证金不干", "保证金压资金",
            "客户问保证金什么时候退", "保证金有利息吗", "交保证金就没意义了", "客户说保证金比例不合理",
            "能不能免保证金", "保证金冻结太多钱", "客户嫌押金太多",
        ),
    ),
    "obj.advance-rate-low": (
        (
            "only 70%? needs 90", "advance too low", "wants 100% of invoice value", "the 20% reserve is too much",
            "he asks why we hold back 20 percent", "80 pct advance not enough", "can we advance 95%",
            "client wants more cash upfront on each invoice", "financing ratio is too low for them",
            "they need 900k on a 1m invoice", "holdback too big", "she says we should fund the full invoice",
        ),
        (
            "融资比例才70%", "只能融八成不够", "客户要融90%", "能不能全额放款", "保留款太多", "预付比例太低",
            "100万发票只放80万太少", "剩下两成什么时候给", "客户说比例提到95%就做", "融资比例低了",
            "尾款压太多", "客户嫌预付款比例太低",
        ),
    ),
    "obj.approval-slow": (
        (
            "approval takes too long", "they need money in 3 days", "two weeks for approval is too slow",
            "credit committee is dragging", "still no answer after 10 days, client angry", "other guys approve in 48h",
            "how long till funding? he can't wait", "slow process", "takes forever to get the cash",
            "client says your review is too slow", "needs the funds by next week", "why so long to approve one invoice",
        ),
        (
            "审批太慢了", "等了两周还没批", "客户说3天内要到账", "放款太慢", "上会要等多久", "审核拖太久",
            "客户急用钱等不了", "批下来要一个月太慢", "客户催进度", "到账时间太长了", "流程太慢 客户着急",
            "客户说审批效率太低",
        ),
    ),
    "obj.paperwork": (
        (
            "too many docs", "paperwork is a nightmare", "he says the doc list is endless", "they don't have time for all the forms",
            "3 years of financial statements? really", "accountant refuses to prepare all that", "too much admin",
            "why a contract copy for every invoice", "the application pack is too thick", "client hates filling forms",
            "stamping every page is a pain", "bank asked for fewer documents",
        ),
        (
            "材料太多", "资料太麻烦了", "要交的东西太多", "客户说报表要三年太多了", "财务没时间准备资料",
            "每张发票都要合同太麻烦", "表格填不完", "盖章签字太多", "手续繁琐", "银行要的材料都没这么多",
            "客户嫌资料清单太长", "准备材料太费劲",
        ),
    ),
    "obj.debtor-notification": (
        (
            "buyer can't know", "no notice to the buyer please", "he wants silent factoring", "don't contact their customer",
            "worried the debtor gets a letter from us", "notification will upset the buyer", "keep the buyer out of it",
            "can we do it undisclosed", "buyer will think they're broke if notified", "they don't want the payment account changed",
            "no assignment letter to the customer", "client says telling the buyer kills the relationship",
        ),
        (
            "不能让买方知道", "不想通知买方", "别联系他们的客户", "想做暗保理", "转让通知不能发", "买方知道了会有想法",
            "客户怕下游知道", "不想改收款账户", "别给买方发函", "通知债务人不行", "客户说买方知道就完了",
            "不告诉买方能做吗",
        ),
    ),
    "obj.recourse": (
        (
            "still liable if buyer doesn't pay?", "wants non recourse", "recourse = just a loan, he says",
            "if the buyer goes bust they pay us back? no", "they want us to take the credit risk", "buyback clause is unfair",
            "what risk do you even take", "client won't accept recourse", "bad debt should be on you",
            "no repurchase obligation please", "so we carry the default risk anyway", "recourse clause is a problem",
        ),
        (
            "要无追索", "买方不付钱还要我们还？", "有追索权不做", "风险还是在我们身上", "坏账你们不承担吗",
            "回购条款不接受", "那跟贷款一样", "客户说要兜底就没意义", "买方倒闭了怎么办 还要我们还",
            "客户不想承担买方违约风险", "追索权条款去掉", "客户要求买断",
        ),
    ),
    "obj.have-bank-line": (
        (
            "they have a bank line already", "bank gives them 10m, why factoring", "already financed by their bank",
            "he says the bank loan is cheaper and enough", "happy with ICBC", "overdraft covers them",
            "existing revolving credit facility", "they only work with banks", "the bank already does their receivables",
            "bank credit line not used up yet", "client says their house bank is enough", "no need, bank facility in place",
        ),
        (
            "有银行授信", "银行给了1000万额度", "银行贷款够用", "客户跟工行合作很好", "有循环贷", "透支额度够",
            "银行已经在做应收融资", "银行的钱更便宜", "客户说有银行就够了", "银行额度还没用完", "只跟银行合作",
            "客户有银行授信不需要保理",
        ),
    ),
    "obj.no-need-now": (
        (
            "don't need cash now", "no need rn", "they're cash rich", "just got paid, no need", "maybe next quarter",
            "not now, cash flow ok", "call back in 6 months", "no funding need at the moment", "they have 20m in the bank",
            "not interested right now", "business is good, they're fine", "client says no need for money this year",
        ),
        (
            "不缺钱", "现在用不上", "账上有钱不需要", "暂时不需要", "下个季度再说", "刚回款不缺资金", "客户资金很充裕",
            "现在没需求", "半年后再联系", "今年不考虑融资", "客户说钱够用", "暂时不做",
        ),
    ),
    "obj.competitor-offer": (
        (
            "XYZ offered 0.8%", "competitor is cheaper", "another factor gives 90% advance", "a fintech quoted lower",
            "they got 3 quotes, ours is the highest", "match their offer?", "other factor charges no fee",
            "he says ABC Factoring approves faster and cheaper", "rival offer is better", "why pick us over them",
            "they can get it cheaper elsewhere", "client is comparing us with two others",
        ),
        (
            "别家0.8%", "别的保理公司更便宜", "人家给90%", "竞争对手报价低", "外面有更便宜的", "能不能跟那家一样的价",
            "客户在比价", "那家不收服务费", "别家不要担保", "客户说另一家保理条件更好", "某银行保理更便宜",
            "客户拿别人报价压我们",
        ),
    ),
    "obj.contract-lock-in": (
        (
            "no long-term contract", "2 years is too long", "he won't sign exclusivity", "wants to exit anytime",
            "minimum volume is a no", "termination fee is unfair", "doesn't want to be tied to one factor",
            "wants to pick which invoices", "all invoices to us? no way", "they want a 6 month trial contract",
            "notice period too long", "client hates the lock-in",
        ),
        (
            "合同太长", "不想签两年", "不要排他", "想随时退出", "最低业务量不接受", "解约要违约金不合理",
            "不想被绑定", "只想做部分发票", "全部应收都转让不行", "合同期限能不能短点", "客户怕被锁死", "客户不想签独家",
        ),
    ),
    "obj.trust-nonbank": (
        (
            "are you guys even regulated", "not a bank = not safe, he says", "never heard of you",
            "is factoring legal", "what if you go bust with our invoices", "who supervises you",
            "are you P2P", "he doubts you're legit", "licence?", "client doesn't trust non-banks",
            "where does your funding come from", "worried you disappear",
        ),
        (
            "你们正规吗", "有牌照吗", "不是银行不放心", "怕你们跑路", "谁监管你们", "没听说过你们",
            "客户觉得保理公司不靠谱", "你们是P2P吗", "保理合法吗", "你们倒闭了怎么办", "客户对你们不信任",
            "资金来源是哪里",
        ),
    ),
    "obj.reputation-signal": (
        (
            "factoring looks desperate", "worried about image", "people will think they're broke", "stigma of factoring",
            "suppliers will think they can't pay", "bank will see it as weakness", "looks bad to the market",
            "only struggling firms factor", "last resort thing, he says", "reputation risk", "embarrassing to use factoring",
            "they don't want to look short of cash",
        ),
        (
            "做保理丢人", "怕别人觉得缺钱", "影响公司形象", "显得资金链紧张", "名声不好", "别人以为我们撑不住了",
            "供应商会怎么看", "做保理没面子", "保理是走投无路才做的", "客户怕被看低", "会影响信誉", "显得公司不行",
        ),
    ),
    "obj.confidentiality-data": (
        (
            "won't share the ledger", "data privacy concern", "no ERP access", "customer list is secret",
            "worried data leaks to competitors", "what do you do with our info", "no access to the accounting system",
            "won't give us the sales data", "needs an NDA first", "sensitive financial data, he says no",
            "why do you need all our customer data", "confidentiality is a big issue for them",
        ),
        (
            "台账不给", "数据保密", "不开放ERP", "客户名单不能给", "怕泄露数据", "财务数据不能外传",
            "先签保密协议", "你们拿数据做什么", "系统权限不给", "商业机密", "客户担心隐私", "销售数据不想给",
        ),
    ),
    "obj.concentration-limit": (
        (
            "buyer limit too low", "cap on main buyer is 2m, they need 5m", "limit on Walmart is used up",
            "one buyer is 80% of sales", "concentration limit blocks them", "per debtor cap too small",
            "raise the limit on their key customer", "why cap one buyer", "debtor limit is full",
            "biggest customer over the limit", "they want more limit on ABC Corp", "concentration rule too strict",
        ),
        (
            "买方额度不够", "单一买方上限太低", "大客户额度用完了", "一个买方占八成", "集中度限制太严", "单户限额太小",
            "核心买方额度提一下", "为什么限制一个买方", "买方额度只有200万", "客户说主要买方额度太低",
            "额度用满了", "大买方的额度不够用",
        ),
    ),
    "obj.invoice-verification": (
        (
            "buyer won't confirm", "confirmation letters are a hassle", "SOE buyer won't stamp anything",
            "debtor confirmation takes weeks", "skip the verification?", "buyer won't acknowledge the invoice",
            "why does the buyer need to sign off each invoice", "verifying every invoice is too much",
            "big buyers never sign these", "confirmation slows it all down", "they can't get the buyer to confirm",
            "invoice confirmation is the problem",
        ),
        (
            "买方不确权", "确权太麻烦", "国企不盖章", "确权要几周", "能不能不确权", "买方不签确认函",
            "每张发票都要确认太烦", "核验发票太慢", "大买方不配合", "确权拖慢流程", "买方财务不配合确认",
            "客户说确权搞不定",
        ),
    ),
    "obj.first-deal-hesitation": (
        (
            "wants to try 1 small invoice", "not ready yet", "let him think about it", "wants a pilot",
            "first time factoring, nervous", "maybe after CNY", "needs to ask his partners", "start small, 100k only",
            "wait and see", "hesitant", "try once then decide", "needs more time to decide",
        ),
        (
            "先试一笔", "再考虑考虑", "先做小的", "第一次做心里没底", "过完年再说", "要跟股东商量",
            "先观望", "还没想好", "先试点", "先做10万看看", "客户犹豫", "先做一次再说",
        ),
    ),
    "obj.early-repayment": (
        (
            "buyer paid early, still full interest?", "early repayment penalty?", "prepay fee", "interest refund if paid early",
            "charged 90d but paid in 60", "minimum interest days unfair", "can they repay before maturity",
            "unused days interest back?", "settle early cost", "he wants to prepay without fees",
            "penalty for early settlement", "paid back early, why charged",
        ),
        (
            "提前还款有罚息吗", "提前回款退息吗", "提前结清收费吗", "扣了90天利息60天就回款了", "最低计息天数不合理",
            "能提前还吗", "没用的天数退不退", "提前还违约金", "提前还款成本", "客户想提前还不想多付利息",
            "买方提前付了利息怎么算", "提前还款手续费",
        ),
    ),
}
