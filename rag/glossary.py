"""A small English→Chinese glossary of ML-career terms, to bridge English questions to the Chinese guides.

Also a few Chinese synonyms for words the guides phrase differently (复现 → 实现).

BM25 cannot match "math" to "数学"; appending the Chinese terms of the English
words in a question lets the lexical retriever find Chinese passages. Pure
function, no model; it only adds terms, it never removes the user's words.
"""

from __future__ import annotations

import re

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
WORD = re.compile(r"[a-zA-Z][a-zA-Z\-]*")
# Chinese words of questions that the guides say differently (and the English spelling
# of names the notes use), so BM25 can still match them.
ZH_SYNONYMS: dict[str, str] = {
    "复现": "实现 实施 研究论文", "论文": "研究论文", "薪水": "工资 底薪", "工资": "底薪", "转行": "转换 转向",
    "paperswithcode": "papers with code", "博士": "学位", "面试": "面试问题", "作品集": "投资组合 项目",
    "比赛": "竞赛 kaggle", "竞赛": "比赛", "数学": "微积分 线性代数 概率论", "部署": "容器化 微服务",
}


def expand(question: str) -> str:
    """The question plus the Chinese terms of its English words.

    >>> expand("How much math?")
    'How much math? 数学 微积分 线性代数 概率论'
    """
    extra: list[str] = []
    for word in WORD.findall(question):
        term = lookup(word.lower())
        if term and term not in extra:
            extra.append(term)
    lowered = question.lower()
    for word, term in ZH_SYNONYMS.items():
        if word in lowered and term not in extra:
            extra.append(term)
    return f"{question} {' '.join(extra)}" if extra else question


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
