"""LLM backends: the prompt, citations attached and checked in code, streaming, and every failure
falling back to the embedded answer with a notice. The real clients are used against dead and
hanging loopback servers; a scripted fake chat model stands in only for a model server."""

from __future__ import annotations

import base64
import hashlib
import socket
import sys
import time
import types
from dataclasses import replace

import pytest
from click.testing import CliRunner
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from rag.ingest.chunking import split_sentences
from rag.llm import backends as llm
from rag.llm import registry
from rag.llm import setup as llm_setup
from rag.answer.citations import MARKER, check_citations
from rag.cli import main
from rag.config import Settings
from rag.errors import BackendError
from rag.lang.registry import phrase
from rag.answer.pipeline import Pipeline, Result, final_result
from rag.llm.backends import LLMBackend, backend_for, build_prompt
from rag.llm.grounding import attach_citations, support
from rag.records import Answer, Hit

# The GGUF a developer assembled with `mentor setup-llm` (read before the fixtures move MENTOR_HOME).
REAL_GGUF = Settings.from_env().resolved_llm_model
LLM_VARS = ("MENTOR_LLM_BACKEND", "MENTOR_LLM_MODEL", "MENTOR_OLLAMA_URL", "MENTOR_OLLAMA_MODEL",
            "MENTOR_OPENAI_BASE_URL", "MENTOR_OPENAI_MODEL", "MENTOR_OPENAI_API_KEY", "OPENAI_API_KEY",
            "MENTOR_LLM_TIMEOUT", "MENTOR_LLM_CONNECT_TIMEOUT", "MENTOR_LLM_MIN_SUPPORT")


@pytest.fixture(autouse=True)
def no_llm_settings(monkeypatch):
    for var in LLM_VARS:
        monkeypatch.delenv(var, raising=False)


def hit(n: int, title: str, heading: str, text: str) -> Hit:
    return Hit(f"c{n}", f"doc{n}", title, heading, f"https://example.org/{n}", "guide", text, 0, len(text), 0,
               1.0 / n, 0.9, n, n)


HITS = [
    hit(1, "Zero to hero", "学习编程", "无论你选择哪条路径，第一步都是学习编程。Python 是最常用的语言。"),
    hit(2, "Roadmap", "数学", "你需要掌握线性代数、微积分和概率论。不必一开始就精通所有数学。"),
]
EMBEDDED = Answer(question="需要学什么数学？", answer=f"{phrase('lead', 'zh')}\n- 你需要掌握线性代数、微积分和概率论。 [1]",
                  language="zh", grounded=True, refused=False, citations=[], backend="embedded",
                  timings_ms={"retrieve": 5.0, "compose": 1.0, "total": 6.0}, resolved_question="需要学什么数学？")
# One sentence copied from chunk 1 (with a wrong marker), one paraphrase of chunk 2, one invented.
MODEL_TEXT = "Python 是最常用的语言 [2]。你需要掌握线性代数、微积分和概率统计等数学知识。另外你每天必须跑步十公里。"


def write(backend: LLMBackend, answer: Answer = EMBEDDED, hits: list[Hit] = HITS) -> Answer:
    """The checked answer a backend writes for a grounded search answer and its hits."""
    return final_result(backend.stream(Result(answer, hits, "search"))).answer


def test_the_registry_lists_every_backend_once_and_the_cli_offers_exactly_those():
    names = registry.names()
    assert names[0] == "embedded" and len(names) == len(set(names)) == len(registry.BACKENDS)
    assert set(names) == {"embedded", "llamacpp", "ollama", "openai"}
    for command in ("ask", "eval"):
        option = next(o for o in main.commands[command].params if o.name == "backend")
        assert list(option.type.choices) == names
    with pytest.raises(BackendError, match="no answer backend called 'gpt'") as err:
        backend_for("gpt", Settings())
    assert all(name in err.value.hint for name in names)


