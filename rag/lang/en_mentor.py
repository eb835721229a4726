"""English words of the personal mentor: starting-point plans, the learner's profile, progress and history.

Merged into the English pack (rag/lang/en.py); kept apart so each file stays short. Holds words only.
"""

from __future__ import annotations

import re

PHRASES = {
    "plan_assumption_estimate": "Durations come from the guides' estimate for “{name}”: about {months} months at "
                                "{full_time} hours a week ({reading}), scaled to your {hours:g} hours a week.",
    "plan_assumption_project": "The guide gives no exact figure for this starting point, so the months and hours "
                               "above are this project's own reading of its words.",
    "plan_assumption_done": "Counted as done from what you know: {stages}.",
    "plan_assumption_share": "That estimate also covers {stages}, which you have done, so this plan keeps only its "
                             "share for the stages left: about {hours} of its {total} hours.",
    "plan_assumption_later": "Stages after the guide's estimate are listed with this project's own estimate "
                             "(their share of the from-scratch route), not a figure from the guides.",
    "plan_estimate": "The estimate this plan uses, {name}:",
    "hint_plan_app": "Open the Learning plan page for a dated plan.",
    "hint_duration_app": "Open the Learning plan page for a dated plan at your pace.",
    "hint_full_plan_app": "Open the Learning plan page for the full plan with resources, projects and milestones.",
    "hint_paper_app": "Open the Paper plan page to change the weeks and add the link and abstract.",
    "hint_card_app": "Open the Paper plan page and pick {name} for the full dated plan beside its card.",
    "hint_suggest_app": "Ask “plan how I implement <paper>”, or open the Paper plan page for a dated plan.",
    "next_checked": "You have checked off: {items}.",
    "next_milestone": "Your next milestone: {item}",
    "done_confirm": "Did you finish “{item}”? Confirm and I'll record it in your profile.",
    "done_unknown": "I can't tell which milestone or resource that is. The closest ones: {closest}.",
    "done_recorded": "Recorded as done: {item}.",
    "done_already": "Already checked off: {item}. Nothing changed.",
    "done_undone": "Unchecked: {item}.",
    "done_not_checked": "“{item}” was not checked off, so nothing changed.",
    "did_you_mean": "Did you mean {name} (“{title}”)? That one is in the catalogue.",
    "see_catalogue": "Run `mentor paper --list` or ask “Which papers are in the catalogue?” to see the papers it holds.",
    "see_catalogue_app": "Ask “Which papers are in the catalogue?” on the Ask page to see the papers it holds.",
    "catalogue_lead": "The paper catalogue holds {n} papers, each with a card to plan its implementation from "
                      "(prerequisites, a laptop-sized dataset, the build order, a result to reproduce), by field; the "
                      "first ones with the dataset their card starts on:",
    "hint_catalogue": "Run `mentor paper <paper>` for a dated plan from its card, or `mentor paper --list` for this "
                      "list with each card's id.",
    "hint_catalogue_app": "Open the Paper plan page and give a paper's name for a dated plan beside its card.",
}

LABELS = {
    "about_weeks": "about {w} weeks", "estimate": "The estimate this plan uses", "pace": "Pace", "pace_row": "{h:g} h a week: {w} weeks",
    "yours": "yours", "guide_pace": "the guide's pace", "later": "After this plan (this project's own estimate)",
    "project_estimate": "this project's own estimate", "guide_figure": "the guide's figure",
    "project_reading": "this project's reading",
    "catalogue": "The paper catalogue", "papers_count": "{n} papers",
    # the catalogue's fields (rag.ingest.papers.FIELDS)
    "field_vision": "Vision", "field_sequence-nlp": "Sequence models and NLP", "field_generative": "Generative models",
    "field_optimisation-regularisation": "Optimisation and regularisation",
    "field_reinforcement-learning": "Reinforcement learning", "field_graphs": "Graphs",
}

UI = {
    "who": "Who's learning?", "learner": "Learner", "new_learner": "New learner's name", "add_learner": "Add",
    "profile": "Your profile", "save_profile": "Save profile", "saved": "Saved.", "history": "Earlier conversations",
    "no_history": "No earlier conversations yet.", "open": "Open", "delete": "Delete", "new_chat": "New conversation",
    "progress": "Progress", "stage": "Stage", "done": "Done", "total": "Total", "next_milestone": "Next milestone",
    "all_done": "Every milestone is checked. Well done!", "redated": "The rest of the plan, re-dated from today",
    "check": "Check off what you finished", "confirm_done": "Yes, record it", "cancel_done": "No",
    "recorded": "Recorded: {item}", "estimate": "The estimate this plan uses", "pace": "Pace: weeks at other hours a week",
    "later": "After this plan (this project's own estimate)", "hours_short": "h/week", "weeks_short": "weeks",
    # `mentor profile`: one "label: value" line each
    "profile_line": "{label}: {value}", "knows": "Knows", "hours_a_week": "Hours a week", "checked": "Checked",
    "profile_counts": "Conversations: {conversations} · saved plans: {plans}",
    # `mentor done`: other items the words match nearly as well
    "also_close": "Also close: {items}",
}

# "I finished Andrew Ng's course", "I've completed CS50", "done with the Kaggle competition": group "item".
FINISHED = re.compile(r"^\s*(?:i(?:'ve| have)?\s+(?:just\s+)?(?:finished|completed|done|passed)|i'm done with|done with)"
                      r"\s+(?P<item>[^?]{2,120}?)\s*[.!]*$", re.I)

# The whole catalogue asked for ("Which papers are in the catalogue?", "What papers do you have?", "list the papers"),
# the question whole: "Which papers should I read about transformers?" asks for a suggestion.
CATALOGUE = re.compile(r"^\W*(?:so\W+|and\W+)?(?:(?:which|what) (?:papers|paper cards) (?:are|do you have) (?:there )?(?:in|on) "
                       r"(?:the|your) (?:paper )?(?:catalog(?:ue)?|list)|what(?:'s| is) (?:there )?in (?:the|your) (?:paper )?catalog(?:ue)?"
                       r"|(?:which|what) papers (?:do you (?:have|know|cover|hold)|(?:are|can) you (?:cover|plan)"
                       r"|(?:does|do) (?:the|your) (?:paper )?catalog(?:ue)? (?:have|hold|contain|cover)))\W*$"
                       r"|^\W*(?:(?:please |can you |could you )?(?:list|show)(?: me)?|what(?:'s| is)) (?:all )?(?:the |your )?"
                       r"(?:papers(?: you have| in (?:the|your) (?:paper )?catalog(?:ue)?)?|paper (?:catalog(?:ue)?|cards|list)"
                       r"|catalog(?:ue)? of papers)(?:\W+please)?\W*$", re.I)
