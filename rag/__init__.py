"""mentor's library: an offline, bilingual, cited ML-engineering mentor. Re-exports the public API."""

from .answer.pipeline import Pipeline, Result
from .config import Settings
from .errors import MentorError
from .records import Answer, Chunk, Citation, Hit

__all__ = ["Answer", "Chunk", "Citation", "Hit", "MentorError", "Pipeline", "Result", "Settings"]
