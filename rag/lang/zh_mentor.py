"""Chinese words of the personal mentor: starting-point plans, the learner's profile, progress and history.

Merged into the Chinese pack (rag/lang/zh.py); kept apart so each file stays short. Holds words only.
"""

from __future__ import annotations

import re

PHRASES = {
    "plan_assumption_estimate": "时长按指南对“{name}”的估计计算：约 {months} 个月、每周 {full_time} 小时（{reading}），"
                                "再按你每周 {hours:g} 小时换算。",
    "plan_assumption_project": "指南没有为这个起点给出具体数字，上面的月数和小时数是本项目对原文的理解。",
    "plan_assumption_done": "根据你已经会的内容，这些阶段按已完成计：{stages}。",
    "plan_assumption_share": "这个估计还包括你已经完成的{stages}，所以本计划只取其中剩余阶段的份额：约 {hours} 小时（共 {total} 小时）。",
    "plan_assumption_later": "指南估计范围之后的阶段使用本项目自己的估计（按从零开始路线的比例），不是指南给出的数字。",
    "plan_estimate": "本计划采用的估计（{name}）：",
    "hint_plan_app": "打开“学习计划”页面可以得到带日期的计划。",
    "hint_duration_app": "打开“学习计划”页面可以按你的时间得到带日期的计划。",
    "hint_full_plan_app": "打开“学习计划”页面可以看到含资源、项目和里程碑的完整计划。",
    "hint_paper_app": "打开“论文计划”页面可以调整周数、加入链接和摘要。",
    "hint_card_app": "打开“论文计划”页面并选择 {name}，可以在论文卡片旁看到带日期的完整计划。",
    "hint_suggest_app": "可以问“帮我制定复现 <论文> 的计划”，或打开“论文计划”页面得到带日期的计划。",
    "next_checked": "你已经完成：{items}。",
    "next_milestone": "你的下一个里程碑：{item}",
    "done_confirm": "你完成了“{item}”吗？确认后我会把它记录到你的档案里。",
    "done_unknown": "我没法确定你指的是哪个里程碑或资源。最接近的是：{closest}。",
    "done_recorded": "已记录为完成：{item}。",
    "done_already": "早已记录为完成：{item}。没有改动。",
    "done_undone": "已取消完成记录：{item}。",
    "done_not_checked": "“{item}”本来就没有记录为完成，没有改动。",
    "did_you_mean": "你是不是想找 {name}（《{title}》）？论文目录里有这一篇。",
    "see_catalogue": "运行 `mentor paper --list` 或问“目录里有哪些论文？”，可以看到目录收录的论文。",
    "see_catalogue_app": "在“提问”页问“目录里有哪些论文？”，可以看到目录收录的论文。",
    "catalogue_lead": "论文目录收录了 {n} 篇论文，每篇都有一张卡片（前置知识、适合笔记本的数据集、实现顺序、要复现的结果），"
                      "可以据此制定复现计划。按领域列出，前几篇附上卡片建议先用的数据集：",
    "hint_catalogue": "运行 `mentor paper <论文>` 可以根据卡片得到带日期的计划；`mentor paper --list` 列出全部论文和每张卡片的 id。",
    "hint_catalogue_app": "打开“论文计划”页面并输入论文名称，可以在论文卡片旁看到带日期的计划。",
}

LABELS = {
    "about_weeks": "约 {w} 周", "estimate": "本计划采用的估计", "pace": "学习节奏", "pace_row": "每周 {h:g} 小时：{w} 周", "yours": "你的",
    "guide_pace": "指南的节奏", "later": "本计划之后（本项目自己的估计）", "project_estimate": "本项目自己的估计",
    "guide_figure": "指南给出的数字", "project_reading": "本项目的理解",
    "catalogue": "论文目录", "papers_count": "{n} 篇论文",
    # 论文目录的领域（rag.ingest.papers.FIELDS）
    "field_vision": "计算机视觉", "field_sequence-nlp": "序列模型与自然语言处理", "field_generative": "生成模型",
    "field_optimisation-regularisation": "优化与正则化", "field_reinforcement-learning": "强化学习", "field_graphs": "图学习",
}

UI = {
    "who": "谁在学习？", "learner": "学习者", "new_learner": "新学习者的名字", "add_learner": "添加",
    "profile": "你的档案", "save_profile": "保存档案", "saved": "已保存。", "history": "以前的对话",
    "no_history": "还没有以前的对话。", "open": "打开", "delete": "删除", "new_chat": "新对话",
    "progress": "进度", "stage": "阶段", "done": "已完成", "total": "总数", "next_milestone": "下一个里程碑",
    "all_done": "所有里程碑都已完成，太棒了！", "redated": "计划的其余部分，从今天起重新排期",
    "check": "勾选你已经完成的", "confirm_done": "是的，记录下来", "cancel_done": "不是",
    "recorded": "已记录：{item}", "estimate": "本计划采用的估计", "pace": "节奏：不同每周小时数所需的周数",
    "later": "本计划之后（本项目自己的估计）", "hours_short": "小时/周", "weeks_short": "周",
    # `mentor profile`：每行“标签：值”
    "profile_line": "{label}：{value}", "knows": "已掌握", "hours_a_week": "每周小时数", "checked": "已勾选",
    "profile_counts": "对话：{conversations} · 已保存的计划：{plans}",
    # `mentor done`：同样接近的其他条目
    "also_close": "同样接近的还有：{items}",
}

# "我学完了吴恩达的课程", "我完成了 CS50", "我已经学完了深度学习专项课程": group "item".
FINISHED = re.compile(r"^\s*我(?:已经|刚刚|刚)?(?:学完了?|完成了|做完了|上完了|看完了)\s*(?P<item>[^？?]{2,80}?)\s*[。！!]*$")

# 问整个论文目录（“目录里有哪些论文？”“你有哪些论文？”“列出所有论文”），整句都是这个意思：“有哪些论文适合入门？”是在求推荐。
CATALOGUE = re.compile(r"^\W*(?:你的|这个)?(?:论文)?目录(?:里|中|里面)?(?:都|一共)?(?:有|收录了?)(?:哪些|什么|多少)(?:篇)?(?:论文)?(?:卡片)?\W*$"
                       r"|^\W*你(?:这里|这儿)?(?:都|一共)?(?:有|收录了?)(?:哪些|什么|多少篇)论文(?:卡片)?\W*$"
                       r"|^\W*(?:请|帮我)?(?:列出|列一下|看看|看一下|给我看看?)(?:所有|全部)?的?论文(?:目录|列表|卡片)?\W*$"
                       r"|^\W*(?:论文目录|论文列表)(?:里)?(?:都)?(?:是什么|有哪些|有什么)?\W*$"
                       r"|^\W*(?:都|一共)?有哪些论文(?:卡片)?\W*$")
