"""The README's sample outputs are what the documented commands print today.

The samples are the blocks marked `<!-- output ... -->` (tests/readme_outputs.py says how);
`make readme` rewrites them when a change of behaviour is meant.
"""

from __future__ import annotations

import pytest
from readme_outputs import README, normalise, parse, rewrite, run

README_TEXT = README.read_text(encoding="utf-8")
SAMPLES = parse(README_TEXT)


def test_the_readme_marks_its_sample_outputs():
    # the summary of `make run`, the AO3 layout, the corpus session: a lost marker is a lost check
    commands = [s.commands[0] for s in SAMPLES]
    assert any(c.startswith("ficlens analyze") and "--format text" in c for c in commands)
    assert any("--format ao3" in c for c in commands)
    assert any(c.startswith("ficlens index") for c in commands)


def test_a_sample_of_several_commands_keeps_each_command_and_its_output():
    readme = "intro\n<!-- output -->\n```\n$ ficlens a\none\n\ntwo\n$ ficlens b\n```\n<!-- output: ficlens c -->\n```\nx\n```\n"
    first, second = parse(readme)
    assert first.commands == ["ficlens a", "ficlens b"] and first.text == "$ ficlens a\none\n\ntwo\n$ ficlens b"
    assert second.commands == ["ficlens c"] and second.text == "x"
    assert rewrite(readme, {s.marker_line: s.text for s in (first, second)}) == readme
    assert rewrite(readme, {second.marker_line: "y\nz"}).endswith("```\ny\nz\n```\n")


def test_only_timings_and_progress_lines_are_forgotten():
    shown = "ficlens: 4 analysed; 6,572 words in 8.8s (750 words/s) into /tmp/readme.db"
    assert normalise(shown) == normalise(
        "ficlens: 1/4 works, 86 words/s, 0 failed, ETA 1m12s\n"
        "ficlens: 4 analysed; 6,572 words in 17.2s (382.5 words/s) into /tmp/readme.db"
    )
    assert normalise(shown) != normalise(shown.replace("6,572", "6,573"))
    assert normalise(shown) != normalise(shown.replace("4 analysed", "3 analysed"))
    assert normalise("score 0.18") != normalise("score 0.12")


@pytest.mark.slow
@pytest.mark.parametrize("sample", [s for s in SAMPLES if not s.slow], ids=lambda s: s.title)
def test_a_readme_sample_is_what_its_commands_print(sample):
    reason = sample.skip_reason()
    if reason:
        pytest.skip(reason)
    assert normalise(run(sample)) == normalise(sample.text), "README output is stale: run `make readme`"
