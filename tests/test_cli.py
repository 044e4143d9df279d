"""End-to-end CLI: formats, output files, --force, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from ficlens.cli import main
from ficlens.errors import EXIT_INPUT, EXIT_OK, EXIT_OUTPUT, EXIT_PARTIAL, EXIT_USAGE


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_analyze_json_on_stdout(tmp_path, story_text):
    path = tmp_path / "rain.txt"
    path.write_text(story_text, encoding="utf-8")
    code, out, err = run("analyze", str(path), "--format", "json")
    assert code == EXIT_OK, err
    data = json.loads(out)
    assert data["work"]["id"] == "rain"
    assert data["text"][data["parts"][0]["start"] : data["parts"][0]["end"]].startswith("The rain")


def test_analyze_text_summary(tmp_path, story_text):
    path = tmp_path / "rain.txt"
    path.write_text(story_text, encoding="utf-8")
    code, out, _ = run("analyze", str(path))
    assert code == EXIT_OK
    assert out.startswith("rain") and "words:" in out


def test_analyze_html_is_standalone(tmp_path, story_text):
    path = tmp_path / "rain.txt"
    path.write_text(story_text, encoding="utf-8")
    code, out, _ = run("analyze", str(path), "--format", "html")
    assert code == EXIT_OK
    assert out.startswith("<!DOCTYPE html>") and "</html>" in out
    assert "<script" not in out and "http" not in out.split("<body>")[1]


def test_output_dir_and_no_overwrite(tmp_path, story_text):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "rain.txt").write_text(story_text, encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = run("analyze", str(tmp_path / "in"), "-o", str(out_dir), "-f", "json", "-f", "html")
    assert code == EXIT_OK, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["rain.html", "rain.json"]
    (out_dir / "rain.json").write_text("precious user data", encoding="utf-8")
    code, _, err = run("analyze", str(tmp_path / "in"), "-o", str(out_dir), "-f", "json")
    assert code == EXIT_OUTPUT and "--force" in err and len(err.strip().splitlines()) == 1
    assert (out_dir / "rain.json").read_text(encoding="utf-8") == "precious user data"
    code, _, _ = run("analyze", str(tmp_path / "in"), "-o", str(out_dir), "-f", "json", "--force")
    assert code == EXIT_OK
    assert json.loads((out_dir / "rain.json").read_text(encoding="utf-8"))["work"]["id"] == "rain"
    assert not [p for p in out_dir.iterdir() if p.name.startswith(".")]  # no temp files left


def test_partial_directory_exit_code(tmp_path, story_text):
    (tmp_path / "good.txt").write_text(story_text, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 40)
    code, out, err = run("analyze", str(tmp_path))
    assert code == EXIT_PARTIAL
    assert out.count("words:") == 1
    assert "empty.txt" in err and "blob.txt" in err
    assert "Traceback" not in err


def test_missing_path_and_empty_file(tmp_path):
    code, _, err = run("analyze", str(tmp_path / "missing.txt"))
    assert code == EXIT_INPUT and "no such file" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = run("analyze", str(tmp_path / "empty.txt"))
    assert code == EXIT_INPUT and "empty" in err


def test_usage_errors(tmp_path, story_text):
    path = tmp_path / "rain.txt"
    path.write_text(story_text, encoding="utf-8")
    assert run("analyze", str(path), "-f", "json", "-f", "html")[0] == EXIT_USAGE
    assert run("analyze", str(path), "--max-file-mb", "0")[0] == EXIT_USAGE
    assert run("frobnicate")[0] == EXIT_USAGE
    assert run()[0] == EXIT_USAGE


def test_several_works_as_json_lines(tmp_path, story_text):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(story_text, encoding="utf-8")
    code, out, _ = run("analyze", str(tmp_path), "-f", "json")
    assert code == EXIT_OK
    assert [json.loads(line)["work"]["id"] for line in out.splitlines()] == ["a", "b"]


def test_schema_command():
    code, out, _ = run("schema")
    assert code == EXIT_OK and json.loads(out)["title"] == "ficlens profile"


def test_console_script_runs_without_traceback(tmp_path):
    exe = Path(sys.executable).with_name("ficlens")
    if not exe.exists():
        import pytest

        pytest.skip("console script not installed")
    result = subprocess.run(
        [str(exe), "analyze", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == EXIT_INPUT
    assert result.stderr.strip().startswith("ficlens:") and "Traceback" not in result.stderr


def test_over_long_work_is_refused_with_one_line(tmp_path, story_text):
    path = tmp_path / "long.txt"
    path.write_text(story_text * 20, encoding="utf-8")
    code, _, err = run("analyze", str(path), "--max-words", "100")
    assert code == EXIT_INPUT
    assert "word limit" in err and len(err.strip().splitlines()) == 1


def test_parts_command_streams_a_file(tmp_path):
    path = tmp_path / "book.txt"
    path.write_text(
        "Chapter 1\n\nOne. The first chapter of the story.\n\nChapter 2\n\n"
        "Two. The second chapter goes on for a while longer.\n\nA/N: thanks for reading\n",
        encoding="utf-8",
    )
    code, out, _ = run("parts", str(path))
    assert code == EXIT_OK
    rows = [line.split("\t") for line in out.splitlines()]
    assert [r[0] for r in rows] == ["body", "body", "end_notes"]
    text = path.read_text(encoding="utf-8")
    assert text[int(rows[1][1]) : int(rows[1][2])].startswith("Two.")
    assert text[int(rows[2][1]) : int(rows[2][2])] == "thanks for reading"
    assert run("parts", str(tmp_path / "nope.txt"))[0] == EXIT_INPUT


def test_closed_output_pipe_is_not_an_error(tmp_path):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Anna walked to the harbour. Ben waved from the boat.", encoding="utf-8")
    err = io.StringIO()
    assert main(["analyze", str(tmp_path)], ClosedPipe(), err) == 0
    assert "internal error" not in err.getvalue()
