"""The learner's profile: who is learning, what they know and checked, their plans and conversations."""

from .items import Item, catalogue, find, match
from .progress import Progress, effective_known, next_milestone, per_stage
from .store import FILE_NAME, Learner, ProfileStore, clean_name
from .transfer import export_profile, import_profile, read_export

__all__ = ["FILE_NAME", "Item", "Learner", "ProfileStore", "Progress", "catalogue", "clean_name", "effective_known",
           "export_profile", "find", "import_profile", "match", "next_milestone", "per_stage", "read_export"]
