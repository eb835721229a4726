"""What can be read from an abstract a learner pastes: the task, datasets and metrics it names.

A pure word-list match, case-insensitive, for a paper the catalogue does not hold; it says only what the
abstract itself names and guesses nothing. The lists are data: add a name where it is missing.
"""

from __future__ import annotations

import re

TASKS = (
    "image classification", "object detection", "semantic segmentation", "instance segmentation", "segmentation",
    "machine translation", "language modeling", "language modelling", "question answering", "text classification",
    "sentiment analysis", "speech recognition", "image generation", "image synthesis", "summarization",
    "summarisation", "reinforcement learning", "node classification", "link prediction", "representation learning",
    "图像分类", "目标检测", "语义分割", "机器翻译", "语言模型", "问答", "文本分类", "情感分析", "语音识别", "图像生成", "强化学习",
)
DATASETS = (
    "ImageNet", "CIFAR-10", "CIFAR-100", "MNIST", "Fashion-MNIST", "SVHN", "COCO", "Pascal VOC", "Cityscapes",
    "CelebA", "LSUN", "WMT", "IWSLT", "Multi30k", "Penn Treebank", "WikiText", "SQuAD", "GLUE", "SuperGLUE",
    "LibriSpeech", "Atari", "MuJoCo", "Cora", "Citeseer", "PubMed", "text8", "Shakespeare",
)
METRICS = (
    "BLEU", "ROUGE", "accuracy", "top-1", "top-5", "error rate", "F1", "perplexity", "FID", "Inception Score",
    "mAP", "IoU", "AUC", "bits/dim", "log-likelihood", "exact match", "reward", "准确率", "错误率", "困惑度",
)


def named(text: str, names: tuple[str, ...]) -> list[str]:
    """The names of `names` that `text` holds as whole words, in list order.

    >>> named("We train on CIFAR-10 and report top-1 accuracy.", METRICS)
    ['accuracy', 'top-1']
    """
    low = text.casefold()
    found = []
    for name in names:
        key = name.casefold()
        pattern = rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])" if key.isascii() else re.escape(key)
        if re.search(pattern, low) and not any(key in f.casefold() for f in found):
            found.append(name)
    return found


def abstract_facts(abstract: str) -> dict[str, list[str]]:
    """{"task": […], "datasets": […], "metrics": […]} named in the abstract (empty lists when none)."""
    return {"task": named(abstract, TASKS), "datasets": named(abstract, DATASETS), "metrics": named(abstract, METRICS)}
