"""A small English→Chinese glossary of ML-career terms, to bridge English questions to the Chinese guides.

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
    "researcher": "研究员", "research": "研究", "scientist": "科学家", "developer": "开发人员",
    "data": "数据", "science": "科学", "deep": "深度学习", "neural": "神经网络",
    "math": "数学", "maths": "数学", "mathematics": "数学", "statistics": "统计学", "probability": "概率论",
    "calculus": "微积分", "algebra": "线性代数", "linear": "线性代数",
    "programming": "编程", "code": "代码 编程", "coding": "编码 编程", "software": "软件工程",
    "python": "python", "job": "工作 职位", "jobs": "工作", "career": "职业", "salary": "工资 薪资",
    "long": "多久 时间", "take": "需要", "become": "成为", "time": "时间", "months": "月", "degree": "学位", "phd": "博士学位",
    "course": "课程", "courses": "课程", "book": "书籍", "books": "书籍",
    "competition": "比赛 竞赛", "competitions": "比赛 竞赛", "kaggle": "kaggle",
    "deploy": "部署", "deployment": "部署", "production": "生产", "infrastructure": "基础设施",
    "cleaning": "清理", "labeling": "标记 标注", "labelling": "标记 标注", "label": "标记",
    "business": "业务 商业", "goals": "目标", "goal": "目标", "experiments": "实验", "experiment": "实验",
    "paper": "论文", "papers": "论文", "implement": "实现", "implementing": "实现", "reproduce": "复现",
    "portfolio": "作品集 投资组合", "project": "项目", "projects": "项目", "interview": "面试",
    "skills": "技能", "skill": "技能", "requirements": "要求", "responsibilities": "职责", "duties": "职责",
    "mentor": "导师", "networking": "人脉", "switch": "转换 转行", "transition": "转型",
    "difference": "区别 不同", "tradeoffs": "权衡", "trade-offs": "权衡", "roi": "投资回报",
    "latency": "延迟", "framework": "框架", "tabular": "表格数据", "vision": "计算机视觉",
    "nlp": "自然语言处理", "mlops": "mlops", "theory": "理论", "truths": "真相",
}
WORD = re.compile(r"[a-zA-Z][a-zA-Z\-]*")


def expand(question: str) -> str:
    """The question plus the Chinese terms of its English words.

    >>> expand("How much math?")
    'How much math? 数学'
    """
    extra: list[str] = []
    for word in WORD.findall(question):
        term = GLOSSARY.get(word.lower())
        if term and term not in extra:
            extra.append(term)
    return f"{question} {' '.join(extra)}" if extra else question
