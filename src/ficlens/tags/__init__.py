"""AO3-style tags inferred from the story text, each with a confidence and evidence.

`detect_rating` and `detect_warnings` are pipeline components: they read the story (never the
notes) through lexicons in `data/lexicons/` and fill `profile.tags.rating` and
`profile.tags.warnings`. They share one scan of the text (kept in `analysis.layers.tag_scan`).
"""

from __future__ import annotations

from .rating import RATINGS, detect_rating
from .warnings import NO_WARNINGS, WARNINGS, detect_warnings

__all__ = ["NO_WARNINGS", "RATINGS", "WARNINGS", "detect_rating", "detect_warnings"]
