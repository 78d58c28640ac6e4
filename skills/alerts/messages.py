"""Strings of the alerts skill (risk cards, pushes, buttons, /flag, tiers), English and Chinese."""

from __future__ import annotations

from skills.i18n import Catalogue

__all__ = ["MESSAGES"]

MESSAGES: Catalogue = {
    # -- one line per rule -------------------------------------------------------------------
    "rule.dso.rise": {"en": "DSO {dso} days, up from {avg}", "zh": "回款周期 {dso} 天，此前为 {avg} 天"},
    "rule.dso.absolute": {
        "en": "DSO {dso} days, above the {limit}-day limit",
        "zh": "回款周期 {dso} 天，超过 {limit} 天上限",
    },
    "rule.turnover": {
        "en": "receivable turnover down {drop} month over month ({prev} → {turnover})",
        "zh": "应收账款周转率环比下降 {drop}（{prev} → {turnover}）",
    },
    "rule.aging": {
        "en": "{share} of receivables more than 90 days past due ({amount}; limit {limit})",
        "zh": "逾期 90 天以上的应收账款占 {share}（{amount}；上限 {limit}）",
    },
    "rule.concentration": {
        "en": "largest debtor {debtor} holds {share} of open receivables (limit {limit})",
        "zh": "最大买方 {debtor} 占未回款应收账款的 {share}（上限 {limit}）",
    },
    "rule.overdue": {
        "en": "an invoice is {days} days overdue ({count} overdue, {amount})",
        "zh": "有发票已逾期 {days} 天（逾期 {count} 张，共 {amount}）",
    },
    "rule.utilisation": {
        "en": "limit utilisation {utilisation} ({open} of {limit})",
        "zh": "额度使用率 {utilisation}（已用 {open} / 额度 {limit}）",
    },
    "rule.utilisation.nolimit": {"en": "limit utilisation {utilisation}", "zh": "额度使用率 {utilisation}"},
    "rule.event.client": {"en": "{kind} ({on}){note}", "zh": "{kind}（{on}）{note}"},
    "rule.event.debtor": {
        "en": "core debtor {name}: {kind} ({on}){note}",
        "zh": "核心买方 {name}：{kind}（{on}）{note}",
    },
    "rule.spike": {
        "en": "turnover spike: {sales} invoiced in 30 days, {ratio}× the usual {normal}",
        "zh": "营业额异常激增：近 30 天开票 {sales}，为平时 {normal} 的 {ratio} 倍",
    },
    "rule.exposure": {
        "en": "debtor {debtor} carries {share} of the whole portfolio ({amount} across {clients} clients)",
        "zh": "买方 {debtor} 占整个业务组合的 {share}（{clients} 个客户共 {amount}）",
    },
    "rule.duplicate.number": {
        "en": "{count} invoice(s) may be financed twice: no. {number} on the same debtor is also financed for {other}",
        "zh": "{count} 张发票疑似重复融资：同一买方的发票号 {number} 也在 {other} 名下融资",
    },
    "rule.duplicate.terms": {
        "en": "{count} invoice(s) may be financed twice: no. {number} matches another invoice's debtor, amount and date ({other})",
        "zh": "{count} 张发票疑似重复融资：发票 {number} 与另一张发票的买方、金额、日期相同（{other}）",
    },
    "rule.dilution": {
        "en": "dilution {rate}: credit notes {credited} against {invoiced} invoiced in {days} days",
        "zh": "稀释率 {rate}：近 {days} 天贷项通知单/红字发票 {credited}，开票 {invoiced}",
    },
    "rule.dilution.trend": {
        "en": "dilution {rate}, up from {prev}: credit notes {credited} against {invoiced} invoiced in {days} days",
        "zh": "稀释率 {rate}，此前为 {prev}：近 {days} 天贷项通知单/红字发票 {credited}，开票 {invoiced}",
    },
    "rule.misdirected": {
        "en": "{count} payment(s), {amount}, received by the client instead of the factor in {days} days: {numbers}",
        "zh": "近 {days} 天有 {count} 笔回款共 {amount} 由客户而非保理商收取：{numbers}",
    },
    "rule.redated": {
        "en": "{count} invoice(s) re-dated back inside the {cutoff}-day eligibility cut-off: no. {number} issued "
        "{original_issue} → {issue}, due {original_due} → {due}",
        "zh": "{count} 张发票改日期后重回 {cutoff} 天融资期限内：发票 {number} 开票日 {original_issue} → {issue}，"
        "到期日 {original_due} → {due}",
    },
    "more": {"en": " and {n} more", "zh": " 等（另 {n} 笔）"},
    "label.dilution": {"en": "dilution (credit notes)", "zh": "稀释率（贷项通知单）"},
    "label.misdirected": {"en": "payments to the client", "zh": "回款未入保理专户"},
    "label.redated": {"en": "re-dated invoices", "zh": "发票改日期"},
    "label.spike": {"en": "turnover spike", "zh": "营业额激增"},
    "label.exposure": {"en": "portfolio debtor exposure", "zh": "组合买方敞口"},
    "label.duplicate": {"en": "double financing", "zh": "重复融资"},
    "note": {"en": " — {note}", "zh": "——{note}"},
    "sep": {"en": ": ", "zh": "："},
    "label.dso": {"en": "collection period (DSO)", "zh": "回款周期"},
    "label.turnover": {"en": "receivable turnover", "zh": "应收账款周转率"},
    "label.aging": {"en": "aging over 90 days", "zh": "90 天以上账龄"},
    "label.concentration": {"en": "debtor concentration", "zh": "买方集中度"},
    "label.overdue": {"en": "overdue invoices", "zh": "逾期发票"},
    "label.utilisation": {"en": "limit utilisation", "zh": "额度使用率"},
    "label.event": {"en": "credit event", "zh": "信用事件"},
    "kind.bankruptcy_rumour": {"en": "bankruptcy rumour", "zh": "破产传闻"},
    "kind.negative_disclosure": {"en": "negative disclosure", "zh": "负面信息披露"},
    "kind.lawsuit": {"en": "lawsuit", "zh": "诉讼"},
    "kind.rating_downgrade": {"en": "rating downgrade", "zh": "评级下调"},
    "kind.tax_default": {"en": "tax default", "zh": "欠税"},
    "kind.enforcement": {
        "en": "on the enforcement list (judgment defaulter / spending ban)",
        "zh": "失信被执行人 / 限制高消费",
    },
    "kind.equity_freeze": {"en": "equity frozen or pledged", "zh": "股权冻结 / 出质"},
    "kind.registry_abnormal": {"en": "abnormal registry status", "zh": "列入经营异常名录"},
    "kind.director_change": {"en": "legal representative / director changed", "zh": "法定代表人 / 董事变更"},
    "severity.red": {"en": "red card", "zh": "红牌"},
    "severity.yellow": {"en": "yellow card", "zh": "黄牌"},
    # -- pushes ------------------------------------------------------------------------------
    "push.new": {"en": "Risk alert", "zh": "风险预警"},
    "push.worse": {"en": "Risk alert — worse than before", "zh": "风险预警——情况恶化"},
    "push.again": {"en": "Snoozed alert — still open", "zh": "暂缓的预警——仍未解除"},
    "push.team": {"en": "(team: {officer})", "zh": "（团队：{officer}）"},
    "btn.ack": {"en": "✅ Acknowledge", "zh": "✅ 已知悉"},
    "btn.snooze_day": {"en": "💤 1 day", "zh": "💤 暂缓 1 天"},
    "btn.snooze_week": {"en": "💤 1 week", "zh": "💤 暂缓 1 周"},
    "btn.remind": {"en": "⏰ Remind me", "zh": "⏰ 提醒我跟进"},
    "btn.profile": {"en": "👤 Client profile", "zh": "👤 客户画像"},
    # -- digest ------------------------------------------------------------------------------
    "digest.title": {
        "en": "📋 <b>Risk digest</b>: {red} red · {yellow} yellow on {clients} client(s)",
        "zh": "📋 <b>风险预警汇总</b>：{clients} 个客户，红牌 {red} · 黄牌 {yellow}",
    },
    "digest.top": {"en": "Top red cards:", "zh": "重点红牌："},
    "digest.top_yellow": {"en": "Yellow cards:", "zh": "黄牌："},
    "digest.more": {"en": "…and {n} more in All alerts.", "zh": "……另有 {n} 条，见“全部预警”。"},
    "digest.tiers": {"en": "{n} client(s) changed tier.", "zh": "{n} 个客户的分层有变化。"},
    "digest.hint": {
        "en": "<i>Grouped into one message so your phone stays quiet.</i>",
        "zh": "<i>已合并为一条消息，避免刷屏。</i>",
    },
    "btn.ack_all": {"en": "✅ Acknowledge all", "zh": "✅ 全部知悉"},
    "btn.all_alerts": {"en": "📋 All alerts", "zh": "📋 全部预警"},
    "btn.by_client": {"en": "👥 By client", "zh": "👥 按客户"},
    "clients.title": {
        "en": "<b>Open alerts by client</b> ({n} client(s))",
        "zh": "<b>按客户查看预警</b>（{n} 个客户）",
    },
    "clients.line": {"en": "{name}: {red} red · {yellow} yellow", "zh": "{name}：红牌 {red} · 黄牌 {yellow}"},
    "ackall.done": {"en": "✅ Acknowledged {n} alert(s).", "zh": "✅ 已知悉 {n} 条预警。"},
    # -- morning brief -----------------------------------------------------------------------
    "brief.title": {"en": "☀️ <b>Morning brief</b> — {day}", "zh": "☀️ <b>晨间简报</b>——{day}"},
    "brief.reminders": {"en": "Today's reminders", "zh": "今日提醒"},
    "brief.overdue": {"en": "Follow-ups now overdue", "zh": "已逾期的跟进"},
    "brief.overdue_line": {"en": "{text} ({days} day(s) ago)", "zh": "{text}（{days} 天前）"},
    "brief.applications": {"en": "Application deadlines", "zh": "融资申请时限"},
    "brief.app_missed": {
        "en": "⛔ {client} {amount}: first feedback was due {time} — missed",
        "zh": "⛔ {client} {amount}：首次反馈已于 {time} 到期——已超时",
    },
    "brief.app_today": {
        "en": "⏳ {client} {amount}: first feedback due today by {time}",
        "zh": "⏳ {client} {amount}：今天 {time} 前需首次反馈",
    },
    "brief.app_tomorrow": {
        "en": "🗓 {client} {amount}: first feedback due tomorrow by {time}",
        "zh": "🗓 {client} {amount}：明天 {time} 前需首次反馈",
    },
    "brief.alerts": {"en": "Alerts new or worse since the last brief", "zh": "自上次简报以来新增或恶化的预警"},
    "brief.worse": {"en": " <i>(worse)</i>", "zh": " <i>（恶化）</i>"},
    "brief.tiers": {"en": "Tier changes", "zh": "分层变化"},
    "brief.tier_line": {"en": "{client}: {old} → {new}", "zh": "{client}：{old} → {new}"},
    "brief.more": {"en": "…and {n} more.", "zh": "……另有 {n} 条。"},
    "brief.quiet": {
        "en": "\nNothing new since your last brief: no reminders today, no deadlines, no new alerts. 👍",
        "zh": "\n自上次简报以来没有新情况：今日无提醒、无到期事项、无新增预警。👍",
    },
    "brief.settings_on": {
        "en": "<i>Brief: on, {at} on {days}. Change: /brief 08:30 · stop: /brief off</i>",
        "zh": "<i>晨间简报：已开启，{days} {at}。修改：/brief 08:30 · 关闭：/brief off</i>",
    },
    "brief.settings_off": {
        "en": "<i>Brief: off. Turn on: /brief 08:30</i>",
        "zh": "<i>晨间简报：已关闭。开启：/brief 08:30</i>",
    },
    "brief.days_work": {"en": "working days", "zh": "工作日"},
    "brief.days_all": {"en": "every day", "zh": "每天"},
    "brief.set": {
        "en": "☀️ Morning brief set for {at} ({tz}) on {days}.",
        "zh": "☀️ 晨间简报已设为{days} {at}（{tz}）。",
    },
    "brief.off": {
        "en": "Morning brief turned off. /brief 08:30 turns it on again.",
        "zh": "晨间简报已关闭。发送 /brief 08:30 可重新开启。",
    },
    "brief.usage": {
        "en": "Usage: /brief (show it now) · /brief 08:30 (set the time) · /brief off",
        "zh": "用法：/brief（立即查看）· /brief 08:30（设置时间）· /brief off（关闭）",
    },
    # -- applications (SLA) ------------------------------------------------------------------
    "apply.recorded": {
        "en": "📝 Application recorded: <b>{client}</b> {amount}. First feedback due {due} ({days} working days); "
        "I'll remind you that morning and tell the manager if it's missed.",
        "zh": "📝 已登记融资申请：<b>{client}</b> {amount}。首次反馈截止 {due}（{days} 个工作日）；"
        "当天上午会提醒您，逾期将通知主管。",
    },
    "apply.reminder": {
        "en": "First feedback on {client}'s application is due today by {time}",
        "zh": "{client} 的融资申请今天 {time} 前需首次反馈",
    },
    "apply.usage": {
        "en": "Usage: /apply &lt;client&gt; [amount], e.g. /apply Acme 500万",
        "zh": "用法：/apply &lt;客户&gt; [金额]，例如 /apply 华东纺织 500万",
    },
    "apply.unknown": {
        "en": "I couldn't find a client of yours called “{name}”.",
        "zh": "没有找到您名下名为“{name}”的客户。",
    },
    "apply.not_found": {
        "en": "That application isn't one of yours (or no longer exists).",
        "zh": "该融资申请不属于您（或已不存在）。",
    },
    "apply.done": {
        "en": "✅ First feedback given on {client}'s application — on time.",
        "zh": "✅ 已对 {client} 的融资申请首次反馈——按时完成。",
    },
    "apply.done_late": {
        "en": "✅ First feedback given on {client}'s application (after the deadline).",
        "zh": "✅ 已对 {client} 的融资申请首次反馈（已超过时限）。",
    },
    "apply.escalated": {
        "en": "⛔ Application SLA missed: <b>{client}</b> {amount} — first feedback was due {due} ({officer}).",
        "zh": "⛔ 融资申请超时：<b>{client}</b> {amount}——首次反馈应于 {due} 前完成（{officer}）。",
    },
    "apply.escalated_self": {
        "en": "⛔ First feedback on <b>{client}</b>'s application {amount} was due {due}; your manager has been told.",
        "zh": "⛔ <b>{client}</b> 的融资申请 {amount} 首次反馈已于 {due} 到期；已通知您的主管。",
    },
    "btn.app_done": {"en": "✅ Feedback given", "zh": "✅ 已反馈"},
    "btn.apply": {"en": "📝 New application", "zh": "📝 登记融资申请"},
    # -- /portfolio --------------------------------------------------------------------------
    "pf.title": {
        "en": "📊 <b>Portfolio</b> — open receivables {total}",
        "zh": "📊 <b>业务组合</b>——未回款应收账款 {total}",
    },
    "pf.exposure": {"en": "Exposure by debtor (all clients)", "zh": "按买方汇总的敞口（全部客户）"},
    "pf.exposure_line": {
        "en": "{i}. {debtor}{core}: {amount} ({share}, {clients} client(s))",
        "zh": "{i}. {debtor}{core}：{amount}（{share}，{clients} 个客户）",
    },
    "pf.core": {"en": " (core)", "zh": "（核心企业）"},
    "pf.by_officer": {"en": "Open alerts by officer", "zh": "各专员的未解除预警"},
    "pf.by_tier": {"en": "Open alerts by tier", "zh": "各分层的未解除预警"},
    "pf.count_line": {"en": "{name}: 🟥 {red} · 🟨 {yellow}", "zh": "{name}：🟥 {red} · 🟨 {yellow}"},
    "pf.movers": {"en": "Top movers this week", "zh": "本周变化最大的客户"},
    "pf.tier_move": {"en": "{old} → {new}", "zh": "{old} → {new}"},
    "pf.new_reds": {"en": "{n} new or worse red card(s)", "zh": "新增或恶化红牌 {n} 张"},
    "pf.no_movers": {"en": "No tier changes or new red cards this week.", "zh": "本周没有分层变化或新增红牌。"},
    "pf.none": {"en": "—", "zh": "—"},
    # -- lookups -----------------------------------------------------------------------------
    "list.title": {
        "en": "<b>Open risk alerts</b> ({red} red · {yellow} yellow)",
        "zh": "<b>未解除的风险预警</b>（红牌 {red} · 黄牌 {yellow}）",
    },
    "list.title_client": {
        "en": "<b>Open risk alerts for {client}</b> ({red} red · {yellow} yellow)",
        "zh": "<b>{client} 的风险预警</b>（红牌 {red} · 黄牌 {yellow}）",
    },
    "list.state.acknowledged": {"en": " <i>(acknowledged)</i>", "zh": " <i>（已知悉）</i>"},
    "list.since": {"en": " <i>since {date}</i>", "zh": " <i>自 {date}</i>"},
    "list.more": {"en": "…and {n} more.", "zh": "……另有 {n} 条。"},
    "list.empty": {"en": "No open risk alerts. 👍", "zh": "目前没有未解除的风险预警。👍"},
    "list.empty_client": {"en": "No open risk alerts for {client}. 👍", "zh": "{client} 目前没有风险预警。👍"},
    "list.snoozed": {"en": "({n} snoozed, hidden until their time.)", "zh": "（另有 {n} 条已暂缓，到期后再显示。）"},
    "list.no_clients": {
        "en": "You have no clients yet. Send a ledger (CSV or XLSX) to import your portfolio.",
        "zh": "您还没有客户。发送台账文件（CSV 或 XLSX）即可导入业务组合。",
    },
    "list.unknown_client": {
        "en": "I couldn't find a client of yours called that. Try /alerts on its own for all your alerts.",
        "zh": "没有找到您名下的这个客户。直接发送 /alerts 可查看全部预警。",
    },
    # -- buttons -----------------------------------------------------------------------------
    "ack.done": {"en": "✅ Acknowledged: {text}", "zh": "✅ 已知悉：{text}"},
    "snooze.done": {"en": "💤 Snoozed until {when}: {text}", "zh": "💤 已暂缓至 {when}：{text}"},
    "remind.done": {"en": "⏰ I'll remind you {when}: {text}", "zh": "⏰ 将于 {when} 提醒您：{text}"},
    "remind.text": {"en": "Follow up on {client}: {rule}", "zh": "跟进 {client}：{rule}"},
    "alert.resolved": {"en": "This alert has cleared already: {text}", "zh": "该预警已解除：{text}"},
    "alert.not_found": {
        "en": "That alert isn't one of yours (or no longer exists).",
        "zh": "该预警不属于您名下的客户（或已不存在）。",
    },
    # -- /flag -------------------------------------------------------------------------------
    "flag.usage": {
        "en": "Usage: /flag &lt;debtor or client&gt; &lt;kind&gt; &lt;note&gt;\nKinds: bankruptcy rumour, negative disclosure, lawsuit, rating downgrade, tax default, enforcement, "
        "equity freeze, abnormal registry, director change.\n"
        "Example: /flag Acme lawsuit supplier sued over unpaid bills",
        "zh": "用法：/flag &lt;买方或客户&gt; &lt;类型&gt; &lt;备注&gt;\n类型：破产传闻、负面信息披露、诉讼、评级下调、欠税、失信被执行人/限高、股权冻结、经营异常、法定代表人变更。\n"
        "例如：/flag 华东纺织 诉讼 被供应商起诉拖欠货款",
    },
    "flag.recorded": {
        "en": "Recorded: {kind} on {subject}. I checked the affected clients just now:",
        "zh": "已记录：{subject} 的{kind}。已立即重新评估相关客户：",
    },
    "flag.recorded_plain": {
        "en": "Recorded: {subject}. I checked the affected clients just now:",
        "zh": "已记录：{subject}。已立即重新评估相关客户：",
    },
    "flag.nothing": {
        "en": "No new alerts from it (the next sweep will check again).",
        "zh": "暂无新的预警（下一次巡检会再次评估）。",
    },
    # -- tiers -------------------------------------------------------------------------------
    "tier.quality": {"en": "quality", "zh": "优质型"},
    "tier.potential": {"en": "potential", "zh": "潜力型"},
    "tier.risk": {"en": "risk", "zh": "风险型"},
    "tier.push": {
        "en": "Tier change: <b>{client}</b> is now <b>{tier}</b> (was {old}). Why: {reason}",
        "zh": "客户分层变化：<b>{client}</b> 现为<b>{tier}</b>（原为{old}）。原因：{reason}",
    },
    "reason.red": {"en": "red card on {label}", "zh": "{label}红牌"},
    "reason.bankruptcy": {"en": "bankruptcy rumour on {name}", "zh": "{name}传出破产传闻"},
    "reason.quality": {
        "en": "DSO {dso} days, nothing overdue beyond {days} days, utilisation {util}, no credit events",
        "zh": "回款周期 {dso} 天，无逾期超过 {days} 天的发票，额度使用率 {util}，无信用事件",
    },
    "reason.new_client": {
        "en": "new client — not enough history ({months} months, {invoices} invoices, {collections} collections)",
        "zh": "新客户——历史数据不足（{months} 个月，{invoices} 张发票，{collections} 笔回款）",
    },
    "reason.no_dso": {"en": "no DSO history yet", "zh": "暂无回款周期数据"},
    "reason.dso": {"en": "DSO {dso} days (quality needs ≤ {max})", "zh": "回款周期 {dso} 天（优质型要求 ≤ {max} 天）"},
    "reason.overdue": {
        "en": "an invoice {days} days overdue (quality allows ≤ {max})",
        "zh": "有发票逾期 {days} 天（优质型要求 ≤ {max} 天）",
    },
    "reason.utilisation": {
        "en": "utilisation {util} (quality needs below {max})",
        "zh": "额度使用率 {util}（优质型要求低于 {max}）",
    },
    "reason.events": {"en": "{n} credit event(s) in the last 90 days", "zh": "近 90 天有 {n} 条信用事件"},
    "reason.join": {"en": "; ", "zh": "；"},
}
