"""The language-pack contract: everything the mentor knows about one language, in one record.

A pack says how to recognise its language, cut it into search terms and
sentences, what the mentor says in it (phrases, UI words, plan labels), which
requests and refusals it recognises (intents, guard patterns), which extra
search terms bridge it to the corpus (glossary) and the refusal thresholds
calibrated for it. `rag.lang.registry` holds the packs; nothing else in the
library names a language. A pack does not translate corpus text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# The mentor's own sentences; a pack must give every one (checked when it is registered).
PHRASE_KEYS = frozenset({
    "lead", "not_covered", "nearest", "try", "sources",
    "injection", "live_data", "personal_data", "worked_problem", "writing_task",  # rag.answer.guard.REASONS
    "next_lead", "next_known", "next_from_start", "next_resources", "duration_lead", "plan_lead", "paper_lead",
    "hint_plan", "hint_duration", "hint_full_plan", "hint_paper", "list_separator", "answer_in",
    "plan_assumption_estimate", "plan_assumption_project", "plan_assumption_later", "plan_estimate",
    "plan_assumption_done", "plan_assumption_share",
    "hint_plan_app", "hint_duration_app", "hint_full_plan_app", "hint_paper_app", "hint_card_app", "hint_suggest_app",
    "next_checked", "next_milestone", "done_confirm", "done_unknown", "done_recorded", "done_already", "done_undone",
    "done_not_checked", "plan_assumption_split", "paper_assumption_split", "paper_assumption_inputs",
    "default_goal", "translated", "see_also", "sources_lead", "sources_notes",
    "card_lead", "card_prereq_line", "card_known_mark", "card_step_prereq", "card_step_dataset", "card_step_sanity",
    "card_step_target", "card_assumption_hours", "card_assumption_source", "hint_card", "not_in_catalogue",
    "suggest_lead", "suggest_lead_unknown", "suggest_ready", "suggest_missing", "suggest_no_papers",
    "suggest_read_first", "suggest_separator", "suggest_done", "hint_suggest",
    "did_you_mean", "catalogue_lead", "hint_catalogue", "hint_catalogue_app", "see_catalogue", "see_catalogue_app",
})


@dataclass(frozen=True)
class Thresholds:
    """When retrieved support is strong enough to answer (calibrated per language on the dev split).

    The best chunk's cosine similarity must reach `min_similarity`, and either the
    glossary-expanded question's best BM25 score must reach `min_lexical`, or the
    similarity `sure_similarity`, or the best sentence's relevance `sure_point` when the question names something
    specific (Settings.specific_term_idf: a short question, "internships?", scores low in BM25 however well a
    sentence answers it). Then the best sentence to quote must be relevant enough
    (rag.answer.compose: its share of the question's terms plus its similarity) to reach `min_point`: a question
    near the domain ("PyTorch no longer sees the GPU: how do I fix the driver?") matches chunks in general words,
    but no sentence answers it.
    """

    min_similarity: float
    sure_similarity: float
    min_lexical: float
    min_point: float = 0.0
    sure_point: float = math.inf
    # A question closer, by this much cosine, to one of the pack's off_topic questions than to every question the
    # guides' sections answer, each cosine less Settings.question_commonness times its commonness (hub-free), is
    # about something else (rag.answer.off_topic); inf: never.
    off_topic_margin: float = math.inf
    # … and one this much closer (plain cosines) to a question the guides answer than to every off-topic one is
    # support enough (with min_similarity) though BM25 finds little; inf: never.
    sure_in_domain: float = math.inf
    # … or this much closer hub-free: a long off-topic list holds questions near any question about ML work by plain
    # cosines ("a vacation after my bootcamp"), which the hub-free lead discounts; inf: never.
    sure_in_domain_hub_free: float = math.inf


@dataclass(frozen=True)
class Intents:
    """Patterns that recognise a request kind in this language (all optional)."""

    paper: tuple[re.Pattern[str], ...] = ()  # each with a group "title"
    not_titles: frozenset[str] = frozenset()  # words a paper pattern catches that are no title ("it", "论文")
    next: tuple[re.Pattern[str], ...] = ()  # "what should I learn next / after X?"
    not_next: re.Pattern[str] | None = None  # "how long…", "salary…": not a next-step request
    # A course finished that names no resource ("my first ML course"): what the guides say to do after a course
    # answers "what now?", not the roadmap's next stage
    course_done: re.Pattern[str] | None = None
    # The words a bare "what next?" is made of (search terms): a next-step question with few other terms says
    # nothing of the learner's situation ("My first model flopped in production, what now?" does).
    next_words: frozenset[str] = frozenset()
    duration: re.Pattern[str] | None = None  # "how long…" (counts only with `career`)
    career: re.Pattern[str] | None = None
    not_duration: re.Pattern[str] | None = None  # "how long is the course?": times one resource, not the path…
    path: re.Pattern[str] | None = None  # … unless the path to the job is named too ("…to get hired after a bootcamp")
    plan: re.Pattern[str] | None = None  # "make me a learning plan"
    plan_object: tuple[re.Pattern[str], ...] = ()  # what a plan is for ("a workout plan"): group "object"
    plan_hint: re.Pattern[str] | None = None  # "in what order should I learn…": a plan when about the ML path
    schedule: re.Pattern[str] | None = None  # "how should I split my time", "怎么安排": a plan with study hours only
    # The words a bare plan or duration request is made of ("make me a learning plan", "how long will it take?"): one
    # with other words is answered from the roadmap only when it names the ML path (`domain`).
    path_words: frozenset[str] = frozenset()
    domain: re.Pattern[str] | None = None  # the ML path: ML, a model, Python, a job, a switch, 算法岗…
    suggest_paper: re.Pattern[str] | None = None  # "which paper should I implement first?"
    sources: re.Pattern[str] | None = None  # "who wrote the guides?", "你的资料来源是什么？": the library itself
    catalogue: re.Pattern[str] | None = None  # "which papers are in the catalogue?", "目录里有哪些论文？": the whole list
    # "I want to reimplement ResNet myself": asks to implement a paper it names (a catalogue card, found by name) …
    implement: re.Pattern[str] | None = None
    how: re.Pattern[str] | None = None  # … asking how or for a plan ("how should I…", "walk me through", "怎么复现")
    not_how: re.Pattern[str] | None = None  # … not whether it is worth it ("Is reproducing ResNet worth it?")
    instrument: re.Pattern[str] | None = None  # "with BERT", "用 Transformer": a model used for a task is no paper to implement
    # … unless it says the work is done ("I've implemented ResNet", "GAN 已经跑通"): then named papers are behind the
    # learner, and a suggestion builds on them.
    done_paper: re.Pattern[str] | None = None
    not_done: re.Pattern[str] | None = None  # said before it, "not" ("I haven't implemented…", "还没复现过")
    excluded: re.Pattern[str] | None = None  # "besides ResNet", "除了 ResNet": a paper left out of the suggestions
    # The fields a learner says they want to go into ("into NLP", "想做分割"): catalogue field id -> pattern.
    fields: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    # Study time said with a number: groups "n" (digits, or the language's numerals), "to" (a range's end: "3-4
    # hours"), "half" ("一个半小时") and "minutes" (the unit is minutes) …
    hours: re.Pattern[str] | None = None
    # … and the period it is said for, read near the number: a week ("a week", "每周"), so many days of one ("5 days a
    # week": group "days"), a day ("a day", "每天"; a night), weekend days ("on Saturday and Sunday", "周末两天"),
    # weekdays, a month ("a month", "一个月"). Hours said for no period are no study budget.
    weekly: re.Pattern[str] | None = None
    days_a_week: re.Pattern[str] | None = None
    daily: re.Pattern[str] | None = None
    weekend: re.Pattern[str] | None = None
    weekdays: re.Pattern[str] | None = None
    monthly: re.Pattern[str] | None = None
    numerals: Mapping[str, float] = field(default_factory=dict)  # number words the hours are said with ("an hour", "两小时")
    full_time: re.Pattern[str] | None = None  # "full-time", "全职": FULL_TIME_HOURS a week, as the roadmap reads it
    working: re.Pattern[str] | None = None  # hours named with these words are a job's, not study time
    studying: re.Pattern[str] | None = None  # … unless study is named after them ("a full-time job but I can study 6 hours")
    # Hours a day or a month said in a clause with these words and no study word are spent otherwise ("I sleep 6
    # hours a night", "模型每天要训练十个小时")
    pastime: re.Pattern[str] | None = None
    # A sentence that weighs papers ("I'm torn between ResNet and ViT"): the papers it names are asked about
    choice: re.Pattern[str] | None = None
    # "I know …": group "known" holds the skills clause; or "stated", skills said before what says they are known
    # ("Python is fine", "linear algebra and probability are second nature")
    known: re.Pattern[str] | None = None
    unknown: re.Pattern[str] | None = None  # said right after a skill, it is not known ("深度学习完全不懂")
    followup: re.Pattern[str] | None = None  # leans on the previous question
    finished: re.Pattern[str] | None = None  # "I finished …": group "item" names a milestone or resource


@dataclass(frozen=True)
class LanguagePack:
    """One language. Only `code`, `name`, `phrases` and `score` are required."""

    code: str  # what Answer.language holds: "en", "zh"
    name: str  # its own name, e.g. "English", "中文"; also the heading of a bilingual note's section
    phrases: Mapping[str, str]  # every key of PHRASE_KEYS
    score: Callable[[str], float]  # how much of a text is in this language (0: none); the highest wins
    priority: int = 0  # equal scores go to the higher priority
    script: str = ""  # a regex character class of this language's own script; "" for Latin
    spaceless: bool = False  # written without spaces between words (compared by character bigrams)
    segment: Callable[[str], list[str]] | None = None  # words of a run of `script` (default: the run itself)
    sentence_end: str = ""  # regex alternatives that end a sentence in this language
    stopwords: frozenset[str] = frozenset()
    # Words a learner's question carries that say nothing about its topic: function words the index keeps and
    # conversational filler ("kinda", "actually", "lol"). Dropped from a question's search terms only (the
    # index is unchanged): in BM25 and in the picking of points they would match sentences about nothing.
    fillers: frozenset[str] = frozenset()
    negation: re.Pattern[str] | None = None  # a sentence that says "no"
    expand: Callable[[str], list[str]] = lambda question: []  # extra search terms (glossary) for a question
    intents: Intents = field(default_factory=Intents)
    guard: Mapping[str, re.Pattern[str]] = field(default_factory=dict)  # refusal reason -> pattern
    orders: re.Pattern[str] | None = None  # corpus text that gives the assistant orders (rag.ingest.screening)
    thresholds: Thresholds | None = None  # None: the default pack's. For fp32 vectors (onnx, sentence-transformers)
    int8_thresholds: Thresholds | None = None  # for int8 vectors (onnx-int8); None: `thresholds`
    section_boost: float = 1.0  # weight of a bilingual note's section in this language, for this language
    # Weight in retrieval's fusion of the chunks ranked by the words they share with the questions their sections
    # answer (BM25 over those questions; rag.answer.retrieval); 0: no such ranking. Tuned per language on dev.
    question_words_weight: float = 0.0
    ui: Mapping[str, str] = field(default_factory=dict)  # app words; missing ones come from the default pack
    labels: Mapping[str, str] = field(default_factory=dict)  # plan rendering labels; likewise
    starters: tuple[str, ...] = ()  # example questions the app offers
    # Questions the guides don't answer, one for each kind of topic a learner brings to a mentor that is not the
    # ML-engineering path (a visa, a pay talk, buying hardware, fixing an install, cooking…): rag.answer.off_topic.
    off_topic: tuple[str, ...] = ()
    word: str = ""  # the default pack's word pattern: how text outside every pack's script is cut
    stem: Callable[[str], str] | None = None  # the default pack's: a word's search form ("needs" → "need")

    def thresholds_for(self, embedder: str) -> Thresholds | None:
        """The refusal thresholds for `embedder`'s vectors. int8 cosines differ from fp32's (onnx, and
        sentence-transformers: the same vectors), so int8 has its own calibration when the pack gives one."""
        if embedder == "onnx-int8" and self.int8_thresholds is not None:
            return self.int8_thresholds
        return self.thresholds
