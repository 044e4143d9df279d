"""Errors the library raises. Only `cli.py` turns them into messages and exit codes.

Each error carries a one-line, human-readable message; `exit_code` is the documented process
exit status the CLI uses for it (see the README's "Exit codes" table).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INTERNAL = 1  # a bug in ficlens; please report it
EXIT_USAGE = 2  # bad command-line arguments
EXIT_PARTIAL = 3  # some inputs were analysed, some were reported and skipped
EXIT_INPUT = 4  # no input could be read
EXIT_OUTPUT = 5  # output could not be written (exists without --force, or unwritable)


class FiclensError(Exception):
    """Base class: a problem ficlens can explain in one line."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputNotFound(FiclensError):
    """The path does not exist."""


class UnreadableInput(FiclensError):
    """The input exists but holds no readable work: empty, binary, undecodable, malformed."""


class UnsupportedFormat(UnreadableInput):
    """The input is readable bytes, but not in a format ficlens knows."""


class InputTooLarge(UnreadableInput):
    """The input exceeds a safety limit (a zip bomb, an over-long line of JSONL…)."""


class NoWorksFound(FiclensError):
    """A directory or archive held nothing that could be read as a work."""


class OutputExists(FiclensError):
    """Refusing to overwrite an existing output file without --force."""

    exit_code = EXIT_OUTPUT


class OutputError(FiclensError):
    """An output file could not be written."""

    exit_code = EXIT_OUTPUT


class PipelineError(FiclensError):
    """A pipeline built wrongly: a component runs before the one that makes what it needs, or a
    setting it does not have is overridden. A bug in the caller's code, not in the input."""

    exit_code = EXIT_INTERNAL


class MissingLayerError(PipelineError, AttributeError):
    """A component read a layer of `Analysis.layers` that no earlier component made.

    Also an `AttributeError`, so `hasattr(analysis.layers, name)` answers False."""
