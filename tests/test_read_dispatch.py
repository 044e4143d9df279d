"""Format sniffing, directory walking, zip archives (and bombs), JSONL, and bad inputs."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from ficlens.errors import InputNotFound, InputTooLarge, NoWorksFound, UnreadableInput
from ficlens.model import Work
from ficlens.read import ReadFailure, ReadLimits, iter_works, read, sniff, work_id_for


def _split(items):
    works = [i for i in items if isinstance(i, Work)]
    failures = [i for i in items if isinstance(i, ReadFailure)]
    return works, failures


def test_sniff_formats():
    assert sniff(b"PK\x03\x04....mimetypeapplication/epub+zip", "a.epub") == "epub"
    assert sniff(b"PK\x03\x04....", "a.zip") == "zip"
    assert sniff(b"\xef\xbb\xbf  <!DOCTYPE html><html>", "a.txt") == "html"
    assert sniff(b'{"text": "hi"}\n{"text": "ho"}\n', "dump.dat") == "jsonl"
    assert sniff(b"Once upon a time <b>not html</b>", "a.txt") == "text"


def test_work_id_for_is_filename_safe():
    assert work_id_for("My Story (1).txt") == "my-story-1"
    assert work_id_for("sub/dir/Ch 2.html") == "sub-dir-ch-2"
    assert work_id_for("!!!.txt") == "work"


def test_missing_path(tmp_path):
    with pytest.raises(InputNotFound):
        list(iter_works(tmp_path / "nope.txt"))


def test_directory_with_bad_files_reports_and_continues(tmp_path, story_text):
    (tmp_path / "good.txt").write_text(story_text, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "also-good.txt").write_text(story_text, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    works, failures = _split(list(iter_works(tmp_path)))
    assert sorted(w.id for w in works) == ["good", "sub-also-good"]
    assert sorted(Path(f.source).name for f in failures) == ["empty.txt", "image.txt"]
    assert all(isinstance(f.error, UnreadableInput) for f in failures)
    assert all("\n" not in f.message for f in failures)


def test_directory_with_nothing_readable(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    items = []
    with pytest.raises(NoWorksFound):
        for item in iter_works(tmp_path):
            items.append(item)
    assert len(items) == 1 and isinstance(items[0], ReadFailure)


def test_output_dir_is_not_walked(tmp_path, story_text):
    (tmp_path / "good.txt").write_text(story_text, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "good.txt").write_text("An old report.", encoding="utf-8")
    works, _ = _split(list(iter_works(tmp_path, skip=tmp_path / "out")))
    assert [w.id for w in works] == ["good"]


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_of_works(tmp_path, story_text):
    path = tmp_path / "bundle.zip"
    path.write_bytes(
        _zip({"one.txt": story_text.encode(), "two/two.txt": story_text.encode(), "__MACOSX/._one.txt": b"x"})
    )
    works, failures = _split(list(iter_works(path)))
    assert sorted(w.id for w in works) == ["bundle-one", "bundle-two-two"]
    assert works[0].source.startswith(str(path) + "!")
    assert not failures


def test_zip_bomb_is_refused(tmp_path, story_text):
    path = tmp_path / "bomb.zip"
    path.write_bytes(_zip({"a.txt": story_text.encode(), "bomb.txt": b"\0" * 30_000_000}))
    works, failures = _split(list(iter_works(path)))
    assert [w.id for w in works] == ["bomb-a"]
    assert any(isinstance(f.error, InputTooLarge) and "zip bomb" in f.message for f in failures)


def test_zip_over_archive_budget(tmp_path, story_text):
    path = tmp_path / "big.zip"
    path.write_bytes(_zip({f"{i}.txt": story_text.encode() * 100 for i in range(5)}, zipfile.ZIP_STORED))
    limits = ReadLimits(max_archive_bytes=len(story_text.encode()) * 250)
    works, failures = _split(list(iter_works(path, limits)))
    assert len(works) == 2
    assert failures and isinstance(failures[0].error, InputTooLarge)


def test_nested_zip_is_reported_not_opened(tmp_path, story_text):
    inner = _zip({"x.txt": story_text.encode()})
    path = tmp_path / "outer.zip"
    path.write_bytes(_zip({"inner.zip": inner}))
    _, failures = _split(list(iter_works(path)))
    assert "archive inside an archive" in failures[0].message


def test_corrupt_zip(tmp_path, story_text):
    path = tmp_path / "broken.zip"
    path.write_bytes(_zip({"a.txt": story_text.encode()})[:40])
    _, failures = _split(list(iter_works(path)))
    assert isinstance(failures[0].error, UnreadableInput)
    assert "zip" in failures[0].message


def test_jsonl_with_metadata_and_bad_lines(tmp_path, story_text):
    lines = [
        json.dumps(
            {
                "id": "w1",
                "text": story_text,
                "title": "Rain",
                "author": "A. Writer",
                "rating": "General Audiences",
                "fandoms": ["Original Work"],
                "tags": "Fluff, Rain",
                "url": "https://example.org/1",
            }
        ),
        "{not json",
        json.dumps({"title": "no text"}),
        "",
        json.dumps({"text": story_text}),
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    works, failures = _split(list(iter_works(path)))
    assert [w.id for w in works] == ["w1", "dump-5"]
    first = works[0]
    assert first.title == "Rain" and first.authors == ["A. Writer"]
    assert first.author_tags.rating == "General Audiences"
    assert first.author_tags.fandoms == ["Original Work"]
    assert first.author_tags.additional == ["Fluff", "Rain"]
    assert first.metadata["url"] == "https://example.org/1"
    assert [f.source.rsplit(":", 1)[1] for f in failures] == ["2", "3"]


def test_read_single_work(tmp_path, story_text):
    path = tmp_path / "story.txt"
    path.write_text(story_text, encoding="utf-8")
    work = read(path)
    assert work.id == "story"
    assert work.text == story_text
    assert [p.kind for p in work.parts] == ["body"]


def test_read_refuses_files_over_the_limit(tmp_path, story_text):
    path = tmp_path / "story.txt"
    path.write_text(story_text * 10, encoding="utf-8")
    with pytest.raises(InputTooLarge):
        read(path, ReadLimits(max_file_bytes=100))
