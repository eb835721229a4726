"""How many hours a week a learner has for study: "8 hours a day, 5 days a week", "每周10小时", "full time".

Pure functions over every language pack's patterns. A job's hours, hours spent otherwise and hours said for no
period are no study time. What the question asks for is rag.answer.intent's job.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..lang import registry
from .intent_patterns import CLAUSES, pack_intents

FULL_TIME_HOURS = 40.0  # "full-time" as the roadmap's estimates read it (corpus/roadmap/roadmap.yaml)


def _study_hours(question: str) -> float | None:
    """The hours a week the learner has for study: a number of hours (or minutes) said for a period ("10 hours a
    week", "2 hrs a night, weekdays", "一个月大概80个小时", "周末两天每天能学4小时"), not a job's ("I work 50 hours a
    week", "每周工作60小时": a work word in its clause, with no study word after it) nor spent otherwise ("I sleep 6
    hours a night"); weekend days' hours added to those of a day ("an hour a day on the train and 3 hours on
    Sundays"); or full-time study not said with a "not"; None if none of these."""
    for i in pack_intents():
        said = list(i.hours.finditer(question)) if i.hours else []
        cuts = [_cut(question, a.end(), b.start()) for a, b in zip(said, said[1:])]
        budgets = [b for match, lo, hi in zip(said, [0, *cuts], [*cuts, len(question)])
                   if (b := _budget(i, question, match, lo, hi))]
        if budgets:
            first = budgets[0]
            weekend = next((b for b in budgets[1:] if b.weekend != first.weekend), None)
            return round(first.hours + (weekend.hours if weekend and first.daily and weekend.daily is not None else 0), 1)
    for pack in registry.packs():
        match = pack.intents.full_time.search(question) if pack.intents.full_time else None
        if match and not (pack.negation and pack.negation.search(question[max(0, match.start() - 20): match.start()])):
            return FULL_TIME_HOURS
    return None


JOINS = re.compile(r"\b(?:and|plus|then)\b|[,，、;；]|和|加上|另外")


def _cut(text: str, start: int, end: int) -> int:
    """Where what is said of one number of hours ends and the next begins, between text[start:end]: at the last "and",
    "plus" or comma ("an hour a day on the train | and 3 hours on Sundays"), else halfway."""
    joins = [m.start() for m in JOINS.finditer(text, start, end)]
    return joins[-1] if joins else (start + end) // 2


class _Budget(NamedTuple):
    hours: float  # a week
    daily: bool | None  # said for a day (None: for a week or a month)
    weekend: bool  # for weekend days


SENTENCE_END = re.compile(r"[.?!。？！\n]")
MOST_A_DAY = 16.0  # more hours a day than this are no study budget ("our servers run 24 hours a day")


def _budget(i: Any, question: str, match: re.Match[str], lo: int, hi: int) -> _Budget | None:
    """The study time one number of hours says, a week; None for a job's hours, hours spent otherwise, or hours said
    for no period. Its clause ends where another number of hours is said (question[lo:hi] holds no other): "an hour a
    day and 3 hours on Sundays" says two."""
    before = CLAUSES.split(question[: match.start()])[-1]
    after = CLAUSES.split(question[match.start(): hi])[0]
    join = JOINS.search(after, match.end() - match.start())  # "45 min a day at lunch | plus a bit more on Sundays"
    clause = before[max(0, lo - (match.start() - len(before))):] + (after[: join.start()] if join else after)
    work = [m.end() for m in i.working.finditer(before)] if i.working else []
    study = [m.end() for m in i.studying.finditer(before)] if i.studying else []
    if work and not (study and study[-1] >= work[-1]):  # "after work I have 10 hours" is study time
        return None
    amount = _amount(i, match)
    start, end = _sentence_bounds(question, match.start(), match.end())
    sentence = question[start:end]
    period = _period(i, sentence, clause, match.start() - start, match.end() - start, (lo - start, hi - start))
    if amount is None or period is None:
        return None
    factor, daily, weekend = period
    if daily is not None or factor < 1:  # a day's or a month's hours: study time unless spent otherwise
        spent = i.pastime and i.pastime.search(clause) and not (i.studying and i.studying.search(clause))
        if spent or (daily and amount > MOST_A_DAY):
            return None
    return _Budget(amount * factor, daily, weekend)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence holding text[start:end] begins and ends."""
    ends = [m.end() for m in SENTENCE_END.finditer(text, 0, start)]
    after = SENTENCE_END.search(text, end)
    return (ends[-1] if ends else 0), (after.start() if after else len(text))


NEAR = 30  # characters: "8 hours a day, 5 days a week" reads the days; "gym 3 days a week, 2 hours a day" does not


def _period(i: Any, sentence: str, clause: str, start: int, end: int, span: tuple[int, int]) -> tuple[float, bool | None, bool] | None:
    """The period said with the hours at sentence[start:end], as (times a week, said for a day (None: a week or a
    month), for weekend days), or None when none is said. So many days a week right after the hours (or just before)
    count those days; else the period nearest the hours, and not another number's (outside `span`): a week once, a
    month 12/52, a day seven times (weekdays five, weekend days two, as its clause says)."""
    if i.days_a_week:
        for days in i.days_a_week.finditer(sentence):
            if 0 <= days.start() - end <= NEAR or 0 <= start - days.end() <= NEAR // 3:
                return _number(i, days["days"]), True, False
    periods = [(pattern, factor) for pattern, factor in ((i.weekly, 1.0), (i.daily, 7.0), (i.monthly, 12 / 52)) if pattern]
    weekend = bool(i.weekend and i.weekend.search(clause))
    in_clause = [factor for pattern, factor in periods if pattern.search(clause)]
    if not in_clause and weekend:  # "on weekends I can study 6 hours", "3 hours on Sundays": a week's
        return 1.0, False, True
    said = [(min(abs(m.start() - end), abs(start - m.end())), factor, span[0] <= m.start() and m.end() <= span[1])
            for pattern, factor in periods for m in pattern.finditer(sentence)]
    # another number's day or month is not this one's ("I work 10 hours a day, so weekends, maybe 5 hours"); a week
    # frames the sentence ("每周工作50小时，还能学8小时")
    said = [(d, factor) for d, factor, own in said if own] or [(d, factor) for d, factor, _ in said if factor == 1.0]
    if not said:
        return None
    factor = min(said)[1]
    if factor != 7.0:
        return factor, None, False
    if i.weekdays and i.weekdays.search(clause):
        return 5.0, True, False
    if weekend:
        return 2.0, True, True
    if i.weekdays and i.weekdays.search(sentence):  # "2 hrs a night, weekdays"
        return 5.0, True, False
    return 7.0, True, False


def _number(i: Any, word: str) -> float | None:
    """A number written in digits or in the pack's numerals ("two", "an", "一", "两", "十五", "二十")."""
    try:
        return float(word)
    except ValueError:
        pass
    if word.lower() in i.numerals:
        return float(i.numerals[word.lower()])
    values = [i.numerals.get(ch) for ch in word]
    if not word or None in values:
        return None
    if len(values) == 2 and 10 not in values:  # "两三", "五六": about the middle
        return sum(values) / 2
    total, current = 0.0, 0.0
    for value in values:  # "二十五": tens times what comes before them, then the units
        if value == 10:
            total, current = total + (current or 1) * 10, 0.0
        else:
            current = value
    return total + current


def _amount(i: Any, match: re.Match[str]) -> float | None:
    """The hours a match of the pack's `hours` says: a range's middle ("3-4 hours"), a half more ("一个半小时"), minutes
    in hours."""
    groups = match.groupdict()
    n = _number(i, groups["n"])
    if n is None:
        return None
    if groups.get("to") and (to := _number(i, groups["to"])) is not None:
        n = (n + to) / 2
    if groups.get("half"):
        n += 0.5
    return n / 60 if groups.get("minutes") else n


def states_weekly_hours(question: str) -> bool:
    """Does the learner give the hours they have for study a week?

    >>> states_weekly_hours("at 8 hours a week"), states_weekly_hours("每周10小时"), states_weekly_hours("I work 9 hours")
    (True, True, False)
    >>> states_weekly_hours("I work 50 hours a week"), states_weekly_hours("每周工作60小时"), states_weekly_hours("我没办法全职学习")
    (False, False, False)
    >>> states_weekly_hours("I have a full-time job but can study 6 hours a week"), states_weekly_hours("我在工作，每周10小时")
    (True, True)
    >>> states_weekly_hours("I'm not able to study full time"), states_weekly_hours("我不打算全职学习")
    (False, False)
    """
    return _study_hours(question) is not None


def hours_per_week(question: str, default: float) -> float:
    """Hours a week named in the question (1 to 80), else `default`.

    >>> hours_per_week("I have 15 hours a week", 10), hours_per_week("每周 8 小时", 10), hours_per_week("no number", 10)
    (15.0, 8.0, 10)
    >>> hours_per_week("I could study full time until April", 10), hours_per_week("打算全职学半年", 10)
    (40.0, 40.0)
    """
    hours = _study_hours(question)
    return hours if hours is not None and 1 <= hours <= 80 else default
