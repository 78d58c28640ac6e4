"""How officers ask what the bot does (en, zh, mixed): what the router's classifier learns help from."""

from __future__ import annotations

__all__ = ["PHRASINGS"]

PHRASINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "hi there", "hey bot", "good afternoon", "good evening", "hello again", "hi, what can you help me with",
        "what can i ask", "what do you know how to do", "what are you capable of", "what else can you do",
        "show me your commands", "which commands are there", "give me the list of commands", "command list",
        "how do i use you", "how does this work", "how to get started", "getting started", "instructions",
        "user guide", "what is this bot", "what's this bot for", "tell me what you do", "features",
        "what functions do you have", "options", "main menu", "usage", "can you help", "i need help",
        "help pls", "halp", "sup", "anyone there?", "are you there", "what now", "so what can you do",
        "ok what do you do exactly", "explain yourself", "what can i type here",
        "hey hey hey", "what's up bot", "whats up", "hello anyone there", "who are u", "who is this",
        "what are you exactly", "are you a real person", "is this a bot", "who am i chatting with",
        "what's your purpose", "what can you help me with", "what do you help officers with", "ok now what",
        "where do i begin", "how do i get going", "first time here", "i'm new", "what should i ask you",
        "what are the commands",
    ),
    "zh": (
        "嗨你好", "哈喽你好", "下午好", "晚上好", "在不在", "有人吗", "你可以做什么", "你有什么本事", "能帮我做啥",
        "你都有哪些功能", "功能列表", "都有哪些命令", "命令有哪些", "给我看看命令", "怎么使用", "使用方法", "使用指南",
        "入门", "怎么开始", "这是什么机器人", "介绍一下你自己", "你是干什么的", "帮帮我", "我需要帮助", "帮助一下",
        "菜单", "主菜单", "能问你哪些问题", "你擅长什么", "说说你能干嘛", "那个 你能做啥", "嗯 你会啥",
        "你好呀在吗", "你是哪位", "你是机器人吗", "你是做什么的", "这个机器人能干嘛", "你能帮我干点啥", "从哪开始", "我是新来的", "第一次用", "你有哪些本事", "怎么用你",
    ),
    "mixed": (
        "hi 在不在", "hello 你能做什么", "你有哪些commands", "command有哪些", "help 一下怎么用", "怎么use这个bot",
        "bot怎么用", "你能帮我do什么", "features介绍一下", "show下你的menu", "hi 介绍下你自己", "你的function有哪些",
        "你是什么bot", "hello 你能做啥", "这个bot怎么用", "hi 你有什么功能", "你有哪些feature",
    ),
}  # fmt: skip
