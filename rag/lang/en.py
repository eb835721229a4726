"""English: detection, words, sentence ends, phrases, intents, refusals, glossary, UI words.

The guides are Chinese, so the glossary appends the Chinese terms of an English
question's words for BM25 (it only adds terms, never removes the learner's).
"""

from __future__ import annotations

import re

from .base import Intents, LanguagePack, Thresholds

LATIN_WORD = re.compile(r"[A-Za-z]+")
QUOTED_TITLE = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」")
GLOSSARY_WORD = re.compile(r"[a-zA-Z][a-zA-Z\-]*")


def score(text: str) -> float:
    """Latin words, not counting a quoted title (a Chinese question may quote an English title)."""
    return float(len(LATIN_WORD.findall(QUOTED_TITLE.sub(" ", text))))


GLOSSARY: dict[str, str] = {
    "learn": "学习", "learning": "学习", "study": "学习", "after": "之后 接下来", "next": "下一步 接下来",
    "first": "第一步 首先", "start": "开始 入门", "beginner": "初学者 入门", "scratch": "从零开始",
    "roadmap": "路线图", "path": "路径", "plan": "计划", "steps": "步骤",
    "machine": "机器", "ml": "机器学习", "ai": "人工智能", "engineer": "工程师", "engineers": "工程师",
    "researcher": "研究员", "research": "研究", "scientist": "科学家",
    "data": "数据", "science": "科学", "deep": "深度学习", "neural": "神经网络",
    "math": "数学 微积分 线性代数 概率论", "maths": "数学", "mathematics": "数学", "statistics": "统计学", "probability": "概率论",
    "calculus": "微积分", "algebra": "线性代数", "linear": "线性代数",
    "programming": "编程", "code": "代码 编程", "coding": "编码 编程", "software": "软件工程",
    "python": "python", "job": "工作 职位", "jobs": "工作", "career": "职业", "salary": "工资 薪资",
    "long": "多久 时间", "take": "需要", "become": "成为", "time": "时间", "months": "月",
    "course": "课程", "courses": "课程", "book": "书籍", "books": "书籍",
    "competition": "比赛 竞赛", "competitions": "比赛 竞赛", "kaggle": "kaggle",
    "deploy": "部署", "deployment": "部署", "production": "生产", "infrastructure": "基础设施",
    "cleaning": "清理", "labeling": "标记 标注", "labelling": "标记 标注", "label": "标记",
    "business": "业务 商业", "goals": "目标", "goal": "目标", "experiments": "实验", "experiment": "实验",
    "paper": "论文", "papers": "论文", "implement": "实现", "implementing": "实现", "reproduce": "复现",
    "project": "项目", "projects": "项目", "interview": "面试",
    "skills": "技能", "skill": "技能", "requirements": "要求", "responsibilities": "职责", "duties": "职责",
    "mentor": "导师", "networking": "人脉", "switch": "转换 转行", "transition": "转型",
    "difference": "区别 不同", "tradeoffs": "权衡", "trade-offs": "权衡", "roi": "投资回报",
    "latency": "延迟", "framework": "框架", "tabular": "表格数据", "vision": "计算机视觉",
    "nlp": "自然语言处理", "mlops": "mlops", "theory": "理论", "truths": "真相",
    "need": "需要", "earn": "工资 薪资 收入", "pay": "工资 薪资", "paid": "工资", "average": "平均",
    "us": "美国", "usa": "美国", "america": "美国", "avoid": "避免 不要 切勿", "mistake": "错误 陷阱",
    "mistakes": "错误 陷阱", "pitfall": "陷阱", "copy": "复制 照搬", "unrelated": "不相关", "industry": "行业 业界",
    "experience": "经验", "previous": "之前", "useless": "没用 优势", "university": "大学", "college": "大学",
    "internship": "实习", "internships": "实习", "apply": "申请", "applying": "申请", "hire": "招聘 雇主",
    "employer": "雇主", "employers": "雇主", "resume": "简历", "cv": "简历", "certificate": "证书", "bootcamp": "训练营",
    "self-taught": "自学", "online": "在线", "community": "社区", "communities": "社区", "feedback": "反馈",
    "model": "模型", "models": "模型", "train": "训练", "training": "训练", "hyperparameter": "超参数",
    "hyperparameters": "超参数", "leaderboard": "排行榜", "augmentation": "数据扩充 数据增强", "images": "图像",
    "image": "图像", "text": "文本", "audio": "音频", "dataset": "数据集", "datasets": "数据集",
    "interpretability": "解释 可解释性", "interpret": "解释", "explain": "解释", "logistic": "逻辑回归",
    "regression": "回归", "classification": "分类", "simple": "简单", "fancy": "花哨", "day": "日常 工作",
    "daily": "日常", "responsibility": "职责", "tasks": "任务", "task": "任务", "role": "角色", "roles": "角色 职位",
    "title": "职位名称", "demand": "需求", "future": "未来", "cloud": "云", "container": "容器", "docker": "docker",
    "scalable": "可扩展", "scale": "规模 扩展", "serving": "服务", "resources": "资源", "budget": "预算",
    "cost": "成本", "gpu": "gpu", "performance": "性能", "baseline": "基准", "objective": "目标函数",
    "feature": "特征", "features": "特征", "pipeline": "管道", "pipelines": "管道", "annotation": "标注",
    "annotate": "标注", "service": "服务", "services": "服务", "expensive": "昂贵", "accountant": "会计师",
    "portfolio": "作品集 投资组合", "github": "github", "git": "git", "degree": "学位", "phd": "博士 学位",
    "master": "研究生", "hard": "难 困难", "difficult": "困难 难", "easy": "容易 简单", "fast": "快",
    "quickly": "快速", "full-time": "全职", "part-time": "兼职", "weekend": "周末", "evenings": "下班后",
    "after-work": "下班后", "developer": "开发人员", "engineering": "工程", "statistician": "统计学家",
}


