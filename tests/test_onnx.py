"""The ONNX Runtime embedder: the export's recorded check (fp32: the default, and int8), its vectors against
sentence-transformers, and answering without torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from rag.config import PACKAGE_ROOT, Settings
from rag.errors import ModelError
from rag.index.onnx_export import CHECK_FILE, CHECK_TEXTS, ONNX_DIR, is_exported

pytestmark = pytest.mark.slow


def test_the_export_is_checked_and_the_check_recorded(model_dir):
    """`mentor setup` exports fp32 (and, for MENTOR_EMBEDDER=onnx-int8, quantises it to int8) and checks each."""
    recorded = json.loads((model_dir / ONNX_DIR / CHECK_FILE).read_text(encoding="utf-8"))
    assert recorded["fp32"]["texts"] >= 20 and recorded["fp32"]["min_cosine"] >= 0.9999
    assert recorded["fp32"]["token_ids_equal"] and is_exported(model_dir, "fp32")
    assert recorded["int8"]["texts"] >= 20 and 0.98 <= recorded["int8"]["min_cosine"] < 0.9999
    assert recorded["int8"]["token_ids_equal"] and is_exported(model_dir, "int8")
    assert sum(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in CHECK_TEXTS) >= 10  # Chinese texts too


TEXTS = ["What should I learn after Python?", "学完 Python 之后我应该学什么？", "x" * 3000]  # one past 512 tokens


def test_onnx_vectors_equal_sentence_transformers_and_share_its_model_id(model_dir, reference_embeddings):
    from rag.index.onnx_embeddings import OnnxEmbeddings

    onnx = OnnxEmbeddings(model_dir, variant="fp32")
    cosines = np.sum(onnx.encode_passages(TEXTS) * reference_embeddings.encode_passages(TEXTS), axis=1)
    assert cosines.min() >= 0.9999
    assert onnx.model_id == reference_embeddings.model_id and onnx.dim == reference_embeddings.dim


def test_fp32_texts_of_one_length_share_a_run_without_changing_their_vectors(model_dir):
    """The index encodes texts of the same token count in one run (unpadded) on a thread per core."""
    from rag.index.onnx_embeddings import OnnxEmbeddings

    onnx = OnnxEmbeddings(model_dir, variant="fp32")
    texts = [TEXTS[0], TEXTS[1], TEXTS[0] + " ", "What should I learn after Java?", TEXTS[0], TEXTS[2]]
    done: list[int] = []
    together = onnx.encode_passages(texts, progress=done.append)
    alone = np.concatenate([onnx.encode_passages([text]) for text in texts])
    assert np.abs(together - alone).max() < 1e-6 and sum(done) == len(texts) and max(done) > 1


def test_equal_length_runs_group_positions_by_length_shortest_first():
    from rag.index.onnx_embeddings import equal_length_runs

    assert equal_length_runs([5, 3, 5, 5, 3], 2) == [[1, 4], [0, 2], [3]]
    assert equal_length_runs([5, 3, 5], 1) == [[1], [0], [2]] and equal_length_runs([], 16) == []


@pytest.fixture(scope="module")
def int8(model_dir):
    from rag.index.onnx_embeddings import OnnxEmbeddings

    return OnnxEmbeddings(model_dir, variant="int8")


def test_the_int8_vectors_are_close_to_sentence_transformers_under_their_own_model_id(int8, reference_embeddings):
    assert int8.variant == "int8" and int8.model_id == reference_embeddings.model_id + "+int8-unbatched"
    guide = (PACKAGE_ROOT / "corpus" / "guides" / "mle-roadmap.md").read_text(encoding="utf-8")
    texts = [*TEXTS[:2], guide[:3000]]  # a real passage past 512 tokens (on "x" * 3000 int8 drifts to 0.94)
    cosines = np.sum(int8.encode_passages(texts) * reference_embeddings.encode_passages(texts), axis=1)
    assert min(cosines[:2]) >= 0.98 and cosines[2] >= 0.97  # the export's check: 0.98 on short texts
    assert int8.dim == reference_embeddings.dim


def test_an_int8_vector_does_not_depend_on_what_else_is_encoded_with_it(int8):
    """Dynamic int8 scales activations by the whole batch's range: texts are encoded one per run instead."""
    alone = np.concatenate([int8.encode_passages([text]) for text in TEXTS])
    assert np.array_equal(int8.encode_passages(TEXTS), alone)
    assert np.array_equal(int8.encode_queries(TEXTS), np.concatenate([int8.encode_queries([t]) for t in TEXTS]))


def test_a_missing_export_is_a_clear_error(tmp_path, model_dir):
    import shutil

    from rag.index.onnx_embeddings import OnnxEmbeddings

    bare = tmp_path / "model"
    shutil.copytree(model_dir, bare, ignore=shutil.ignore_patterns(ONNX_DIR))
    with pytest.raises(ModelError, match="no checked ONNX fp32 export") as err:
        OnnxEmbeddings(bare)
    assert "mentor setup" in err.value.hint


