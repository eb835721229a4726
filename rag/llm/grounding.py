"""Grounding an LLM's answer: attach to each of its sentences the retrieved sentence that supports it.

The model's text is untrusted: it never writes citations reliably, so they are
attached here, each sentence to the retrieved sentence that supports it best,
quoted verbatim; a sentence without enough support is dropped. Support is
lexical (Chinese character bigrams, English words and their glossary terms,
weighted by rarity) and must agree on negation. Pure functions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

from ..answer.citations import number_citations, point
from ..answer.compose import bigrams
from ..ingest.sentences import LIST_MARKER, Quotable, quotables
from ..ingest.chunking import split_sentences
from ..lang.text import expand, negated, spaceless_runs, stopwords, tokenize, without_spaceless, word_pattern
from ..records import Citation, Hit

WRITTEN_MARKER = re.compile(r"\s*[\[【]\d+(?:\s*[,，、-]\s*\d+)*[\]】]")
NON_WORD = re.compile(r"\W+")
MIN_WORD_CHARS = 4  # shorter fragments ("1.", "答：") are neither cited nor counted as dropped


def model_sentences(text: str) -> list[str]:
    """The model's sentences, without the [n] markers it wrote, list markers or bold.

    >>> model_sentences("- **先学 Python** [2]。然后学数学！\\n1. Then Kaggle [1][3].")
    ['先学 Python。', '然后学数学！', 'Then Kaggle.']
    """
    text = WRITTEN_MARKER.sub("", text).replace("**", "")
    sentences = (LIST_MARKER.sub("", text[a:b]).strip() for a, b in split_sentences(text, 0, len(text)))
    return [" ".join(s.split()) for s in sentences if s]


def units(text: str) -> set[str]:
    """The pieces two texts are compared by: character bigrams of the Chinese runs, words of the rest.

    Character bigrams stand in for Chinese words (no segmenter needed); for English they
    would not do, as any two English sentences share many ("en", "er", "th").

    >>> sorted(units("先学 Python，再学数学。"))
    ['python', '先学', '再学', '学数', '数学']
    """
    found = {b for run in spaceless_runs(text) for b in (bigrams(run) if len(run) > 1 else {run})}
    return found | (set(word_pattern().findall(without_spaceless(text).lower())) - stopwords())


def _sentence_features(sentence: str) -> tuple[list[set[str]], list[set[str]]]:
    """A sentence's units, and its terms, each with its glossary translations. The terms are what
    let an English sentence meet a Chinese quote; a Chinese sentence is held to its units alone,
    which are stricter than jieba's coarser words."""
    terms = [] if spaceless_runs(sentence) else [{w, *tokenize(expand(w))} for w in sorted(set(tokenize(sentence)))]
    return [{u} for u in sorted(units(sentence))], terms


def _quote_features(quote: str) -> tuple[set[str], set[str]]:
    return units(quote), set(tokenize(quote))


def _support(mine: tuple[list[set[str]], list[set[str]]], theirs: tuple[set[str], set[str]],
             weight: Callable[[str], float]) -> float:
    def share(pieces: list[set[str]], found: set[str]) -> float:
        weights = [max(map(weight, alternatives)) for alternatives in pieces]
        held = sum(w for w, alternatives in zip(weights, pieces) if alternatives & found)
        return held / sum(weights) if sum(weights) else 0.0

    return max(share(mine[0], theirs[0]), share(mine[1], theirs[1]))


def support(sentence: str, quote: str, weight: Callable[[str], float] = lambda piece: 1.0) -> float:
    """How much of `sentence` the retrieved `quote` carries, from 0 to 1: the (weighted) share of
    its units (Chinese bigrams, English words) found in the quote or, for an English sentence,
    of its terms, if larger (an English term also counts when its glossary translation is there).

    >>> support("先学 Python。", "要先学 Python。"), support("Learn math.", "First, learn the math."), support("Play chess.", "学习数学。")
    (1.0, 1.0, 0.0)
    """
    return _support(_sentence_features(sentence), _quote_features(quote), weight)


def rarity(features: Sequence[tuple[set[str], set[str]]]) -> Callable[[str], float]:
    """Weights from the retrieved sentences: a piece that most of them hold (the bigrams of
    机器学习工程师, in this corpus) says little about whether one of them supports a claim."""
    held = Counter(piece for found_units, found_terms in features for piece in found_units | found_terms)
    return lambda piece: math.log(1 + len(features) / (1 + held[piece]))


def attach_citations(text: str, hits: Sequence[Hit], min_support: float,
                     language: str = "en") -> tuple[list[str], list[Citation], int]:
    """Points "- sentence “quote” [n]" for the model's supported sentences, their citations, and
    how many sentences were dropped for want of support.

    Each quote is a sentence of the chunk numbered n as the answer shows it (the aligned rendering, for a
    chunk found through one), so `check_citations` can verify it (quotes holding “ or ” are skipped: they
    would end the quote early). Only a quote that agrees with the sentence on negation can support it;
    ties go to the better-ranked chunk.
    """
    quotes = [(hit, q) for hit in hits for q in quotables(hit) if "“" not in q.shown and "”" not in q.shown]
    features = [_quote_features(q.shown) for _, q in quotes]
    weight = rarity(features)
    picks: list[tuple[Hit, Quotable]] = []
    kept: list[str] = []
    dropped = 0
    for sentence in model_sentences(text):
        if len(NON_WORD.sub("", sentence)) < MIN_WORD_CHARS:
            continue
        mine, no = _sentence_features(sentence), negated(sentence)
        scored = [(_support(mine, features[i], weight), -i) for i, (_, q) in enumerate(quotes) if negated(q.shown) == no]
        best = max(scored, default=(0.0, 0))
        if best[0] < min_support:
            dropped += 1
            continue
        picks.append(quotes[-best[1]])
        kept.append(sentence)
    by_quote = {(c.chunk_id, c.quote): c for c in number_citations(picks)}
    lines = [point(point_text(s, q.shown), by_quote[(hit.chunk_id, q.original)].n, q.shown != q.original, language)
             for s, (hit, q) in zip(kept, picks)]
    return lines, list(by_quote.values()), dropped


def point_text(sentence: str, quote: str) -> str:
    """The model's sentence followed by the source's words in “…”, or the quote alone when the
    model copied it."""
    return quote if sentence == quote else f"{sentence} “{quote}”"
