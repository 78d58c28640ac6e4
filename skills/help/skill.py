"""/start and /help: what the bot does, each skill with two examples, in the officer's language."""

from __future__ import annotations

import re
from typing import ClassVar

from skills.contract import Command, Reply, Request, Services, Skill
from skills.fmt import esc
from skills.help.messages import MESSAGES
from skills.help.phrasings import PHRASINGS
from skills.i18n import t

__all__ = ["HelpSkill"]


# Greetings and "what can you do" in its many forms: the help skill's own evidence.
_HELP = re.compile(
    r"^\W*(?:hi|hiya|hello|hey|yo|sup|morning|good\s+(?:morning|afternoon|evening)|start|menu|help|hlep|halp|"
    r"你好|您好|嗨|哈喽|在吗|在不在|早上好|早|下午好|晚上好|帮助|菜单)(?:\s+(?:there|bot|again|pls|please))?\W*$|"
    r"\bwhat\s+(?:can|do|else\s+can)\s+(?:you|u)\s+do\b|\bwhat\s+are\s+you\s+(?:able|for|capable)\b|"
    r"\b(?:your|the)\s+(?:commands|features|functions|options)\b|\blist\s+(?:your|the|all)?\s*commands\b|"
    r"\bhow\s+(?:do\s+i|to|can\s+i)\s+use\b|\bwhat\s+should\s+i\s+type\b|\bwhat\s+can\s+i\s+ask\b|"
    r"你(?:都)?(?:会|能)(?:做|干|帮我做|帮我干)?(?:些)?(?:什么|啥|嘛)|有(?:哪些|什么)(?:功能|命令)|功能(?:介绍|列表)|"
    r"命令(?:列表|有哪些)|怎么用(?:你|这个)?",
    re.I | re.A,
)


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
        return _SURE if _HELP.search(text.strip()) else 0.0

    async def handle(self, request: Request, services: Services) -> Reply:
        """Show the welcome and every skill with two examples and its commands."""
        lang = request.lang
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
