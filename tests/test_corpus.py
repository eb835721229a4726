"""Corpus files: the shipped corpus is complete and valid; each kind of bad file is named and skipped."""

from __future__ import annotations

import shutil

import pytest
import yaml

from rag.ingest.corpus import load_corpus, parse_file
from rag.records import CorpusProblem

from .conftest import CORPUS

GOOD = b'---\nid: ok\ntitle: "OK"\nurl: "https://example.org/"\nkind: tool\nlang: [en, zh]\n---\n\n## English\nFine.\n'
GUIDE_KEYS = {"id", "title", "title_zh", "source_url", "lang", "kind"}
NOTE_KEYS = {"id", "title", "url", "kind", "level", "cost", "topics", "prerequisites", "recommended_by", "lang"}


def test_shipped_corpus_has_five_guides_and_thirty_notes_without_problems():
    docs, problems = load_corpus(CORPUS)
    assert problems == []
    guides = [d for d in docs if d.kind == "guide"]
    notes = [d for d in docs if d.kind not in ("guide", "paper")]  # paper cards: tests/test_papers.py
    assert len([d for d in docs if d.kind == "paper"]) >= 25
    assert len(guides) == 5
    assert len(notes) >= 30
    guide_ids = {g.doc_id for g in guides}
    for g in guides:
        assert GUIDE_KEYS <= set(g.meta), g.path
        assert g.meta["lang"] == "zh" and g.source_url.startswith("https://")
    for n in notes:
        assert NOTE_KEYS <= set(n.meta), n.path
        assert set(n.meta["recommended_by"]) <= guide_ids, n.path
        assert n.path == f"notes/{n.doc_id}.md"
        body = n.text[n.body_start:]
        assert "## English" in body and "## 中文" in body, n.path


def test_guides_are_cleaned_of_forum_and_image_noise():
    for path in (CORPUS / "guides").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        for noise in ("纯分享", "img/", "Shutterstock", "Unsplash", "source=", "TA的资源", "关注我"):
            assert noise not in text, f"{path.name} still contains {noise!r}"


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("---\nid: x\n---\n正文".encode("gbk"), "not UTF-8"),
        (b"# Just Markdown\nno front matter\n", "no front matter"),
        (b"---\nid: [unclosed\n---\nbody\n", "not valid YAML"),
        (b"---\n- a list\n---\nbody\n", "key: value"),
        (b'---\nid: x\ntitle: "X"\nkind: tool\nlang: en\n---\nbody\n', "lacks source_url"),
        (b'---\ntitle: "X"\nurl: "https://x.org"\nkind: tool\nlang: en\n---\nbody\n', "lacks id"),
        (b'---\nid: Bad Id\ntitle: "X"\nurl: "https://x.org"\nkind: tool\nlang: en\n---\nbody\n', "lowercase"),
        (b'---\nid: x\ntitle: "X"\nurl: "https://x.org"\nkind: video\nlang: en\n---\nbody\n', "kind"),
        (b'---\nid: x\ntitle: "X"\nurl: "ftp://x.org"\nkind: tool\nlang: en\n---\nbody\n', "https://"),
        (b'---\nid: x\ntitle: "X"\nurl: "https://x.org"\nkind: tool\nlang: en\n---\n\n  \n', "no text after"),
    ],
)
def test_bad_files_are_named_with_their_problem(data, problem):
    result = parse_file("notes/bad.md", data)
    assert isinstance(result, CorpusProblem)
    assert result.path == "notes/bad.md"
    assert problem in result.problem


def test_a_good_file_parses_with_its_spans():
    doc = parse_file("notes/ok.md", GOOD)
    assert doc.doc_id == "ok" and doc.source_url == "https://example.org/" and doc.lang == ("en", "zh")
    assert doc.text[doc.body_start:].startswith("\n## English")


def test_bad_files_do_not_stop_good_ones(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "ok.md").write_bytes(GOOD)
    (tmp_path / "notes" / "binary.md").write_bytes(b"\x00\x01\x02")
    (tmp_path / "notes" / "latin1.md").write_bytes(GOOD.replace(b"Fine.", "Café".encode("latin-1")))
    (tmp_path / "notes" / "dup.md").write_bytes(GOOD)
    (tmp_path / "notes" / "picture.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.md").write_bytes(b"ignored")
    docs, problems = load_corpus(tmp_path)
    assert [d.path for d in docs] == ["notes/dup.md"]  # sorted order: dup.md comes before ok.md
    named = {p.path: p.problem for p in problems}
    assert set(named) == {"notes/binary.md", "notes/latin1.md", "notes/dup.md", "notes/ok.md", "notes/picture.png"}
    assert "already used by notes/dup.md" in named["notes/ok.md"]  # both files of a clash are named
    assert "also claimed by notes/ok.md (skipped); this file is kept" in named["notes/dup.md"]
    assert "not a Markdown" in named["notes/picture.png"]


def test_front_matter_of_every_shipped_file_is_plain_yaml():
    for path in CORPUS.rglob("*.md"):
        head = path.read_text(encoding="utf-8").split("---\n")[1]
        assert isinstance(yaml.safe_load(head), dict), path


def test_a_misaligned_or_incomplete_rendering_is_named_and_the_guide_loads_without_it(tmp_path):
    (tmp_path / "guides").mkdir()
    (tmp_path / "guides" / "untold-truths.md").write_bytes((CORPUS / "guides" / "untold-truths.md").read_bytes())
    shipped = yaml.safe_load((CORPUS / "guides" / "untold-truths.en.yaml").read_text(encoding="utf-8"))
    misaligned = [*shipped["segments"][:3], {**shipped["segments"][3], "zh": "改过的原文。"}, *shipped["segments"][4:]]
    for segments, problem in ((misaligned, "segment 4 is '改过的原文。' where the guide has"),
                              (shipped["segments"][:-1], "segments where the guide has")):
        (tmp_path / "guides" / "untold-truths.en.yaml").write_text(
            yaml.safe_dump({**shipped, "segments": segments}, allow_unicode=True), encoding="utf-8")
        docs, problems = load_corpus(tmp_path)
        assert [d.doc_id for d in docs] == ["untold-truths"] and docs[0].renderings == ()
        assert [p.path for p in problems] == ["guides/untold-truths.en.yaml"] and problem in problems[0].problem


@pytest.mark.parametrize("damage, problem", [
    (lambda path: path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030")), "is not UTF-8 text"),
    (lambda path: path.write_text("skills: [python\n", encoding="utf-8"), "is not valid YAML (line 2)"),
    (lambda path: path.write_text("stages: []\n", encoding="utf-8"), "has no 'skills' mapping"),
    (lambda path: path.unlink(), "does not exist, and the paper cards, plans and roadmap answers need it: put it back"),
])
def test_a_roadmap_the_paper_cards_cannot_use_is_named_with_its_own_problem(tmp_path, damage, problem):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    damage(corpus / "roadmap" / "roadmap.yaml")
    _, problems = load_corpus(corpus)
    assert [p.problem[: len(problem)] for p in problems if p.path == "roadmap/roadmap.yaml"] == [problem]
    assert sum("roadmap (roadmap/roadmap.yaml) cannot be read" in p.problem for p in problems) == 25  # the cards