def test_configured_backends_only_lists_what_is_set(tmp_path):
    settings = replace(Settings(), home=tmp_path)
    assert [b.name for b, _ in registry.configured(settings, {})] == ["embedded"]
    gguf = tmp_path / "m.gguf"
    env = {"MENTOR_LLM_MODEL": str(gguf), "MENTOR_OLLAMA_URL": "http://127.0.0.1:11434"}
    assert [b.name for b, _ in registry.configured(settings, env)] == ["embedded", "ollama"]  # the model file is missing
    gguf.write_bytes(b"GGUF")
    env["MENTOR_OPENAI_BASE_URL"] = "http://127.0.0.1:8080/v1"
    assert [(b.name, d) for b, d in registry.configured(settings, env)][1:] == [
        ("llamacpp", str(gguf)), ("ollama", "http://127.0.0.1:11434"), ("openai", "http://127.0.0.1:8080/v1")]


# (a) the prompt

def test_prompt_is_numbered_context_question_and_language():
    system, human = build_prompt("需要学什么数学？", HITS, "zh")
    assert system == ("system", llm.SYSTEM + " 用中文回答。")
    assert "only the numbered context" in system[1] and "do not cover it" in system[1]
    assert human == ("human", "Context:\n"
                     "[1] Zero to hero — 学习编程\n无论你选择哪条路径，第一步都是学习编程。Python 是最常用的语言。\n\n"
                     "[2] Roadmap — 数学\n你需要掌握线性代数、微积分和概率论。不必一开始就精通所有数学。\n\n"
                     "Question: 需要学什么数学？\n用中文回答。")
    no_heading = replace(HITS[0], heading="")
    assert build_prompt("What first?", [no_heading], "en")[1][1].startswith("Context:\n[1] Zero to hero\n无论")
    assert build_prompt("What first?", [no_heading], "en")[1][1].endswith("Question: What first?\nAnswer in English.")


# (b) citations attached in code

def test_support_worked_by_hand():
    # Units of the paraphrase: 8 bigrams of 你需要掌握线性代数 and 12 of 微积分和概率统计等数学知识 = 20;
    # the quote shares the first 8 and 微积 积分 分和 和概 概率: 13 of 20.
    assert support("你需要掌握线性代数、微积分和概率统计等数学知识。", "你需要掌握线性代数、微积分和概率论。") == pytest.approx(13 / 20)
    assert support("Python 是最常用的语言。", "Python 是最常用的语言。") == 1.0
    assert support("另外你每天必须跑步十公里。", "你需要掌握线性代数、微积分和概率论。") < 0.25
    # An English sentence meets the English rendering of a guide sentence word by word.
    assert support("First, learn programming.", "Whichever path you choose, the first step is to learn programming.") == 1.0
    assert support("Bananas ripen faster next to apples.", "Python 是最常用的语言。") == 0.0


def test_citations_are_attached_and_the_invented_sentence_dropped():
    lines, citations, dropped = attach_citations(MODEL_TEXT, HITS, min_support=0.25)
    assert lines == [
        "- Python 是最常用的语言。 [1]",  # copied: the quote alone, its wrong [2] replaced
        "- 你需要掌握线性代数、微积分和概率统计等数学知识。 “你需要掌握线性代数、微积分和概率论。” [2]",
    ]
    assert [(c.n, c.chunk_id, c.quote) for c in citations] == [
        (1, "c1", "Python 是最常用的语言。"), (2, "c2", "你需要掌握线性代数、微积分和概率论。")]
    assert dropped == 1
    assert check_citations("\n".join(lines), citations, HITS) == []


def test_a_quote_that_says_no_cannot_support_a_yes():
    hits = [hit(1, "Guide", "学位", "你不需要一个学位来成为机器学习工程师。")]
    text = "机器学习工程师需要一个学位。你不需要学位也能成为机器学习工程师。"
    lines, citations, dropped = attach_citations(text, hits, min_support=0.25)
    assert dropped == 1
    assert lines == ["- 你不需要学位也能成为机器学习工程师。 “你不需要一个学位来成为机器学习工程师。” [1]"]


