"""Chinese: detection, jieba words, sentence ends, phrases, intents, refusals, synonyms, UI words.

The guides are written in Chinese; the synonyms add the guides' own words for
words a learner uses differently (复现 → 实现), so BM25 can match them.
"""

from __future__ import annotations

import logging
import re

from . import zh_mentor, zh_off_topic
from .base import Intents, LanguagePack, Thresholds

SCRIPT = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
HAN = re.compile(SCRIPT)
# Words of questions that the guides say differently (and the English spelling of names the notes use).
SYNONYMS: dict[str, str] = {
    "复现": "实现 实施 研究论文", "论文": "研究论文", "薪水": "工资 底薪", "工资": "底薪", "转行": "转换 转向",
    "paperswithcode": "papers with code", "博士": "学位", "面试": "面试问题", "作品集": "投资组合 项目",
    "比赛": "竞赛 kaggle", "竞赛": "比赛", "数学": "微积分 线性代数 概率论", "部署": "容器化 微服务",
    "mle": "机器学习工程师",
    # Learners' spoken words for what the guides say in written Chinese (or in English: 吴恩达 is "Andrew Ng").
    "调参": "超参数 调整", "上线": "部署 生产", "落地": "部署 生产", "小白": "新手 从零开始", "零基础": "新手 从零开始",
    "吴恩达": "andrew ng", "读博": "博士 学位", "应届": "新生 入门级 实习", "网课": "在线课程 课程",
    "报班": "课程 训练营", "培训班": "课程 训练营", "师傅": "导师", "刷题": "数据结构 算法", "科班": "学位 计算机科学",
    "拒": "拒绝", "排名": "排行榜", "跳槽": "转换 职位", "数据分析": "数据科学家",
    "后端": "开发人员", "前端": "开发人员", "程序员": "开发人员 软件工程师",
    # "跟人打交道" is working with colleagues (合作); jieba keeps the guides' "自学成才" whole, so "自学" never meets it.
    "打交道": "合作 同事", "自学": "自学成才",
    # Chinese tech calls ML jobs "algorithm" jobs (算法岗, 做算法); "没人带": no one to mentor them.
    "算法岗": "机器学习工程师", "做算法": "机器学习工程师", "算法工程师": "机器学习工程师", "没人带": "导师 指导",
    # a workplace for its industry ("医院、银行这种行业" are the guides' healthcare and finance)
    "医院": "医疗保健", "银行": "金融",
    "求职": "申请工作 找工作", "实战": "实践 项目", "大模型": "大型语言模型", "显卡": "gpu",
    # The settings a learner tunes by name are what the guides call hyperparameters (超参数).
    "学习率": "超参数", "learning rate": "超参数", "batch size": "超参数", "weight decay": "超参数", "权重衰减": "超参数",
}
_jieba = None


def score(text: str) -> float:
    """Two points a Han character, once there are at least two (one character is a name, not a language).

    Against English's count of Latin words, Chinese wins when its characters are at least half as many.
    """
    han = len(HAN.findall(text))
    return 2.0 * han if han >= 2 else 0.0


def segment(run: str) -> list[str]:
    """jieba's words of a run of Han characters (jieba loads on first use: about half a second)."""
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return _jieba.lcut(run)


def expand(question: str) -> list[str]:
    """The guides' words for the question's words.

    >>> expand("复现论文需要多少数学？"), expand("天天调学习率")
    (['实现 实施 研究论文', '研究论文', '微积分 线性代数 概率论'], ['超参数'])
    """
    lowered = question.lower()
    return [term for word, term in SYNONYMS.items() if word in lowered]


