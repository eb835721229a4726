"""What kind of request a message is: a paper plan, a learning plan, "what next?", "how long?", or a question.

The patterns come from every language pack; pure functions. `route` picks the answerer. What a message says about
papers is read by rag.answer.paper_intent, the hours it gives for study by rag.answer.study_budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..lang.text import question_terms
from .intent_patterns import pack_intents
from .paper_intent import asks_for_catalogue, asks_to_implement, is_paper_suggestion, paper_title
from .study_budget import hours_per_week, states_weekly_hours


@dataclass(frozen=True)
class Route:
    """Which answerer takes a question: "done" (a finished item), "suggest" (which paper first), "paper", "plan", "next",
    "duration", "sources" (what the guides are), "catalogue" (the papers it holds) or "search"."""

    kind: str
    title: str = ""  # the paper's name, for "paper"; what the learner finished, for "done"
    hours: float = 0.0  # hours a week, for "plan"


def asks_for_sources(question: str) -> bool:
    """Does the learner ask what the mentor's sources are (not what one of them says)?

    >>> asks_for_sources("Who wrote the guides?"), asks_for_sources("你的资料来源是什么？")
    (True, True)
    >>> asks_for_sources("Who wrote the zero to hero guide?"), asks_for_sources("What are good sources for math?")
    (False, False)
    >>> asks_for_sources("Who wrote the article Attention Is All You Need?"), asks_for_sources("这份资料是谁写的？")
    (False, False)
    >>> asks_for_sources("What sources do you use to study math?"), asks_for_sources("你参考哪些资料比较好？")
    (False, False)
    """
    return any(i.sources and i.sources.search(question) for i in pack_intents())


def is_next_question(question: str) -> bool:
    """Does the learner ask what to learn next?

    >>> is_next_question("What should I learn after Python?"), is_next_question("学完 Python 之后我应该学什么？")
    (True, True)
    >>> is_next_question("How long does it take after that?")
    False
    >>> is_next_question("How do I keep improving the model after that?"), is_next_question("Is MLOps a natural next step?")
    (False, False)
    """
    if any(i.not_next and i.not_next.search(question) for i in pack_intents()):
        return False
    return mentions_next(question)


def finished_a_course(question: str) -> bool:
    """Does the learner say they finished a course without naming it? The guides' advice after a course (start
    projects) answers their "what now?".

    >>> finished_a_course("just finished my first ML course, what now?"), finished_a_course("刚学完一门机器学习课，然后呢")
    (True, True)
    >>> finished_a_course("I finished Andrew Ng's course, what next?"), finished_a_course("I finished a Python course")
    (False, False)
    """
    return any(i.course_done and i.course_done.search(question) for i in pack_intents())


# A next-step question with at most this many terms besides the packs' next_words says nothing of the learner's
# situation ("What should I learn next?", "学完之后下一步该做什么呢？").
BARE_TERMS = 2


def says_little(question: str) -> bool:
    """Does the question say nothing beyond what it asks? "What next?" does; "My first model flopped in production,
    what should I do next?" describes a situation the guides may speak to.

    >>> says_little("What should I learn next?"), says_little("学完之后下一步该做什么呢？"), says_little("I just graduated, what now?")
    (True, True, True)
    >>> says_little("My first model flopped in production and I'm discouraged. What should I do next?")
    False
    """
    words = frozenset().union(*(i.next_words for i in pack_intents()))
    return sum(1 for term in question_terms(question) if term not in words) <= BARE_TERMS


def is_duration_question(question: str) -> bool:
    """Does the learner ask how long the path to an ML-engineering job takes?

    >>> is_duration_question("How long until I can get an MLE job?"), is_duration_question("转行需要多长时间？")
    (True, True)
    >>> is_duration_question("How long does a training run take on a GPU?")
    False
    >>> is_duration_question("Who wrote the big-tech tips, and how long has he been an ML engineer?")
    False
    >>> is_duration_question("吴恩达的机器学习课程要学多久？"), is_duration_question("How long is the ML bootcamp?")
    (False, False)
    >>> is_duration_question("How long will it take me to get an ML job after a bootcamp?"), is_duration_question("有了证书转行要多久？")
    (True, True)
    >>> is_duration_question("我在物流行业干了好几年，现在想转机器学习，以前的经历白费了吗？")
    False
    >>> [is_duration_question(q) for q in ("How many weeks of paid parental leave do ML engineers get?",
    ...                                    "How many months of full-time study until I'm hired as an ML engineer?")]
    [False, True]
    """
    timed_alone = any(i.not_duration and i.not_duration.search(question) for i in pack_intents())
    if timed_alone and not any(i.path and i.path.search(question) for i in pack_intents()):
        return False
    duration = any(i.duration and i.duration.search(question) for i in pack_intents())
    return duration and any(i.career and i.career.search(question) for i in pack_intents())


def is_plan_request(question: str) -> bool:
    """Does the learner ask for a learning plan?

    >>> is_plan_request("Make me a learning plan: I know Python, 10 hours a week"), is_plan_request("帮我制定一个学习计划")
    (True, True)
    >>> is_plan_request("Plan how I implement ResNet")
    False
    """
    return any(i.plan and i.plan.search(question) for i in pack_intents())


def is_plan_hint(question: str) -> bool:
    """A weaker hint of a plan ("in what order should I learn…", "怎么规划？"): a plan when about the ML path.

    >>> is_plan_hint("In what order should I learn Python, ML and deep learning?"), is_plan_hint("转算法岗怎么规划？")
    (True, True)
    >>> is_plan_hint("In what order should I apply to companies?")
    False
    """
    return any(i.plan_hint and i.plan_hint.search(question) for i in pack_intents())


def asks_schedule(question: str) -> bool:
    """ "How should I split my time?", "怎么安排比较好": a schedule asked for (a plan when study hours are given)."""
    return any(i.schedule and i.schedule.search(question) for i in pack_intents())


def names_the_path(text: str) -> bool:
    """Does the text name the ML path (ML, a model, Python, a job, a switch, 算法岗…)?"""
    return any(i.domain and i.domain.search(text) for i in pack_intents())


def about_the_path(question: str) -> bool:
    """May a plan or "how long?" be answered from the roadmap: does it name the ML path, or nothing but a plan or a
    duration ("Plan?", "要多久？")?

    >>> about_the_path("How long will it take me?"), about_the_path("要多久？"), about_the_path("每周10小时，转算法岗怎么规划？")
    (True, True, True)
    >>> about_the_path("how long until I could join an orchestra?"), about_the_path("给我做个考研复习计划")
    (False, False)
    """
    return names_the_path(question) or _says_nothing_else(question)


def asks_how_long(question: str) -> bool:
    """Does it ask how long something takes (whatever it is)?"""
    return any(i.duration and i.duration.search(question) for i in pack_intents())


def _path_words() -> frozenset[str]:
    return frozenset().union(*(i.next_words | i.path_words for i in pack_intents()))


def _says_nothing_else(text: str) -> bool:
    """Is the text made only of the words a bare plan, "what next?" or "how long?" is made of ("要多久？")?"""
    return not _other_terms(text, _path_words())


def _other_terms(text: str, words: frozenset[str]) -> list[str]:
    return [t for t in question_terms(text) if t not in words and len(t) > 1 and not t.isdigit()]


def plan_for_another_subject(question: str) -> bool:
    """Does a plan request name what the plan is for, and is that not the ML path ("a workout plan", "a plan for
    learning Spanish", "减肥计划")? A plan that names nothing ("make me a learning plan", "每周10小时，帮我做个学习计划")
    or the path is the roadmap's.

    >>> [plan_for_another_subject(q) for q in ("What's a realistic plan for learning Spanish?", "帮我做个减肥计划",
    ...                                         "Can you make me a workout plan?", "Make me a study plan for the GRE")]
    [True, True, True, True]
    >>> [plan_for_another_subject(q) for q in ("I'm an accountant, make me a learning plan", "Make me a study plan for 6 months",
    ...                                         "我是文科生，帮我制定一个学习计划", "Make me a learning plan for ML engineering")]
    [False, False, False, False]
    """
    if names_the_path(question):
        return False
    words = _path_words()
    for pattern in (p for i in pack_intents() for p in i.plan_object):
        for match in pattern.finditer(question):
            wanted = match["object"]
            if _other_terms(wanted, words) and not names_the_path(wanted):
                return True
    return False


def mentions_next(question: str) -> bool:
    """Does it ask what comes next, even beside other things ("What's the next stage for me and how long…")?"""
    return any(p.search(question) for i in pack_intents() for p in i.next)


def finished_item(question: str) -> str | None:
    """What a learner says they finished ("I finished Andrew Ng's course"), or None.

    >>> finished_item("I finished Andrew Ng's course"), finished_item("我学完了吴恩达的课程")
    ("Andrew Ng's course", '吴恩达的课程')
    >>> finished_item("I finished Python, what should I learn next?") is None
    True
    """
    for pattern in (i.finished for i in pack_intents() if i.finished):
        match = pattern.search(question.strip())
        if match:
            return match["item"].strip(" \"'“”《》")
    return None


def route(question: str, searched: str, default_hours: float, placed: Callable[[], bool] = lambda: False,
          papers_named: Callable[[], Sequence[str]] = tuple) -> Route:
    """The answerer for `question` (`searched` is it joined with the turn it follows up on). "I finished X" records
    X, unless it goes on to ask what next (learners often leave out the question mark). A request to implement
    one paper the catalogue holds (`papers_named()`: the cards the question names; asked only then) is a paper plan
    however it is worded ("I want to reimplement ResNet myself, how should I plan it?"). A next-step question is
    answered from the roadmap when the learner's place on it is known (`placed()`: skills they named, or their
    profile; asked only then, as it reads the roadmap) or it says nothing else; one that describes a situation is
    searched.

    >>> [route(q, q, 10).kind for q in ("I finished CS50", "I finished CS50, what next")]
    ['done', 'next']
    >>> route("我学完了 Python，接下来学什么", "", 10, placed=lambda: True).kind  # Python: the roadmap places the learner
    'next'
    >>> situation = "My first model flopped in production. What should I do next?"
    >>> route(situation, situation, 10).kind, route(situation, situation, 10, placed=lambda: True).kind
    ('search', 'next')
    >>> wish = "walk me through implementing the original GAN paper"
    >>> route(wish, wish, 10).kind, route(wish, wish, 10, papers_named=lambda: ["GAN"])
    ('search', Route(kind='paper', title='GAN', hours=0.0))
    """
    item = finished_item(question)
    if item and not is_next_question(question):
        return Route("done", title=item)
    if asks_for_sources(question):
        return Route("sources")
    if asks_for_catalogue(question):
        return Route("catalogue")
    if is_paper_suggestion(question):
        return Route("suggest")
    title = paper_title(question)
    if (title or asks_to_implement(question)) and len(named := papers_named()) == 1:
        return Route("paper", title=named[0])  # the card named, whatever the words around it
    if title:
        return Route("paper", title=title)
    # A plan request for the ML path; a weaker hint of one about the path or with study hours; or study hours given
    # with "what next?" or "how long?": a schedule is asked for.
    # (A follow-up's hint reads the conversation: "I want to become an ML engineer." → "那怎么规划？")
    if ((is_plan_request(question)
         or (is_plan_hint(question) and (names_the_path(searched) or states_weekly_hours(question)))
         or (states_weekly_hours(question) and about_the_path(question)
             and (mentions_next(question) or asks_how_long(searched) or asks_schedule(question))))
            and not plan_for_another_subject(question)):
        return Route("plan", hours=hours_per_week(question, hours_per_week(searched, default_hours)))
    if is_next_question(question) and (says_little(question) or placed()) and not finished_a_course(question):
        return Route("next")
    # The path's "how long?", or one that says nothing else ("零基础要多久？", "How long would a complete beginner take?");
    # every duration question asks how long, so the words are read at most once.
    if (is_duration_question(searched) and names_the_path(searched)) \
            or (asks_how_long(searched) and _says_nothing_else(searched)):
        return Route("duration")
    return Route("search")
