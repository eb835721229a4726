"""Sentence selection and citation checking, worked by hand on small chunks."""

from __future__ import annotations

from dataclasses import replace

from rag.answer.citations import check_citations, number_citations, render_points, sources_block
from rag.answer.compose import Scored, language_factor, near_duplicate, pick, select
from rag.answer.context import read_on_their_own
from rag.ingest.sentences import Quotable, candidate_sentences
from rag.answer.pipeline import nearest_topics
from rag.lang.text import expand, tokenize
from rag.records import Hit


def hit(cid, text, heading="Guide > Section", doc="g", kind="guide"):
    return Hit(cid, doc, "Title " + doc, heading, "https://example.org/" + doc, kind, text, 0, len(text), 0, 1.0, 0.9, 1, 1)


def flat_idf(term):
    return 1.0


def test_candidates_strip_list_markers_and_stay_verbatim():
    h = hit("c", "以下是:\n- 先学 Python。\n1. 再学数学。\n![](img/x.png)")
    sentences = candidate_sentences(h)
    assert sentences == ["先学 Python。", "再学数学。"]  # a bare lead-in and an image say nothing to quote
    assert all(s in h.text for s in sentences)


def test_near_duplicates_by_character_bigrams():
    assert near_duplicate("学习 Python 很重要。", "学习 Python 很重要！")
    assert not near_duplicate("学习 Python 很重要。", "数学也很重要。")


def test_select_puts_the_best_sentence_first_and_skips_duplicates_and_off_point_ones():
    hits = [
        hit("a", "天气很好。学习数学很重要。学习数学很重要！"),
        hit("b", "Kaggle 是比赛网站。数学基础包括线性代数。", doc="h"),
    ]
    picks = select(tokenize(expand("数学")), hits, "zh", flat_idf, max_points=3)
    # 数学 and 线性代数 (the guides' word for part of it) beat 数学 alone; the weather shares nothing
    assert [(h.chunk_id, q.original) for h, q in picks] == [("b", "数学基础包括线性代数。"), ("a", "学习数学很重要。")]


def test_a_sentence_found_through_a_rendering_is_shown_in_it_and_cited_in_the_original():
    rendered = replace(hit("z", "先学 Python。再学数学。"), alignment=(("先学 Python。", "Learn Python first."),
                                                                  ("再学数学。", "Then learn the math.")))
    picks = select(tokenize("math"), [rendered], "en", flat_idf, max_points=1)
    assert [(q.original, q.shown) for _, q in picks] == [("再学数学。", "Then learn the math.")]
    (citation,) = number_citations(picks)
    assert (citation.quote, citation.quote_translation, citation.quote_language) == ("再学数学。", "Then learn the math.", "zh")
    body = "\n".join(["Lead:", *render_points([citation], "en")])
    assert body.endswith("- Then learn the math. (translated from the Chinese guide) [1]")
    assert check_citations(body, [citation], [rendered]) == []
    forged = replace(citation, quote_translation="Then learn the physics.")  # a translation the guide does not give
    forged_body = "\n".join(["Lead:", *render_points([forged], "en")])
    assert "is not the aligned rendering" in check_citations(forged_body, [forged], [rendered])[0]


def test_a_point_that_goes_on_from_the_sentence_before_is_shown_with_it():
    rendered = replace(hit("z", "课程有时会给你顶点项目。如果没有，你可以自己做一个项目。\n\n- 然后写简历。"),
                       alignment=(("课程有时会给你顶点项目。", "Sometimes your course gives you capstone projects."),
                                  ("如果没有，你可以自己做一个项目。", "If it doesn't, you can do a project of your own."),
                                  ("然后写简历。", "Then write your résumé.")))
    picks = read_on_their_own([(rendered, Quotable("如果没有，你可以自己做一个项目。", "If it doesn't, you can do a project of your own.")),
                               (rendered, Quotable("然后写简历。", "Then write your résumé."))])
    context, item = [(q.original, q.shown) for _, q in picks]
    assert context == ("课程有时会给你顶点项目。如果没有，你可以自己做一个项目。",
                       "Sometimes your course gives you capstone projects. If it doesn't, you can do a project of your own.")
    assert item == ("然后写简历。", "Then write your résumé.")  # a list item after a paragraph: nothing before it to read it with
    citations = number_citations(picks)
    body = "\n".join(["Lead:", *render_points(citations, "en")])
    assert check_citations(body, citations, [rendered]) == []  # the span is verbatim, its rendering aligned
    already = read_on_their_own([(rendered, Quotable("课程有时会给你顶点项目。", "Sometimes your course gives you capstone projects.")),
                                 (rendered, Quotable("如果没有，你可以自己做一个项目。", "If it doesn't, you can do a project of your own."))])
    # both picked: one point, each sentence once
    assert [q.original for _, q in already] == ["课程有时会给你顶点项目。如果没有，你可以自己做一个项目。"]