PHRASES = {
    "lead": "指南和笔记中是这样说的：",
    "not_covered": "指南和笔记没有涉及这个问题，所以我无法根据它们回答。",
    "nearest": "它们涉及的最接近的主题：",
    "injection": "我只根据指南和笔记回答关于学习机器学习工程的问题，不会执行问题中夹带的指令。",
    "live_data": "指南和笔记是固定的文本，没有天气、价格、新闻等实时信息，无法回答这个问题。",
    "personal_data": "指南和笔记中没有任何人的个人信息，我也不会去查找。",
    "worked_problem": "指南和笔记只说该学哪些数学、去哪里学，没有做任何证明、推导、计算或教材习题，所以我无法据此替你证明、推导或解题。",
    "writing_task": "我只根据指南和笔记回答问题，不代写求职信、邮件、诗歌或代码。",
    "try": "可以试着问：“学完 Python 之后我应该学什么？”",
    "sources": "来源",
    "next_lead": "按照指南的路线图，接下来建议学习：{known}",
    "next_known": "（你已经会：{skills}）",
    "next_from_start": "（从路线图的起点开始：说说你已经会什么，比如“我会 Python 和 SQL”，就能得到之后的步骤）",
    "next_resources": "资源",
    "duration_lead": "指南按起点给出的时间估计：",
    "plan_lead": "按每周 {hours:g} 小时、从 {start} 开始，按指南路线图排出的计划：",
    "paper_lead": "按照指南给出的论文复现方法，为《{title}》安排的 {weeks} 周计划：",
    "hint_plan": "运行 `mentor plan --know …` 可以得到带日期的完整计划。",
    "hint_duration": "运行 `mentor plan --know … --hours-per-week …` 可以按你的时间得到带日期的计划。",
    "hint_full_plan": "运行 `mentor plan` 可以得到含资源、项目和里程碑的完整计划。",
    "hint_paper": "运行 `mentor paper` 可以调整周数、加入链接和摘要。",
    "list_separator": "、",
    "answer_in": "用中文回答。",
    "plan_assumption_split": "各阶段所占比例是本计划自己的划分，不是指南给出的数字。",
    "paper_assumption_split": "各步骤的时间分配是本计划自己的划分，不是指南给出的数字。",
    "paper_assumption_inputs": "关于论文本身，本计划只使用你提供的标题、链接和摘要。",
    "card_lead": "根据论文目录中 {name}（《{title}》）的卡片，按每周 {hours:g} 小时安排的复现计划，{start} → {end}：",
    "card_prereq_line": "前置知识：{items}",
    "card_known_mark": "✓ 你已经会",
    "card_step_prereq": "复习前置知识",
    "card_step_dataset": "先用笔记本就能跑的数据集：{name}",
    "card_step_sanity": "自检里程碑：先在一个批次上过拟合，再核对论文里的曲线和数字",
    "card_step_target": "复现里程碑：{target}",
    "card_assumption_hours": "每一步的小时数是导师自己的粗略估计，按每周 {hours:g} 小时排开；不是论文或指南给出的数字。",
    "card_assumption_source": "计划中关于论文的内容来自论文目录中的卡片；标为“未核实”的数字没能对照论文原文核对。",
    "hint_card": "运行 `mentor paper \"{name}\" --know … --hours-per-week …` 可以得到带日期的完整计划。",
    "not_in_catalogue": "《{title}》不在论文目录中，所以本计划只按指南的方法和你提供的信息（标题、链接、摘要）安排。",
    "suggest_lead": "论文目录中适合你现有基础的论文{known}，最合适的在前：",
    "suggest_lead_unknown": "论文目录中前置要求最少的论文（告诉我你会什么，比如“我会 Python 和 PyTorch”，推荐会更贴切）：",
    "suggest_ready": "前置知识你都具备（{skills}）",
    "suggest_missing": "需要先学：{skills}",
    "suggest_no_papers": "不需要先复现其他论文",
    "suggest_read_first": "建议先复现：{papers}",
    "suggest_separator": "；",
    "suggest_done": "（已复现：{papers}）",
    "hint_suggest": "可以问“帮我制定复现 <论文> 的计划”，或运行 `mentor paper <论文>` 得到带日期的计划。",
    "default_goal": "机器学习工程师",
    "translated": "（译文）",
    "see_also": "另见：{title} — {url}",
    "sources_lead": "回答引用的是 {n} 篇关于如何成为机器学习工程师的指南文章（中文译文），每篇都附有原文链接：",
    "sources_notes": "此外还有本项目自己编写的课程、书籍、工具笔记和论文卡片（每篇都附真实链接）；应用的“资料库”页面列出了全部内容。",
}

LABELS = {
    "prerequisites": "前置知识", "datasets": "数据集", "targets": "复现目标", "compute": "算力估计",
    "laptop_cpu": "笔记本 CPU", "one_gpu": "单块 GPU", "first_choice": "建议先用", "unverified": "未核实",
    "from_abstract": "从你的摘要中读到的", "task": "任务", "metrics": "指标", "none_named": "未提到",
    "card": "来自论文目录",
    "week": "第 {a} 周", "weeks": "第 {a}–{b} 周", "resources": "资源", "project": "项目", "facts": "指南的时间估计",
    "assumptions": "假设", "inputs": "你提供的信息", "paper": "论文", "link": "链接", "abstract": "摘要（你提供的）",
    "plan": "学习计划", "paper_plan": "论文复现计划", "hours": "小时",
}

