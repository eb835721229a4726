"""Sentence vectors: every quotable sentence of the index embedded once, to tell which bear on a question.

Saved per index generation as one .npz file (the sentences and their float32
vectors, no pickles) beside the BM25 file; a new generation reuses the vectors
of sentences it already had. The sentences are `rag.ingest.sentences.quotables`
of every chunk, so the composer finds each candidate here. The questions the chunks'
sections answer (rag.ingest.questions) are kept the same way in a file of their own,
encoded as queries, beside the language packs' off-topic questions (held by no chunk); that file also carries the
query steering learned from them (rag.index.steering).

Each text also carries its commonness: the mean cosine of its NEIGHBOURS closest texts on the other side (a
sentence's to the questions the sections answer, a question's to the sentences), less the median over its file. A sentence close to
every question ("Don't get me wrong, some do, but not many.") or a question close to every sentence ("What does an
ML engineer do?") is a hub of the embedding space: near a learner's question without answering it. Rankings
subtract a multiple of it (hubness reduction, as CSLS does for word translation).
"""

from __future__ import annotations

import math
import os
import zipfile
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError
from .lexical import BM25Index


NEIGHBOURS = 10  # commonness: the mean cosine of a text's this many closest texts on the other side
PARTIAL = 10  # best_chunks sorts the best PARTIAL × n sentences first, and all of them only if those fall short


class SentenceVectors:
    """Texts (quotable sentences, or the questions sections answer), their unit vectors and the chunks that hold
    them; `similarity(query_vector, text)` is a cosine (None when unknown), `best_chunks` ranks chunks by their
    closest text, `closest_in` gives a chunk's closest, `commonness_of(text)` how much of a hub it is. The questions'
    file also holds `steering` (rag.index.steering; None in the sentences' file and in one written before it) and
    `situations`: per text, whether it is a question told as a learner's situation (rag.ingest.questions), which
    finds its section but does not show that a question is one the guides answer (rag.answer.off_topic)."""

    def __init__(self, texts: list[str], vectors: Any, owners: list[str] | None = None, commonness: Any = None,
                 steering: Any = None, situations: Any = None) -> None:
        import numpy as np

        self.texts = texts
        self.vectors = np.asarray(vectors, dtype="float32").reshape(len(texts), -1) if texts else np.zeros((0, 0), "float32")
        self.owners = owners or [""] * len(texts)  # per text: the ids of the chunks holding it, joined by " "
        # per text: its commonness (the module's docstring); zeros until `with_commonness` measures it
        self.measured = commonness is not None
        self.commonness = np.zeros(len(texts), "float32") if commonness is None else np.asarray(commonness, "float32")
        self.owner_ids = [tuple(o.split()) for o in self.owners]
        self.steering = None if steering is None else np.asarray(steering, "float32")
        self.situations = np.zeros(len(texts), bool) if situations is None else np.asarray(situations, bool)
        self.row = {text: i for i, text in enumerate(texts)}
        self._within: dict[str, SentenceVectors] = {}

    def within(self, key: str, keep: Callable[[str], bool]) -> "SentenceVectors":
        """The sentences of the chunks `keep` accepts (e.g. one language's), kept under `key`: a question then
        multiplies its vector by those rows only (`keep` must accept the same chunks every time for one key)."""
        if key not in self._within:
            owners = [" ".join(cid for cid in ids if keep(cid)) for ids in self.owner_ids]
            rows = [i for i, o in enumerate(owners) if o]
            self._within[key] = SentenceVectors([self.texts[i] for i in rows], self.vectors[rows], [owners[i] for i in rows],
                                                 self.commonness[rows] if self.measured else None,
                                                 situations=self.situations[rows])
        return self._within[key]

    def with_situations(self, told: set[str]) -> "SentenceVectors":
        """The same texts, those in `told` marked as questions told as a learner's situation."""
        return SentenceVectors(self.texts, self.vectors, self.owners, self.commonness if self.measured else None,
                               self.steering, [text in told for text in self.texts])

    def commonness_of(self, text: str) -> float:
        """The text's commonness (0 when unknown)."""
        i = self.row.get(text)
        return 0.0 if i is None else float(self.commonness[i])

    def similarity(self, query_vector: Any, text: str) -> float | None:
        i = self.row.get(text)
        return None if i is None else float(self.vectors[i] @ query_vector)

    def cosines(self, query_vector: Any) -> Any:
        """The query's cosine to every text, in row order (empty when there are none)."""
        import numpy as np

        return self.vectors @ query_vector if self.texts else np.zeros(0, "float32")

    @cached_property
    def rows_of(self) -> dict[str, list[int]]:
        """The rows of each chunk's texts."""
        rows: dict[str, list[int]] = {}
        for i, ids in enumerate(self.owner_ids):
            for cid in ids:
                rows.setdefault(cid, []).append(i)
        return rows

    def closest_in(self, query_vector: Any, chunk_id: str) -> float | None:
        """The highest cosine between the query and the texts the chunk holds (None: it holds none)."""
        rows = self.rows_of.get(chunk_id)
        return None if not rows else float((self.vectors[rows] @ query_vector).max())

    def best_chunks(self, query_vector: Any, n: int, floor: float = -math.inf, cosines: Any = None,
                    commonness_weight: float = 0.0) -> list[str]:
        """Up to `n` chunk ids ordered by their closest text to the query (`within` narrows the chunks), each text's
        cosine less `commonness_weight` times its commonness, counting only texts whose cosine is at least `floor`;
        `cosines` is `self.cosines(query_vector)` when already computed."""
        import numpy as np

        if not self.texts:
            return []
        similarity = self.cosines(query_vector) if cosines is None else cosines
        rows = np.flatnonzero(similarity >= floor)
        similarity = similarity[rows] - commonness_weight * self.commonness[rows]
        if not len(rows):
            return []
        head = min(len(rows), PARTIAL * n)  # enough texts for n chunks, almost always: sort only those
        top = np.argpartition(-similarity, head - 1)[:head]
        ranked = self._owners_in(rows[top[np.lexsort((top, -similarity[top]))]], n)
        if len(ranked) < n and head < len(rows):  # the best texts share too few chunks: rank them all
            ranked = self._owners_in(rows[np.argsort(-similarity, kind="stable")], n)
        return ranked

    def best_chunks_by_words(self, terms: list[str], n: int, floor: float = 0.0) -> list[str]:
        """Up to `n` chunk ids ordered by their best text's BM25 score for the search `terms`, counting only texts
        scoring above `floor` (and so none that shares no term). The texts' BM25 index is built on first use (about
        50 ms for a thousand questions)."""
        import numpy as np

        if not self.texts:
            return []
        if "_words" not in self.__dict__:  # built once, lazily: only a language that ranks by words pays for it
            self._words = BM25Index.build([str(i) for i in range(len(self.texts))], self.texts)
        scores = self._words.scores(terms)
        rows = np.flatnonzero(scores > floor)
        return self._owners_in(rows[np.lexsort((rows, -scores[rows]))], n)

    def _owners_in(self, order: Any, n: int) -> list[str]:
        """The first `n` chunks holding the sentences of `order`, each once, by their first sentence."""
        ranked: dict[str, None] = {}
        for i in order.tolist():
            for cid in self.owner_ids[i]:
                ranked.setdefault(cid)
            if len(ranked) >= n:
                break
        return list(ranked)[:n]

    def save(self, path: Path) -> None:
        import numpy as np

        tmp = path.with_name(path.name + ".tmp.npz")
        measured = {"commonness": self.commonness} if self.measured else {}
        steering = {} if self.steering is None else {"steering": self.steering}
        situations = {"situations": self.situations} if self.situations.any() else {}
        np.savez(tmp, texts=np.array(self.texts, dtype=str), vectors=self.vectors, owners=np.array(self.owners, dtype=str),
                 **measured, **steering, **situations)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "SentenceVectors":
        import numpy as np

        try:
            with np.load(path, allow_pickle=False) as data:
                return cls([str(t) for t in data["texts"]], data["vectors"], [str(o) for o in data["owners"]],
                           data["commonness"] if "commonness" in data.files else None,
                           data["steering"] if "steering" in data.files else None,
                           data["situations"] if "situations" in data.files else None)
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as err:
            raise IndexCorruptError(f"The sentence vectors {path.name} cannot be read ({err}).") from err

    @classmethod
    def empty(cls) -> "SentenceVectors":
        return cls([], [])


