"""What kind of request a chat message is: a paper plan, a "what next?" question, or a plain question.

Patterns in English and Chinese; pure functions. A paper request yields the
paper's name as the learner wrote it; nothing is looked up about it.
"""

from __future__ import annotations

import re

PAPER = [
    re.compile(r"\b(?:plan|help me|how (?:do|can|should) i|i want to|let me|steps to)\b.*?\b(?:implement|reproduce|re-implement|code up)\s+(?:the\s+)?(?P<title>.+?)(?:\s+paper)?\s*[?.!]*$", re.I),
    re.compile(r"\b(?:implement|reproduce)\s+(?:the\s+)?(?:paper\s+)?[\"“'](?P<title>[^\"”']+)[\"”']", re.I),
    re.compile(r"(?:复现|实现)(?:一下)?(?:论文)?\s*[《“\"](?P<title>[^》”\"]+)[》”\"]"),
    re.compile(r"(?:复现|实现)\s*(?P<title>[A-Za-z][\w\- .:]+?)\s*(?:这篇)?论文"),
    re.compile(r"(?:怎么|如何|帮我|计划)(?:.*?)(?:复现|实现)\s*(?P<title>[A-Za-z][\w\- .:]+?)(?:\s*论文)?\s*[？?。]*$"),
]
NEXT = [
    re.compile(r"\bafter (?:learning |finishing |knowing )?(?P<known>[\w+#.\- ]+?)\W*(?:what|\?|$)", re.I),
    re.compile(r"\bwhat (?:should|do|can) i (?:learn|study|do) (?:next|after|now)\b", re.I),
    re.compile(r"\bwhat(?:'s| is)? next\b|\bnext steps?\b", re.I),
    re.compile(r"学完|学会.*(?:之后|以后)|(?:之后|以后|接下来|下一步).*(?:学什么|学习什么|做什么)|下一步"),
]
# "after Python" — but "after graduation", "after work" are not skills; these words are not a "next" request.
NOT_NEXT = re.compile(r"\b(?:how long|how much|salary|phd|degree)\b|多久|多长时间|工资|薪", re.I)


def paper_title(question: str) -> str | None:
    """The paper a learner wants to implement, or None.

    >>> paper_title("Plan how I implement ResNet")
    'ResNet'
    >>> paper_title('帮我复现《Attention Is All You Need》')
    'Attention Is All You Need'
    >>> paper_title("How should I go about implementing research papers?") is None
    True
    """
    for pattern in PAPER:
        match = pattern.search(question.strip())
        if match:
            title = match["title"].strip(" \"'“”《》")
            if title and title.lower() not in {"it", "this", "that", "papers", "research papers", "a paper", "论文"}:
                return title
    return None


def is_next_question(question: str) -> bool:
    """Does the learner ask what to learn next?

    >>> is_next_question("What should I learn after Python?"), is_next_question("学完 Python 之后我应该学什么？")
    (True, True)
    >>> is_next_question("How long does it take after that?")
    False
    """
    if NOT_NEXT.search(question):
        return False
    return any(p.search(question) for p in NEXT)


DURATION = re.compile(r"\bhow long\b|\bhow many (?:months|years|weeks)\b|多久|多长时间|几个月|几年", re.I)
CAREER = re.compile(r"\b(?:ml|mle|machine learning|engineer|job|career|ready|hired|switch|roadmap|learn)\b|机器学习|工程师|工作|转行|入门|学", re.I)


def is_duration_question(question: str) -> bool:
    """Does the learner ask how long the path to an ML-engineering job takes?

    >>> is_duration_question("How long until I can get an MLE job?"), is_duration_question("转行需要多长时间？")
    (True, True)
    >>> is_duration_question("How long does a training run take on a GPU?")
    False
    """
    return bool(DURATION.search(question) and CAREER.search(question))


PLAN = re.compile(r"\b(?:learning|study) plan\b|\bmake (?:me )?a plan\b|\bplan (?:for|my)\b|\broadmap for me\b"
                  r"|学习计划|制定.{0,6}计划|帮我.{0,6}(?:计划|规划)|学习路线", re.I)
HOURS = re.compile(r"(\d{1,2}(?:\.\d)?)\s*(?:h\b|hrs?\b|hours?\b|小时|个小时)", re.I)


def is_plan_request(question: str) -> bool:
    """Does the learner ask for a learning plan?

    >>> is_plan_request("Make me a learning plan: I know Python, 10 hours a week"), is_plan_request("帮我制定一个学习计划")
    (True, True)
    >>> is_plan_request("Plan how I implement ResNet")
    False
    """
    return bool(PLAN.search(question))


def hours_per_week(question: str, default: float = 10.0) -> float:
    """Hours a week named in the question, else `default`.

    >>> hours_per_week("I have 15 hours a week"), hours_per_week("每周 8 小时"), hours_per_week("no number")
    (15.0, 8.0, 10.0)
    """
    match = HOURS.search(question)
    value = float(match.group(1)) if match else default
    return value if 1 <= value <= 80 else default
