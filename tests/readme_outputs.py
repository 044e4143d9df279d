"""The README's sample outputs: run the documented commands, compare, or rewrite the blocks.

A sample is a fenced block right after a marker comment, in one of two forms:

    <!-- output: ficlens analyze examples/starlight-and-static.txt --format text -->
    ```
    (what the command prints)
    ```

    <!-- output -->
    ```
    $ ficlens index examples --db /tmp/readme.db -j 1
    (what it prints)
    $ ficlens search letter --db /tmp/readme.db --quotes
    (what that prints)
    ```

In the second form every `$ ` line is a command and the lines up to the next one are what it
prints. A block shows stdout and stderr together, as a terminal does. `<!-- output slow: ... -->`
(or `<!-- output slow -->`) marks a sample that takes minutes (an evaluation): `--update`
regenerates it, the test does not run it.

    python tests/readme_outputs.py            # list the samples that differ (exit 1 if any)
    python tests/readme_outputs.py --update   # rewrite them with what the commands print (make readme)

tests/test_readme.py runs the check. Commands run from the repository root, one sample at a time
in a fresh scratch directory: an argument under /tmp/ is moved into it, so that a sample never
reads or overwrites a file of the user's, and the scratch path is shown as /tmp/ again. A sample
naming ../shared is skipped when ../shared is absent. The comparison forgets only what differs
from run to run: durations and rates (`8.8s`, `750 words/s`) and the progress lines a run prints
to stderr while it works (those are also left out of the rewritten blocks).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"
COMMAND_TIMEOUT = 900  # seconds; the slowest documented command (PDNC) takes about 7 minutes

_MARKER = re.compile(r"^<!-- output(?P<slow> slow)?(?::\s*(?P<command>.*?))?\s*-->$")
_FENCE = re.compile(r"^```")
_PROMPT = "$ "
_MAIN = "import sys, ficlens.cli; sys.exit(ficlens.cli.main())"  # when the venv has no `ficlens` script
# A line `ficlens index` prints while it works (how far, how fast, ETA): it depends on timing.
_PROGRESS = re.compile(r"ficlens: [\d,]+/[\d,]+ works, .*")
_RATE = re.compile(r"\d[\d,]*(?:\.\d+)? words/s")
_DURATION = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|s)\b")


class ReadmeError(Exception):
    """The README's markers are malformed or a documented command failed."""


@dataclass
class Sample:
    """One marked block of README.md."""

    marker_line: int  # 1-based, for messages
    first: int  # index of the block's first content line (after the opening fence)
    last: int  # index of the closing fence
    command: str | None  # the marker's command; None when the block holds `$ ` lines
    slow: bool
    text: str  # the block's content as the README has it

    @property
    def commands(self) -> list[str]:
        if self.command is not None:
            return [self.command]
        return [line[len(_PROMPT) :] for line in self.text.split("\n") if line.startswith(_PROMPT)]

    @property
    def title(self) -> str:
        return f"README.md:{self.marker_line} {self.commands[0] if self.commands else '(no command)'}"

    def skip_reason(self) -> str | None:
        if any("../shared" in c for c in self.commands) and not SHARED.is_dir():
            return "needs ../shared, which is not here"
        return None


def parse(readme: str) -> list[Sample]:
    lines = readme.split("\n")
    samples = []
    for i, line in enumerate(lines):
        match = _MARKER.match(line.strip())
        if not match:
            continue
        if i + 1 >= len(lines) or not _FENCE.match(lines[i + 1]):
            raise ReadmeError(f"README.md:{i + 1}: an output marker must be followed by a ``` block")
        close = next((j for j in range(i + 2, len(lines)) if _FENCE.match(lines[j])), None)
        if close is None:
            raise ReadmeError(f"README.md:{i + 1}: the block after the output marker is never closed")
        sample = Sample(
            marker_line=i + 1,
            first=i + 2,
            last=close,
            command=match.group("command") or None,
            slow=bool(match.group("slow")),
            text="\n".join(lines[i + 2 : close]),
        )
        if not sample.commands:
            raise ReadmeError(f"README.md:{i + 1}: no command (give it in the marker or as `$ ` lines)")
        samples.append(sample)
    return samples


def _argv(command: str, scratch: Path) -> list[str]:
    argv = [arg.replace("/tmp/", f"{scratch}/") for arg in shlex.split(command)]
    if argv[0] == "ficlens":
        entry = Path(sys.executable).with_name("ficlens")
        argv[:1] = [str(entry)] if entry.exists() else [sys.executable, "-c", _MAIN]
    elif argv[0] == "python":
        argv[0] = sys.executable
    return argv


def _run_one(command: str, scratch: Path) -> str:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    try:
        done = subprocess.run(
            _argv(command, scratch),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise ReadmeError(f"`{command}` took over {COMMAND_TIMEOUT} s") from None
    output = done.stdout.replace(str(scratch), "/tmp")
    if done.returncode != 0:
        raise ReadmeError(f"`{command}` exited with {done.returncode}:\n{output}")
    return _drop_progress(output).strip("\n")


def run(sample: Sample) -> str:
    """What the sample's commands print now, laid out as the block shows it."""
    with tempfile.TemporaryDirectory(prefix="ficlens-readme-") as tmp:
        scratch = Path(tmp)
        if sample.command is not None:
            return _run_one(sample.command, scratch)
        parts = []
        for command in sample.commands:
            parts.append(_PROMPT + command)
            output = _run_one(command, scratch)
            if output:
                parts.append(output)
        return "\n".join(parts)


def _drop_progress(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not _PROGRESS.fullmatch(line))


def normalise(text: str) -> str:
    """The block with what must vary between runs replaced by placeholders."""
    text = _RATE.sub("<rate> words/s", _drop_progress(text))
    text = _DURATION.sub("<time>", text)
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))


def rewrite(readme: str, new_texts: dict[int, str]) -> str:
    """README text with the blocks of the samples (by marker line) replaced."""
    lines = readme.split("\n")
    for sample in sorted(parse(readme), key=lambda s: s.first, reverse=True):
        if sample.marker_line in new_texts:
            lines[sample.first : sample.last] = new_texts[sample.marker_line].split("\n")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the blocks with what the commands print")
    parser.add_argument("--skip-slow", action="store_true", help="leave out samples marked slow")
    args = parser.parse_args(argv)
    readme = README.read_text(encoding="utf-8")
    new_texts: dict[int, str] = {}
    differ = 0
    for sample in parse(readme):
        reason = sample.skip_reason() or ("marked slow" if sample.slow and args.skip_slow else None)
        if reason:
            print(f"skipped {sample.title}: {reason}")
            continue
        actual = run(sample)
        if normalise(actual) == normalise(sample.text):
            print(f"same    {sample.title}")
            continue
        differ += 1
        print(f"differs {sample.title}")
        new_texts[sample.marker_line] = actual
    if args.update and new_texts:
        README.write_text(rewrite(readme, new_texts), encoding="utf-8")
        print(f"rewrote {len(new_texts)} block(s) of README.md")
        return 0
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