UI = {
    "not_listed": "论文不在目录中？填写链接、摘要和周数",
    "chat": "提问", "plan": "学习计划", "paper": "论文计划",
    "library": "资料库", "evals": "评测", "language": "语言", "auto": "自动",
    "backend": "回答方式", "k": "每个回答的来源数 (k)", "retry": "重试", "ask": "问一个关于成为机器学习工程师的问题…",
    "try": "试试这些问题：", "grounded": "有据可查 · {n} 个来源", "not_covered": "指南中没有涉及", "refused": "拒绝回答",
    "sources": "来源", "comment": "评论（可选）", "thanks": "已保存，谢谢。", "known": "我已经会的", "hours": "每周学习小时数",
    "goal": "目标", "goal_example": "找到机器学习工程师的工作", "start": "开始日期", "make_plan": "生成我的计划",
    "download": "下载 Markdown", "facts": "指南的时间估计", "assumptions": "假设", "title": "论文标题",
    "title_example": "Attention Is All You Need", "url": "链接（可选）", "abstract": "摘要（可选）", "weeks": "周数",
    "make_paper": "规划复现步骤", "need_title": "请填写论文标题。", "status": "索引", "model": "模型", "chunks": "片段数",
    "stale": "需要更新", "reindex": "重新建立索引", "corpus": "指南与笔记", "problems": "资料文件的问题",
    "changed": "上次建立索引之后改动过的文件：{files}", "built_at": "{when} 用 {model} 建立", "no_index_yet": "还没有索引",
    "no_index": "还没有建立索引，所以导师还不能回答。", "build": "建立索引（约一分钟）", "rebuild": "重建索引",
    "built": "已索引 {n} 个片段，用时 {s:.0f} 秒。", "embedding": "正在嵌入片段",
    "index_busy": "正在等待另一个索引任务完成（{who}）……",
    "no_report": "还没有评测报告：点击下面的按钮运行评测集，或运行 `make eval`。", "run_eval": "运行评测集",
    "checks": "检查项", "cases": "用例", "baseline": "与基线比较", "report": "最新评测报告", "passed": "通过", "failed": "未通过",
    "n_cases": "{n} 个用例", "feedback": "对回答的反馈", "export": "导出 CSV", "no_feedback": "还没有反馈。",
    "no_problems": "所有资料文件都能正常读取。",
    "flagged": "读起来像命令的句子（从不作为建议引用）", "yes": "是", "no": "否", "loading": "正在加载模型和索引…",
    "backend_embedded": "内置（离线，原文引用）", "backend_llamacpp": "llama.cpp（本地模型）", "backend_ollama": "Ollama", "backend_openai": "OpenAI 兼容服务", "backend_builtin": "不用大模型：直接引用指南原文", 
    "unexpected": "意外错误：{what}", "backend_fallback": "出错时改用内置回答",
    "backend_missing": "需要先安装：{command}", "translation": "导师对上面标出的原文的翻译", "too_long": "这个问题有 {n:,} 个字符，上限是 {limit:,}。",
}

STARTERS = ("学完 Python 之后我应该学什么？", "需要多少数学？", "我应该参加 Kaggle 比赛吗？")

