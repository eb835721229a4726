"""English: detection, words, sentence ends, phrases, intents, refusals, UI words.

English questions search the guides' English rendering (corpus/guides/*.en.yaml) and the notes'
English sections, so English needs no glossary into Chinese; its glossary only spells out learners' short forms
("AI", "prod", "uni") in the words the texts use.
"""

from __future__ import annotations

import re

from . import en_mentor, en_off_topic
from .base import Intents, LanguagePack, Thresholds

LATIN_WORD = re.compile(r"[A-Za-z]+")
QUOTED_TITLE = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」")


def stem(word: str) -> str:
    """A light search form: the plural and -ing/-ed endings off, when a word of four letters is left.

    >>> [stem(w) for w in ("needs", "learning", "trained", "machines", "class", "used", "analysis")]
    ['need', 'learn', 'train', 'machine', 'class', 'used', 'analysis']
    """
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith(("ss", "us", "is")):
            return word[: -len(suffix)]
    return word


# Learners' short forms and the words the guides' English rendering and the notes spell out (BM25 matches words
# as written: "AI" never meets "artificial intelligence"). Only additions: the short form stays a search term. Not
# "ML", "MLE" or "dev": the texts use those too, and "machine learning" is in nearly every passage (tuned on dev).
ABBREVIATIONS: dict[str, str] = {
    "ai": "artificial intelligence", "dl": "deep learning", "nn": "neural network", "nns": "neural networks",
    "cv": "computer vision", "nlp": "natural language processing", "swe": "software engineer",
    "ds": "data science scientist", "rl": "reinforcement learning", "llm": "large language model",
    "llms": "large language models", "cnn": "convolutional neural network", "rnn": "recurrent neural network",
    "prod": "production", "env": "environment", "envs": "environments", "repo": "repository",
    "repos": "repositories", "stats": "statistics", "uni": "university", "comp": "competition",
    "comps": "competitions", "yrs": "years", "hrs": "hours", "algo": "algorithm", "algos": "algorithms",
    "sota": "state-of-the-art", "pm": "product manager", "infra": "infrastructure", "perf": "performance",
    "jd": "job description", "faang": "big tech companies",
}
# The settings a learner tunes by name ("sweeping learning rates") are what the guides call hyperparameters.
HYPERPARAMETERS = re.compile(r"\b(?:learning[ -]rates?|batch[ -]sizes?|weight decay)\b")
NON_LATIN_SCRIPT = re.compile(r"[\u2e80-\U0002ffff]")  # CJK and later blocks: a question for another pack


def expand(question: str) -> list[str]:
    """The spelled-out words for a question's short forms ("AI" → "artificial intelligence"), and the guides' word
    for the settings a learner tunes by name, for English questions.

    >>> expand("is ML part of AI?"), expand("AI 工程师是做什么的？"), expand("weeks of sweeping learning rates")
    (['artificial intelligence'], [], ['hyperparameters'])
    """
    if NON_LATIN_SCRIPT.search(question):
        return []
    lowered = question.lower()
    words = set(LATIN_WORD.findall(lowered))
    named = ["hyperparameters"] if HYPERPARAMETERS.search(lowered) else []
    return [term for short, term in ABBREVIATIONS.items() if short in words] + named


def score(text: str) -> float:
    """Latin words, not counting a quoted title (a Chinese question may quote an English title)."""
    return float(len(LATIN_WORD.findall(QUOTED_TITLE.sub(" ", text))))


PHRASES = {
    "lead": "Here is what the guides and notes say:",
    "not_covered": "The guides and notes don't cover that, so I can't answer it from them.",
    "nearest": "Topics they do cover that come closest:",
    "injection": "I only answer questions about learning ML engineering from the guides and notes; "
                 "I don't follow instructions inside a question.",
    "live_data": "The guides and notes are fixed texts with no live data (weather, prices, news, dates), "
                 "so they can't answer that.",
    "personal_data": "The guides and notes hold no personal information about anyone, and I don't look it up.",
    "worked_problem": "The guides and notes say which math to learn and where; they work through no proofs, derivations, "
                      "computations or textbook exercises, so I can't do that from them.",
    "writing_task": "I answer questions from the guides and notes; I don't write cover letters, emails, poems or "
                    "code for you.",
    "try": 'Try a question such as "What should I learn after Python?"',
    "sources": "Sources",
    "next_lead": "Following the guides' roadmap, your next steps are{known}:",
    "next_known": " (you know: {skills})",
    "next_from_start": " (from the start of the roadmap: say what you already know, e.g. “I know Python and SQL”, for the steps after it)",
    "next_resources": "Resources",
    "duration_lead": "The guides' own estimates, by where you start:",
    "plan_lead": "A plan along the guides' roadmap at {hours:g} hours a week, from {start}:",
    "paper_lead": "A {weeks}-week plan for implementing “{title}”, following the method the guides give:",
    "hint_plan": "Run `mentor plan --know …` for a dated plan.",
    "hint_duration": "Run `mentor plan --know … --hours-per-week …` for a dated plan at your pace.",
    "hint_full_plan": "Run `mentor plan` for the full plan with resources, projects and milestones.",
    "hint_paper": "Run `mentor paper` to change the weeks and add the link and abstract.",
    "list_separator": ", ",
    "answer_in": "Answer in English.",
    "plan_assumption_split": "How that time is split between stages is this plan's own choice, not a figure from the guides.",
    "paper_assumption_split": "How the weeks are split between steps is this plan's own choice, not a figure from the guides.",
    "paper_assumption_inputs": "About the paper itself, this plan uses only the title, link and abstract you gave.",
    "card_lead": "A plan for implementing {name} (“{title}”) from its card in the paper catalogue, at {hours:g} hours a week, {start} → {end}:",
    "card_prereq_line": "Prerequisites: {items}",
    "card_known_mark": "✓ you know it",
    "card_step_prereq": "Review the prerequisites",
    "card_step_dataset": "Start on the laptop-sized dataset: {name}",
    "card_step_sanity": "Sanity-check milestone: overfit one batch and check the paper's curves and counts",
    "card_step_target": "Reproduction milestone: {target}",
    "card_assumption_hours": "Hours per step are the mentor's own rough estimate, spread at {hours:g} hours a week; they are not figures from the paper or the guides.",
    "card_assumption_source": "What the plan says about the paper comes from its card in the catalogue; a number marked unverified could not be checked against the paper's text.",
    "hint_card": "Run `mentor paper \"{name}\" --know … --hours-per-week …` for the full dated plan.",
    "not_in_catalogue": "“{title}” is not in the paper catalogue, so this plan follows only the guides' method and what you gave (title, link, abstract).",
    "suggest_lead": "Papers from the catalogue that fit what you know{known}, best fit first:",
    "suggest_lead_unknown": "Papers from the catalogue with the fewest prerequisites (tell me what you know, e.g. “I know Python and PyTorch”, for a closer fit):",
    "suggest_ready": "you have its prerequisites ({skills})",
    "suggest_missing": "learn first: {skills}",
    "suggest_no_papers": "needs no other paper first",
    "suggest_read_first": "implement first: {papers}",
    "suggest_separator": "; ",
    "suggest_done": " (implemented: {papers})",
    "hint_suggest": "Ask “plan how I implement <paper>” or run `mentor paper <paper>` for a dated plan.",
    "default_goal": "ML engineer",
    "translated": "(translated from the Chinese guide)",
    "see_also": "See also: {title} — {url}",
    "sources_lead": "The answers quote {n} guide articles on becoming an ML engineer, kept in Chinese translation (the "
                    "English is this project's rendering), each linked to its original article:",
    "sources_notes": "Beside them: resource notes on courses, books and tools, and paper cards, all written by this project "
                     "(each with its real link). The app's Library page lists every one.",
}

