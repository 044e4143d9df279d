"""ficlens: reads fan fiction the way a careful reader and an AO3 tag wrangler would.

The public API is small on purpose; the CLI and the web app are thin layers over it:

    >>> import ficlens
    >>> work = ficlens.read("examples/the_lighthouse_keeper.txt")
    >>> profile = ficlens.analyze(work)
    >>> profile.to_dict()["parts"][0]["kind"]
    'body'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import FiclensError  # noqa: E402
from .model import Profile, Work  # noqa: E402
from .read import iter_works, read, read_text  # noqa: E402
from .pipeline import Pipeline, analyze  # noqa: E402
from .corpus import Corpus  # noqa: E402

__all__ = [
    "Corpus",
    "FiclensError",
    "Pipeline",
    "Profile",
    "Work",
    "analyze",
    "iter_works",
    "read",
    "read_text",
    "__version__",
]
