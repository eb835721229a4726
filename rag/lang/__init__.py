"""Language packs: one module per language behind one small interface (see `base.LanguagePack`)."""

from .base import Intents, LanguagePack, Thresholds
from .registry import detect, pack, packs, phrase, register, unregister

__all__ = ["Intents", "LanguagePack", "Thresholds", "detect", "pack", "packs", "phrase", "register", "unregister"]