LABELS = {
    "prerequisites": "Prerequisites", "datasets": "Datasets", "targets": "Reproduction targets", "compute": "Compute",
    "laptop_cpu": "Laptop CPU", "one_gpu": "One GPU", "first_choice": "start here", "unverified": "unverified",
    "from_abstract": "Read from your abstract", "task": "Task", "metrics": "Metrics", "none_named": "none named",
    "card": "From the paper catalogue",
    "week": "Week {a}", "weeks": "Weeks {a}–{b}", "resources": "Resources", "project": "Project",
    "facts": "What the guides estimate", "assumptions": "Assumptions", "inputs": "Your inputs", "paper": "Paper",
    "link": "Link", "abstract": "Abstract (as you gave it)", "plan": "Learning plan",
    "paper_plan": "Paper-implementation plan", "hours": "h",
}

UI = {
    "not_listed": "A paper not in the catalogue? Link, abstract and weeks",
    "chat": "Ask", "plan": "Learning plan",
    "paper": "Paper plan", "library": "Library",
    "evals": "Evals", "language": "Language", "auto": "Auto", "backend": "Answer backend",
    "k": "Sources per answer (k)", "retry": "Try again", "ask": "Ask about becoming an ML engineer…",
    "try": "Try one of these:", "grounded": "Grounded · {n} source(s)", "not_covered": "Not covered by the guides",
    "refused": "Refused", "sources": "Sources", "comment": "Comment (optional)", "thanks": "Thanks, saved.",
    "known": "What I already know", "hours": "Hours per week", "goal": "Goal", "goal_example": "ML engineer job",
    "start": "Start date", "make_plan": "Make my plan", "download": "Download Markdown",
    "facts": "What the guides estimate", "assumptions": "Assumptions", "title": "Paper title",
    "title_example": "Attention Is All You Need", "url": "Link (optional)", "abstract": "Abstract (optional)",
    "weeks": "Weeks", "make_paper": "Plan the implementation", "need_title": "Give the paper's title.",
    "status": "Index", "model": "Model", "chunks": "Chunks", "stale": "Stale", "reindex": "Re-index the corpus",
    "corpus": "Guides and notes", "problems": "Corpus problems", "changed": "Changed since the last index run: {files}",
    "built_at": "Built {when} with {model}", "no_index_yet": "No index yet",
    "no_index": "There is no index yet, so the mentor cannot answer.", "build": "Build the index (about a minute)",
    "rebuild": "Rebuild the index", "built": "Indexed {n} chunks in {s:.0f} s.", "embedding": "Embedding chunks",
    "index_busy": "Waiting for another index run to finish ({who})…",
    "no_report": "No eval report yet: run the eval set below, or `make eval`.", "run_eval": "Run the eval set",
    "checks": "Checks", "cases": "Cases", "baseline": "Compared with the baseline", "report": "Latest eval report",
    "passed": "passed", "failed": "failed", "n_cases": "{n} cases", "feedback": "Feedback on answers",
    "export": "Export CSV", "no_feedback": "No feedback yet.", "no_problems": "Every corpus file reads cleanly.",
    "flagged": "Sentences that read as orders (never quoted as advice)",
    "yes": "yes", "no": "no", "loading": "Loading the model and the index…", "unexpected": "Unexpected error: {what}",
    "backend_embedded": "Embedded (offline, verbatim quotes)",
    "backend_llamacpp": "llama.cpp (local model)",
    "backend_ollama": "Ollama",
    "backend_openai": "OpenAI-compatible server",
    "backend_builtin": "no LLM: quotes the guides",
    "backend_fallback": "falls back to the embedded answer if it fails",
    "backend_missing": "needs: {command}", "translation": "the mentor's translation of the highlighted original", "too_long": "That question is {n:,} characters long; the limit is {limit:,}.",
}

