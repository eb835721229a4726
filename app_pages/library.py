"""The Library page: what is indexed, whether the index is stale, re-indexing, corpus files with problems
and corpus sentences that read as orders (shown as data, never quoted)."""

from __future__ import annotations

import streamlit as st

from app_pages._shared import build_index, guarded, settings, t
from rag.app.cards import safe_url
from rag.app.markdown import escape_text


def page() -> None:
    from rag.engine import status
    from rag.errors import IndexCorruptError
    from rag.index.home import REPAIR
    from rag.ingest.corpus import load_corpus

    s = status(settings())
    built = s.manifest is not None
    st.subheader(t("status"))
    cols = st.columns(3)
    cols[0].metric(t("model"), s.manifest.model_id.split("@")[0] if built else "—")
    cols[1].metric(t("chunks"), s.manifest.chunk_count if built else 0)
    cols[2].metric(t("stale"), (t("yes") if s.stale_files else t("no")) if built else "—")
    if built:
        st.caption(t("built_at", when=s.manifest.built_at, model=s.manifest.model_id))
        if s.stale_files:
            st.warning(t("changed", files=escape_text(", ".join(s.stale_files))))  # file names are corpus data
    elif not s.rebuild:  # never built, as `mentor status` says (not every corpus file "changed")
        st.caption(t("no_index_yet"))
        st.warning(t("no_index"))
    for problem in [*s.damaged, *s.rebuild]:  # what `mentor status` calls damaged, and tells how to repair
        st.error(escape_text(problem))
    if s.damaged or s.rebuild:
        st.info(IndexCorruptError.hint if s.rebuild else REPAIR)
    # The button does what `mentor status` says repairs it: --rebuild for a cut manifest or a damaged vector store.
    repair = "rebuild" if s.rebuild else "reindex" if built else "build"
    if st.button(t(repair), key="reindex", type="primary"):
        guarded(lambda: (build_index(rebuild=repair == "rebuild"), st.rerun()))  # then the page shows the new index
    st.subheader(t("corpus"))
    docs, problems = load_corpus(s.corpus_dir) if s.corpus_dir.is_dir() else ([], [])
    st.dataframe([{"title": d.title, "kind": d.kind, "language": ", ".join(d.lang), "link": safe_url(d.source_url),
                   "file": d.path} for d in docs], hide_index=True,
                 column_config={"link": st.column_config.LinkColumn("link")})
    st.subheader(t("problems"))
    if problems:
        st.dataframe([{"file": p.path, "problem": p.problem} for p in problems], hide_index=True)
    else:
        st.success(t("no_problems"))
    if s.flags:
        st.subheader(t("flagged"))
        st.dataframe([{"file": f.path, "reason": f.reason, "sentence": f.sentence} for f in s.flags], hide_index=True)


guarded(page)
