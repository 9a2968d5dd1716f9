"""pallet_grandpa: the GRANDPA authority set, its set id, and scheduled pauses, resumes and changes."""

from .pallet import Grandpa as Grandpa
from .types import GRANDPA_ENGINE_ID as GRANDPA_ENGINE_ID