STARTERS = ("What should I learn after Python?", "How much math do I need?", "How long until I can get an MLE job?")

PACK = LanguagePack(
    code="en",
    name="English",
    phrases={**PHRASES, **en_mentor.PHRASES},
    score=score,
    word=r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]",
    stem=stem,
    expand=expand,
    # ASCII ends count only before white space, the end or another script ("?v=" in a URL is no end); a full stop
    # after a lone capital is a name's initial ("Scott H. Young"), not an end.
    sentence_end=r"[!?;]+[”’」』）)\]】]*(?=\s|$|[^\x00-\x7f])|(?<![0-9])(?<!\b[A-Z])\.(?=\s)",
    stopwords=frozenset("a an and are as at be by can do for from how i in is it me my of on or should "
                        "that the this to what when where which who why will with you your".split()),
    # Function words the index keeps, and the filler of informal questions ("ok so does kaggle actually help lol",
    # "w/" for with, "rn" for right now). (What contractions leave, "m" of "I'm", "t" of "doesn't", stays: dropped,
    # dev lost 5 keyword hits and gained a false refusal.)
    fillers=frozenset(
        "am been being did does doing done has have having he her his him its they them their there we our us "
        "if so but than then too very also any some all about into just only even really actually basically "
        "literally seriously honestly totally pretty super kinda sorta kind sort like ok okay lol lmao haha pls "
        "please plz thanks thx hey hi hello um uh wait yeah yep gonna wanna gotta im u ur ppl stuff thing things "
        "something anything everything guy guys dude bro idk tbh btw anyway maybe probably tho though cuz dumb rn w "
        "question wondering would could might".split()),
    negation=re.compile(r"\b(?:not|no|never|none|nor|nothing|without|cannot)\b|n't"),
    intents=Intents(
        paper=(
            re.compile(r"\b(?:plan|help me|how (?:do|can|should|would|could) i|i want to|let me|steps to)\b.*?\b(?:implement|reproduce"
                       r"|re-implement|code up)\s+(?:the\s+)?(?P<title>[^?!]+?)(?:\s+paper)?\s*"
                       # a clause after the name asks about it ("…Swin Transformer, how should I plan it?")
                       r"(?:[,;—–]\s*(?:how|what|where|when|which|any|can|could|should|do|does|is|are|and|so|but)\b.*)?"
                       r"(?:(?:[?!]|\.(?=\s|$))[\s\S]*)?$", re.I),  # and the name ends its sentence
            re.compile(r"\b(?:implement|reproduce)\s+(?:the\s+)?(?:paper\s+)?[\"“'](?P<title>[^\"”']+)[\"”']", re.I),
            # the name as a title, then the request about it and nothing more ("Swin Transformer: how would I implement
            # it?"); a name has two capitals at least ("Quick question: how would I implement it?" names nothing)
            re.compile(r"^\W*(?P<title>(?-i:(?=[^:—–]*[A-Z][^:—–]*[A-Z]))[A-Z][\w.\-]*(?:\s+[\w.\-]+){0,5}?)(?:\s+paper)?"
                       r"\s*[:—–]\s*(?:how (?:do|can|should|would|could) i|help me|plan how i|i want to)\s+(?:re-?implement"
                       r"|implement|reproduce|code up)\s+(?:it|this|that)\s*[?.!]*\s*$", re.I),
        ),
        not_titles=frozenset({"it", "this", "that", "papers", "research papers", "a paper"}),
        next=(
            # "after that", "after it": a pronoun is no skill ("how do I improve it after that?"); and the question
            # asks what or which ("better after screwing up a few times?" asks neither).
            re.compile(r"(?=.*\b(?:what|which|next)\b).*?\bafter (?:learning |finishing |knowing )?"
                       r"(?!(?:that|this|it|them|those|these)\b)(?P<known>[\w+#.\- ]+?)\W*(?:what|which|\?|$)", re.I),
            re.compile(r"\bwhat (?:should|do|can) i (?:learn|study|do) (?:next|after|now)\b", re.I),
            re.compile(r"\bwhat(?:'s| is)? next\b|\bnext (?:steps?|stages?)\b", re.I),
        ),
        # "after Python", but "after graduation", "after work" are not skills.
        # ... nor does "is X a natural next step?" (a yes-or-no question about a move) ask what to learn next.
        next_words=frozenset({"learn", "study", "next", "after", "now", "then", "do", "step", "first", "get", "job"}),
        # "finished my first ML course": not a deep learning course, a stage of the roadmap whose next steps answer it
        course_done=re.compile(r"\b(?:finished|completed|done with|through with)\s+(?:my|a|an|the|this|that)\s+"
                               r"(?:(?:first|1st|online|intro(?:ductory)?|beginner|free|ml|machine learning|ai)\s+)*"
                               r"course\b", re.I),
        not_next=re.compile(r"\b(?:how long|how much|salary|phd|degree)\b"
                            r"|\ba (?:natural|logical|good|sensible|obvious) next step\b", re.I),
        # "How long has he been doing this?" asks about someone's past, not how long the path takes.
        duration=re.compile(r"\bhow (?:long|much time)\b(?!\s+(?:has|have|had|did|was|were)\b)"
                            r"|\bhow many (?:months|years|weeks)\b"
                            # … of study, not of something else ("how many weeks of parental leave")
                            r"(?!\s+of\s+(?!(?:[\w-]+\s+)?(?:study|studying|learning|practice|prep\w*|self-study|work|effort)\b))",
                            re.I),
        # The path to the job, or "learn" with nothing else named ("how long to learn all this?"): "how long does
        # it take to learn guitar?" asks about another skill, which the guides don't time.
        career=re.compile(r"\b(?:ml|mle|machine learning|engineer|job|career|ready|hired|switch|roadmap)\b"
                          r"|\blearn\b(?=\s*(?:[?.!,;]|$|(?:it|this|that|these|everything|enough|all|after|next|first|ai"
                          r"|from scratch|on my own)\b))"
                          # … or nothing else: a bare "how long will it take?" asks a mentor about the path.
                          r"|^\W*(?:so\W+)?how (?:long|much time)(?:\s+(?:does|will|would)\s+(?:it|this|that|all this)"
                          r"(?:\s+(?:usually|typically|really))?\s+take(?:\s+me)?)?\W*$", re.I),
        # A course, a bootcamp or a book timed on its own ("how long is Andrew Ng's course?") is no question about
        # the path to the job, unless the job is named too ("…to get hired after a bootcamp"): the search answers it
        # from what the guides say about that resource.
        not_duration=re.compile(r"\b(?:courses?|bootcamps?|books?|specializations?|moocs?|tutorials?|videos?)\b", re.I),
        path=re.compile(r"\b(?:jobs?|hired|careers?|engineers?|mle|switch(?:ing)?|employ\w*)\b", re.I),
        # An explicit request for a plan; its object, when it names one ("a workout plan", "a plan for learning
        # Spanish", "a study plan for the GRE"), must be the ML path for the roadmap to answer it (plan_object).
        plan=re.compile(r"\b(?:learning|study) plan\b|\bmake (?:me )?a plan\b|\bplan (?:for|my)\b(?! b\b)|\broadmap for me\b"
                        r"|\bplan (?:and|&) (?:a )?timeline\b|\bwhat (?:would|should) (?:a|my|the) (?:\w+ ){0,2}plan(?: be)?\b(?! b\b)"
                        r"|\b(?:build|make|give|draw up|put together) me an? (?:\w+ ){0,2}(?:plan|schedule|roadmap|timeline)\b"
                        r"|(?:^|[.!?]\s*)plan\s*(?:pls|please|plz)?\s*[?.!]*\s*$|(?:^|[.!?]\s*)roadmap (?:to|for|into)\b", re.I),
        plan_object=(re.compile(r"\b(?P<object>[\w-]+(?: [\w-]+)?) (?:study |training |learning |revision )?(?:plan|schedule|timeline)\b", re.I),
                     re.compile(r"\b(?:plan|schedule|timeline) (?:be )?(?:for|to)(?: (?:learn|learning|study|studying|pass|prepare for|get into))?"
                                r" (?P<object>[^?!,;]{2,40})", re.I)),
        # Weaker hints of a plan ("in what order should I learn…", "stage by stage"): a plan only about the ML path, or
        # with hours a week ("In what order should I apply to companies?" is no study plan).
        schedule=re.compile(r"\bhow should i (?:split|spend|schedule|organi[sz]e) (?:my|the|that|this)\b"
                            r"|\bwhat would the steps be\b|\bwhat (?:are|would be) (?:the|my) (?:next )?steps\s*(?:for me|from here)?\s*[?.!]*$"
                            r"|\bwhat'?s the plan\b|\b(?:month|week)[- ]by[- ](?:month|week)\b", re.I),
        plan_hint=re.compile(r"\b(?:learn|study)\b[^.?!]{0,30}\bin what order\b|\b(?:in )?what order (?:should|do) i (?:learn|study)\b"
                             r"|\bstep[- ]by[- ]step,? what should i (?:do|learn|study)\b|\bwhat should i (?:do|learn|study)\b[^.?!]{0,20}\bstep[- ]by[- ]step\b"
                             r"|\bwhat'?s left (?:for me )?to learn\b|\bwhat'?s left before i(?: can|'m| am)\b|\bstage by stage\b"
                             r"|\b(?:structured|realistic) (?:learning )?(?:path|plan)\b(?! to\b)|\blay (?:out )?(?:a |the |my )?(?:plan|path|steps)\b"
                             r"|\blay (?:it|this|everything) out\b|\bmap (?:out )?what i(?:'d| would| should| need to)? (?:learn|study|do)\b"
                             r"|\bmap out (?:my|a) (?:plan|path|route|learning|study)\b", re.I),
        # "which paper should I implement first?", "what RL paper should I do next?", "which paper next?"
        # … to implement: not "which papers should I cite?" or "…submit it to?"
        # asked of the mentor's own library, whole ("Who wrote the guides?"), not of a paper or an article named
        sources=re.compile(r"^\W*who (?:wrote|writes|made|authored|is behind) (?:the|these|those|your) (?:guides|articles|sources)"
                           r"(?: you (?:use|quote|cite))?\W*$"
                           r"|^\W*what (?:are|is) (?:your|the) (?:sources?|guides?|references?)\W*$"
                           r"|^\W*(?:which|what) (?:guides|articles|sources) (?:do|are|did) you (?:use|quote|cite|draw on|rely on"
                           r"|learn from|base (?:your|the) answers on)\W*$"
                           r"|^\W*where (?:does|do) (?:your|the|these) (?:answers?|information|info|advice|quotes) come from\W*$", re.I),
        suggest_paper=re.compile(r"\b(?:which|what) (?:[\w-]+ ){0,2}papers? (?:should|could|can|do|would) (?:i|you|be my|be a|make a)\b"
                                 r"(?! (?:cite|quote|reference|submit|publish|send|review)\b)(?! (?:good |great )?(?:citation|reference|source)\b)"
                                 r"|\b(?:which|what) (?:[\w-]+ ){0,2}papers? (?:fits?|suits?|match(?:es)?|makes? sense|is right|are right)\b"
                                 r"(?![^?]*\b(?:cit\w*|referenc\w*|style)\b)"
                                 r"|\bis there (?:a|any) (?:[\w-]+ ){0,2}paper (?:i|that i) (?:can|could) (?:\w+ )?(?:implement|reproduce|code|build)\b"
                                 r"|(?<!writing my )(?<!write my )(?<!publish my )(?<!submit my )\b(?:first|next) paper\b"
                                 r"(?![^?]*\b(?:submi\w*|writ\w*|publish\w*|reject\w*|review\w*|draft\w*)\b)"
                                 r".{0,80}\b(?:suggestions?|ideas?|recommendations?)\W*$"
                                 r"|\bis there a paper\b|\bpapers? (?:in|on) (?:your|the) (?:list|catalogue)\b"
                                 r"|\b(?:which|what) (?:[\w-]+ ){0,2}papers? (?:to|for me to) (?:implement|reproduce|start|do"
                                 r"|tackle|try|code)|\b(?:which|what) (?:[\w-]+ ){0,2}papers? next\b"
                                 r"|\b(?:suggest|recommend)\b.{0,30}\bpapers?\b|\b(?:first|good|easy|beginner|next) papers? to "
                                 r"(?:implement|reproduce|do|tackle|try)\b"
                                 r"|\bwhat (?:should|do|can) i (?:implement|re-?implement|reproduce) next\b"
                                 r"|\b(?:a )?good first paper\b|\bwhat(?:'s| is) a good (?:\w+ )?paper (?:for|to)\b"
                                 r"|\b(?:logical|natural|good|best) next papers?\b"
                                 r"|\bpapers?\b.{0,120}\bwhich (?:one|should)\b(?! (?:it|is|was)\b)", re.I),  # not "which one it is"
        # Present or to come ("I want to reimplement ResNet", "walk me through implementing the GAN paper", "code
        # 'Attention Is All You Need' from scratch"); "I implemented ResNet" tells what is done, it asks nothing.
        implement=re.compile(r"\b(?:re-?implement|implement|reproduce|replicate|recreate)(?:ing|ation)?\b|\breproduc(?:ing|tion)\b"
                             r"|\b(?:code|coding|build|building|write|writing|train|training)\b.{0,60}"
                             r"\b(?:from scratch|myself|by myself|on my own|by hand)\b", re.I),
        # … asking how, or saying they want to ("I'd like to reproduce DQN"); "Is reproducing ResNet worth it?" asks whether
        how=re.compile(r"\bhow (?:do|can|should|would|to|might)\b|\b(?:a|the|my) plan\b|\bplan (?:it|this|that|out|for it)\b"
                       r"|\bplan\s*\?|^\s*plan\b|\bsteps\b|\bstep by step\b|\bwalk me through\b|\bguide me\b"
                       r"|\bwhere (?:do|should|can|would) i (?:start|begin)\b|\bhelp me (?:to )?(?:re-?implement|implement|reproduce|code|build|write)\b"
                       r"|\bwhat data\b|\bwhich data\b|\bgo about\b|\bprerequisites?\b"
                       r"|\bi(?: want|'d like| would like| plan| am going|'m going| intend) to\b|\blet me\b", re.I),
        not_how=re.compile(r"^\s*(?:is|would|does|do|should|will|are|can)\b[^?]*\b(?:worth|help|good|useful|valuable|enough"
                           r"|necessary|needed|matter|count|impress)\w*\b", re.I),
        # a model used for a task, said last ("implement text classification with BERT"; "using BERT" anywhere)
        instrument=re.compile(r"\busing\s+(?:a |an |the )?[\w.-]+(?: [\w.-]+)?|\bwith\s+(?:a |an |the )?(?:pre-?trained\s+)?[\w.-]+\s*[?.!]*\s*$", re.I),
        not_done=re.compile(r"(?:n't|\bnot|\bnever|\byet to)\s+(?:\w+\s+){0,2}$", re.I),
        done_paper=re.compile(r"\b(?:re-?implemented|implemented|reproduced|replicated|recreated|built|coded|wrote|written"
                              r"|done)\b|\bgot\b.{0,40}\bworking\b"
                              r"|\b(?:after|finished|done) (?:re-?implementing|implementing|reproducing|building|coding)\b", re.I),
        # "besides ResNet", "I don't want to do the Transformer": a paper left out of the suggestions
        excluded=re.compile(r"\b(?:besides|other than|apart from|except|don'?t want|do not want|not)\b", re.I),
        fields={
            "vision": re.compile(r"\b(?:computer vision|cv|vision|images?|segmentation|imaging|cnns?|convnets?|convolutional"
                                 r")\b"
                                 r"|(?<!fraud )(?<!anomaly )(?<!spam )(?<!intrusion )(?<!outlier )(?<!change )\bdetection\b", re.I),
            "sequence-nlp": re.compile(r"\b(?:nlp|natural language|language models?|texts?|translation|llms?)\b", re.I),
            "generative": re.compile(r"\b(?:generative|generation|diffusion|image synthesis)\b", re.I),
            "reinforcement-learning": re.compile(r"\b(?:reinforcement|rl|robotics)\b", re.I),
            "graphs": re.compile(r"\bgraph(?:-shaped| shaped|-structured| structured| neural| data| learning| networks?"
                                 r"| convolution\w*| problems?)\b|\bgnns?\b|\b(?:transaction|social|knowledge|citation|molecular"
                                 r"|user|relationship|road) graphs?\b", re.I),
            "optimisation-regularisation": re.compile(r"\boptimi[sz]ers?\b|\boptimi[sz]ation (?:papers?|methods?|algorithms?)\b"
                                                      r"|\bregulari[sz]ation\b|\bnormali[sz]ation layers?\b", re.I),
        },
        hours=re.compile(r"(?<![\w.])(?P<n>\d{1,2}(?:\.\d+)?|half an|an|one|two|three|four|five|six|seven|eight|nine|ten"
                         r"|twelve|fifteen|twenty|thirty|forty|fifty)(?:\s*(?:-|–|to|or)\s*(?P<to>\d{1,2}(?:\.\d+)?|two|three|four|five|six|seven"
                         r"|eight|nine|ten))?"
                         r"\s*(?:(?P<minutes>min(?:ute)?s?\b)|h\b|hrs?\b|hours?\b)", re.I),
        numerals={"half an": 0.5, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                  "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
                  "fifty": 50},
        path_words=frozenset({"make", "create", "give", "build", "lay", "out", "plan", "plans", "learn", "learning", "study",
                              "self", "self-study", "part", "part-time", "full", "full-time", "daily", "weekly", "monthly", "good",
                              "split", "spend", "organize", "organise", "would", "complete", "first", "1-year", "6-month",
                              "roadmap", "path", "realistic", "concrete", "rough", "stage", "timeline", "schedule", "order",
                              "long", "take", "takes", "time", "much", "months", "month", "years", "year", "weeks", "week",
                              "everything", "all", "realistically", "usually", "typically", "detailed", "week-by-week",
                              "month-by-month", "step", "steps", "hours", "hour", "beginner", "total"}),
        domain=re.compile(r"\b(?:ml|mle|ai|machine learning|deep learning|data (?:scien\w*|analy\w*)|engineer\w*|python|pytorch|tensorflow"
                          r"|computer vision|cv|nlp|reinforcement learning|llms?|mlops|linear algebra|probability|sql|deploy\w*|fast\.ai"
                          r"|keras|sklearn|scikit\w*|kaggle|models?|algorithms?|neural|career|jobs?|hired|hireable|hiring"
                          r"|employ\w*|switch\w*|roadmap|portfolio|papers?|cod(?:e|ing)|program\w*|developer|dev|bootcamp"
                          r"|courses?|cs50|statistics|math\w*|calculus)\b", re.I),
        # studying full-time ("I could study basically full time"), not working it ("learning while working full time")
        full_time=re.compile(r"\b(?:study|studying|learn|learning)\b(?:(?!\b(?:work\w*|job|not|can'?t|cannot)\b)[^.?!]){0,30}"
                             r"\bfull[- ]?time\b(?![- ]?(?:job|work|role|position))", re.I),
        # hours that are a job's, not a study budget ("I work 50 hours a week")
        working=re.compile(r"\b(?:work|works|working|worked|job|shifts?|on call)\b", re.I),
        studying=re.compile(r"\b(?:study|studying|learn|learning|after work|evenings?|weekends?|free|spare|sat(?:urday)?s?"
                            r"|sun(?:day)?s?)\b", re.I),
        pastime=re.compile(r"\b(?:sleep\w*|slept|commut\w*|lectures?|class(?:es)?|gym|games?|gaming|play\w*|practi[cs]\w*"
                           r"|meditat\w*|label\w*|models?|gpus?|servers?|runs?|running|watch\w*|scroll\w*|driv\w*|chores"
                           r"|exercis\w*|workouts?|internship)\b", re.I),
        choice=re.compile(r"\b(?:or|between|either|considering|thinking about|torn|deciding|debating)\b", re.I),
        weekly=re.compile(r"\b(?:a|per|each|every)\s+week\b|\bweekly\b|/\s*(?:week|wk)\b|\ba wk\b", re.I),
        days_a_week=re.compile(r"\b(?P<days>[1-7]|one|two|three|four|five|six|seven) (?:days?|evenings?|nights?|mornings?"
                               r"|times|sessions) (?:a|per|each|every) week\b", re.I),
        daily=re.compile(r"\b(?:a|per|each|every) (?:day|night|evening|morning|weekday|weeknight|lunch(?: break)?)\b"
                         r"|\b(?:daily|nightly)\b|/\s*day\b|\beach\b(?= (?:on )?(?:sat|sun))", re.I),
        weekend=re.compile(r"\bweekends?\b|\b(?:saturdays?|sundays?|sat|sun)\b", re.I),
        weekdays=re.compile(r"\bweekdays?\b|\bweeknights?\b|\bmon(?:day)?s?\s*(?:-|–|to|through)\s*fri(?:day)?s?\b", re.I),
        monthly=re.compile(r"\b(?:a|per|each|every)\s+month\b(?!\s+ago)|\bmonthly\b|/\s*(?:month|mo)\b", re.I),
        known=re.compile(r"(?:\bi (?:already )?know|\bi(?:'ve| have) (?:learned|learnt|finished|done|completed|taken|used)"
                         r"|\bi (?:finished|completed|took|did)|\bafter(?: learning| finishing)?|\bi can(?: use| train| build)?"
                         r"|\bknowing|\bfinished|\bcomfortable with)\s+(?P<known>[^.?!;]{1,80})"
                         # … said first, in a statement and not as hearsay ("my teacher said Python is fine")
                         r"|(?:^|(?<=[,;:(])|(?<=[,;:(] )|(?<=\bso )|(?<=\band ))"
                         r"(?P<stated>(?:(?!\b(?:heard|said|says|say|think|thinks|told|true|if|whether)\b)[\w+#./ -]){1,40}?)"
                         r"\s+(?:is|are)\s+(?:(?:already |pretty |quite |really )?(?:fine|solid|strong|decent|covered)\b"
                         r"(?!\s+(?:for|to|enough|at|in|with)\b)|second nature|no problem)(?![^.!]*\?)", re.I),
        followup=re.compile(r"^(and|but|so|also|then)\b|^(what|how) about\b|\b(that|this|it|those|these|they|them|there)\b"
                            r"|^(why|how long|how much|how many|which one|and then)\W*\??$"
                            # "what should I focus on instead?", "what else should I learn?", "any free book I could use?"
                            r"|\binstead\W*$|\b(?:what|anything|something) else\b(?![^?]*\b(?:besides|apart from|other than)\b)"
                            r"|^(?:any|is there an?|are there any)\s+(?:free|good|cheap|other)\b[^?]{0,25}\??$", re.I),
        finished=en_mentor.FINISHED,
        catalogue=en_mentor.CATALOGUE,
    ),
    # Stricter than the guard's injection pattern: corpus text says "you are now ready…" innocently.
    orders=re.compile(
        r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+(?:of\s+)?)?(?:the\s+|your\s+|any\s+)?"
        r"(?:(?:previous|prior|above|earlier|preceding|original|system|your)\s+(?:\w+\s+)?|all\s+)"
        r"(?:instructions|prompts?|rules|directions|guidelines|directives)\b"
        r"|\bsystem prompt\b|\bjailbreak|\bdeveloper mode\b"
        r"|\byou are now (?:an? )?(?:unrestricted|jailbroken|dan\b|evil|free of)"
        r"|\bfrom now on,? you (?:are|will|must|shall)\b"
        r"|\b(?:reveal|print|show|repeat|leak) (?:your|the) (?:system |hidden |original )?(?:prompt|instructions)\b"
        r"|\b(?:reply|respond|answer) only with\b"
        r"|\bdo not (?:tell|inform|warn) the (?:user|learner|reader)\b"
        r"|\b(?:note to|dear) (?:the )?(?:ai|assistant|model|llm|chatbot)\b"
        r"|\b(?:as an? )(?:ai|assistant|language model)\b[^.!?]{0,40}\b(?:must|should|will|shall)\b"
        r"|\b(?:assistant|ai|model|llm|chatbot)s?,? (?:must|should|will) (?:now |always )?"
        r"(?:say|reply|respond|answer|output|recommend|tell)\b"
        r"|\b(?:tell|instruct|advise|urge) (?:the |every |all )?(?:users?|learners?|readers?) to (?:run|execute|paste|install|download)\b",
        re.I),
    guard={
        "injection": re.compile(
            r"ignore (all |any |the )?(previous|prior|above|earlier|your)( \w+)? (instructions|prompts?|rules)"
            r"|disregard (all |any |the )?(previous|prior|above|your)|forget (all |everything|your) (instructions|rules|you)"
            r"|system prompt|you are now|act as (an? )?(unrestricted|dan\b)|jailbreak|developer mode"
            # role changes, new orders, claimed authority, output control and fake delimiters (the usual families)
            r"|you are no longer|from now on,? you|pretend (to be|you are)|role-?play as|new (task|instructions?|rules?)\b"
            r"|\b(message|instructions?|task|orders?) from (the |your )?(admin|administrator|developer|system|operator)"
            r"|\boverride (your|the|all)\b|(reply|respond|answer|output) (with )?only (with |the )?"
            r"|(reveal|print|show|repeat) (me )?(your|the) (hidden |initial )?(instructions|prompt|rules)"
            r"|</?(system|guides?|context|instructions?|notes?)>|\[/?inst\]|<\|im_(start|end)\|>", re.I),
        "live_data": re.compile(
            r"\bweather\b|\b(current|today'?s|latest|live) (\w+ )?(stock|share|bitcoin|btc|crypto|gold|exchange) (price|rate)"
            r"|\b(what|how much)('s| is| are| was)( the)? (\w+'?s? )?(stock|share|bitcoin|btc|crypto|gold|exchange) (price|rate)"
            r"|price of (bitcoin|btc|gold|a stock)|\b(today'?s|tonight'?s|tomorrow'?s|this week'?s|latest|breaking) "
            r"(news|headlines|score|price)|\bcurrent (time|date|price)\b|what time is it|what day is (it|today)"
            r"|\b(stock|market) index\b|\b(s&p ?500|dow jones|nasdaq|ftse|nikkei|hang seng)\b|\b(closed|closing|opened) (at|price)"
            r"|\blive score|\bright now\b.{0,20}\b(price|worth|trading)|\b(price|score|rate) right now\b", re.I),
        "personal_data": re.compile(
            r"home address|phone number|\b(his|her|their|\w+'s) (address|email|phone)\b|email address of|\bssn\b"
            r"|social security number|passport number|credit card number|bank account|date of birth|where does \w+ live", re.I),
        # asked to work a proof, a derivation, a computation or a textbook exercise ("walk me through the proof that…",
        # "can you derive…", "Prove that…", "exercise 2.8 in Bishop");
        # asking whether one needs to ("do I need to derive backprop?"), for a book that does, or to prove oneself
        # to employers or derive a plan is not
        "worked_problem": re.compile(
            r"(?:\b(?:can|could|would|will) you (?:please )?|^(?:please )?)(?:walk|take|talk) me through (?:a |the |this |that )?"
            r"(?:formal |rigorous |full |complete |step[- ]by[- ]step )?(?:proof|derivation)\b"
            r"|(?:\b(?:can|could|would|will) you (?:please )?(?:help me )?|\b(?:help me|please|i (?:want|need) you to) |^)"
            r"(?:prove|derive)\b(?!(?: (?:that |to )?(?:i|i'm|me|myself|my|you|your|it'?s|employers?|recruiters?|them|others)\b)"
            r"|[^.?!]{0,25}\b(?:plans?|schedules?|roadmaps?|order|timeline|worth)\b)"
            r"|\b(?:give|show|write)(?: me)?(?: out)? (?:a |the )(?:formal |rigorous |full |complete |step[- ]by[- ]step )?"
            r"(?:proof(?! of concept)|derivation) (?:of|that|for|why)\b"
            # or a computation with its steps ("compute the eigenvalues of [[4, 1], [2, 3]]", "…1% false positives: what's
            # the probability it's fraud?")
            r"|\b(?:compute|calculate|work out|solve)\b[^?!]{0,80}\bshow (?:me )?(?:the |all |your )?(?:steps|work|working)\b"
            r"|(?=[^?]*\d(?:\.\d+)?\s*%)[^?]*\bwhat(?:'s| is) the (?:probability|chance)\b"
            r"|\b(?:compute|calculate) the (?:eigen\w+|determinant|inverse)\b"
            # or a textbook exercise's solution ("exercise 2.8 in Bishop", "the answer to problem 3.4")
            r"|\b(?:exercises?|problems?) \d+(?:\.\d+)+\b|\b(?:solutions?|answers?) (?:to|for) (?:the )?(?:textbook|book'?s?|chapter \d+)"
            r" (?:exercises?|problems?)\b", re.I),
        # asked to write something for the learner ("write me a cover letter", "can you write a haiku about…", "please
        # draft my cold email"); asking how to write one, or for a plan to implement a paper, is not
        "writing_task": re.compile(
            r"^(?!.*\b(?:implement|reproduce|re-implement|plan|roadmap|schedule)\b)(?:.*?\b(?:can|could|would|will) you "
            r"(?:please )?(?:help me )?|\s*(?:please )?|.*?\bplease )(?:write|draft|compose)(?: me| us)? (?:a |an |my |the "
            r"|some )?(?:[\w'-]+ ){0,3}?(?:cover letter|poem|haiku|limerick|sonnet|song|essay|cold email|email|e-mail"
            r"|linkedin post|tweet|story|speech|flask app|app|website)s?\b", re.I),
    },
    # Calibrated on the eval set's dev split (`python evals/tune.py --margins`) with fp32 vectors (the default onnx,
    # and sentence-transformers), the question's fillers dropped, the similarity being the best cosine over every
    # chunk in the question's language; recalibrated when the sections' questions (corpus/guides/*.questions.yaml)
    # changed the hits. Informal questions are often less similar to the text that answers them than off-topic ones
    # are to anything, so the similarity floor is only a backstop; what separates them is BM25 over the English
    # rendering: the bar between the refused questions' best (9.92, the laptop fan) and the answerable ones' lowest
    # below the sure similarity (10.59); an answer without it needs a similarity halfway between the most similar
    # refused question ("salary negotiation tips?", 0.857) and the least similar answerable one (0.861). int8 cosines
    # run higher (MENTOR_EMBEDDER=onnx-int8), calibrated the same way: the floor under the least similar answerable
    # question (0.828); the BM25 bar between the laptop fan (9.92) and the answerable ones' lowest below the sure
    # similarity (10.34); the sure similarity halfway between the salary question (0.869) and 0.874.
    # The best sentence's relevance (min_point): with fp32, between the near-domain refusals that pass those bars (a
    # visa, an NVIDIA driver, an RSU grant: 0.239, 0.249, 0.282) and the answerable ones' lowest (0.340), above the
    # driver question as tests/test_answers.py asks it (0.317). Re-measured with hub-free points (538 dev cases):
    # those refusals peak at 0.297 (stock options and AMT), the answerable ones' lowest is 0.338; two more (0.364,
    # 0.548: an H-1B, competing offers) pass and are refused by the off-topic margin.
    # int8: halfway between the visa question (0.314) and the lowest answerable one (0.334); the driver question
    # (0.345) stays answered.
    # sure_point (both embedders): a short question whose best sentence is this relevant is answered though its
    # BM25 is low; dev's refusals peak at 0.85 ("stock tips?"), its short answerable ones start at 1.05.
    # off_topic_margin, sure_in_domain and sure_in_domain_hub_free (rag.answer.off_topic), with the longer list of
    # rag/lang/en_off_topic.py: the margin as it was (dev's answerable questions come at most +0.010 closer to an
    # off-topic question than to the guides', hub-free); a helper's question was kept only if every answerable dev
    # question stays 0.025 under the margin against it (so that, each left out in turn while the list was filtered,
    # none would have been declined). Grown again (97 → 132, new kinds only), filtered the same way against dev (now
    # with `d12-`, and its paper and plan requests too) and evals/off_topic_probes.yaml: answerable at most +0.010
    # (against older entries), and 52 of the 82 dev refusals the check sees reach the margin. With so many off-topic
    # questions about ML work nearby, plain leads shrink: the refusals no other support answers come no closer to
    # the guides than −0.023 by plain cosines (a Kyoto trip), "are bootcamps a waste of money" −0.045, so
    # sure_in_domain 0.03; hub-free those refusals come no closer than 0.000, so −0.02 or closer is the guides' as
    # well. int8: the same margin (answerable at most +0.010; 48 of the 82 refusals reach it); its bootcamp question
    # −0.048 by plain cosines, so 0.04. One more the round after (133: a reading list on another subject), filtered
    # the same way against dev with its plan, paper and follow-up batches (d13- to d15-); thresholds unchanged. Ten
    # more the round after that (143: credit taken by a colleague, a gap on the résumé, on-call, AI for children…),
    # written after reading dev's answered refusals and kept 0.015 under the margin (not 0.025) from every answerable
    # dev question the check sees and every probe: leaving each dev batch out in turn, none of its answerable
    # questions was declined at that distance (one was at 0.010). Thresholds unchanged.
    thresholds=Thresholds(min_similarity=0.816, sure_similarity=0.859, min_lexical=10.1, min_point=0.325, sure_point=1.0,
                          off_topic_margin=0.015, sure_in_domain=0.03, sure_in_domain_hub_free=0.02),
    int8_thresholds=Thresholds(min_similarity=0.821, sure_similarity=0.8715, min_lexical=10.25, min_point=0.324, sure_point=1.0,
                               off_topic_margin=0.015, sure_in_domain=0.04, sure_in_domain_hub_free=0.02),
    section_boost=1.25,
    ui={**UI, **en_mentor.UI},
    labels={**LABELS, **en_mentor.LABELS},
    starters=STARTERS,
    off_topic=en_off_topic.OFF_TOPIC,
)
