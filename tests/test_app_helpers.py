"""The app's pure helpers: safe Markdown, source cards, tables, the feedback store (no Streamlit)."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
import sqlite3

import pytest

from rag.app import cards, feedback
from rag.app.markdown import answer_markdown, stream_pieces
from rag.records import Citation

def test_answer_markdown_escapes_corpus_text_and_links_markers():
    text = "Lead:\n- <script>alert(1)</script> costs $5 *now* [1]\n  Resources: a_b\n**Next**: [x](javascript:y) [2] [7]"
    md = answer_markdown(text, {1, 2}, "src-a")
    assert "<script>" not in md and "\\<script\\>" in md and "\\$5" in md and "\\*now\\*" in md
    assert "[\\[1\\]](#src-a-1)" in md and "[\\[2\\]](#src-a-2)" in md and "\\[7\\]" in md
    assert "\\[x\\]\\(javascript:y\\)" in md and "\n\n**Next**" in md  # a blank line ends the list
    assert "".join(stream_pieces(md, 5)) == md


def test_source_card_escapes_html_and_highlights_the_quote():
    cites = [Citation(1, "d", "T <img src=x onerror=alert(1)>", "javascript:alert(1)", "A > B", "two.", "c1"),
             Citation(1, "d", "T", "", "A > B", "one <b>", "c1")]
    (card,) = cards.source_cards(cites, {"c1": "one <b> and two. $x$"})
    assert card.quotes == ["two.", "one <b>"]
    out = cards.card_html(card, "src-z")
    assert "<img" not in out and "&#60;img" in out and "<b>[1]" in out
    assert "<mark>one &#60;b&#62;</mark>" in out and "<mark>two&#46;</mark>" in out and "&#36;x&#36;" in out
    assert "href=" not in out and 'id="src-z-1"' in out and "§ A › B" in out


def test_feedback_store_round_trip(tmp_path):
    db = tmp_path / "fb" / feedback.FILE_NAME
    assert feedback.list_feedback(db) == [] and feedback.export_csv(db).startswith("id,created_at,rating")
    first = feedback.add(db, "Q1?", "A1 [1]", "up", created_at="2026-01-01T00:00:00+00:00")
    second = feedback.add(db, "问题？", "答案，含逗号", "down", "太短", "embedded", "2026-01-02T00:00:00+00:00")
    feedback.update(db, first, rating="down", comment=" wrong source ")
    rows = feedback.list_feedback(db)
    assert [r["id"] for r in rows] == [second, first]
    assert rows[1]["rating"] == "down" and rows[1]["comment"] == "wrong source"
    exported = list(csv.DictReader(io.StringIO(feedback.export_csv(db))))
    assert [(r["id"], r["rating"], r["comment"], r["answer"]) for r in exported] == [
        (str(second), "down", "太短", "答案，含逗号"), (str(first), "down", "wrong source", "A1 [1]")]
    with pytest.raises(ValueError):
        feedback.add(db, "Q", "A", "meh")
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT count(*) FROM feedback").fetchone()[0] == 2


def test_a_link_in_an_answer_shows_its_address_without_escapes():
    quote = "[Paperswithcode](https://paperswithcode.com/) 是一个寻找有趣研究的好地方。"
    md = answer_markdown(f"Lead:\n- {quote} [1]", {1}, "src")
    assert "`https://paperswithcode.com/`" in md  # code: never autolinked with the escapes around it
    assert "paperswithcode.com/\\" not in md and "%5C" not in md


def test_a_card_shows_corpus_markdown_as_plain_text():
    passage = ("## Tools\n- **Kaggle** is great: [Papers](https://paperswithcode.com/) ![x](img/a.png)\n"
               "> quoted advice\r\r<img src=https://evil.example/x.png>**bold** [link](https://evil.example)")
    (card,) = cards.source_cards([Citation(1, "d", "T", "https://ok.example", "", "**Kaggle** is great", "c1")],
                                 {"c1": passage})
    html = cards.card_html(card, "src")
    shown = re.search(r'class="mentor-passage"[^>]*>(.*?)</div>', html).group(1)
    assert "**" not in shown and "](" not in shown and "![" not in shown and "\n" not in html and "\r" not in html
    assert "<mark>Kaggle is great</mark>" in shown and "Papers" in shown and "quoted advice" in shown
    assert "<img" not in html and "<img src=https://evil.example/x.png>" in htmllib.unescape(shown)
    text = re.sub(r"<[^>]*>", "", html).replace("[1] ", "")  # what the card shows, between its own tags
    assert not re.search(r"[^\w &#;§›]", text), text  # every corpus character that Markdown could read is a reference
    assert html.count("href=") == 1 and 'href="https://ok.example"' in html


def test_taking_back_a_rating_clears_it_and_formula_cells_stay_text(tmp_path):
    db = tmp_path / feedback.FILE_NAME
    row = feedback.add(db, "=1+1", "@SUM(A1)", "down", created_at="2026-01-01T00:00:00+00:00")
    feedback.update(db, row, rating=None, comment="")
    assert feedback.list_feedback(db)[0]["rating"] is None
    exported = list(csv.DictReader(io.StringIO(feedback.export_csv(db))))[0]
    assert exported["question"] == "'=1+1" and exported["answer"] == "'@SUM(A1)"
