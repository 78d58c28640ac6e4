"""How officers ask the playbook (en, zh, mixed): what the router's classifier learns the playbook skill from."""

from __future__ import annotations

__all__ = ["PHRASINGS"]

PHRASINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "how do i explain recourse", "what is factoring in simple words", "how should i explain the advance rate",
        "what's the difference between factoring and invoice discounting", "how do i introduce factoring to a new client",
        "what do i say when a client asks why we notify the buyer", "how do i handle a client who says it's too expensive",
        "tips for the first meeting", "how to run a discovery call", "what to check before onboarding",
        "what is a reserve account", "what does non-recourse mean", "how is the effective annual cost calculated",
        "what documents does a new client need", "how do i verify an invoice", "what is a notice of assignment",
        "how does supply chain finance work", "what is approval based on", "how should i follow up after a call",
        "how do i explain the fee structure", "what is a credit limit for a buyer", "how do we assess a debtor",
        "what is concentration and why does it matter", "how to talk about tiers with a client",
        "how do i explain days sales outstanding", "best practice for renewal conversations",
        "what's the process after signing", "how to present a quote to a cfo", "explain the difference between tiers",
        "what are warning signs in a ledger", "do we have a template for the assignment notice",
        "sample email to introduce factoring", "give me a script for the first call", "a checklist for onboarding pls",
        "what questions should i ask a prospect", "questions to ask on a first call", "what to ask the buyer",
        "what's a reserve", "what does recourse mean", "explain dilution", "how do i check a buyer's credit",
        "what should i prepare for a visit", "how to answer why we notify buyers",
        "what do i say if they ask about fees",
    ),
    "zh": (
        "怎么解释追索权", "用大白话讲讲什么是保理", "预付比例怎么解释", "保理和发票贴现有什么区别", "怎么给新客户介绍保理",
        "客户问为什么要通知买方怎么回答", "首次见客户有什么技巧", "怎么做需求调研", "开户前要检查什么",
        "什么是保留款账户", "无追索权是什么意思", "综合年化成本怎么算的", "新客户需要提供哪些资料", "怎么核验发票",
        "什么是转让通知书", "供应链金融是怎么运作的", "审批看哪些因素", "电话之后怎么跟进比较好", "服务费怎么讲",
        "买方额度是什么", "怎么评估买方", "集中度为什么重要", "怎么跟客户谈分层", "续约怎么沟通",
        "签约后流程是什么", "怎么给财务总监讲报价", "账本里有哪些危险信号", "有没有转让通知书的模板",
        "给我一份开户材料清单", "介绍保理的邮件范本", "第一次电话的话术",
        "第一次拜访该问什么", "要问客户哪些问题", "什么叫确权", "确权是啥意思", "尽调要查什么", "签约后第一步做什么", "续约该说什么", "怎么判断买方信用",
    ),
    "mixed": (
        "recourse怎么解释", "什么是factoring", "advance rate怎么讲", "factoring和invoice discounting的区别",
        "怎么做discovery call", "onboarding前要check什么", "reserve account是什么", "non-recourse什么意思",
        "effective annual cost怎么算", "notice of assignment是什么", "supply chain finance怎么运作",
        "怎么follow up比较好", "credit limit是什么意思", "concentration为什么重要", "怎么跟CFO present报价",
        "DSO是啥意思", "reserve是啥", "first call要问什么", "怎么跟客户讲reserve",
    ),
}  # fmt: skip
