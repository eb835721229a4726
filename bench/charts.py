"""The report's PNG charts (matplotlib, Agg backend): latency, index, search stages, scale.

Latency is drawn in units of one query encode, as the report's ratios are.
"""

from __future__ import annotations

from pathlib import Path

from .targets import unit_ms


def write_charts(r: dict, folder: Path) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    u = unit_ms(r)
    lat, cmp_, idx, lc = r["latency"], r["compare"], r["index"], r["langchain"]
    names = {}

    fig, ax = plt.subplots(figsize=(8, 4))
    bars = [("encode\n(unit)", r["unit"]), ("hybrid_search\nk=5", lat["search"]), ("Pipeline.ask", lat["ask"]),
            ("ours\nk=3", cmp_["ours"]), ("LangChain\nk=3", cmp_["langchain"])]
    xs = range(len(bars))
    ax.bar([i - 0.2 for i in xs], [b["p50_ms"] / u for _, b in bars], 0.4, label="p50")
    ax.bar([i + 0.2 for i in xs], [b["p95_ms"] / u for _, b in bars], 0.4, label="p95")
    ax.axhline(1.3, color="red", linestyle="--", linewidth=1, label="retrieval target 1.3×")
    ax.axhline(1.5 + 50 / u, color="purple", linestyle=":", linewidth=1, label="answer target 1.5× + 50 ms")
    ax.set_xticks(list(xs), [n for n, _ in bars])
    ax.set_ylabel(f"× one query encode ({u:.0f} ms)")
    ax.set_title("Query latency in encode units (shipped corpus)")
    ax.legend(fontsize=8)
    names["latency"] = _save(fig, folder / "latency.png")

    fig, ax = plt.subplots(figsize=(8, 3.5))
    runs = [("ours: cold build", idx["cold_s"]), ("ours: one file changed", idx["changed_s"]),
            ("ours: no change", max(idx["no_change_s"])), ("LangChain: build (any change)", lc["index_s"])]
    if idx.get("cli_no_change_s"):
        runs.insert(3, ("`mentor index`: no change", idx["cli_no_change_s"]))
    ax.barh([n for n, _ in runs][::-1], [s for _, s in runs][::-1], color="tab:green")
    ax.set_xscale("log")
    ax.set_xlabel("seconds (log scale)")
    ax.set_title("Indexing the shipped corpus")
    names["index"] = _save(fig, folder / "index.png")

    fig, ax = plt.subplots(figsize=(10, 3.5))
    columns = {"shipped": r["profile"], **{f"{int(n) // 1000}k synthetic\n({s['stages']['of']})": s["stages"]
                                           for n, s in r["scale"].items() if "stages" in s}}
    segments = ["model.encode_queries", "english_model.encode_queries", "chroma.query", "chroma.get", "bm25.search",
                "reader.named_docs", "python"]
    left = [0.0] * len(columns)
    for seg in segments:
        vals = [c["stages"].get(seg, {}).get("ms_per_search", 0.0) for c in columns.values()]
        if seg == "python":  # named_docs is pure Python once its cache is filled: shown apart
            vals = [v - c["stages"].get("reader.named_docs", {}).get("ms_per_search", 0.0) for v, c in zip(vals, columns.values())]
        ax.barh(list(columns)[::-1], vals[::-1], left=left[::-1], label=seg.replace("reader.", ""))
        left = [a + max(b, 0.0) for a, b in zip(left, vals)]
    ax.set_xlabel("ms per hybrid_search (mean)")
    ax.set_title("Where a search spends its time")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    names["stages"] = _save(fig, folder / "stages.png")

    fig, ax = plt.subplots(figsize=(9, 4))
    sizes = [int(n) for n in r["scale"]]
    for key, label in (("dense", "dense"), ("dense_guides", "dense + kind filter"), ("bm25", "BM25"),
                       ("bm25_guides", "BM25 + kind"), ("hybrid", "hybrid_search (no encode)"),
                       ("hybrid_no_names", "hybrid_search, named_weight=0")):
        points = [(n, s[key]["p95_ms"]) for n, s in zip(sizes, r["scale"].values()) if "p95_ms" in s[key]]
        if points:
            ax.plot(*zip(*points), marker="o", label=label)
    failed = [n for n, s in zip(sizes, r["scale"].values()) if "error" in s["hybrid"]]
    if failed:
        ax.plot(failed, [200] * len(failed), "kx", markersize=10, label="hybrid_search fails here")
    ax.axhline(200, color="red", linestyle="--", linewidth=1, label="target 200 ms")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("synthetic chunks")
    ax.set_ylabel("query p95, ms")
    ax.set_title("Query p95 at scale")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    names["scale"] = _save(fig, folder / "scale.png")
    return names


def _save(fig: object, path: Path) -> str:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name
