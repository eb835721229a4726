"""mentor's library: an offline, bilingual, cited ML-engineering mentor. Re-exports the public API."""

from .config import Settings
from .errors import MentorError
from .mentor import Mentor
from .records import Answer, Chunk, Citation, Hit

__all__ = ["Answer", "Chunk", "Citation", "Hit", "Mentor", "MentorError", "Settings"]
