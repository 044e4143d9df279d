"""The steps every benchmark run takes the same way, shared by the LitBank and PDNC scorers.

Reading a gold file, checking that a profile was made from the gold text, and scoring a failed
analysis as an empty prediction are rules of the evaluation, not of one benchmark; keeping them
in one place means a fix to one can never leave the other benchmark behind.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Mapping

from ..errors import FiclensError, UnreadableInput

log = logging.getLogger(__name__)


def read_gold_text(path: Path, encoding: str = "utf-8") -> str:
    """A gold file as text, or a one-line `UnreadableInput` naming the file.

    Decoding is strict: a replaced character would shift every gold offset after it.
    """
    try:
        return path.read_bytes().decode(encoding)
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UnreadableInput(f"{path}: not UTF-8 text") from None


def profile_text_differs(profile: Any, gold_text: str, label: str) -> bool:
    """Whether the profile carries a text other than the gold text (then offsets may not line up).

    A profile without a text is given the benefit of the doubt: older profiles did not carry one.
    """
    text = profile.get("text") if isinstance(profile, Mapping) else None
    if isinstance(text, str) and text != gold_text:
        log.warning("%s: the profile's text differs from the gold text; offsets may not line up", label)
        return True
    return False


def analyse_or_empty(
    analyze: Callable[..., dict[str, Any]], label: str, *inputs: Any
) -> tuple[dict[str, Any], str | None]:
    """`analyze(*inputs)` and no error, or an empty profile and the error's message.

    An input that ficlens cannot handle (a FiclensError) is scored as predicting nothing rather
    than left out, so that totals never look better for the inputs that failed.
    """
    try:
        return analyze(*inputs), None
    except FiclensError as exc:
        log.warning("%s: %s", label, exc.message)
        return {}, exc.message