PACK = LanguagePack(
    code="zh",
    name="中文",
    phrases={**PHRASES, **zh_mentor.PHRASES},
    score=score,
    priority=1,  # as many Han points as English words: Chinese
    script=SCRIPT,
    spaceless=True,
    segment=segment,
    sentence_end=r"[。！？；…]+[”’」』）)\]】]*\.?",  # with any closing quote or bracket (and a stray full stop: "。).")
    stopwords=frozenset(
        "的 了 是 我 你 他 她 它 们 在 和 与 及 或 也 都 就 要 会 能 可以 这 那 一个 什么 怎么 如何 吗 呢 吧 啊 "
        "之后 应该 我们 你们 他们 自己 一些 这些 那些 因为 所以 但是 如果 对于 以及 而且 并且 没有 不".split()),
    # 不 and 无 also start words that say no such thing (不同 different, 无论 whatever).
    negation=re.compile(r"没|未(?!来)|非(?!常)|(?<!不得)不(?!同|断|少|错|仅|过|久|论|管|但|然|如|得不)|无(?!论|数|限)"),
    expand=expand,
    intents=Intents(
        paper=(
            re.compile(r"(?:复现|实现)(?:一下)?(?:论文)?\s*[《“\"](?P<title>[^》”\"]+)[》”\"]"),
            re.compile(r"(?:复现|实现)\s*(?P<title>[A-Za-z][\w\- .:]+?)\s*(?:这篇)?论文"),
            # "帮我制定复现 Transformer 的计划", "复现残差网络的步骤"
            re.compile(r"(?:复现|实现)\s*(?P<title>[^，,。？?！!的]{2,40}?)\s*(?:这篇)?(?:论文)?的(?:计划|步骤|方案|路线)"),
            re.compile(r"(?:怎么|如何|帮我|计划|我想|我要|想要|打算|准备)(?:.*?)(?:复现|实现)\s*(?P<title>[A-Za-z][\w\- .:]+?)(?:\s*论文)?\s*[？?。]*$"),
        ),
        not_titles=frozenset({"论文"}),
        # After something ("学完", "接下来", "下一步"), asking what to learn or do: "学完 X 之后学什么？", "下一步该干啥".
        # "必须照着顺序学完吗" (yes or no) and "深度学习该跟谁的课" (which teacher) ask no such thing.
        next=(re.compile(r"(?:学完|学会|之后|以后|接下来|下一步|然后).*(?:学什么|学啥|学哪|学习什么|做什么|干什么|干啥|干嘛"
                         r"|该干|该做|怎么办|咋办|(?:怎么|咋|如何)学[？?。!！]*$|呢[？?]?$)"),),
        next_words=frozenset({"学完", "学会", "之后", "以后", "接下来", "下", "一步", "然后", "现在", "该", "该学", "学",
                              "学什么", "做", "做什么", "干", "干什么", "干嘛", "啥", "应该"}),
        not_next=re.compile(r"多久|多长时间|工资|薪"),
        # "刚学完一门机器学习课": not a deep learning course, a stage of the roadmap whose next steps answer it
        course_done=re.compile(r"(?:学完|刷完|上完|修完)了?(?:第一门|一门|这门)?(?:机器学习|人工智能|AI|ML)?的?(?:网课|课程|课)",
                               re.I),
        # "这几年" (these years), "前几个月" (the past months), "好几年" (for years) and "干了几年" (worked a few years)
        # are no question of how long.
        duration=re.compile(r"多久|多长时间|(?<![这那前头去好了])几(?:个月|年)"),
        # The path to the job, or learning with nothing else named ("自学要多久", "学完这些要多久"): "学开车要多久"
        # asks about another skill, which the guides don't time.
        career=re.compile(r"机器学习|工程师|工作|转行|入门|够格"
                          r"|学(?:习)?(?:完|好|会|成)?(?:这些|那些|这个|所有|全部)?(?:东西|内容)?(?:的话)?[，,]?"
                          r"(?:大概|大约|一般|总共|至少|最少)?(?:要|需要|得)?花?(?:多久|多长时间|几个月|几年)"
                          # … or nothing else: a bare "要多久？" asks a mentor about the path.
                          r"|^\W*(?:那|那么)?(?:大概|大约|一般|总共)?(?:要|需要|得)?花?(?:多久|多长时间)(?:呢|啊)?\W*$"),
        # A course, a bootcamp or a book timed on its own ("吴恩达的课要学多久") is no question about the path to
        # the job, unless the job or the switch is named too ("上完训练营转行要多久"): the search answers it from what
        # the guides say about that resource.
        not_duration=re.compile(r"课|训练营|(?<!证)书|教程|视频|专项"),
        path=re.compile(r"工作|工程师|转行|找到|入行|就业|MLE|offer", re.I),
        # An explicit request for a plan; its object, when it names one ("减肥计划", "考研复习计划"), must be the ML path
        # for the roadmap to answer it (plan_object). Routes said to exist ("网上的学习路线各说各的", "长篇的学习路线啃不动")
        # are talked about, not asked for.
        plan=re.compile(r"学习计划|学习规划|制定.{0,6}计划|帮我.{0,6}(?:计划|规划)|规划一下"
                        r"|(?<!网上)(?<!网上的)(?<!别人的)(?<!各种)(?<!那些)(?<!这些)(?<!长篇)(?<!长篇的)(?<!超长的)学习路线"
                        r"|(?:求|做|排|给我?)(?:个|一个|一份)(?:(?!项目|实验|面试|部署|上线)[^，,。？?！!]){0,12}(?:计划|规划|路线)"),
        plan_object=(re.compile(r"(?:做|制定|排|给|定|来|出|求)(?:个|一个|一份)?(?P<object>[^，,。？?！!]{1,12}?)(?:的)?(?:计划|规划)"),
                     re.compile(r"(?:规划|计划)一下(?P<object>[^，,。？?！!]{1,12})"),
                     re.compile(r"帮我(?:规划|计划)(?P<object>[^一，,。？?！!][^，,。？?！!]{0,11})")),
        # "怎么规划？": a plan only about the ML path or with hours a week
        plan_hint=re.compile(r"(?:怎么|咋|如何)规划|按(?:什么|啥|怎样的)顺序学|学习顺序|(?:要|得|该)走哪(?:些|几)步|分(?:哪)?几步走"),
        # "怎么安排比较好": a schedule, with hours a week only ("秋招面试前的复习怎么安排？" asks no study plan)
        schedule=re.compile(r"(?:怎么|咋|如何)安排|(?:帮我|给我)排(?!查|序|版|队)|(?<!安)排一下|计划(?:怎么|咋|如何)定|(?:怎么|咋|如何)(?:定|订)计划"
                            r"|(?:接下来|后面|以后)(?:该)?(?:怎么|咋|如何)走(?!流程|程序)|从哪(?:里|儿)?(?:开始|入手|下手|学起)|从哪学到哪"),
        # "我应该先复现哪篇论文？", "下一篇复现哪个好", "接下来该复现哪篇？", "第一篇复现啥比较好？"
        # asked of the mentor's own library ("这些指南是谁写的？"), not of a paper or an article named
        sources=re.compile(r"^\W*(?:这些|你的|你用的|你引用的)?指南(?:都)?是(?:谁|哪些人|什么人)写的\W*$"
                           r"|^\W*(?:这些|你的|你用的|你引用的)(?:文章|资料)(?:都)?是(?:谁|哪些人|什么人)写的\W*$"
                           r"|(?:你的|你用的|你引用的|你回答的|回答的|答案的)(?:资料|信息|内容)?(?:的)?(?:来源|出处)(?:是|有)?(?:什么|哪些|哪里|哪儿)"
                           r"|^\W*(?:资料|信息)?来源是(?:什么|哪些|哪里)\W*$"
                           r"|你(?:引用|参考|依据|基于)的(?:是)?(?:哪些|什么|哪几篇)(?:指南|文章|资料)"),
        suggest_paper=re.compile(r"(?:哪篇|哪些|哪一篇|什么)论文|(?:有|推荐)(?:啥|什么|哪些)[^\s，,。？?！!]{0,8}?(?:复现|实现|练手)[^\s，,。？?！!]{0,4}论文|推荐.{0,10}论文|论文.{0,6}(?:推荐|先复现|入手)"
                                 r"|(?:复现|手写|手撸)[^\s，,。？?！!]{0,4}?(?:哪篇|哪一篇|哪个|啥|什么)|实现[^\s，,。？?！!]{0,4}?(?:哪篇|哪一篇)"
                                 r"|(?:哪篇|哪一篇)[^\s，,。？?！!]{0,6}(?:复现|实现)"
                                 r"|(?:第一篇|下一篇)(?!论文(?:写|投|发))[^\s，,。？?！!]{0,4}(?:复现|实现|哪|啥|什么)|先从?哪篇"
                                 r"|从哪篇(?:开始|入手|下手)|复现(?:的)?顺序|(?:推荐|给)(?:一?下|个)?(?:复现|实现)(?:顺序|路线)"),  # not "第一篇论文咋选题" (writing one)
        # "想复现 LeNet-5 练练手", "从零手写 Goodfellow 那篇 GAN"; "VGG 复现过了" tells what is done.
        implement=re.compile(r"复现|实现|手写|手撸|手搓|复刻|(?:从零|从头)(?:开始)?(?:写|搭|撸)|自己(?:写|搭|撸|搓)|(?:撸|搓|写)一遍"),
        how=re.compile(r"怎么|如何|咋|计划|规划|步骤|安排|从哪|入手|流程|求个|求一个|用啥|用什么|一步步|需要什么|要什么基础|前置"
                       r"|想(?:自己)?(?:复现|手写|手撸|从头|从零)|打算(?:自己)?复现"),
        not_how=re.compile(r"值得吗|值不值|有用吗|有必要吗|有没有必要|能写进简历|加分吗|算项目吗"),
        instrument=re.compile(r"(?:用|使用|基于|拿)\s*[A-Za-z0-9\u4e00-\u9fff.-]{1,12}?\s*(?=实现|做|来|写|训练|搭)"),
        not_done=re.compile(r"(?:没|没有|未|还没|从没|不)[^，,。？?！!]{0,4}$"),
        done_paper=re.compile(r"(?:复现|实现|写|跑|做|搞|训)(?:过|完|好|通)|跑通|搞定|复现了|实现了|已经(?:复现|实现|手写|写|跑|做)"),
        excluded=re.compile(r"除了|不想|不要|别|以外"),
        fields={
            "vision": re.compile(r"视觉|图像|分割|卷积|(?<![a-z])cnn|(?<!欺诈)(?<!异常)(?<!作弊)检测|影像|(?<![a-z])cv(?![a-z])", re.I),
            "sequence-nlp": re.compile(r"自然语言|文本|翻译|语言模型|大模型|(?<![a-z])(?:nlp|llm)", re.I),
            "generative": re.compile(r"生成|扩散"),
            "reinforcement-learning": re.compile(r"强化学习|(?<![a-z])rl(?![a-z])", re.I),
            "graphs": re.compile(r"图神经|图网络|图数据|图结构|图卷积|(?:跟|和|与)图(?:有关|相关)|(?<![a-z])gnn", re.I),
            "optimisation-regularisation": re.compile(r"优化器|正则|归一化"),
        },
        hours=re.compile(r"(?P<n>\d{1,2}(?:\.\d+)?|[一二两三四五六七八九十半]{1,3})(?:\s*[-–~到至]\s*(?P<to>\d{1,2}(?:\.\d+)?))?"
                         r"\s*个?(?P<half>半)?\s*(?:(?P<minutes>分钟)|个?小时|个?钟头)"),
        numerals={"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "半": 0.5},
        path_words=frozenset({"帮", "帮我", "我", "制定", "一个", "个", "一份", "学习", "计划", "规划", "路线", "做", "给", "求",
                              "一下", "怎么", "咋", "如何", "安排", "排", "详细", "时间表", "多久", "多长", "时间", "要", "需要",
                              "这些", "那些", "大概", "大约", "一般", "总共", "学完", "花", "得", "学", "能", "每周", "小时",
                              "零基础", "小白", "从零开始", "半年", "一年", "个月", "适合", "比较", "好", "自学", "兼职", "全职", "基础", "文科生",
                              "理科生", "新手", "上班族"}),
        # the ML path (a Latin word stands alone: "想转AI", "会python")
        domain=re.compile(r"机器学习|深度学习|算法|人工智能|模型|工程师|转行|转码|工作|数据科学|数据分析|秋招|校招|论文|作品集|编程|代码"
                          r"|计算机视觉|视觉|强化学习|自然语言|大模型|线性代数|线代|概率|部署|(?<![a-z])(?:sql|mlops|llm)(?![a-z])"
                          r"|程序|数学|统计|课程|(?<![a-z])(?:ai|ml|mle|python|pytorch|kaggle|cv|nlp)(?![a-z])", re.I),
        # studying full-time, not "全职工作" nor "没办法全职学习"
        full_time=re.compile(r"(?<!没办法)(?<!没法)(?<!不能)(?<!无法)(?<!不)全职(?:在家)?(?:学|自学|备考)|(?<!不)脱产"),
        working=re.compile(r"上班|工作(?!日)|加班|值班"),
        studying=re.compile(r"学|下班后|业余|周末|空闲|闲|之余"),
        pastime=re.compile(r"睡|通勤|训练|上课|带娃|刷|玩|跑|租|打游戏|练|开车|健身|看剧"),
        choice=re.compile(r"还是|或者|纠结|考虑|在想|要不要|之间"),
        weekly=re.compile(r"每周|一周|每星期|一星期|每礼拜|一礼拜"),
        days_a_week=re.compile(r"(?:每周|一周)(?:学|上|有|能)?(?P<days>[1-7一二两三四五六七])(?:天(?!班)|个晚上|晚|次)"),
        daily=re.compile(r"每天|每日|一天|每晚|天天|每个?晚上|每个工作日|各(?!种|类|个|位|大|方面|行|地)"),
        weekend=re.compile(r"周末|双休|周六(?:和|、)?(?:周日|周天)|星期六(?:和|、)?(?:星期天|星期日)"),
        weekdays=re.compile(r"工作日|周一到周五"),
        monthly=re.compile(r"每个?月|(?<![学了做干])一个月(?!了|前|后|以来)"),
        # Chinese names what was done before the verb ("深度学习课学完了"): the whole clause around it counts.
        unknown=re.compile(r"^[^，,。；;、|但和]{0,6}?(?:不懂|不会|没学|没碰|不熟|忘了|忘得|忘光|忘完|一窍不通|是空白|基本是空白|零基础)"),
        known=re.compile(r"(?P<known>[^，,。？！；?!;]{0,30}(?:我(?:已经)?会|学完|学过|学会|学了|掌握|懂|做完|上完|看完|会用|用过"
                         r"|熟悉|用得(?:挺|很|比较|还算|还)?(?:顺|熟|溜)|(?<![不没是])(?:挺|很)熟|(?<!有)没(?:啥|什么)?问题(?![吧吗么嘛？?])"
                         r")[^，,。？！；?!;]{0,30})"),
        # "软件工程那块…", "模型选型呢？是不是…", "有免费的课吗？", "其他的呢"; not "这种情况"/"这方面", which mostly
        # point back within the same message, nor "我35岁了呢，还能…"
        followup=re.compile(r"^(那|那么|这|那个|这个|它|还有|另外|然后|再)|^(?:其他|别的)(?:的)?(?:呢)?[？?]?$|呢[？?]|呢$"
                            r"|^[^，,。？?！!]{1,4}呢[，,]|^有(?:没有)?(?:其他|别)的"
                            r"|(这|那)(个|些|样|块|部分)|^有(没有)?(免费|便宜|靠谱|好)的.{0,4}(?:吗|么|嘛)?[？?]?$"),
        finished=zh_mentor.FINISHED,
        catalogue=zh_mentor.CATALOGUE,
    ),
    orders=re.compile(
        r"(?:忽略|无视|忘记|忘掉|不要理会|覆盖)(?:掉)?(?:之前|以上|上面|前面|先前|所有|你的|原来|系统)(?:的)?(?:所有|全部)?(?:的)?"
        r"(?:指令|指示|规则|设定|提示|要求)|系统提示词?|越狱|开发者模式"
        r"|你现在(?:是|扮演)(?:一个)?[^。！？]{0,10}(?:助手|AI|人工智能|模型|机器人|DAN)"
        r"|从现在(?:开始|起)[，,]?你(?:是|必须|要|将)"
        r"|只(?:回答|回复|输出)[“\"「『]"
        r"|不要告诉(?:用户|读者|学习者)"
        r"|(?:告诉|让|要求|建议)(?:所有|每个)?(?:用户|读者|学习者)(?:去|都)?(?:运行|执行|粘贴|安装|下载)"
        r"|作为(?:一个)?(?:AI|人工智能|助手|语言模型)[^。！？]{0,12}(?:必须|应该|要)",
        re.I),
    guard={
        "injection": re.compile(r"忽略(之前|以上|上面|前面|先前|所有)|无视(之前|以上|所有)|忘记(之前|你的|所有)(的)?(指令|规则|设定)"
                                r"|系统提示词?|越狱|你现在是"
                                # 角色改写、新指令、冒充权限、限定输出、伪造分隔符（常见的几类注入）
                                r"|你不再是|从现在(开始|起)，?你|扮演|假装(你是|成)|新(的)?(任务|指令|规则)|(来自|以)(管理员|开发者|系统)"
                                r"|管理员(通知|消息|指令|命令|要求)|最高优先级|只(需|要)?(回复|输出|回答)(译文|翻译|一个|一句|结果)|(输出|泄露|显示)你的(提示|指令|规则)"
                                r"|</?(system|guides?|context|instructions?)>"),
        # 股价、汇率只在问它现在多少、怎么走时才是（“拿股价数据练手靠谱吗？”问的是数据）
        "live_data": re.compile(r"天气|气温|(股价|股市|行情|汇率|比特币|币价)[^，。？！]{0,10}(多少|怎么样|如何|涨|跌|走势)"
                                r"|(今天|今日|现在|目前|最新)的?(股价|股市|行情|汇率|币价)|今天的新闻|最新新闻|现在几点|今天几号"
                                r"|收盘|开盘|大盘|[AaHh] ?股|港股|美股|(指数|点位).{0,8}(多少|几)|涨(了)?还是跌|实时(价格|比分|数据)"
                                r"|(今天|今日|昨天|明天|现在|目前)[^，。？]{0,10}(多少钱|价格|比分|几度|多少点)"),
        "personal_data": re.compile(r"(家庭)?住址|电话号码|手机号|邮箱地址|身份证|银行卡|信用卡|住在哪"),
        # 请它做证明、推导或教材习题（“帮我推导一下…”“求证明”“梯度怎么推导？能一步一步写出来吗？”“证明：…”“课后习题7.2的答案”）；
        # 问要不要会推导、哪本书有推导、怎么证明自己的能力则不是
        "worked_problem": re.compile(r"((帮我|给我|请你?|求|麻烦你?)(详细|严格)?地?|怎么|如何)(推导|证明)(?!(一下|下)?(自己|我|你))"
                                     r"|一步一步(地)?(写|推|算)|^(请)?(证明|推导)[:：]"
                                     # 或教材习题的解答（“课后习题7.2的标准答案”“第3章练习题怎么做”）
                                     r"|习题 ?\d|课后(习)?题|(习题|练习题|作业题).{0,8}(答案|解答|怎么做|怎么解)"),
        # 请它代写（“帮我写一封求职信”“来首七言绝句”“给我写个 Flask 服务代码”）；问怎么写、要计划或复现论文则不是
        "writing_task": re.compile(r"^(?!.*(复现|实现|计划|路线|规划))(.*?(帮我|给我|替我|请你?|麻烦你?))(写|代写|起草|撰写)"
                                   r"(一?[封份首篇段个]|一下)?[^，。？?！!]{0,20}?(求职信|推荐信|自荐信|邮件|诗|绝句|律诗|歌词|文案|小作文"
                                   r"|代码|程序|脚本)|^\W*(来|写)(一?首|一?段)[^，。？?]{0,10}(诗|绝句|律诗|歌|词)"),
    },
    # Calibrated on the eval set's dev split (`python evals/tune.py --margins`) with fp32 vectors (the default onnx,
    # and sentence-transformers), the similarity being the best cosine over every chunk in the question's language:
    # the floor between the off-topic refusals (hiking gear, 0.841) and the least similar answerable question
    # (0.856); with int8 vectors, MENTOR_EMBEDDER=onnx-int8, halfway between 0.860 and 0.863.
    # The best sentence's relevance (min_point), recalibrated when the sections' questions changed the hits: with
    # fp32, halfway between the CUDA-driver question (0.357) and the lowest answerable one (0.412); the visa and
    # salary-negotiation questions (0.501, 0.518) stay answered. Re-measured with hub-free points (538 dev cases):
    # the answerable ones' lowest is 0.588 and every refusal past the similarity floor scores 0.747 or more, so the
    # off-topic margin, not min_point, refuses them. int8: halfway between the banana-bread question
    # (0.377) and the lowest answerable one (0.424); the H1B, cat and driver questions (0.434, 0.465, 0.471) stay
    # answered.
    # sure_point (both embedders): as in English; dev's Chinese refusals peak at 0.57, "训练营值得吗" is 1.28.
    # off_topic_margin and sure_in_domain (rag.answer.off_topic; evals/tune.py --margins): on dev (both languages,
    # fp32, 538 cases) the answerable questions come at most +0.007 closer to an off-topic question than to the
    # guides' hub-free, the refusals the margin catches +0.016 (ByteDance's interview rounds) to +0.14 (the World
    # Cup); one about staying in the US on a work visa (+0.006) stays answered. By plain cosines no refusal comes
    # closer to the guides than −0.041 (a non-compete), so −0.05 or closer is the guides' own ("are bootcamps a
    # waste of money", −0.057). int8: the same margin (answerable at most +0.007, refusals caught from +0.016); its
    # refusals come no closer than −0.027 by plain cosines and the bootcamp question −0.050, so sure_in_domain 0.04.
    # Then the longer list of rag/lang/zh_off_topic.py: a margin of 0.02, a helper's question kept only if every
    # answerable dev question (and each rewritten with 算法岗 for ML engineer, as many Chinese learners say it) stays
    # 0.01 under it (dev's answerable ones come at most +0.010 closer); grown again (217 → 290, new kinds only) and
    # filtered against dev with `d12-` and evals/off_topic_probes.yaml, 0.025 under it as in English; now 51 of the
    # 77 dev refusals the check sees reach the margin. int8 the same margin (answerable at most +0.016; 47 of the 77
    # reach it). One more the round after (291: a reading list on another subject), filtered the same way against dev
    # with d13- to d15-; thresholds unchanged. 22 more the round after that (313), written and kept as in English
    # (0.015 under the margin). The round after, the margin came down to English's 0.015: a blind batch's Chinese
    # near-misses (a pay talk, a course's price this year, a DataLoader error, tax on prize money) came +0.012 to
    # +0.017 closer to the list while its answerable questions came at most +0.008; on dev 5 more refusals reach it
    # (int8: 12) and one answerable question ("上线的推荐模型效果翻车了") was declined until the list's credit-taken
    # question lost the words it shared with it (推荐模型上线效果). sure_in_domain_hub_free as in English;
    # no Chinese dev refusal is left to a rescue (each has BM25 or the margin against it).
    thresholds=Thresholds(min_similarity=0.848, sure_similarity=0.90, min_lexical=3.5, min_point=0.385, sure_point=1.0,
                          off_topic_margin=0.015, sure_in_domain=0.05, sure_in_domain_hub_free=0.02),
    int8_thresholds=Thresholds(min_similarity=0.8615, sure_similarity=0.90, min_lexical=3.5, min_point=0.40, sure_point=1.0,
                               off_topic_margin=0.015, sure_in_domain=0.04, sure_in_domain_hub_free=0.02),
    section_boost=1.1,
    question_words_weight=2.0,
    ui={**UI, **zh_mentor.UI},
    labels={**LABELS, **zh_mentor.LABELS},
    starters=STARTERS,
    off_topic=zh_off_topic.OFF_TOPIC,
)