def test_a_point_is_shown_with_the_sentence_that_says_how_and_a_stated_problem_with_what_it_is_about():
    how = replace(hit("h", "你还需要展示你的技能。你可以通过参加实习来实现这一点。FreeCodeCamp 的创始人写过一本书。"),
                  alignment=(("你还需要展示你的技能。", "You also need to demonstrate your skills."),
                             ("你可以通过参加实习来实现这一点。", "You can do this by doing internships."),
                             ("FreeCodeCamp 的创始人写过一本书。", "The founder of FreeCodeCamp wrote a book.")))
    skills = read_on_their_own([(how, Quotable("你还需要展示你的技能。", "You also need to demonstrate your skills."))])
    assert [q.shown for _, q in skills] == ["You also need to demonstrate your skills. You can do this by doing internships."]
    tuning = hit("t", "有几个超参数需要调整。问题是大部分都不重要。")
    problem = read_on_their_own([(tuning, Quotable("问题是大部分都不重要。", "问题是大部分都不重要。"))])
    assert [q.original for _, q in problem] == ["有几个超参数需要调整。问题是大部分都不重要。"]
    alone = hit("b", "Learn Python. The book is free.")
    assert [q.shown for _, q in read_on_their_own([(alone, Quotable(*["Learn Python."] * 2))])] == ["Learn Python."]


def test_an_example_and_the_claim_it_illustrates_are_one_point():
    bugs = replace(hit("x", "最棘手的是隐蔽的逻辑错误。例如，模型训练顺利完成，结果却悄悄错了。要多休息。"),
                   alignment=(("最棘手的是隐蔽的逻辑错误。", "The trickiest are hidden logic errors."),
                              ("例如，模型训练顺利完成，结果却悄悄错了。", "For example, the model trains fine but is quietly wrong."),
                              ("要多休息。", "Rest more.")))
    picks = read_on_their_own([(bugs, Quotable("例如，模型训练顺利完成，结果却悄悄错了。",
                                               "For example, the model trains fine but is quietly wrong."))])
    assert [q.shown for _, q in picks] == ["The trickiest are hidden logic errors. For example, the model trains fine but "
                                           "is quietly wrong."]
    claim = read_on_their_own([(bugs, Quotable("最棘手的是隐蔽的逻辑错误。", "The trickiest are hidden logic errors."))])
    assert [q.original for _, q in claim] == ["最棘手的是隐蔽的逻辑错误。例如，模型训练顺利完成，结果却悄悄错了。"]  # and a claim with it


def test_two_points_where_one_goes_on_from_the_other_become_one_in_reading_order():
    chunk = replace(hit("m", "许多人以为会玩花哨的模型。别误会，有些人会，但不多。事实是时间花在数据上。"),
                    alignment=(("许多人以为会玩花哨的模型。", "Many think they will play with fancy models."),
                               ("别误会，有些人会，但不多。", "Don't get me wrong, some do, but not many."),
                               ("事实是时间花在数据上。", "The truth is the time goes on data.")))
    picks = read_on_their_own([(chunk, Quotable("别误会，有些人会，但不多。", "Don't get me wrong, some do, but not many.")),
                               (chunk, Quotable("事实是时间花在数据上。", "The truth is the time goes on data.")),
                               (chunk, Quotable("许多人以为会玩花哨的模型。", "Many think they will play with fancy models."))])
    assert [q.shown for _, q in picks] == ["Many think they will play with fancy models. Don't get me wrong, some do, but not many.",
                                           "The truth is the time goes on data."]
    assert [q.original for _, q in picks][0] == "许多人以为会玩花哨的模型。别误会，有些人会，但不多。"


