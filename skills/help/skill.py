"""/start and /help: what the bot does, each skill with two examples, in the officer's language."""

from __future__ import annotations

import re
from typing import ClassVar

from skills.contract import Command, Reply, Request, Services, Skill
from skills.fmt import esc
from skills.help.messages import MESSAGES
from skills.help.phrasings import PHRASINGS
from skills.i18n import t
from skills.lazyre import lazy

__all__ = ["HelpSkill"]


# Greetings, "who are you" and "what can you do" in their many forms: the help skill's own evidence.
_P = r"[\s!?.,:;~…。！？，、～()\-]*"  # punctuation and spaces (not \W: under re.A it would also take Chinese)
_FILLER = rf"(?:(?:ok(?:ay)?|so|um+|uh+|hmm+|well|oh|erm|嗯|那个|喂){_P})*"
_GREETING = (
    r"hi+|hiya|hello+|helo|hallo|hey+|heya|yo|sup|wh?at'?s+\s*up|wassup|wazzup|howdy|greetings|morning|mornin|good\s*(?:morning|afternoon|evening|day)|"
    r"start|get(?:ting)?\s+started|menu|help|hlep|halp|helpp+|"
    r"你好|您好|嗨|哈喽|哈啰|嘿|喂|在吗|在么|在不在|在嘛|早上好|早安|早|下午好|晚上好|帮助|菜单|使用说明"
)
_GREETING_TAIL = rf"(?:{_P}(?:there|bot|again|pls|please|all|everyone|anyone|mate|me|out|here|now|呀|啊|哈|呢|你好|在吗|在么))*"
_HELP = lazy(
    rf"^{_P}{_FILLER}(?:(?:show|open|need|give\s+me|get)\s+(?:me\s+)?(?:the\s+|some\s+)?)?(?:{_GREETING}){_GREETING_TAIL}{_P}$|"
    # who or what the bot is
    r"\bwho\s+(?:are|r)\s+(?:you|u|ya)\b|\bwho\s+am\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with)\b|"
    rf"^{_P}what\s+(?:are|r)\s+(?:you|u)(?:\s+(?:for|exactly|then|again))?{_P}$|"
    rf"^{_P}(?:so\s+)?what(?:'s|s|\s+is)\s+(?:all\s+)?this(?:\s+(?:bot|thing|app|for|about))*{_P}$|"
    r"\bare\s+(?:you|u)\s+(?:a\s+)?(?:bot|robot|human|real|ai)\b|\bis\s+this\s+(?:the|a)\s+[\w\s-]{0,20}\b(?:bot|assistant)\b|"
    rf"^{_P}{_FILLER}(?:what\s+now|now\s+what|what\s+next|(?:how|where)\s+(?:do\s+i|to|should\s+i)\s+(?:start|begin))(?:\s+(?:then|here))?{_P}$|"
    r"你是谁|你是什么|你是干(?:嘛|什么|啥)的|你叫什么|你有(?:什么|啥)用|从哪(?:里|儿)?开始|这个?(?:bot|机器人)是(?:做|干)(?:什么|啥|嘛)的|这是什么(?:机器人|东西|bot)|"
    # what it can do, and how to use it
    r"\bwhat\s+(?:can|could|do|does|else\s+can)\s+(?:you|u|this(?:\s+(?:bot|thing))?|it)\s+do\b|"
    r"\bwhat\s+(?:you|u)\s+(?:can|could)\s+do\b|\bwhat\s+(?:you|u)\s+(?:do|are\s+for)\s*$|\bwhat(?:'s|s|\s+is)\s+(?:your|ur)\s+(?:job|purpose|role|deal)\b|\bwhat\s+(?:are|r)\s+(?:you|u)\s+(?:able|for|capable|good)\b|\bwhat\s+(?:can|could)\s+(?:you|u)\s+help\b|\bwhat\s+(?:things|stuff)\s+can\s+(?:you|u)\b|"
    r"\b(?:your|the)\s+(?:commands|features|functions|options)\b|\blist\s+(?:your|the|all)?\s*commands\b|"
    rf"^{_P}(?:commands|features|instructions|usage|options)(?:\s+(?:pls|please|list))?{_P}$|"
    r"\bhow\s+(?:do\s+i|to|can\s+i)\s+(?:use|work)\s+(?:this|it|you|u)\b|"
    rf"\bhow\s+(?:do\s+i|to|can\s+i)\s+use{_P}$|"
    rf"^{_P}how\s+(?:does|do)\s+(?:this|it|this\s+(?:bot|thing))\s+work{_P}$|"
    rf"\bwhat\s+should\s+i\s+type\b|\bwhat\s+can\s+i\s+(?:ask|say|type)(?:\s+(?:you|u))?{_P}$|"
    r"你(?:都)?(?:会|能|可以)(?:做|干|帮我做|帮我干|帮我|帮)?(?:些)?(?:什么|啥|嘛|哪些)|有(?:哪些|什么|啥)(?:功能|命令)|功能(?:介绍|列表)|"
    rf"命令(?:列表|有哪些)|^{_P}{_FILLER}(?:(?:{_GREETING}){_P})?(?:请问|那)?(?:这个|你)?(?:怎么|如何)(?:用|使用|操作|玩)(?:你|这个|这个机器人|机器人)?{_P}[啊呢呀吗]?{_P}$|"
    r"怎么用(?:你|这个)",
    re.I | re.A,
)