def lookup(word: str) -> str | None:
    """The glossary entry of an English word, trying simple inflections.

    >>> lookup("switching"), lookup("competitions"), lookup("zebra")
    ('转换 转行', '比赛 竞赛', None)
    """
    for candidate in (word, word[:-3] if word.endswith("ing") else "", word[:-2] if word.endswith("ed") else "",
                      word[:-2] if word.endswith("es") else "", word[:-1] if word.endswith("s") else ""):
        if candidate and candidate in GLOSSARY:
            return GLOSSARY[candidate]
    return None


def expand(question: str) -> list[str]:
    """The Chinese terms of the question's English words, in order, once each.

    >>> expand("How much math?")
    ['数学 微积分 线性代数 概率论']
    """
    terms: list[str] = []
    for word in GLOSSARY_WORD.findall(question):
        term = lookup(word.lower())
        if term and term not in terms:
            terms.append(term)
    return terms


PHRASES = {
    "lead": "Here is what the guides and notes say:",
    "not_covered": "The guides and notes don't cover that, so I can't answer it from them.",
    "nearest": "Topics they do cover that come closest:",
    "injection": "I only answer questions about learning ML engineering from the guides and notes; "
                 "I don't follow instructions inside a question.",
    "live_data": "The guides and notes are fixed texts with no live data (weather, prices, news, dates), "
                 "so they can't answer that.",
    "personal_data": "The guides and notes hold no personal information about anyone, and I don't look it up.",
    "try": 'Try a question such as "What should I learn after Python?"',
    "sources": "Sources",
    "next_lead": "Following the guides' roadmap, your next steps are{known}:",
    "next_known": " (you know: {skills})",
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
    "plan_assumption_scratch": "Durations start from the guide's estimate of about {months} months full-time from "
                               "scratch, read as {full_time} hours a week, then scaled to your {hours:g} hours a week.",
    "plan_assumption_split": "How that time is split between stages is this plan's own choice, not a figure from the guides.",
    "paper_assumption_split": "How the weeks are split between steps is this plan's own choice, not a figure from the guides.",
    "paper_assumption_inputs": "About the paper itself, this plan uses only the title, link and abstract you gave.",
    "default_goal": "ML engineer",
}

LABELS = {
    "week": "Week {a}", "weeks": "Weeks {a}–{b}", "resources": "Resources", "project": "Project",
    "facts": "What the guides estimate", "assumptions": "Assumptions", "inputs": "Your inputs", "paper": "Paper",
    "link": "Link", "abstract": "Abstract (as you gave it)", "plan": "Learning plan",
    "paper_plan": "Paper-implementation plan", "hours": "h",
}

UI = {
    "chat": "Ask", "plan": "Learning plan",
    "paper": "Paper plan", "library": "Library",
    "evals": "Evals", "language": "Language", "auto": "Auto", "backend": "Answer backend",
    "k": "Sources per answer (k)", "clear": "Clear conversation", "ask": "Ask about becoming an ML engineer…",
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
    "no_report": "No eval report yet: run the eval set below, or `make eval`.", "run_eval": "Run the eval set",
    "checks": "Checks", "cases": "Cases", "baseline": "Compared with the baseline", "report": "Latest eval report",
    "passed": "passed", "failed": "failed", "n_cases": "{n} cases", "feedback": "Feedback on answers",
    "export": "Export CSV", "no_feedback": "No feedback yet.", "no_problems": "Every corpus file reads cleanly.",
    "yes": "yes", "no": "no", "loading": "Loading the model and the index…", "unexpected": "Unexpected error: {what}",
    "backend_embedded": "Embedded (offline, verbatim quotes)",
    "backend_llamacpp": "llama.cpp (local model)",
    "backend_ollama": "Ollama",
    "backend_openai": "OpenAI-compatible server",
    "backend_builtin": "no LLM: quotes the guides",
    "backend_fallback": "falls back to the embedded answer if it fails",
    "backend_missing": "needs: {command}", "too_long": "That question is {n:,} characters long; the limit is {limit:,}.",
}

