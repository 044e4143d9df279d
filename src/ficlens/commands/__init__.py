"""The subcommands of `ficlens` beyond `analyze`, one module each.

Each module here is a thin layer over the library: it defines

    def register(subparsers) -> None      # add its argparse sub-parser (set_defaults(run=run))
    def run(args, out, err) -> int        # do the work through the library, return an exit code

and turns nothing into exit codes itself except through `FiclensError` (errors.py), which
`cli.main` prints as one line. `COMMAND_MODULES` is the order they appear in `ficlens --help`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import TextIO, TypeAlias

from ..errors import EXIT_INTERNAL, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, FiclensError

# What `register` receives: `ArgumentParser.add_subparsers()` (a generic class only to type checkers).
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

COMMAND_MODULES = ("index", "export", "search", "similar", "duplicates", "plot", "stats", "serve")


class UsageError(FiclensError):
    """The command line asks for something impossible (a bad option value, a bad combination)."""

    exit_code = EXIT_USAGE


@dataclass
class RunTally:
    """What happened to each input of one run, for the closing line and the exit code."""

    analysed: int = 0
    failures: list[str] = field(default_factory=list)
    worst: int = EXIT_OK

    def fail(self, message: str, code: int, err: TextIO | None = None) -> None:
        self.failures.append(message)
        self.worst = max(self.worst, code) if self.worst != EXIT_INTERNAL else EXIT_INTERNAL
        if err is not None:
            print(f"ficlens: {message}", file=err)

    def exit_code(self) -> int:
        if not self.failures:
            return EXIT_OK
        if self.worst == EXIT_INTERNAL:
            return EXIT_INTERNAL
        if self.analysed:
            return EXIT_PARTIAL
        return self.worst
