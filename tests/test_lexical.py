"""BM25 and its tokenizer: hand-checked rankings, persistence, and a corrupt file."""

from __future__ import annotations

import pytest

from rag.errors import IndexCorruptError
from rag.index.lexical import BM25Index, tokenize


def test_tokenize_mixes_jieba_words_and_english_terms():
    assert tokenize("机器学习工程师需要学习 PyTorch 和 scikit-learn") == [
        "机器", "学习", "工程师", "需要", "学习", "pytorch", "scikit-learn",
    ]
    assert tokenize("What should I learn after Python?") == ["learn", "after", "python"]
    assert tokenize("的 了 the of") == []


def test_bm25_ranks_by_rare_matching_terms():
    index = BM25Index.build(
        ["python", "kaggle", "both"],
        ["学习 Python 编程", "参加 Kaggle 比赛", "Python 和 Kaggle 和 Python"],
    )
    ranked = index.search("Kaggle 比赛", n=3)
    assert [cid for cid, _ in ranked] == ["kaggle", "both"]
    assert ranked[0][1] > ranked[1][1] > 0
    assert index.search("完全无关的词", n=3) == []


def test_idf_worked_by_hand():
    index = BM25Index.build(["a", "b", "c", "d"], ["x", "x y", "z", "z"])
    # idf(y) = ln(1 + (4 - 1 + 0.5) / (1 + 0.5)) = ln(1 + 3.5/1.5)
    assert index.idf("y") == pytest.approx(1.2039728, rel=1e-6)


def test_save_and_load_give_the_same_results(tmp_path):
    index = BM25Index.build(["1", "2"], ["深度学习 框架 PyTorch", "部署 Docker Kubernetes"])
    index.save(tmp_path / "lex.json")
    loaded = BM25Index.load(tmp_path / "lex.json")
    assert loaded.search("docker 部署", 2) == index.search("docker 部署", 2)
    assert not (tmp_path / "lex.json.tmp").exists()


def test_corrupt_file_raises_a_clear_error(tmp_path):
    (tmp_path / "lex.json").write_text('{"ids": [1, 2')
    with pytest.raises(IndexCorruptError, match="cannot be read"):
        BM25Index.load(tmp_path / "lex.json")
