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

from typing import TYPE_CHECKING  # noqa: E402

from .errors import FiclensError  # noqa: E402
from .model import Profile, Work  # noqa: E402
from .read import iter_works, read, read_text  # noqa: E402

if TYPE_CHECKING:
    from .corpus import Corpus
    from .pipeline import Pipeline, analyze

# Imported on first use (PEP 562): the pipeline imports every component, so importing one
# component module (or `ficlens.model`) must not drag the orchestrator and spaCy's wiring in.
_LAZY = {"Pipeline": "pipeline", "analyze": "pipeline", "Corpus": "corpus"}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


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
