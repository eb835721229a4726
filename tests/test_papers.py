"""The paper catalogue: cards checked when the corpus loads, recognised by name, suggested, and planned from.

Fast tests read the shipped cards (and broken copies of them in a temporary corpus); the slow ones plan
from the real index of the shipped corpus and check every citation against it.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from datetime import date

import pytest

from rag.answer.abstract_facts import abstract_facts
from rag.answer.paper_match import cards_named_in, closest_card, find_card
from rag.answer.paper_plan import plan_for_paper
from rag.answer.paper_suggest import suggest
from rag.answer.render import plan_markdown
from rag.config import Settings
from rag.engine import status
from rag.ingest.card_render import body
from rag.ingest.catalogue import load_catalogue
from rag.ingest.corpus import load_corpus
from rag.ingest.roadmap import load_roadmap

from .conftest import CORPUS

START = date(2027, 1, 4)  # a Monday


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CORPUS)


@pytest.fixture(scope="module")
def roadmap():
    return load_roadmap(CORPUS)


def test_the_shipped_cards_all_load_without_problems(catalogue, roadmap):
    assert len(catalogue.cards) >= 25 and catalogue.problems == ()
    fields = {card.meta["field"] for card in catalogue.cards}
    assert fields == {"vision", "sequence-nlp", "generative", "optimisation-regularisation", "reinforcement-learning", "graphs"}
    for card in catalogue.cards:
        assert set(card.skills) <= set(roadmap.skills) and all(catalogue.get(p) for p in card.papers)
        assert all(g["source"] and isinstance(g["verified"], bool) for g in card.meta["targets"])
        assert card.path.startswith("papers/") and card.first_dataset["name"]


def copy_corpus(tmp_path):
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BREAKAGES = [
    ("resnet", '    value: "8.75%"\n    source: "Table 6"\n', '    value: "8.75%"\n', "does not say where in the paper"),
    ("resnet", 'url: "https://arxiv.org/abs/1512.03385"', 'url: "arxiv 1512.03385"', "must start with https://"),
    ("resnet", '    source: "https://www.cs.toronto.edu/~kriz/cifar.html"', '    source: "cs.toronto.edu"',
     "is not a web address"),
    ("resnet", 'url: "https://arxiv.org/abs/1512.03385"', 'url: "https://arxiv.org/pdf/resnet"', "an arXiv link must be"),
    ("resnet", "skills: [python, math, deep-learning]", "skills: [python, math, quantum-computing]",
     "prerequisite skills not in the roadmap: quantum-computing"),
    ("resnet", "papers: [vgg, batch-norm]", "papers: [vgg, googlenet]", "prerequisite papers with no card: googlenet"),
    ("resnet", '"Section 4.2"}\n', '""}\n', "has numbers from the paper but no source"),
    ("resnet", "- CIFAR-10 test error of ResNet-20: 8.75%", "- CIFAR-10 test error of ResNet-20: 5.00%",
     "run python -m rag.ingest.card_render"),
    ("vgg", '"VGG网络"', '"ResNet"', "alias 'ResNet' is already used by papers/resnet.md"),
]


@pytest.mark.parametrize("card, old, new, problem", BREAKAGES, ids=[b[3][:30] for b in BREAKAGES])
def test_a_bad_card_is_reported_and_skipped_and_the_rest_load(tmp_path, card, old, new, problem):
    corpus = copy_corpus(tmp_path)
    edit(corpus / "papers" / f"{card}.md", old, new)
    catalogue = load_catalogue(corpus)
    assert [p.path for p in catalogue.problems] == [f"papers/{card}.md"]
    assert problem in catalogue.problems[0].problem
    assert card not in {c.id for c in catalogue.cards} and len(catalogue.cards) == 24


def test_status_counts_cards_and_the_indexer_skips_a_bad_one(tmp_path):
    corpus = copy_corpus(tmp_path)
    edit(corpus / "papers" / "gan.md", "year: 2014", "year: last year")
    docs, problems = load_corpus(corpus)
    assert "gan" not in {d.doc_id for d in docs} and {"mle-roadmap", "dcgan"} <= {d.doc_id for d in docs}
    assert [str(p) for p in problems] == ["papers/gan.md: paper card skipped: year must be a year such as 2015"]
    report = status(replace(Settings.from_env(), corpus_dir=corpus))
    assert (report.paper_cards, report.card_problems) == (24, 1)


def test_cards_cannot_be_checked_without_a_roadmap(tmp_path):
    corpus = copy_corpus(tmp_path)
    (corpus / "roadmap" / "roadmap.yaml").unlink()
    catalogue = load_catalogue(corpus)
    assert catalogue.cards == () and len(catalogue.problems) == 25
    assert "roadmap" in catalogue.problems[0].problem


def test_a_card_body_is_the_rendering_of_its_front_matter(catalogue):
    resnet = catalogue.get("resnet")
    text = (CORPUS / resnet.path).read_text(encoding="utf-8")
    assert text.endswith(body(resnet.meta))
    rendered = body(resnet.meta)
    assert "## English" in rendered and "## 中文" in rendered
    assert "- CIFAR-10 test error of ResNet-20: 8.75% (from: Table 6)" in rendered
    assert "- ResNet-20 在 CIFAR-10 上的测试错误率: 8.75% (出处: Table 6)" in rendered


@pytest.mark.parametrize("words, card", [
    ("Deep Residual Learning for Image Recognition", "resnet"), ("the resnet paper", "resnet"), ("残差网络", "resnet"),
    ("RESNET", "resnet"), ("Deep residual learning", "resnet"), ("attention is all you need", "transformer"),
    ("Atention is all you need", "transformer"), ("Vision Transformer", "vit"), ("Transformer", "transformer"),
    ("《注意力机制论文》", "transformer"), ("LeNet-5", "lenet"), ("变分自编码器", "vae"), ("gpt 2", "gpt2"),
])
def test_a_paper_is_recognised_by_title_or_alias(catalogue, words, card):
    assert find_card(catalogue.cards, words).id == card


@pytest.mark.parametrize("words", ["Mamba: Linear-Time Sequence Modeling", "Inception", "YOLO", "", "论文"])
def test_a_paper_outside_the_catalogue_is_not_guessed(catalogue, words):
    assert find_card(catalogue.cards, words) is None


MISSPELT = {"rsenet": "resnet", "resnte": "resnet", "dropuot": "dropout", "word2vce": "word2vec"}
OTHER_PAPERS = ["Mamba: Linear-Time Sequence Modeling", "YOLO", "GPT-3", "XLNet", "DenseNet",
                "Some Unlisted Paper On Graph Widgets", "注意力就是你所需要的一切", ""]


def test_a_misspelt_paper_gets_the_card_it_may_mean_and_another_paper_none(catalogue):
    cards = catalogue.cards
    assert {words: getattr(closest_card(cards, words), "id", None) for words in MISSPELT} == MISSPELT
    assert not any(find_card(cards, words) for words in MISSPELT)  # asked after, never taken for the card
    assert {words: closest_card(cards, words) for words in OTHER_PAPERS} == dict.fromkeys(OTHER_PAPERS)


def test_suggestions_fit_what_the_learner_knows(catalogue, roadmap):
    beginner = suggest(catalogue, roadmap, set(), n=3)
    assert all(s.papers_first == () and s.missing_skills for s in beginner)  # entry papers, skills still to learn
    ready = suggest(catalogue, roadmap, {"deep-learning"}, n=4)
    assert all(s.ready and s.papers_first == () for s in ready)  # deep learning brings Python and math with it
    assert [s.card.id for s in ready] == ["lstm", "lenet", "alexnet", "vae"]  # worked by hand: entry papers by year


@pytest.mark.parametrize("done, fields, first", [
    ({"unet", "vae"}, {"generative"}, "ddpm"),  # the card that builds on both
    ({"dqn", "adam"}, {"reinforcement-learning"}, "ppo"),
    ({"resnet", "transformer"}, {"sequence-nlp"}, "bert"),  # the field named first, then what builds on the papers done
    ({"resnet", "transformer"}, set(), "vit"),  # no field: the card that builds on both
    ({"lstm", "word2vec"}, set(), "seq2seq-attention"),
    ({"vgg"}, {"vision"}, "unet"),
    (set(), {"vision"}, "lenet"),  # nothing done: the field's entry papers
    (set(), {"generative"}, "vae"),  # then GAN: the same prerequisites, a year later
])
def test_suggestions_build_on_the_papers_done_in_the_field_asked(catalogue, roadmap, done, fields, first):
    suggested = suggest(catalogue, roadmap, set(), n=4, done=frozenset(done), fields=frozenset(fields))
    assert suggested[0].card.id == first and not {s.card.id for s in suggested} & done
    assert suggested[0].papers_first == ()  # what it builds on is done


def test_a_suggestion_reaches_past_the_entry_papers_for_whoever_has_implemented_some(catalogue, roadmap):
    # Transformer and BERT done: LoRA builds on both (GPT-2 still to do) and comes before every entry paper.
    suggested = suggest(catalogue, roadmap, set(), n=3, done=frozenset({"transformer", "bert"}))
    assert suggested[0].card.id == "lora" and suggested[0].papers_first == ("GPT-2",)


@pytest.mark.parametrize("text, ids", [
    ("I've built U-Nets for segmentation for years and recently implemented a VAE on MNIST.", ["unet", "vae"]),
    ("原始GAN已经在MNIST上跑通了，BN和Adam也用得挺熟", ["gan", "batch-norm", "adam"]),
    ("I did ResNet and a Vision Transformer", ["resnet", "vit"]),  # the Transformer inside ViT's name is ViT
    ("skip-gram想自己手撸一遍", ["word2vec"]),
    ("I want to get into generative models, no papers yet", []),
    ("My bn layer is slow", []),  # a two-letter alias counts only as written
])
def test_the_papers_a_message_names(catalogue, text, ids):
    assert sorted(c.id for c in cards_named_in(catalogue.cards, text)) == sorted(ids)


def test_what_an_abstract_names():
    facts = abstract_facts("We propose a model for machine translation, evaluated on WMT 2014 with BLEU, "
                           "and for image classification on ImageNet (top-1 accuracy).")
    assert facts == {"task": ["image classification", "machine translation"], "datasets": ["ImageNet", "WMT"],
                     "metrics": ["BLEU", "accuracy", "top-1"]}
    assert abstract_facts("") == {"task": [], "datasets": [], "metrics": []}


@pytest.mark.slow
def test_resnet_plan_names_cifar10_and_a_target_with_its_source(catalogue, roadmap, corpus_index):
    _, reader = corpus_index
    plan = plan_for_paper(catalogue, roadmap, reader, "resnet paper", START, "en", known={"python"}, hours_per_week=10)
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["inputs"]["card"] == "resnet" and data["inputs"]["in_catalogue"]
    assert [d["name"] for d in data["inputs"]["datasets"] if d["first_choice"]] == ["CIFAR-10"]
    assert data["inputs"]["targets"][0] == {"metric": "CIFAR-10 test error of ResNet-20", "value": "8.75%",
                                            "source": "Table 6", "verified": True}
    steps = [p["stage_id"] for p in data["phases"]]
    assert steps[:2] == ["prerequisites", "dataset"] and steps[-4:] == ["sanity", "target", "compare", "write-up"]
    assert "CIFAR-10" in data["phases"][1]["title"] and "8.75% (from: Table 6)" in data["phases"][-3]["title"]
    ticks = {p["id"]: p["known"] for p in data["inputs"]["prerequisites"]}
    assert ticks == {"python": True, "math": False, "deep-learning": False, "vgg": False, "batch-norm": False}
    # Dates at 10 h a week, worked by hand: review 1 + 6 (math) + 6 (deep learning) + 3 + 3 (two papers) = 19 h → 14 days.
    first = data["phases"][0]
    assert (first["start_date"], first["end_date"], first["hours"]) == ("2027-01-04", "2027-01-17", 19)
    assert data["phases"][1]["start_date"] == "2027-01-18"
    stored = reader.fetch([c["chunk_id"] for c in data["citations"]])
    for c in data["citations"]:
        assert c["quote"] in stored[c["chunk_id"]][0]
    cited_docs = {c["doc_id"] for c in data["citations"]}
    assert "resnet" in cited_docs and cited_docs - {"resnet"}  # the card and the guides
    assert all(p["cites"] for p in data["phases"])  # every step cited
    text = plan_markdown(plan)
    assert "- [x] Python" in text and "- [ ] deep learning" in text and "CIFAR-10 (start here)" in text


@pytest.mark.slow
def test_transformer_plan_names_its_translation_benchmark_and_bleu(catalogue, roadmap, corpus_index):
    _, reader = corpus_index
    plan = plan_for_paper(catalogue, roadmap, reader, "Attention Is All You Need", START, "en")
    targets = plan.inputs["targets"]
    assert "WMT 2014 English-to-German" in targets[0]["metric"] and "BLEU" in targets[0]["metric"]
    assert targets[0]["value"] == "27.3" and targets[0]["source"] == "Table 2"
    resnet = plan_for_paper(catalogue, roadmap, reader, "ResNet", START, "en")
    steps = [p.title for p in plan.phases]
    assert set(steps) & {p.title for p in resnet.phases} <= {p.title for p in resnet.phases if p.stage_id in
                                                              ("prerequisites", "sanity", "compare", "write-up")}
    assert len(set(steps) - {p.title for p in resnet.phases}) >= 5  # different steps, not only a different title
    zh = plan_for_paper(catalogue, roadmap, reader, "注意力机制论文", START, "zh", hours_per_week=5)
    assert zh.inputs["card"] == "transformer" and "BLEU" in zh.phases[-3].title and "出处: Table 2" in zh.phases[-3].title
    assert zh.end_date > plan.end_date  # fewer hours a week, later end


@pytest.mark.slow
def test_an_unknown_paper_keeps_the_guides_method_and_reads_its_abstract(catalogue, roadmap, corpus_index):
    _, reader = corpus_index
    plan = plan_for_paper(catalogue, roadmap, reader, "Mamba: Linear-Time Sequence Modeling", START, "en", weeks=4,
                          abstract="We evaluate language modeling on WikiText and report perplexity.")
    assert plan.inputs["in_catalogue"] is False and [p.stage_id for p in plan.phases][0] == "choose"
    assert plan.inputs["from_abstract"] == {"task": ["language modeling"], "datasets": ["WikiText"], "metrics": ["perplexity"]}
    text = plan_markdown(plan)
    assert "is not in the paper catalogue" in text.splitlines()[4]
    assert "Task: language modeling; Datasets: WikiText; Metrics: perplexity" in text


def test_a_card_chunks_into_an_english_and_a_chinese_view(catalogue):
    from rag.ingest.chunking import chunk_document

    doc = next(d for d in load_corpus(CORPUS)[0] if d.doc_id == "resnet")
    chunks = chunk_document(doc)
    assert {c.view for c in chunks} == {"en", "zh"} and all(c.kind == "paper" for c in chunks)
    assert any("8.75% (from: Table 6)" in c.text and c.view == "en" for c in chunks)
    assert any("8.75% (出处: Table 6)" in c.text and c.view == "zh" for c in chunks)


@pytest.mark.slow
@pytest.mark.parametrize("question, language", [("ResNet-20 test error on CIFAR-10", "en"), ("残差网络在 CIFAR-10 上的错误率", "zh")])
def test_cards_are_searched_and_cited_like_notes(corpus_index, question, language):
    from rag.answer.retrieval import hybrid_search

    settings, reader = corpus_index
    hits = hybrid_search(reader, question, 5, settings)
    card = next(h for h in hits if h.doc_id == "resnet")
    assert card.language == language and card.source_url == "https://arxiv.org/abs/1512.03385"


def first_seen(numbers: list[int]) -> list[int]:
    """The citation numbers in the order a reader first meets them."""
    return list(dict.fromkeys(numbers))


@pytest.mark.slow
@pytest.mark.parametrize("name, language", [("Attention Is All You Need", "en"), ("resnet", "en"), ("lora", "en"),
                                            ("ddpm", "zh"), ("gcn", "en")])
def test_a_card_plan_numbers_its_citations_in_reading_order(catalogue, roadmap, corpus_index, name, language):
    """The first citation a reader meets is [1], the next new one [2], …; within one step they ascend (the
    Transformer's tokenisation step read "[5][4]", its write-up "[4][11]" after [5]–[10])."""
    _, reader = corpus_index
    plan = plan_for_paper(catalogue, roadmap, reader, name, START, language)
    steps = [phase.cites for phase in plan.phases]
    assert all(cites == sorted(set(cites)) for cites in steps)
    seen = first_seen([n for cites in steps for n in cites])
    assert seen == list(range(1, len(seen) + 1)) == sorted({c.n for c in plan.citations})
    headings = re.findall(r"^## \d+\. .*$", plan_markdown(plan), re.M)
    marks = [int(n) for line in headings for n in re.findall(r"\[(\d+)\]", line)]
    assert first_seen(marks) == seen