def test_three_picks_in_a_row_are_one_point_and_a_joined_point_keeps_the_sentence_it_goes_on_from():
    rendered = replace(hit("r", "一个人学习很难。加入社区可以解决这个问题。然后你会进步。要多休息。"),
                       alignment=(("一个人学习很难。", "Learning alone is hard."),
                                  ("加入社区可以解决这个问题。", "Joining a community can solve this problem."),
                                  ("然后你会进步。", "Then you will improve."),
                                  ("要多休息。", "Rest as well.")))
    picks = read_on_their_own([(rendered, Quotable("然后你会进步。", "Then you will improve.")),
                               (rendered, Quotable("一个人学习很难。", "Learning alone is hard.")),
                               (rendered, Quotable("加入社区可以解决这个问题。", "Joining a community can solve this problem."))])
    assert [q.original for _, q in picks] == ["一个人学习很难。加入社区可以解决这个问题。然后你会进步。"]  # each sentence once
    two = hit("t", "Learning alone is hard. But a community helps. It also keeps you going.")
    joined_up = read_on_their_own([(two, Quotable(*["But a community helps."] * 2)),
                                   (two, Quotable(*["It also keeps you going."] * 2))])
    assert [q.shown for _, q in joined_up] == ["Learning alone is hard. But a community helps. It also keeps you going."]


def test_a_point_is_shown_with_the_sentence_that_resolves_it_and_three_in_a_row_still_check():
    rendered = replace(hit("z", "一个人学习很难。加入社区可以解决这个问题。然后你会进步。要多休息。"),
                       alignment=(("一个人学习很难。", "Learning alone is hard."),
                                  ("加入社区可以解决这个问题。", "Joining a community can solve this problem."),
                                  ("然后你会进步。", "Then you will improve."),
                                  ("要多休息。", "Rest as well.")))
    problem = read_on_their_own([(rendered, Quotable("一个人学习很难。", "Learning alone is hard."))])
    assert [q.shown for _, q in problem] == ["Learning alone is hard. Joining a community can solve this problem."]
    middle = read_on_their_own([(rendered, Quotable("加入社区可以解决这个问题。", "Joining a community can solve this problem."))])
    assert [q.original for _, q in middle] == ["加入社区可以解决这个问题。然后你会进步。"]  # "然后…" goes on from it
    three = read_on_their_own([(rendered, Quotable("然后你会进步。", "Then you will improve."))])
    assert [q.shown for _, q in three] == ["Joining a community can solve this problem. Then you will improve."]
    run = Quotable("一个人学习很难。加入社区可以解决这个问题。然后你会进步。",
                   "Learning alone is hard. Joining a community can solve this problem. Then you will improve.")
    citations = number_citations([(rendered, run)])
    body = "\n".join(["Lead:", *render_points(citations, "en")])
    assert check_citations(body, citations, [rendered]) == []  # a run of three aligned sentences holds
    skipped = Quotable("一个人学习很难。然后你会进步。", "Learning alone is hard. Then you will improve.")
    citations = number_citations([(rendered, skipped)])
    body = "\n".join(["Lead:", *render_points(citations, "en")])
    assert check_citations(body, citations, [rendered])  # not a span of the chunk: it does not hold


def test_later_points_must_bear_more_and_the_sources_are_capped():
    words = ["Learn Python early.", "Linear algebra matters.", "Deploy with Docker.", "Kaggle builds practice.",
             "Read papers weekly.", "Write clean code."]
    hits = [hit(f"c{i}", w) for i, w in enumerate(words)]

    def scored(fifth):
        scores = [1.0, 0.9, 0.8, 0.7, fifth, 0.4]
        return [Scored(x, x, i, 0, Quotable(w, w)) for i, (x, w) in enumerate(zip(scores, words))]

    ratios = (1.0, 0.35, 0.35, 0.35, 0.7)
    assert len(pick(scored(0.6), hits, ratios)) == 4  # a fifth under 0.7 of the opening is not shown
    assert [q.shown for _, q in pick(scored(0.75), hits, ratios)] == [*words[:3], words[4], words[3]]  # best first
    assert len(pick(scored(0.75), hits, ratios, max_sources=2)) == 2  # k sources, one sentence each here
    assert pick(scored(0.75), hits, ratios, best_floor=2.0) == []
    lifted = [Scored(5.0, 5.0, 5, 0, Quotable(words[5], words[5]), plain=0.4), *scored(0.6)]  # it answers a close question
    assert [q.shown for _, q in pick(lifted, hits, ratios)][:5] == [words[5], *words[:4]]  # first, and sets no bar


