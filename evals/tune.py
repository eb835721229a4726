"""Tune the point-picking settings on the dev split only: a grid over them, every dev case scored per point.

    python evals/tune.py [--grid weight=0,1,2 base=0.8,0.82 floor=0,0.1]
    python evals/tune.py --margins     # the refusal thresholds: every dev question's support, by language
    MENTOR_EMBEDDER=onnx python evals/tune.py --margins   # the same with fp32 vectors (the packs' fp32_thresholds)
    python evals/tune.py --off-topic   # each listed off-topic question against dev's answerable and refused ones
                                       # and the probes in evals/off_topic_probes.yaml

Prints one row per setting: keyword coverage, answer relevance (opening point), point precision, evidence
language and refusal accuracy on dev. Never reads evals/test.yaml: the test split is for reporting.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace

from rag.config import Settings
from rag.engine import open_pipeline
from rag.evals.cases import load_cases
from rag.evals.scoring import evaluate_case
from rag.evals.summary import summarize

FIELDS = {"weight": "sentence_weight", "base": "sentence_base", "floor": "point_floor",
          "rank": "sentence_rank_weight", "dense": "dense_weight", "lexical": "lexical_weight",
          "intro": "introduction_weight", "per_chunk": "points_per_chunk"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", nargs="*", default=["rank=0,0.5,1,1.5"])
    parser.add_argument("--margins", action="store_true", help="print every dev question's support instead")
    parser.add_argument("--off-topic", action="store_true",
                        help="print how close each pack's off-topic question comes to dev's questions and the "
                             "probes (evals/off_topic_probes.yaml) instead")
    args = parser.parse_args()
    if args.margins:
        return refusal_margins()
    if args.off_topic:
        return off_topic_leads()
    axes = {FIELDS[k]: [(int if k == "per_chunk" else float)(v) for v in values.split(",")]
            for k, values in (g.split("=") for g in args.grid)}
    base = open_pipeline(Settings.from_env())
    cases = load_cases(base.settings.eval_dev)
    print(" ".join(f"{k:>16}" for k in axes), "   MRR evidence keywords relevance precision language refusals")
    for values in itertools.product(*axes.values()):
        pipeline = replace_settings(base, dict(zip(axes, values)))
        summary = summarize([evaluate_case(c, {"hybrid": pipeline}, "hybrid") for c in cases])
        s, mrr = summary["answers"], summary["retrieval"]["system"]["mrr"]
        print(" ".join(f"{v:>16}" for v in values), f"{mrr:6.3f} {summary['evidence']['chunk_hit@3']:8.3f} "
              f"{s['keyword_coverage']:8.3f} {s['answer_relevance']:9.3f} "
              f"{s['point_precision']:9.3f} {s['evidence_language']:8.3f} {s['refusal_accuracy']:9.3f}")


def replace_settings(pipeline, changes):
    from rag.answer.pipeline import Pipeline

    return Pipeline(pipeline.reader, replace(pipeline.settings, **changes), pipeline.today)


def searched_cases(pipeline):
    """(case, its Retrieved) for each dev case the refusal check sees: not refused by the guard, routed to search."""
    from rag.answer.followup import resolve

    for case in load_cases(pipeline.settings.eval_dev):
        found = searched(pipeline, case.question, resolve(case.question, list(case.turns[:-1])), case.language)
        if found is not None:
            yield case, found


def searched(pipeline, question, resolved, language):
    """The question's Retrieved when the refusal check sees it (not refused by the guard, routed to search), else
    None; `resolved` is the question with what it follows up on."""
    from rag.answer.guard import refusal_reason
    from rag.answer.intent import route
    from rag.answer.retrieval import retrieve

    s = pipeline.settings
    if refusal_reason(question) or route(question, resolved, 10).kind != "search":
        return None
    return retrieve(pipeline.reader, resolved, s.answer_hits, s, language)


def refusal_margins() -> None:
    """The support of every dev case (best cosine, best BM25, best sentence's relevance, how much closer it comes to
    an off-topic question than to any the guides answer, plainly and hub-free), by language: where the thresholds can sit
    (min_similarity, min_lexical, min_point, sure_point, off_topic_margin, sure_in_domain, sure_in_domain_hub_free)."""
    from rag.answer.compose import score_sentences

    pipeline = open_pipeline(Settings.from_env())
    print("language  expected  cosine  BM25  point  off-topic (plain, hub-free)  case")
    for case, found in searched_cases(pipeline):
        scored = score_sentences(found.terms, found.hits, case.language, pipeline.reader.lexical.idf,
                                 **pipeline.sentence_scoring(found))
        point = max((x.relevance for x in scored), default=0.0)
        lead = pipeline.off_topic(found, case.language)
        print(f"{case.language} {'REFUSE' if case.expect_refusal else 'answer'} {found.best_similarity:.3f} {found.best_lexical:6.2f} "
              f"{point:.3f} {'-' if lead is None else f'{lead.raw:+.3f} {lead.hub_free:+.3f}'} {case.id}")


def off_topic_leads() -> None:
    """For each pack's off-topic question (rag/lang/*_off_topic.py), the largest hub-free lead it gives any answerable
    question the refusal check sees, dev's or a probe of evals/off_topic_probes.yaml (rag.answer.off_topic: how much
    closer to it than to any question the guides answer), and how far that stays under the pack's off_topic_margin,
    and how many dev refusals it brings to the margin; the closest to the margin first. The index must hold the lists
    (`mentor index` after a change)."""
    import yaml

    from rag.lang import registry

    pipeline = open_pipeline(Settings.from_env())
    s, held = pipeline.settings, pipeline.reader.questions
    if any(q not in held.row for pack in registry.packs() for q in pack.off_topic):
        raise SystemExit("The index lacks some of the packs' off-topic questions: run `mentor index` first.")
    probes = yaml.safe_load(s.eval_dev.with_name("off_topic_probes.yaml").read_text(encoding="utf-8"))
    asked = [(case.language, case.expect_refusal, found) for case, found in searched_cases(pipeline)]
    asked += [(language, False, found) for language, questions in probes.items() for question in questions or ()
              if (found := searched(pipeline, question, question, language)) is not None]
    leads: dict[str, list[tuple[bool, list[float]]]] = {}
    for language, refuse, found in asked:
        if found.best_question_hub_free is None:
            continue
        listed = registry.pack(language).off_topic
        leads.setdefault(language, []).append((refuse, [
            held.similarity(found.vector, q) - s.question_commonness * held.commonness_of(q) - found.best_question_hub_free
            for q in listed]))
    print("language  under the margin  refusals brought to it  off-topic question")
    for language, rows in leads.items():
        margin = pipeline.thresholds(language).off_topic_margin
        listed = registry.pack(language).off_topic
        worst = [max((lead[i] for refuse, lead in rows if not refuse), default=-1.0) for i in range(len(listed))]
        caught = [sum(lead[i] >= margin for refuse, lead in rows if refuse) for i in range(len(listed))]
        for i in sorted(range(len(listed)), key=lambda i: -worst[i]):
            print(f"{language} {margin - worst[i]:+.3f} {caught[i]:3d}  {listed[i]}")


if __name__ == "__main__":
    main()
