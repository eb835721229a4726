"""What a message says about papers: the one to implement, "which paper first?", the whole catalogue, those implemented
or left out, the fields asked for.

Pure functions over every language pack's patterns. A paper request yields the paper's name as the learner wrote it;
nothing is looked up about it (rag.answer.paper_match finds the card).
"""

from __future__ import annotations

import re

from .intent_patterns import CLAUSES, pack_intents

# A pronoun, or "papers" ("implement papers myself"), begins no title.
NOT_TITLE_STARTS = frozenset({"it", "them", "one", "these", "those", "papers"})


def paper_title(question: str) -> str | None:
    """The paper a learner wants to implement, or None.

    >>> paper_title("Plan how I implement ResNet")
    'ResNet'
    >>> paper_title('帮我复现《Attention Is All You Need》')
    'Attention Is All You Need'
    >>> paper_title("How should I go about implementing research papers?") is None
    True
    """
    not_titles = frozenset().union(*(i.not_titles for i in pack_intents()))
    for pattern in (p for i in pack_intents() for p in i.paper):
        match = pattern.search(question.strip())
        if match:
            raw = match["title"].strip(" \"'“”《》")
            title = re.sub(r"^(?:this|that|the|a|an)\s+", "", raw, flags=re.I)
            # "this YOLO paper" is one; "this sourdough recipe" is no paper, nor "it step by step"
            if title != raw and not re.search(r"\bpaper\b", question, re.I):
                continue
            if title and title.lower() not in not_titles and title.lower().split()[0] not in NOT_TITLE_STARTS:
                return title
    return None


def asks_for_catalogue(question: str) -> bool:
    """Does the learner ask for the whole paper catalogue (not which of its papers fit them)?

    >>> [asks_for_catalogue(q) for q in ("Which papers are in the catalogue?", "What papers do you have?",
    ...                                  "list the papers", "目录里有哪些论文？", "你有哪些论文？")]
    [True, True, True, True, True]
    >>> [asks_for_catalogue(q) for q in ("Which papers should I read about transformers?", "Which papers do you recommend?",
    ...                                  "Which papers in the catalogue should I implement first?", "目录里有哪些论文适合入门？",
    ...                                  "What's in the ResNet paper?", "有哪些论文写作的技巧？")]
    [False, False, False, False, False, False]
    """
    return any(i.catalogue and i.catalogue.search(question.strip()) for i in pack_intents())


def is_paper_suggestion(question: str) -> bool:
    """Does the learner ask which paper to implement?

    >>> is_paper_suggestion("Which paper should I implement first?"), is_paper_suggestion("我应该先复现哪篇论文？")
    (True, True)
    >>> is_paper_suggestion("Plan how I implement ResNet")
    False
    """
    return any(i.suggest_paper and i.suggest_paper.search(question) for i in pack_intents())


def asks_to_implement(question: str) -> bool:
    """Does the learner ask how to implement something (which paper, the caller finds by name), rather than say they
    have, or ask whether it is worth it?

    >>> asks_to_implement("I want to reimplement ResNet myself. How should I plan it?"), asks_to_implement("想复现LeNet-5练练手，咋安排？")
    (True, True)
    >>> asks_to_implement("I implemented ResNet last month, how do I go on?"), asks_to_implement("VGG自己复现过了，怎么办")
    (False, False)
    >>> asks_to_implement("Is reproducing ResNet a good portfolio project?"), asks_to_implement("复现 ResNet 能写进简历吗？")
    (False, False)
    >>> asks_to_implement("I'd like to reproduce DQN"), asks_to_implement("Would implementing ResNet help me get a job?")
    (True, False)
    """
    intents = list(pack_intents())
    for i in intents:  # "复现过" holds "复现": what says a paper is done asks for nothing
        question = i.done_paper.sub(" ", question) if i.done_paper else question
    return (any(i.implement and i.implement.search(question) for i in intents)
            and any(i.how and i.how.search(question) for i in intents)
            and not any(i.not_how and i.not_how.search(question) for i in intents))


def without_instruments(question: str) -> str:
    """The question less the models it would use for a task ("implement text classification with BERT", "用 Transformer
    实现文本分类"): what is left names what to implement.

    >>> [w in without_instruments(q) for w, q in (("BERT", "How do I implement text classification with BERT?"),
    ...                                            ("Transformer", "用 Transformer 实现文本分类"), ("ResNet", "implement ResNet with PyTorch"))]
    [False, False, True]
    """
    for i in pack_intents():
        question = i.instrument.sub(" ", question) if i.instrument else question
    return question


def implement_sentences(question: str) -> str:
    """The clauses that ask to implement something ("I've fine-tuned BERT before. Now I want to write LoRA myself."
    asks about LoRA; so does "我用过BERT，想自己实现LoRA"), or the whole question when none does."""
    asking = [part for part in CLAUSES.split(question) if any(i.implement and i.implement.search(part) for i in pack_intents())]
    return " ".join(asking) or question


def asking_sentences(question: str) -> str:
    """The sentences that ask something (a question mark, or a request for a paper: "Which paper should I implement
    first") or weigh a choice ("I'm torn between ResNet and ViT."), or the whole question when none does: "I've
    trained MLPs with Adam. Which paper first?" asks about no paper it names; "Is LeNet a good first paper?" asks
    about LeNet.

    >>> asking_sentences("I know PyTorch and used dropout and Adam. Which paper should I implement first?")
    ' Which paper should I implement first?'
    >>> asking_sentences("I'm torn between ResNet and ViT. Which paper first?")
    "I'm torn between ResNet and ViT. Which paper first?"
    """
    sentences = re.findall(r"[^.!。！\n]*(?:[.!。！\n]|$)", question)
    asking = [s for s in sentences if "?" in s or "？" in s or is_paper_suggestion(s)
              or any(i.choice and i.choice.search(s) for i in pack_intents())]
    return "".join(asking) or question


def done_parts(question: str) -> list[str]:
    """The clauses of a message that say something was implemented ("I've built U-Nets", "原始GAN已经跑通了"), not
    those that say it was not ("I haven't implemented ResNet yet", "我复现过LeNet，还没复现ResNet")."""
    return [part for part in CLAUSES.split(question)
            if any(i.done_paper and (m := i.done_paper.search(part)) and not (i.not_done and i.not_done.search(part[: m.start()]))
                   for i in pack_intents())]


def excluded_parts(question: str) -> list[str]:
    """The clauses that leave a paper out ("Which paper besides ResNet?", "我不想复现Transformer")."""
    return [part for part in CLAUSES.split(question) if any(i.excluded and i.excluded.search(part) for i in pack_intents())]


def fields_asked(question: str) -> set[str]:
    """The catalogue fields the learner names ("into NLP", "想做分割").

    >>> sorted(fields_asked("I want to get into generative models")), sorted(fields_asked("想做分割相关的"))
    (['generative'], ['vision'])
    """
    return {name for i in pack_intents() for name, pattern in i.fields.items() if pattern.search(question)}