def test_a_point_reads_markdown_links_as_words_and_its_citation_keeps_them():
    text = "社区很重要，比如 [Kaggle](https://www.kaggle.com/) 是*数据科学家*聚集的好地方。"
    h = hit("k", text)
    citations = number_citations([(h, Quotable(text, text))])
    body = "\n".join(["Lead:", *render_points(citations, "zh")])
    assert body.endswith("- 社区很重要，比如 Kaggle 是数据科学家聚集的好地方。 [1]")
    assert citations[0].quote == text and check_citations(body, citations, [h]) == []  # the quote stays verbatim
    forged = body.replace("数据科学家", "明星")
    assert "is not in the text of [1]" in check_citations(forged, citations, [h])[0]


def test_an_english_question_prefers_the_english_section_of_a_note():
    english = hit("en", "Kaggle hosts competitions.", heading="Kaggle > English", kind="site")
    chinese = hit("zh", "Kaggle 举办机器学习比赛。", heading="Kaggle > 中文", kind="site")
    assert language_factor(english, "en", 0.3) > language_factor(chinese, "en", 0.3)
    assert language_factor(chinese, "zh", 0.3) > language_factor(english, "zh", 0.3)
    picks = select(tokenize("Kaggle competitions"), [chinese, english], "en", flat_idf, max_points=1)
    assert picks[0][0].chunk_id == "en"


def test_citations_share_a_number_per_chunk_and_are_checked():
    a, b = hit("a", "先学 Python。再学数学。"), hit("b", "然后参加 Kaggle。", doc="h")
    citations = number_citations([(a, Quotable(q, q)) for q in ("先学 Python。", "再学数学。")] +
                                 [(b, Quotable("然后参加 Kaggle。", "然后参加 Kaggle。"))])
    assert [c.n for c in citations] == [1, 1, 2]
    body = "\n".join(["Lead:", *render_points(citations, "zh")])
    assert check_citations(body, citations, [a, b]) == []
    assert check_citations(body.replace("再学数学", "再学物理"), citations, [a, b]) == [
        'point 2: "再学物理。" is not in the text of [1]']
    assert "not retrieved" in check_citations(body, citations, [a])[0]
    assert check_citations("- 先学 Python。 [7]", citations, [a]) == ["point 1: [7] names no citation"]
    assert check_citations("- A paraphrase “再学数学。” [1]", citations, [a]) == []
    assert sources_block(citations, "Sources").splitlines() == [
        "Sources:", "[1] Title g — Guide > Section — https://example.org/g", "[2] Title h — Guide > Section — https://example.org/h"]


def test_nearest_topics_name_sections_without_language_labels():
    hits = [hit("a", "x", heading="Kaggle > English", doc="kaggle"), hit("b", "y", heading="A > 数学", doc="g")]
    assert nearest_topics(hits) == ["Title kaggle › Kaggle", "A › 数学"]  # a guide's heading, in its own language


def test_a_list_answers_what_its_introduction_promises():
    text = ("Kaggle hosts competitions for everyone.\n\nHere are some things you should avoid on Kaggle:\n\n"
            "- Never copy and submit public solutions.\n- Don't chase the leaderboard by tuning hyperparameters.")
    h = hit("k", text)
    terms = tokenize("What should I avoid on Kaggle?")
    plain = select(terms, [h], "en", flat_idf, max_points=2, introduction_weight=0.0)
    introduced = select(terms, [h], "en", flat_idf, max_points=2, introduction_weight=0.5)
    assert "Never copy and submit public solutions." not in [q.shown for _, q in plain]
    assert "Never copy and submit public solutions." in [q.shown for _, q in introduced]