def test_mentor_ask_answers_without_importing_torch_or_chromadb(corpus_index):
    """A local index answers from its chunk file: neither the torch stack nor chromadb is imported."""
    settings, _ = corpus_index
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    env |= {"MENTOR_HOME": str(settings.home), "MENTOR_MODEL": str(settings.model_dir)}
    probe = ("import sys\nfrom rag.cli import main\ntry:\n    main(['ask', 'How much math do I need?'], standalone_mode=False)\n"
             "finally:\n    print('loaded:', sorted(m for m in ('torch', 'transformers', 'sentence_transformers', 'chromadb') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "[1]" in done.stdout and "loaded: []" in done.stdout


def test_the_embedder_is_a_setting():
    from rag.engine import onnx_variant

    assert Settings().embedder == "onnx" and onnx_variant(Settings()) == "fp32"
    int8 = Settings.from_env({"MENTOR_EMBEDDER": "onnx-int8"})
    assert int8.embedder == "onnx-int8" and onnx_variant(int8) == "int8"
    assert Settings.from_env({"MENTOR_EMBEDDER": "sentence-transformers"}).embedder == "sentence-transformers"
    with pytest.raises(Exception, match="MENTOR_EMBEDDER must be one of"):
        Settings.from_env({"MENTOR_EMBEDDER": "gpu"})


def test_the_light_tokenizer_gives_the_ids_of_tokenizers_on_the_whole_corpus(model_dir):
    from tokenizers import Tokenizer

    from rag.index.onnx_export import TOKENIZER
    from rag.index.unigram import UnigramTokenizer

    light = UnigramTokenizer(model_dir / ONNX_DIR / TOKENIZER)
    reference = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    reference.enable_truncation(512)
    texts = [*CHECK_TEXTS, "", "<s> a literal </s> and <mask>", "x" * 3000, "émoji 👍🏽 ﬁ ½ ＡＢＣ e\u0301 \u200d", "\U0010ffff 𓀀"]
    for path in sorted((PACKAGE_ROOT / "corpus").rglob("*.*")):
        text = path.read_text(encoding="utf-8")
        texts += text.splitlines() + [text[i : i + 1500] for i in range(0, len(text), 1500)]
    expected = [e.ids for e in reference.encode_batch(texts)]
    assert [light.encode(t) for t in texts] == expected and max(map(len, expected)) == 512


def test_the_word_embeddings_are_memory_mapped_not_loaded(model_dir):
    from rag.index.onnx_embeddings import OnnxEmbeddings
    from rag.index.onnx_export import WORD_EMBEDDINGS, onnx_path

    onnx = OnnxEmbeddings(model_dir)
    onnx.encode_queries(["How much math do I need?"])
    table = model_dir / ONNX_DIR / WORD_EMBEDDINGS
    assert isinstance(onnx.model.table, np.memmap) and onnx.model.table.shape == (250037, 384)
    assert onnx_path(model_dir, "fp32").stat().st_size < table.stat().st_size / 4  # the graph holds no table
    assert [i.name for i in onnx.model.session.get_inputs()] == ["inputs_embeds", "attention_mask"]


def test_a_failed_check_leaves_the_previous_export_in_place(tmp_path, model_dir, monkeypatch):
    import shutil

    from rag.index import onnx_export

    copy = tmp_path / "model"
    shutil.copytree(model_dir, copy)
    before = {p.name: p.read_bytes() for p in (copy / ONNX_DIR).iterdir() if p.name != CHECK_FILE}
    (copy / ONNX_DIR / CHECK_FILE).unlink()  # as if the weights had changed: export again
    monkeypatch.setattr(onnx_export, "MIN_COSINE", {"fp32": 1.5, "int8": 1.5})  # no export can pass
    with pytest.raises(ModelError, match="does not match sentence-transformers") as err:
        onnx_export.export(copy, "fp32")
    assert "left in place" in str(err.value)
    assert {p.name: p.read_bytes() for p in (copy / ONNX_DIR).iterdir()} == before  # no .tmp left, nothing replaced


def english_copy(model_dir, tmp_path):
    """The English sentence model prepared beside `model_dir`, copied as `cp -r` copies (new file times)."""
    import shutil

    copy = tmp_path / "all-MiniLM-L6-v2"
    shutil.copytree(Settings(model_dir=model_dir).resolved_english_model_dir, copy, copy_function=shutil.copy)
    return copy


def test_a_copied_model_folder_is_recognised_by_its_weights_and_not_exported_again(tmp_path, model_dir):
    from rag.index.onnx_export import export, onnx_path

    copy = english_copy(model_dir, tmp_path)
    assert not is_exported(copy, "fp32")  # what status and loading both say: run `mentor setup`
    graph = onnx_path(copy, "fp32").stat().st_mtime_ns
    said: list[str] = []
    export(copy, "fp32", said.append)
    assert said == ["all-MiniLM-L6-v2: its ONNX fp32 export was checked against these same weights; recorded again"]
    assert is_exported(copy, "fp32") and onnx_path(copy, "fp32").stat().st_mtime_ns == graph  # not written again


def test_the_export_names_its_model_and_shows_no_tracer_warnings(tmp_path, model_dir):
    import shutil
    import warnings

    from rag.index.onnx_export import export

    copy = english_copy(model_dir, tmp_path)
    shutil.rmtree(copy / ONNX_DIR)
    said: list[str] = []
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        export(copy, "fp32", said.append)
    assert said[0] == "Exporting all-MiniLM-L6-v2 to ONNX (fp32)…" and said[-1].startswith("all-MiniLM-L6-v2: ONNX fp32")
    assert not [w for w in shown if "TracerWarning" in w.category.__name__ or "aten::index" in str(w.message)]
    assert is_exported(copy, "fp32")
