"""Which catalogue card a learner means: by id, title or alias, in any language, case and filler ignored.

Pure functions over the cards (rag.ingest.papers.Card). Tries an exact name first (spaces and hyphens aside: "gpt 2"),
then a card's name inside the learner's words (longest name first: "Vision Transformer" before "Transformer") unless
the words around it make it another paper's name ("Swin Transformer", "Transformer-XL"), then the learner's words
inside exactly one card's name, then a slip in a long name ("Atention is all you need"). A short name one letter off
is another paper ("ResNeXt", "QLoRA"), not a slip. Returns None for a paper the catalogue does not hold.
`closest_card` only suggests ("did you mean ResNet?" for "rsenet" or "ResNeXt"), never taken as the card.
`cards_named_in` finds every card a longer message names ("I've done ResNet and a small Transformer…"), and
`card_by_authors` the one card a message names by its authors ("Kipf 跟 Welling 那篇").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher, get_close_matches

from ..ingest.papers import Card, name_key

PUNCTUATION = re.compile(r"[\"'“”‘’《》「」()（）?？!！.,，。:：;；]")
FILLER = re.compile(r"(?<![a-z0-9])(?:the|paper|papers|a|an|implement|reproduce)(?![a-z0-9])|论文|这篇|那篇")
CLOSE_ENOUGH = 0.88  # similarity of spellings ("Atention is all you need") that still means the card …
# … and of spellings worth a "did you mean?" ("rsenet", "dropuot"); below it sit other papers' names ("GPT-3" and
# "GPT-2", "XLNet" and "LeNet": 0.80), which are no slips of the keyboard
MAY_MEAN = 0.82
LONG_NAME = 12  # a name CLOSE_ENOUGH means only this long; a shorter one a letter off is often another ("ResNeXt", "QLoRA")


def normal(text: str) -> str:
    """A learner's name for a paper, compared form.

    >>> normal("The ResNet paper?"), normal("《残差网络》这篇论文")
    ('resnet', '残差网络')
    """
    return name_key(FILLER.sub(" ", PUNCTUATION.sub(" ", name_key(text))))


def _names(cards: Sequence[Card]) -> list[tuple[str, Card]]:
    return [(key, card) for card in cards for name in (card.id, card.title, *card.aliases) if (key := normal(name))]


# Words that may stand right before a catalogue name and leave it that paper ("a small Transformer", "my own ResNet");
# any other word there makes it another paper's name ("Swin Transformer", "Wasserstein GAN", "wide residual network").
SAME_PAPER_BEFORE = frozenset({
    "vanilla", "original", "basic", "simple", "plain", "standard", "classic", "classical", "small", "tiny", "mini",
    "minimal", "little", "toy", "base", "large", "big", "deep", "my", "own", "your", "our", "full", "whole", "first",
    "pytorch", "numpy", "tensorflow", "keras", "jax", "s", "i", "and", "or", "with", "of", "to", "how", "build", "code",
    "write", "train", "learn", "study", "read", "understand", "explain", "try", "do", "make", "plan", "start", "about"})
# After a hyphen, a depth or a size keeps the paper ("ResNet-34", "BERT-base"); other letters or a "+" name another
# ("Transformer-XL", "U-Net++").
SAME_PAPER_AFTER = re.compile(r"(?:-(?:\d+|base|large|small|tiny|mini|medium|huge|[blhs](?:/\d+)?|based|like|style)"
                              r"(?![a-z0-9+])|(?![-+]))")
# What may follow a paper's name that opens a message and still leave it a title ("Swin Transformer: …", "… paper").
TITLE_END = r"\s*(?:[:：?？—–(（]|$|paper\b)"


def _found(text: str, name: str) -> re.Match | None:
    """Where `name` stands in `text`: as whole words, in the plural too (a Latin name), or anywhere (a Chinese one)."""
    if not name.isascii():
        return re.search(re.escape(name), text)
    return re.search(rf"(?<![a-z0-9]){re.escape(name)}(?:e?s)?(?![a-z0-9])", text)


def _inside(text: str, name: str) -> bool:
    """Is `name` in `text` as whole words (a Latin name), or anywhere (a Chinese one)?"""
    return _found(text, name) is not None


def _extended(key: str, match: re.Match, words: str, message: bool = False) -> bool:
    """Does the name found at `match` in `key` (the compared form of `words`) belong to a longer name of another
    paper: letters hyphened after it, or a word right before it in `words` (no punctuation between) that is not one
    of SAME_PAPER_BEFORE? In a `message` (not a name alone), that word counts only capitalised and not a sentence's
    first unless they open it as a title ("How do I implement Swin Transformer?", "Swin Transformer: how…?"; "with
    transformer" and "Got DQN working" are prose).

    >>> import re
    >>> [_extended(k, re.search("transformer", k), k) for k in ("swin transformer", "small transformer",
    ...                                                          "transformer-xl", "transformer from scratch")]
    [True, False, True, False]
    """
    if not match.group().isascii():
        return False
    if not SAME_PAPER_AFTER.match(key, match.end()):
        return True
    before = re.search(r"([a-z0-9][a-z0-9+-]*)\s+$", key[: match.start()])
    if before is None or before[1] in SAME_PAPER_BEFORE:
        return False
    first = match.group().split()[0]
    written = re.search(rf"(?<![A-Za-z0-9]){re.escape(before[1])}[ \t]+{re.escape(first)}", words, re.I)
    if written is None or not message:
        return written is not None
    opening = not words[: written.start()].strip() or words[: written.start()].rstrip()[-1] in ".!?。！？\n"
    capitalised = written.group()[0].isupper()
    if not opening or not capitalised:
        return capitalised
    # A sentence's first word is prose ("Got DQN working") unless the words stand as a title, with only a colon, a
    # question mark, a dash, a bracket or "paper" after them ("Swin Transformer: how would I implement it?")
    rest = r"".join(r"\s+[\w-]+" for _ in match.group().split()[1:])
    title = re.compile(rf"{re.escape(written.group())}{rest}{TITLE_END}", re.I).match(words, written.start())
    return title is not None and not re.search(r"(?:ing|ed)$", before[1])


def find_card(cards: Sequence[Card], words: str) -> Card | None:
    """The card the learner's words name, or None."""
    key = normal(words)
    if not key:
        return None
    names = _names(cards)
    exact = next((card for name, card in names if _compact(name) == _compact(key)), None)
    if exact:
        return exact
    for name, card in sorted(names, key=lambda nc: -len(nc[0])):
        if len(name) >= 3 and (match := _found(key, name)):
            return None if _extended(key, match, words) else card  # "Swin Transformer" is no shorter name's paper
    # One word must open the name ("diffusion models", not "bn-inception" for "inception"); words may be anywhere.
    within = {card.id: card for name, card in names
              if len(key) >= 6 and (_inside(name, key) if " " in key else name.startswith(key))}
    if len(within) == 1:  # part of one card's title or alias: "deep residual learning", "diffusion"
        return next(iter(within.values()))
    ratio, name, card = max(((SequenceMatcher(None, key, name).ratio(), name, card) for name, card in names),
                            key=lambda rnc: rnc[0], default=(0.0, "", None))
    return card if ratio >= CLOSE_ENOUGH and len(name) >= LONG_NAME else None


def _compact(name: str) -> str:
    """A compared name without its spaces and hyphens: "gpt 2", "GPT-2" and "gpt2" are one."""
    return re.sub(r"[\s-]+", "", name)


def closest_card(cards: Sequence[Card], words: str) -> Card | None:
    """The card whose id, title or alias is spelled most like the learner's words, when near enough to ask "did you
    mean it?" (difflib, at MAY_MEAN), else the card whose name they lengthen ("Wasserstein GAN"); None when none is.

    >>> from rag.ingest.papers import Card
    >>> cards = [Card("resnet", "Deep Residual Learning", "", "", {"aliases": ["ResNet"]}),
    ...          Card("lenet", "Gradient-Based Learning", "", "", {"aliases": ["LeNet"]})]
    >>> closest_card(cards, "rsenet").id, closest_card(cards, "XLNet"), closest_card(cards, "Mamba")
    ('resnet', None, None)
    """
    by_name = dict(reversed(_names(cards)))  # a name two cards share goes to the first
    close = get_close_matches(normal(words), list(by_name), n=1, cutoff=MAY_MEAN)
    if close:
        return by_name[close[0]]
    # else the card whose name the words make a longer one of ("Wasserstein GAN": GAN)
    key = normal(words)
    return next((card for name, card in sorted(by_name.items(), key=lambda nc: -len(nc[0]))
                 if len(name) >= 3 and name.isascii() and (match := _found(key, name)) and _extended(key, match, words)), None)


def cards_named_in(cards: Sequence[Card], text: str) -> list[Card]:
    """Every card whose id, title or alias (three characters or more) the text holds, in the order they appear; a name
    inside a longer one counts once ("Vision Transformer" names ViT, not the Transformer too), and one inside another
    paper's name not at all ("Swin Transformer", "Transformer-XL").

    >>> from rag.ingest.papers import Card
    >>> card = lambda id, title, *aliases: Card(id, title, "", "", {"aliases": list(aliases)})
    >>> cards = [card("resnet", "Deep Residual Learning", "ResNet"), card("vit", "An Image Is Worth 16x16 Words", "ViT",
    ...          "Vision Transformer"), card("transformer", "Attention Is All You Need", "Transformer")]
    >>> [c.id for c in cards_named_in(cards, "I've built ResNet and a Vision Transformer; what next?")]
    ['resnet', 'vit']
    """
    key = f" {normal(text)} "
    found: dict[str, tuple[int, Card]] = {}
    for name, card in sorted(_names(cards), key=lambda nc: -len(nc[0])):
        if len(name) < 3:
            continue
        match = _found(key, name)  # a Latin name alone, in the plural too ("U-Nets", "GANs"); a Chinese one anywhere
        if match:
            if not _extended(key, match, text, message=True):  # "Swin Transformer" names no catalogue paper, nor its Transformer
                found.setdefault(card.id, (match.start(), card))
            key = key[: match.start()] + " " * len(match.group()) + key[match.end():]  # a shorter name inside it is this one
    for card in cards:  # a two-letter alias counts written as it is, alone ("BN和Adam", not "bn" in a word)
        for alias in (a for a in card.aliases if len(a) == 2 and a.isascii()):
            if match := re.search(rf"(?<![A-Za-z0-9]){re.escape(alias)}(?![A-Za-z0-9])", text):
                found.setdefault(card.id, (len(key) + match.start(), card))
    return [card for _, card in sorted(found.values(), key=lambda pc: pc[0])]


def _lead_authors(card: Card) -> list[str]:
    """The names a paper is known by: its first author's, and the second's of a two-author paper ("Kipf and
    Welling"): the surname when it has four letters or more (no common short word stands for one), else the first
    and last names ("Kaiming He")."""
    names = [str(a).split() for a in card.meta.get("authors") or []]
    return [n[-1] if len(n[-1]) >= 4 else f"{n[0]} {n[-1]}" for n in names[: 2 if len(names) == 2 else 1] if n]


def _short_surname(name: str) -> str | None:
    """A short surname ("He" of "Kaiming He"), which counts alone only cited: "He et al." """
    return name.split()[-1] if " " in name else None


PAPER_WORDS = re.compile(r"\bpapers?\b|\bet al\b|论文|那篇|这篇|(?:19|20)\d\d", re.I)  # "Goodfellow's book" names no paper
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d|\d\d)(?=\s*年|\b)")