def test_a_one_word_item_of_a_list_is_a_point_only_when_the_question_names_it():
    # (斯卡拉 and C++ are too short to quote in the original at all)
    text = "你可能想学习的其他语言包括:\n\n- C++\n- 斯卡拉\n- 矩阵实验室"  # found through its English rendering
    h = replace(hit("l", text), alignment=(("你可能想学习的其他语言包括:", "Other languages you may want to learn include:"),
                                           ("C++", "C++"), ("斯卡拉", "Scala"), ("矩阵实验室", "MATLAB")))
    asked = [q.shown for _, q in select(tokenize("is MATLAB worth learning besides Python?"), [h], "en", flat_idf,
                                        max_points=3, introduction_weight=0.5)]
    assert asked == ["Other languages you may want to learn include:", "MATLAB"]
    other = [q.shown for _, q in select(tokenize("which other languages should I learn?"), [h], "en", flat_idf,
                                        max_points=3, introduction_weight=0.5)]
    assert "MATLAB" not in other


def test_a_lead_in_is_shown_with_the_items_it_introduces_before_the_chunks_other_points():
    text = ("ML engineers carry out many different tasks, such as—\n\n- Running experiments.\n- Deploying models.\n"
            "- Cleaning data.\n\nThey also work with researchers and product managers.")
    h, other = hit("t", text), hit("o", "Something else entirely matters here.")
    lead, running, deploying, cleaning, also = ("ML engineers carry out many different tasks, such as—", "Running experiments.",
                                                 "Deploying models.", "Cleaning data.",
                                                 "They also work with researchers and product managers.")

    def scored(*scores, first=lead):
        return [Scored(x, x, 0, i, Quotable(w, w)) for i, (x, w) in
                enumerate(zip(scores, [first, running, deploying, cleaning, also]))]

    ratios = (1.0, 0.35, 0.35, 0.35, 0.7)

    def shown(items, **kw):
        return [q.shown for _, q in pick(items, [h, other], ratios, **kw)]

    # The lead-in opens; its best items follow in the chunk's order, as many as the chunk's other chosen point (a
    # sentence that answers too) leaves room for; without that point, the best two.
    assert shown(scored(1.0, 0.2, 0.3, 0.25, 0.9), per_chunk=3) == [lead, deploying, also]
    assert shown(scored(1.0, 0.2, 0.3, 0.25, 0.1), per_chunk=3) == [lead, deploying, cleaning]
    assert shown(scored(1.0, 0.2, 0.3, 0.25, 0.9), per_chunk=5) == [lead, running, deploying, cleaning, also]
    # An item chosen on its own (here the opening) joins its lead-in's group, which keeps the opening place.
    assert shown(scored(0.9, 0.2, 1.0, 0.25, 0.1), per_chunk=3) == [lead, deploying, cleaning]
    assert shown(scored(0.9, 0.2, 1.0, 0.25, 0.5), per_chunk=3) == [lead, deploying, also]
    # A lead-in with no room for an item after it is not shown.
    elsewhere = [Scored(2.0, 2.0, 1, 0, Quotable("Something else entirely matters here.", "Something else entirely matters here.")),
                 *scored(1.0, 0.2, 0.3, 0.25, 0.1)]
    assert [q.shown for _, q in pick(elsewhere, [h, other], (1.0, 0.35), per_chunk=3)] == ["Something else entirely matters here."]
    # Without a lead-in, items under the bar stay out.
    plain = "ML engineers do many tasks."
    assert shown(scored(1.0, 0.2, 0.3, 0.25, 0.9, first=plain), per_chunk=3) == [plain, also]


def test_a_sentence_the_next_one_explains_answers_what_its_explanation_answers():
    text = ("Start with images. Learn and practice data augmentation. "
            "It is a basic idea in deep learning, because neural networks tend to overfit.")
    h = hit("z", text)
    picks = select(tokenize("my network overfits, what am I missing?"), [h], "en", flat_idf, max_points=2)
    shown = [q.shown for _, q in picks]
    # The advice shares nothing with the question; the sentence after it, which explains it, does.
    assert "Learn and practice data augmentation." in shown and "Start with images." not in shown


def test_nothing_is_shown_when_the_most_relevant_sentence_is_under_the_best_floor():
    hits = [hit("a", "Negotiating a job offer takes practice. Kaggle hosts competitions.")]
    terms = tokenize("how do I negotiate my offer's stock grant?")
    assert select(terms, hits, "en", flat_idf, max_points=2)  # a sentence shares words with the question
    assert select(terms, hits, "en", flat_idf, max_points=2, best_floor=0.9) == []  # but not enough to answer it