def test_backend_answer_is_checked_and_counts_what_it_removed():
    backend = LLMBackend("openai", Settings(), model=FakeListChatModel(responses=[MODEL_TEXT]))
    answer = write(backend)
    assert answer.backend == "openai" and answer.grounded and not answer.refused
    assert answer.answer.splitlines()[0] == phrase("lead", "zh")
    assert "跑步" not in answer.answer and len(MARKER.findall(answer.answer)) == 2
    assert answer.notice == "1 sentence without support in the sources was removed."
    assert check_citations(answer.answer, answer.citations, HITS) == []
    assert answer.timings_ms["generate"] >= 0 and answer.timings_ms["total"] >= 6.0


def test_an_answer_with_no_supported_sentence_falls_back():
    backend = LLMBackend("ollama", Settings(), model=FakeListChatModel(responses=["The sky is green. Cats can fly."]))
    answer = write(backend)
    assert answer.answer == EMBEDDED.answer and answer.backend == "embedded"
    assert answer.notice == "None of the model's sentences is supported by the sources; this is the embedded answer."


# (c) streaming

def test_stream_yields_pieces_then_the_final_answer():
    model = GenericFakeChatModel(messages=iter([AIMessage(content=MODEL_TEXT)]))
    items = list(LLMBackend("ollama", Settings(), model=model).stream(Result(EMBEDDED, HITS, "search")))
    pieces, final = items[:-1], items[-1]
    assert len(pieces) > 1 and all(isinstance(p, str) for p in pieces) and "".join(pieces) == MODEL_TEXT
    assert isinstance(final, Result) and final.hits == HITS and final.route == "search"
    assert final.answer.backend == "ollama" and len(final.answer.citations) == 2


# (d) dead and hanging servers, with the real clients

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("name, label", [("ollama", "The Ollama server"), ("openai", "The OpenAI-compatible server")])
def test_a_dead_server_gives_the_embedded_answer(name, label):
    port = free_port()  # closed again: nothing listens there
    settings = replace(Settings(), ollama_url=f"http://127.0.0.1:{port}", openai_base_url=f"http://127.0.0.1:{port}/v1")
    answer = write(LLMBackend(name, settings))
    assert answer == replace(EMBEDDED, notice=answer.notice)
    url = settings.ollama_url if name == "ollama" else settings.openai_base_url
    assert answer.notice == f"{label} at {url} did not answer; this is the embedded answer."


@pytest.mark.parametrize("name", ["ollama", "openai"])
def test_a_server_that_never_answers_times_out(name):
    with socket.socket() as server:  # accepts connections (the kernel does) and never replies
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        settings = replace(Settings(), ollama_url=url, openai_base_url=url + "/v1", llm_timeout=1.0)
        answer = write(LLMBackend(name, settings))
    assert answer.backend == "embedded" and answer.notice.endswith("did not answer; this is the embedded answer.")


# (e) a missing package, a missing model file

@pytest.mark.parametrize("name, module, extra", [
    ("ollama", "langchain_ollama", "ollama"), ("openai", "langchain_openai", "openai"),
    ("llamacpp", "llama_cpp", "llamacpp"), ("llamacpp", "langchain_community.chat_models", "llamacpp"),
])
def test_a_missing_package_names_the_install_command(monkeypatch, name, module, extra):
    if name == "llamacpp" and module != "llama_cpp":
        monkeypatch.setitem(sys.modules, "llama_cpp", types.ModuleType("llama_cpp"))
    monkeypatch.setitem(sys.modules, module, None)  # import raises ModuleNotFoundError
    answer = write(LLMBackend(name, Settings()))
    assert answer.backend == "embedded" and answer.answer == EMBEDDED.answer
    assert f"needs the module {module}, which is not installed (fix: pip install -e '.[{extra}]')" in answer.notice


def test_a_missing_gguf_says_to_run_setup_llm(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "llama_cpp", types.ModuleType("llama_cpp"))  # installed or not, the file is checked
    settings = replace(Settings(), llm_model=tmp_path / "absent.gguf")
    answer = write(LLMBackend("llamacpp", settings))
    assert answer.notice == (f"The model file {tmp_path / 'absent.gguf'} does not exist (fix: mentor setup-llm); "
                             "this is the embedded answer.")