# Thanks and acknowledgements on their own ("thx", "got it 👍", "谢谢", "收到"): a short "you're welcome", not the
# full help and not "I'm not sure what you need".
# Longer alternatives first: each word is matched atomically (``(?>…)``), so a long run of them stays linear.
_THANKS_WORD = (
    r"thank\s*(?:you|u)|thanks?|thx|thnx|tks|tx|tyvm|ty|cheers|ta|much\s+appreciated|appreciated|"
    r"great|perfect|cool|nice|awesome|brilliant|lovely|excellent|super|got\s+it|gotcha|noted|understood|will\s+do|"
    r"roger(?:\s+that)?|ok(?:ay)?|k+|sure|alright|all\s+right|fine|good|👍|🙏|👌|"
    r"谢谢|谢了|多谢|感谢|谢啦|好的|好嘞|好滴|好|行|可以|收到|明白|知道了|了解|辛苦了|辛苦|没问题"
)
_THANKS_TAIL = (
    r"so\s+much|a\s+lot|lots|very\s+much|again|mate|bot|man|guys|all|for\s+(?:that|this|the\s+help)|"
    r"啊|呀|哈|啦|了|哦|你|您|!+"
)
_THANKS_FILLER = rf"(?>(?:(?:so|um+|uh+|hmm+|well|oh|erm|嗯|那个|喂){_P})*)"
_THANKS = lazy(rf"^{_P}{_THANKS_FILLER}(?:(?>(?:{_THANKS_WORD})(?:{_P}(?:{_THANKS_TAIL}))*{_P}))+$", re.I)
_SURE = 0.9


class HelpSkill(Skill):
    """Explain the bot; generated from each skill's declared summary, examples and commands."""

    name = "help"
    more_phrasings = PHRASINGS
    offered_when_unsure = False
    commands = (
        Command("start", "Welcome and what I can do", "欢迎与功能介绍"),
        Command("help", "What I can do, with examples", "功能说明与示例"),
    )
    examples: ClassVar[dict[str, tuple[str, ...]]] = {
        "en": ("help", "what can you do", "how does this bot work", "hi", "hello"),
        "zh": ("帮助", "你能做什么", "怎么用", "你好", "使用说明"),
    }
    summary: ClassVar[dict[str, str]] = {"en": "This help", "zh": "帮助说明"}

    def score(self, text: str, lang: str) -> float:
        """High for a greeting or a question about what the bot can do."""
        text = text.strip()
        return _SURE if _HELP.search(text) or _THANKS.match(text) else 0.0

    async def handle(self, request: Request, services: Services) -> Reply:
        """Show the welcome and every skill with two examples and its commands (a thank-you gets a short reply)."""
        lang = request.lang
        if not request.command and _THANKS.match(request.text.strip()):
            return Reply(text=t(MESSAGES, "thanks", lang), intent="thanks")
        lines = [t(MESSAGES, "welcome", lang, name=esc(request.officer.name))]
        sections = []
        for skill in services.skills:
            if skill.name in ("help", "settings") or not skill.summary:
                continue
            examples = skill.examples.get(lang, ())[:2]
            sample = " · ".join(f"“{esc(e)}”" for e in examples)
            sections.append({"skill": skill.name, "summary": skill.summary.get(lang, ""), "examples": list(examples)})
            lines.append(
                f"\n• <b>{esc(skill.summary.get(lang, skill.name))}</b> — {t(MESSAGES, 'examples', lang)} {sample}"
            )
        lines.append("\n" + t(MESSAGES, "commands", lang))
        commands = []
        for skill in services.skills:
            for cmd in skill.commands:
                if request.officer.role not in cmd.roles:
                    continue
                commands.append(cmd.name)
                lines.append(f"/{cmd.name} — {esc(cmd.help_zh if lang == 'zh' else cmd.help_en)}")
        lines.append("\n" + t(MESSAGES, "footer", lang))
        return Reply(
            text="\n".join(lines),
            data={"skills": sections, "commands": commands, "lang": lang},
            intent=request.command or "help",
        )
