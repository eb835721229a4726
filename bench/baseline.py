"""The plain LangChain pipeline a user would write instead, and the side-by-side comparison.

Read each Markdown file whole (what TextLoader does), split it with
RecursiveCharacterTextSplitter (500 characters, 50 overlap), embed with the same
model and e5 prefixes (`rag.embeddings.SentenceEmbeddings` is a LangChain
`Embeddings`), store with `Chroma.from_documents` (cosine, telemetry off), search
with `similarity_search(k=3)`. A document's id is its file stem. No BM25, no
glossary, no change detection: re-running it after an edit re-embeds everything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.evals.metrics import hit_at, mean
from rag.answer.retrieval import hybrid_search

from .measure import summary, timed

INSTALL_HINT = "The LangChain baseline needs the bench extra: run `make bench` or `.venv/bin/pip install -e '.[bench]'`."


def require() -> None:
    """Fail at the start, with the install command, when the bench extra is missing."""
    try:
        import langchain_chroma  # noqa: F401
        import langchain_text_splitters  # noqa: F401
    except ImportError as err:
        raise SystemExit(f"{INSTALL_HINT} ({err})") from err


def build(corpus_dir: Path, embeddings: Any, persist_dir: Path) -> tuple[Any, list[Any]]:
    """Load, split, embed and store the corpus the plain way; (vector store, chunks)."""
    import chromadb.config
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = [Document(page_content=path.read_text(encoding="utf-8"), metadata={"source": str(path)})
            for path in sorted(corpus_dir.rglob("*.md"))]
    chunks = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50).split_documents(docs)
    store = Chroma.from_documents(
        chunks, embeddings, collection_name="plain", persist_directory=str(persist_dir),
        client_settings=chromadb.config.Settings(anonymized_telemetry=False),
        collection_metadata={"hnsw:space": "cosine"},
    )
    return store, chunks


def distance_space(store: Any) -> str:
    """The distance the baseline's collection really uses (checked, not assumed)."""
    collection = store._collection  # the chromadb Collection behind the LangChain wrapper
    config = getattr(collection, "configuration", None) or {}
    hnsw = config.get("hnsw") if isinstance(config, dict) else None
    return str((hnsw or {}).get("space") or (collection.metadata or {}).get("hnsw:space") or "l2")


def doc_ids(documents: list[Any]) -> list[str]:
    return [Path(d.metadata["source"]).stem for d in documents]


def compare(reader: Any, settings: Settings, store: Any, rows: list[dict]) -> dict:
    """Both pipelines on the golden questions that have expected documents, interleaved, k=3.

    The order alternates per question so that machine noise falls on both alike.
    """
    ours_s, theirs_s, ours_hits, theirs_hits, langs = [], [], [], [], []
    for i, row in enumerate(rows):
        question, expected = row["searched"], set(row["expected_docs"])

        def ours() -> list[str]:
            return [h.doc_id for h in hybrid_search(reader, question, 3, settings)]

        def theirs() -> list[str]:
            return doc_ids(store.similarity_search(question, k=3))

        if i % 2:
            (t_theirs, got_theirs), (t_ours, got_ours) = timed(theirs), timed(ours)
        else:
            (t_ours, got_ours), (t_theirs, got_theirs) = timed(ours), timed(theirs)
        ours_s.append(t_ours)
        theirs_s.append(t_theirs)
        ours_hits.append(hit_at(got_ours, expected, 3))
        theirs_hits.append(hit_at(got_theirs, expected, 3))
        langs.append(row["language"])
    by_lang = {lang: {"n": langs.count(lang),
                      "ours_hit3": mean([h for h, l in zip(ours_hits, langs) if l == lang]),
                      "langchain_hit3": mean([h for h, l in zip(theirs_hits, langs) if l == lang])}
               for lang in ("en", "zh")}
    return {"questions": len(rows), "ours": summary(ours_s), "langchain": summary(theirs_s),
            "ours_hit3": mean(ours_hits), "langchain_hit3": mean(theirs_hits), "by_language": by_lang}
