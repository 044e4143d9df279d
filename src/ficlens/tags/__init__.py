"""AO3-style tags inferred from the story text, each with a confidence and evidence.

`detect_rating` and `detect_warnings` are pipeline components: they read the story (never the
notes) through lexicons in `data/lexicons/` and fill `profile.tags.rating` and
`profile.tags.warnings` (AO3's names for them are in `ficlens.ao3vocab`). They share one scan of the text (kept in `analysis.layers.tag_scan`).
"""

from __future__ import annotations

from ..ao3vocab import NO_WARNINGS, RATINGS, WARNINGS
from .rating import detect_rating
from .warnings import detect_warnings

__all__ = ["NO_WARNINGS", "RATINGS", "WARNINGS", "detect_rating", "detect_warnings"]