def card_by_authors(cards: Sequence[Card], text: str) -> Card | None:
    """The one card whose lead authors include every lead-author surname the text writes (capitalised, alone), when
    the text speaks of a paper (the word, "et al", a year, or two of its authors) and no year it writes is another
    one's; else None. A lead author known by a short surname ("Kaiming He") also needs the year: he wrote many papers.

    >>> card = lambda id, year, *authors: Card(id, id, "", "", {"authors": list(authors), "year": year})
    >>> cards = [card("adam", 2014, "Diederik P. Kingma", "Jimmy Ba"), card("vae", 2013, "Diederik P. Kingma", "Max Welling"),
    ...          card("gcn", 2016, "Thomas N. Kipf", "Max Welling")]
    >>> [card_by_authors(cards, t).id for t in ("how do I reproduce Kingma & Welling 2013?", "Kipf 跟 Welling 那篇",
    ...                                         "Kipf & Welling's graph conv net")]
    ['vae', 'gcn', 'gcn']
    >>> card_by_authors(cards, "the Kingma paper") is None, card_by_authors(cards, "a welling of tears") is None
    (True, True)
    >>> card_by_authors(cards, "I'm reading Kipf's blog, should I implement everything?") is None
    True
    >>> card_by_authors(cards, "Kipf and Welling 2017, the GAT follow-up") is None
    True
    >>> resnet = Card("resnet", "resnet", "", "", {"authors": ["Kaiming He", "Xiangyu Zhang"], "year": 2015})
    >>> [card_by_authors([resnet], t) == resnet for t in ("that Kaiming He 2015 paper", "He et al. 2015", "he wrote a paper",
    ...                                                   "Mask R-CNN from He et al. 2017", "Kaiming He's MAE paper")]
    [True, True, False, False, False]
    """
    surnames = {n for card in cards for n in _lead_authors(card)}
    named = {n for n in surnames if re.search(rf"(?<![A-Za-z]){re.escape(n)}(?![a-z])", text)
             or ((short := _short_surname(n)) and re.search(rf"(?<![A-Za-z]){re.escape(short)}\s+et\s+al\b", text))}
    if not named or (len(named) < 2 and not PAPER_WORDS.search(text)):  # two authors named together are a paper
        return None
    years = {_full_year(y) for y in YEAR.findall(text)}
    undated = not years and not any(_short_surname(n) for n in named)  # no year written, and none needed
    fits = [card for card in cards if named <= set(_lead_authors(card)) and (undated or str(card.meta.get("year")) in years)]
    return fits[0] if len(fits) == 1 else None


def _full_year(year: str) -> str:
    """ "2015" or "15" (as in "15年那篇") as four digits."""
    return year if len(year) == 4 else ("19" if int(year) > 50 else "20") + year
