"""A paper named by the learner is its catalogue card only when it is that paper: another paper whose name is near a
card's ("ResNeXt", "QLoRA") or holds one ("Swin Transformer", "Transformer-XL") gets the word that it is not in the
catalogue, the card it may mean as a question, and how to see the catalogue; never the other card's plan.

Fast tests read the shipped cards; the slow ones ask the pipeline and run `mentor paper` on the session's real index.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from rag.answer.paper_match import cards_named_in, closest_card, find_card
from rag.answer.paper_plan import plan_for_paper
from rag.answer.pipeline import Pipeline
from rag.cli import main
from rag.ingest.catalogue import load_catalogue
from rag.ingest.roadmap import load_roadmap

from .conftest import CORPUS
from .test_cli import indexed  # noqa: F401  (a fixture: the CLI pointed at the session's index)

# Papers outside the catalogue, and the card each may be asked after ("Did you mean …?"), or None.
OTHER_PAPERS = {
    "ResNeXt": "resnet", "QLoRA": "lora", "Swin Transformer": "vit", "Transformer-XL": "transformer",
    "Wasserstein GAN": "gan", "U-Net++": "unet", "DenseNet": None, "Swin": None, "DeiT": None, "RoBERTa": None,
    "GPT-3": None, "Mask R-CNN": None, "Faster R-CNN": None, "YOLOv8": None, "Llama 2": None, "DistilBERT": None,
    "EfficientNet": None, "MobileNetV2": None, "CycleGAN": None, "StyleGAN": None, "Graph Attention Network": None,
    "卷积神经网络": None, "图神经网络": None,
}
# Names of catalogue papers, variants and plurals included.
CATALOGUE_NAMES = {
    "the Transformer paper": "transformer", "ResNet-50": "resnet", "ResNet-34": "resnet", "U-Nets": "unet",
    "Vision Transformer": "vit", "BERT-base": "bert", "Attention Is All You Need": "transformer", "ViT": "vit",
    "DCGAN": "dcgan", "a small Transformer": "transformer", "gpt 2": "gpt2", "Atention is all you need": "transformer",
    "残差网络": "resnet", "图卷积网络": "gcn", "ViT-L/16": "vit", "GANs": "gan",
}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CORPUS)


@pytest.mark.parametrize("words, maybe", OTHER_PAPERS.items())
def test_another_paper_is_no_card_and_is_asked_after_the_one_it_may_mean(catalogue, words, maybe):
    assert find_card(catalogue.cards, words) is None
    assert getattr(closest_card(catalogue.cards, words), "id", None) == maybe


@pytest.mark.parametrize("words, card", CATALOGUE_NAMES.items())
def test_a_catalogue_paper_is_found_by_its_names_and_their_variants(catalogue, words, card):
    assert find_card(catalogue.cards, words).id == card


def test_every_card_is_found_by_its_id_its_short_name_and_its_title(catalogue):
    assert len(catalogue.cards) == 25
    for card in catalogue.cards:
        assert {find_card(catalogue.cards, words).id for words in (card.id, card.short_name, card.title)} == {card.id}


@pytest.mark.parametrize("text, ids", [
    ("How do I implement the Swin Transformer?", []),
    ("Got DQN working on CartPole, then a PhD dropout", ["dqn"]),
    ("Swin Transformer: how would I implement it?", []),  # another paper's name opening the message as a title
    ("Wasserstein GAN paper, where do I start?", []),
    ("Implementing Transformer: any tips?", ["transformer"]),  # a verb before the name is no part of it
    ("Transformer: how would I implement it?", ["transformer"]),
    ("Should I do Transformer-XL or ResNet first?", ["resnet"]),
    ("How do I implement Wasserstein GAN?", []),
    ("How do I implement QLoRA?", []),
    ("I've built a small Transformer and ResNet-34", ["transformer", "resnet"]),
    ("Implement Transformer with me", ["transformer"]),
    ("I did ResNet. Transformer next?", ["resnet", "transformer"]),
])
def test_a_message_names_no_card_inside_another_papers_name(catalogue, text, ids):
    assert [c.id for c in cards_named_in(catalogue.cards, text)] == ids


@pytest.fixture(scope="module")
def pipeline(corpus_index):
    settings, reader = corpus_index
    return Pipeline(reader, settings)


CHAT = [("plan how I implement the ResNeXt paper", "ResNeXt", "ResNet"), ("How do I implement QLoRA?", "QLoRA", "LoRA"),
        ("How do I implement the Swin Transformer?", "Swin Transformer", "ViT"),
        ("Plan how I implement RoBERTa", "RoBERTa", None), ("How do I implement DistilBERT?", "DistilBERT", None)]


@pytest.mark.slow
@pytest.mark.parametrize("question, name, maybe", CHAT)
def test_chat_says_another_paper_is_not_in_the_catalogue(pipeline, question, name, maybe):
    result = pipeline.ask(question)
    answer = result.answer.answer
    assert result.route == "paper" and not result.answer.refused
    assert answer.startswith(f"“{name}” is not in the paper catalogue")
    assert "from its card in the paper catalogue" not in answer  # no other card's plan
    assert "`mentor paper --list`" in answer and "Which papers are in the catalogue?" in answer
    assert (f"Did you mean {maybe} (" in answer) if maybe else ("Did you mean" not in answer)


@pytest.mark.slow
@pytest.mark.parametrize("question, card", [("How do I implement ResNet-50?", "resnet"),
                                            ("Plan how I implement the Transformer paper", "transformer"),
                                            ("How do I implement BERT-base?", "bert"), ("我想复现残差网络，怎么安排？", "resnet")])
def test_chat_keeps_planning_a_catalogue_paper_from_its_card(pipeline, question, card):
    answer = pipeline.ask(question).answer.answer
    assert pipeline.catalogue.get(card).title in answer.splitlines()[0]
    assert "not in the paper catalogue" not in answer and "不在论文目录中" not in answer


def paper(*args):
    result = CliRunner().invoke(main, ["paper", *args])
    assert "Traceback" not in result.output
    return result


@pytest.mark.slow
@pytest.mark.parametrize("name, maybe", [("Swin Transformer", "ViT"), ("ResNeXt", "ResNet"), ("DistilBERT", None)])
def test_paper_says_another_paper_is_not_in_the_catalogue(indexed, name, maybe):  # noqa: F811
    result = paper(name)
    assert result.exit_code == 0  # as for any paper the catalogue lacks ("rsenet"): the guides' method, said so
    assert f"# Paper-implementation plan: {name}\n" in result.output
    assert f"“{name}” is not in the paper catalogue" in result.output and "`mentor paper --list`" in result.output
    assert (f"Did you mean {maybe} (" in result.output) if maybe else ("Did you mean" not in result.output)
    data = json.loads(paper(name, "--format", "json").output)
    assert data["inputs"]["in_catalogue"] is False and data["inputs"].get("card") is None
    assert data["inputs"]["did_you_mean"] == (maybe.lower() if maybe else None)


@pytest.mark.slow
def test_paper_keeps_planning_catalogue_papers_from_their_cards(indexed, catalogue, corpus_index):  # noqa: F811
    for name, card in [("ResNet-50", "resnet"), ("U-Nets", "unet"), ("BERT-base", "bert"), ("ViT", "vit")]:
        assert json.loads(paper(name, "--format", "json").output)["inputs"]["card"] == card
    listed = json.loads(paper("--list", "--format", "json").output)["papers"]
    assert len(listed) == 25
    roadmap, reader = load_roadmap(CORPUS), corpus_index[1]
    for row in listed:  # each id `mentor paper --list` gives plans its own card (what `mentor paper <id>` calls)
        assert plan_for_paper(catalogue, roadmap, reader, row["id"], date(2026, 1, 5)).inputs["card"] == row["id"]