def manifest_vectors(home: Any, manifest: Any, name: str) -> SentenceVectors:
    """A generation's vectors file `name` (sentences or questions), verified against `manifest`'s checksum; none
    when the generation has no such file."""
    return SentenceVectors.load(home.path(name, manifest.checksums.get(name, ""))) if name else SentenceVectors.empty()


def build(owned: Iterable[tuple[str, str]], encode: Callable[[list[str]], Any], previous: SentenceVectors) -> SentenceVectors:
    """Vectors for the texts of (chunk id, text) pairs, each text once, reusing `previous` vectors and
    encoding only the new."""
    import numpy as np

    owners: dict[str, list[str]] = {}
    for cid, text in owned:
        owners.setdefault(text, []).append(cid)
    wanted = sorted(owners)
    fresh = [t for t in wanted if t not in previous.row]
    encoded = dict(zip(fresh, encode(fresh))) if fresh else {}
    vectors = [encoded[t] if t in encoded else previous.vectors[previous.row[t]] for t in wanted]
    return SentenceVectors(wanted, np.asarray(vectors, dtype="float32") if vectors else np.zeros((0, 0), "float32"),
                           [" ".join(dict.fromkeys(owners[t])) for t in wanted])


def with_commonness(sentences: SentenceVectors, questions: SentenceVectors,
                    neighbours: int = NEIGHBOURS) -> tuple[SentenceVectors, SentenceVectors]:
    """The two files' texts with their commonness measured against each other (the module's docstring); with no
    texts on the other side, every text's is 0. A sentence's is measured against the questions the sections answer
    only: the packs' off-topic questions (held by no chunk) are not the questions a hub sits near, and a longer
    off-topic list would otherwise change every sentence's."""
    import numpy as np

    def measured(texts: SentenceVectors, cosines: Any) -> SentenceVectors:
        k = min(neighbours, cosines.shape[1])
        if k and len(texts.texts):
            mean = (-np.partition(-cosines, k - 1, axis=1)[:, :k]).mean(axis=1)
            common = mean - np.median(mean)
        else:
            common = np.zeros(len(texts.texts), "float32")
        return SentenceVectors(texts.texts, texts.vectors, texts.owners, common, texts.steering, texts.situations)

    cosines = sentences.vectors @ questions.vectors.T if sentences.texts and questions.texts \
        else np.zeros((len(sentences.texts), len(questions.texts)), "float32")
    answered = [i for i, owners in enumerate(questions.owner_ids) if owners]
    return measured(sentences, cosines[:, answered]), measured(questions, cosines.T)
