"""Chinese words of the personal mentor: starting-point plans, the learner's profile, progress and history, and the
topics it does not cover.

Merged into the Chinese pack (rag/lang/zh.py); kept apart so each file stays short. Holds words only.
"""

from __future__ import annotations

import re

PHRASES = {
    "plan_assumption_estimate": "时长按指南对“{name}”的估计计算：约 {months} 个月、每周 {full_time} 小时（{reading}），"
                                "再按你每周 {hours:g} 小时换算。",
    "plan_assumption_project": "指南没有为这个起点给出具体数字，上面的月数和小时数是本项目对原文的理解。",
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
}

LABELS = {
    "about_weeks": "约 {w} 周", "estimate": "本计划采用的估计", "pace": "学习节奏", "pace_row": "每周 {h:g} 小时：{w} 周", "yours": "你的",
    "guide_pace": "指南的节奏", "later": "本计划之后（本项目自己的估计）", "project_estimate": "本项目自己的估计",
    "guide_figure": "指南给出的数字", "project_reading": "本项目的理解",
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
}

# "我学完了吴恩达的课程", "我完成了 CS50", "我已经学完了深度学习专项课程": group "item".
FINISHED = re.compile(r"^\s*我(?:已经|刚刚|刚)?(?:学完了?|完成了|做完了|上完了|看完了)\s*(?P<item>[^？?]{2,80}?)\s*[。！!]*$")

# The English pack's off_topic kinds of topic (rag/lang/en_mentor.py), as a Chinese learner asks them, and one
# more a Chinese graduate meets (residence registration, 落户).
OFF_TOPIC = (
    "工作签证怎么申请？出国工作要办什么手续？",
    "绿卡或者工签没批下来还能怎么办？",
    "跟 HR 谈薪资待遇，怎么多要点钱和股票？",
    "外国员工的工作签证公司给办吗？",
    "签证快到期了，怎么才能留在国外继续工作？",
    "大厂面试一般要面几轮，面完多久出结果？",
    "谷歌或者 Meta 的面试流程是怎样的，每一轮都考什么？",
    "工作签证或者绿卡还在办，这时候能跳槽换公司吗？",
    "某位知名 AI 学者在哪读的博士，导师是谁？",
    "股票期权或者 RSU 要交多少税？",
    "公司能不能要求拥有我业余时间做的项目？",
    "试用期被公司辞退了，能拿到赔偿吗？",
    "应届生落户怎么办理，积分怎么算？",
    "自己装机要配多大的电源，选什么配件？",
    "现在的公司给我涨薪挽留，要不要接受？",
    "买电脑该选哪款显卡？",
    "笔记本电脑买哪个牌子好？",
    "想买台电脑跑深度学习，买笔记本还是台式机，配什么显卡？",
    "电脑识别不到显卡，驱动怎么装怎么更新？",
    "pip 安装包一直报错怎么解决？",
    "电脑又卡又烫怎么办？",
    "现在买哪只股票或者哪个币能赚钱？",
    "个税怎么申报？",
    "劳动合同纠纷要不要请律师？",
    "市场营销岗位的求职信怎么写？",
    "今天晚饭做点什么好吃的？",
    "放假去哪里旅游比较好？",
    "怎么减肥健身？",
    "我感冒了该吃什么药？",
    "猫狗怎么养？",
    "租房子怎么跟房东打交道？",
    "昨晚的球赛谁赢了？",
    "今天有什么新闻？",
    "推荐一部好看的电影或者电视剧。",
    "怎么处理和对象的关系？",
    "怎么学弹吉他？",
    "车坏了怎么修？",
)