def test_llm_settings_come_from_the_environment():
    s = Settings.from_env({"MENTOR_LLM_BACKEND": "Ollama", "OPENAI_API_KEY": "sk-test", "MENTOR_LLM_MIN_SUPPORT": "0.4",
                           "MENTOR_OLLAMA_URL": "http://127.0.0.1:1"})
    assert (s.llm_backend, s.openai_api_key, s.llm_min_support, s.ollama_url) == ("ollama", "sk-test", 0.4, "http://127.0.0.1:1")
    assert "sk-test" not in repr(s)
    assert Settings.from_env({"MENTOR_OPENAI_API_KEY": "a", "OPENAI_API_KEY": "b"}).openai_api_key == "a"
    assert Settings.from_env({"MENTOR_LLM_BACKEND": "gpt"}).llm_backend == "gpt"  # checked by the registry when used


# The whole path on the real index: the embedded answerer decides, the model only rewrites.

class CopyingChatModel(BaseChatModel):
    """A model that copies the longest sentence of context block [1], marks it [3], and invents one."""

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        block = messages[-1].content.split("\n\n[2] ")[0].split("\n", 2)[2]
        sentences = [block[a:b] for a, b in split_sentences(block, 0, len(block))]
        copied = max((s for s in sentences if "“" not in s and "”" not in s), key=len)
        text = f"{copied} [3]\nBananas ripen faster when stored next to apples."
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    @property
    def _llm_type(self) -> str:
        return "copying-fake"


@pytest.fixture(scope="module")
def pipeline(corpus_index):
    settings, reader = corpus_index
    return Pipeline(reader, settings)


@pytest.mark.slow
@pytest.mark.parametrize("question", ["How much math do I need?", "机器学习工程师需要博士学位吗？"])
def test_a_backend_streams_through_the_pipeline_on_the_real_index(pipeline, question):
    backend = LLMBackend("ollama", pipeline.settings, model=CopyingChatModel())
    embedded = pipeline.ask(question)
    *pieces, final = list(pipeline.stream(question, writer=backend))
    assert pieces and isinstance(final, Result) and final.answer.backend == "ollama"
    assert final.hits == embedded.hits  # the model wrote from exactly the chunks the pipeline retrieved
    assert final.answer.notice == "1 sentence without support in the sources was removed."
    stored = pipeline.reader.fetch([c.chunk_id for c in final.answer.citations])
    assert final.answer.citations and all(c.quote in stored[c.chunk_id][0] for c in final.answer.citations)
    assert "Bananas" not in final.answer.answer and MARKER.findall(final.answer.answer) == ["1"]


# Sentences a small model might write for real questions: faithful to the retrieved guides, or
# invented, overstated, contradicting. They calibrate Settings.llm_min_support.
FAITHFUL = {
    "How much math do I need?": ["To become a machine learning engineer, you need to have a solid understanding of "
                                 "real numbers, linear algebra, and probability.",
                                 "You need calculus, linear algebra and probability."],
    "需要多少数学？": ["需要掌握实数微积分、线性代数和概率论的基础知识。"],
    "Should I learn PyTorch or TensorFlow?": ["Yes, you should learn PyTorch or TensorFlow."],
    "机器学习工程师需要博士学位吗？": ["你不需要学位也能成为机器学习工程师。"],
    "Is it worth entering Kaggle competitions as a beginner?": ["Yes, enter Kaggle competitions even if you expect to finish last."],
    "What is CS50?": ["CS50 is a high-level computer science course that covers Python, including its basics and "
                      "programming concepts."],
    "Do ML engineers spend most of their time cleaning data?": ["Yes, most of the work is data cleaning and infrastructure."],
}
INVENTED = {
    "How much math do I need?": ["You must master quantum field theory and string theory first.",
                                 "Math is not needed at all for machine learning engineers."],
    "需要多少数学？": ["机器学习工程师需要精通量子力学。", "机器学习工程师不需要任何数学。"],
    "Should I learn PyTorch or TensorFlow?": ["You should learn Rust and Haskell before any machine learning library."],
    "机器学习工程师需要博士学位吗？": ["机器学习工程师需要博士学位。", "机器学习工程师必须先当五年厨师。"],
    "Is it worth entering Kaggle competitions as a beginner?": ["No, it is not worth entering Kaggle competitions as a beginner.",
                                                                "Kaggle competitions pay every beginner a salary."],
    "如何部署模型？": ["部署模型是成为机器学习工程师的关键步骤。", "机器学习工程师应该每天喝十杯咖啡。"],
    "What is CS50?": ["CS50 is a cooking show about French pastry."],
    "Do ML engineers spend most of their time cleaning data?": ["Machine learning engineers spend most of their time "
                                                                "painting portraits."],
}