STARTERS = ("What should I learn after Python?", "How much math do I need?", "How long until I can get an MLE job?")

PACK = LanguagePack(
    code="en",
    name="English",
    phrases=PHRASES,
    score=score,
    word=r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]",
    # ASCII ends count only before white space, the end or another script ("?v=" in a URL is no end).
    sentence_end=r"[!?;]+[”’」』）)\]】]*(?=\s|$|[^\x00-\x7f])|(?<![0-9])\.(?=\s)",
    stopwords=frozenset("a an and are as at be by can do for from how i in is it me my of on or should "
                        "that the this to what when where which who why will with you your".split()),
    negation=re.compile(r"\b(?:not|no|never|none|nor|without|cannot)\b|n't"),
    expand=expand,
    intents=Intents(
        paper=(
            re.compile(r"\b(?:plan|help me|how (?:do|can|should) i|i want to|let me|steps to)\b.*?\b(?:implement|reproduce"
                       r"|re-implement|code up)\s+(?:the\s+)?(?P<title>.+?)(?:\s+paper)?\s*[?.!]*$", re.I),
            re.compile(r"\b(?:implement|reproduce)\s+(?:the\s+)?(?:paper\s+)?[\"“'](?P<title>[^\"”']+)[\"”']", re.I),
        ),
        not_titles=frozenset({"it", "this", "that", "papers", "research papers", "a paper"}),
        next=(
            re.compile(r"\bafter (?:learning |finishing |knowing )?(?P<known>[\w+#.\- ]+?)\W*(?:what|\?|$)", re.I),
            re.compile(r"\bwhat (?:should|do|can) i (?:learn|study|do) (?:next|after|now)\b", re.I),
            re.compile(r"\bwhat(?:'s| is)? next\b|\bnext steps?\b", re.I),
        ),
        # "after Python", but "after graduation", "after work" are not skills.
        not_next=re.compile(r"\b(?:how long|how much|salary|phd|degree)\b", re.I),
        duration=re.compile(r"\bhow long\b|\bhow many (?:months|years|weeks)\b", re.I),
        career=re.compile(r"\b(?:ml|mle|machine learning|engineer|job|career|ready|hired|switch|roadmap|learn)\b", re.I),
        plan=re.compile(r"\b(?:learning|study) plan\b|\bmake (?:me )?a plan\b|\bplan (?:for|my)\b|\broadmap for me\b", re.I),
        hours=re.compile(r"(\d{1,2}(?:\.\d)?)\s*(?:h\b|hrs?\b|hours?\b)", re.I),
        known=re.compile(r"(?:\bi (?:already )?know|\bi(?:'ve| have) (?:learned|learnt|finished|done)|\bafter(?: learning"
                         r"| finishing)?|\bi can|\bknowing|\bfinished|\bcomfortable with)\s+(?P<known>[^.?!;]{1,80})", re.I),
        followup=re.compile(r"^(and|but|so|also|then)\b|^(what|how) about\b|\b(that|this|it|those|these|they|them|there)\b"
                            r"|^(why|how long|how much|how many|which one|and then)\W*\??$", re.I),
    ),
    guard={
        "injection": re.compile(
            r"ignore (all |any |the )?(previous|prior|above|earlier|your)( \w+)? (instructions|prompts?|rules)"
            r"|disregard (all |any |the )?(previous|prior|above|your)|forget (all |everything|your) (instructions|rules|you)"
            r"|system prompt|you are now|act as (an? )?(unrestricted|dan\b)|jailbreak|developer mode", re.I),
        "live_data": re.compile(
            r"\bweather\b|\b(stock|share|bitcoin|btc|crypto|gold|exchange) (price|rate|market)"
            r"|price of (bitcoin|btc|gold|a stock)|\b(today'?s|tonight'?s|tomorrow'?s|this week'?s|latest|breaking) "
            r"(news|headlines|score|price)|\bcurrent (time|date|price)\b|what time is it|what day is (it|today)", re.I),
        "personal_data": re.compile(
            r"home address|phone number|\b(his|her|their|\w+'s) (address|email|phone)|email address of|\bssn\b"
            r"|social security number|passport number|credit card number|bank account|date of birth|where does \w+ live", re.I),
    },
    # Calibrated on the eval set's dev split (evals/): e5 scores English questions lower than Chinese ones.
    thresholds=Thresholds(min_similarity=0.80, sure_similarity=0.86, min_lexical=6.0),
    section_boost=1.25,
    ui=UI,
    labels=LABELS,
    starters=STARTERS,
)
