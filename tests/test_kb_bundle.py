"""The compiled KB bundle must equal what parsing the shipped YAML gives, and be used when fresh."""

from __future__ import annotations

import logging

from ficlens import kb


def test_bundle_is_fresh_and_equals_the_yaml():
    bundled = kb.read_bundle()
    assert bundled is not None, f"src/ficlens/data/{kb.BUNDLE_NAME} is missing or stale: run {kb.REBUILD_COMMAND}"
    assert bundled == kb._parse_shipped(), f"bundle differs from the YAML files: run {kb.REBUILD_COMMAND}"


def test_fresh_bundle_is_used_instead_of_parsing(monkeypatch):
    def parse_fails():
        raise AssertionError("YAML parsed although the bundle is fresh")

    monkeypatch.setattr(kb, "_parse_shipped", parse_fails)
    assert len(kb.load_kb().fandoms) > 300


def test_stale_bundle_falls_back_to_yaml(monkeypatch, caplog):
    monkeypatch.setattr(kb, "shipped_fingerprint", lambda: "changed")
    with caplog.at_level(logging.INFO, logger="ficlens.kb"):
        loaded = kb.load_kb()
    assert loaded.fandoms == kb._parse_shipped()
    assert kb.REBUILD_COMMAND in caplog.text