@pytest.mark.slow
def test_min_support_keeps_faithful_sentences_and_drops_most_invented_ones(pipeline):
    handed = {question: pipeline.ask(question).hits for question in FAITHFUL | INVENTED}
    kept = lambda sentence, question: not attach_citations(sentence, handed[question], pipeline.settings.llm_min_support)[2]
    faithful = [(s, q) for q, sentences in FAITHFUL.items() for s in sentences]
    invented = [(s, q) for q, sentences in INVENTED.items() for s in sentences]
    assert [s for s, q in faithful if not kept(s, q)] == []  # 8 of 8 kept when calibrated
    assert sum(not kept(s, q) for s, q in invented) >= 8  # 9 of 13 dropped when calibrated


class Exploding(FakeListChatModel):
    def _call(self, *args, **kwargs):
        raise AssertionError("the model was called")


@pytest.mark.slow
@pytest.mark.parametrize("question", ["banana bread recipe", "What should I learn after Python?",
                                      "How long until I can get an MLE job?", "Plan how I implement ResNet"])
def test_refusals_and_roadmap_answers_never_reach_the_model(pipeline, question):
    items = list(pipeline.stream(question, writer=LLMBackend("openai", pipeline.settings, model=Exploding(responses=["x"]))))
    (only,) = items
    assert only.answer.answer == pipeline.ask(question).answer.answer and only.route != "search"
    assert only.answer.backend == "embedded" and not only.answer.notice


@pytest.mark.slow
def test_cli_ask_with_a_dead_server_prints_the_embedded_answer(monkeypatch, corpus_index):
    settings, _ = corpus_index
    monkeypatch.setenv("MENTOR_HOME", str(settings.home))
    monkeypatch.setenv("MENTOR_MODEL", str(settings.model_dir))
    monkeypatch.setenv("MENTOR_OLLAMA_URL", f"http://127.0.0.1:{free_port()}")
    result = CliRunner().invoke(main, ["ask", "--backend", "ollama", "How much math do I need?"])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert result.output.startswith("> The Ollama server at http://127.0.0.1:") and "[1]" in result.output


# (f) the real llama.cpp backend, when a developer has it

def _llama_cpp_importable() -> bool:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.llamacpp
@pytest.mark.skipif(not (_llama_cpp_importable() and REAL_GGUF.is_file()),
                    reason="needs llama-cpp-python (pip install -e '.[llamacpp]') and `mentor setup-llm`")
@pytest.mark.parametrize("question", ["How much math do I need?", "需要多少数学？"])
def test_the_real_llamacpp_backend(pipeline, question):
    backend = LLMBackend("llamacpp", replace(pipeline.settings, llm_model=REAL_GGUF))
    started = time.perf_counter()
    *pieces, result = list(pipeline.stream(question, writer=backend))
    final = result.answer
    seconds = time.perf_counter() - started
    print(f"\n{question}: {len(pieces)} pieces in {seconds:.1f} s ({len(pieces) / seconds:.1f}/s), "
          f"backend {final.backend}, notice {final.notice!r}\n{final.answer}")
    assert pieces and final.grounded and final.citations
    assert final.backend in ("llamacpp", "embedded")  # embedded only when no model sentence held
    stored = pipeline.reader.fetch([c.chunk_id for c in final.citations])
    assert all(c.quote in stored[c.chunk_id][0] for c in final.citations)


# mentor setup-llm: the GGUF assembler

def make_parts(tmp_path, blobs: list[bytes]) -> list[llm_setup.Part]:
    parts = []
    for i, blob in enumerate(blobs, start=1):
        path = tmp_path / f"part{i:02d}.bin"
        path.write_bytes(blob)
        parts.append(llm_setup.Part(f"demo-part{i}", path, hashlib.sha256(blob).hexdigest()))
    return parts


def test_assemble_joins_parts_in_order_and_checks_them(tmp_path):
    blobs = [b"GGUF\x03\x00\x00\x00head", b"middle", b"tail"]
    whole = hashlib.sha256(b"".join(blobs)).hexdigest()
    target = tmp_path / "models" / "m.gguf"
    messages: list[str] = []
    assert llm_setup.assemble(target, make_parts(tmp_path, blobs), whole, messages.append) == target
    assert target.read_bytes() == b"GGUF\x03\x00\x00\x00headmiddletail" and len(messages) == 3
    assert llm_setup.is_assembled(target, whole) and not llm_setup.is_assembled(target, "0" * 64)
    assert [p.name for p in target.parent.iterdir()] == ["m.gguf"]  # no temporary file left


@pytest.mark.parametrize("problem", ["bad part hash", "bad whole hash", "not gguf"])
def test_a_bad_part_leaves_no_model_file(tmp_path, problem):
    blobs = [b"GGUF-a" if problem != "not gguf" else b"ZZZZ-a", b"b"]
    parts = make_parts(tmp_path, blobs)
    if problem == "bad part hash":
        parts[1] = replace(parts[1], sha256="0" * 64)
    whole = hashlib.sha256(b"".join(blobs)).hexdigest() if problem != "bad whole hash" else "1" * 64
    target = tmp_path / "out" / "m.gguf"
    with pytest.raises(BackendError):
        llm_setup.assemble(target, parts, whole)
    assert not target.exists() and not list(tmp_path.glob("out/*"))


def test_find_parts_reads_installed_packages_metadata(tmp_path, monkeypatch):
    """Two fake installed part packages, laid out as pip lays out the real wheels."""
    for i, blob in enumerate([b"GGUF-one", b"two"], start=1):
        package = tmp_path / f"demo_part{i}"
        (package / "data").mkdir(parents=True)
        (package / "data" / f"part0{i}.bin").write_bytes(blob)
        info = tmp_path / f"demo_part{i}-0.9.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.4\nName: demo-part{i}\nVersion: 0.9.0\n")
        digest = base64.urlsafe_b64encode(hashlib.sha256(blob).digest()).rstrip(b"=").decode()
        (info / "RECORD").write_text(f"demo_part{i}/data/part0{i}.bin,sha256={digest},{len(blob)}\n"
                                     f"demo_part{i}-0.9.0.dist-info/RECORD,,\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    parts = llm_setup.find_parts(["demo-part1", "demo-part2"])
    assert [(p.package, p.path.name) for p in parts] == [("demo-part1", "part01.bin"), ("demo-part2", "part02.bin")]
    llm_setup.assemble(tmp_path / "m.gguf", parts, hashlib.sha256(b"GGUF-onetwo").hexdigest())
    assert (tmp_path / "m.gguf").read_bytes() == b"GGUF-onetwo"
    with pytest.raises(BackendError, match="demo-part3 are not installed") as err:
        llm_setup.find_parts(["demo-part1", "demo-part3"])
    assert err.value.hint == "pip install demo-part1==0.9.0 demo-part3==0.9.0"


def test_cli_setup_llm_without_parts_prints_the_pip_command(monkeypatch):
    monkeypatch.setattr(llm_setup, "PARTS", ("mentor-test-absent-part1", "mentor-test-absent-part2"))
    result = CliRunner().invoke(main, ["setup-llm"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Fix: pip install mentor-test-absent-part1==0.9.0 mentor-test-absent-part2==0.9.0" in result.output
