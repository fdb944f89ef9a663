"""The user's override file: new entries, corrections, and broken files that change nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from robloxassets.core.errorcodes.kb import load, load_bundled, override_path
from robloxassets.core.errorcodes.search import search

NEW_ENTRY = {
    "id": "283", "category": "connection", "title": "Disconnected",
    "messages": ["Our studio's custom disconnect text"],
    "summary": "A code our team sees in testing.", "causes": ["Our test servers restart."],
    "steps": ["Wait for the restart.", "Rejoin."], "sources": ["team wiki"],
    "verified": False, "note": "Seen in our own tests only.", "related": ["279"],
}


def write(data: Any, path: Path | None = None) -> Path:
    target = path or override_path()
    target.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return target


def test_default_location_is_the_config_dir(app_home: Path) -> None:
    assert override_path() == app_home / "config" / "errorcodes.json"


def test_no_file_means_bundled_only() -> None:
    base = load()
    assert base.problems == [] and base.override_file is None
    assert len(base) == len(load_bundled())


def test_new_entry_is_added_and_searchable() -> None:
    write({"entries": [NEW_ENTRY]})
    base = load()
    assert base.problems == []
    entry = base.get(283)
    assert entry is not None and entry.origin == "override" and not entry.verified
    assert search("Error Code: 283", base).matches[0].entry.id == "283"
    assert search("custom disconnect text", base).matches[0].entry.id == "283"


def test_partial_override_changes_only_the_given_fields() -> None:
    write([{"id": "279", "messages": ["Our translated text for the connection failure"]}])
    base = load()
    entry = base.get(279)
    assert entry is not None and entry.origin == "bundled+override"
    assert entry.messages == ("Our translated text for the connection failure",)
    assert entry.steps == load_bundled().get(279).steps  # type: ignore[union-attr]
    assert search("translated text for the connection failure", base).matches[0].entry.id == "279"


def test_broken_json_is_reported_and_bundled_data_still_works() -> None:
    path = write('{"entries": [ {"id": "279", } ]')
    base = load()
    assert len(base.problems) == 1
    problem = base.problems[0]
    assert str(path) in problem and "not valid JSON" in problem and "line 1" in problem
    assert search("279", base).matches[0].entry.steps == load_bundled().get(279).steps  # type: ignore[union-attr]


def test_bad_entry_is_skipped_with_its_field_named_and_good_ones_kept() -> None:
    bad_new = {**NEW_ENTRY, "id": "284x"}
    bad_patch = {"id": "772", "steps": []}
    write({"entries": [bad_new, NEW_ENTRY, bad_patch]})
    base = load()
    assert base.get(283) is not None
    assert base.get(772).steps == load_bundled().get(772).steps  # type: ignore[union-attr]
    assert len(base.problems) == 2
    assert 'entry 1 ("284x")' in base.problems[0] and '"id"' in base.problems[0]
    assert 'entry 3 ("772")' in base.problems[1] and '"steps"' in base.problems[1]
    assert "the bundled entry is used" in base.problems[1]


def test_wrong_top_level_shape_is_reported() -> None:
    write({"codes": []})
    base = load()
    assert len(base.problems) == 1 and "must hold" in base.problems[0]


def test_unknown_related_link_is_dropped_and_reported() -> None:
    write([{**NEW_ENTRY, "related": ["279", "nope-topic"]}])
    base = load()
    assert base.get(283).related == ("279",)  # type: ignore[union-attr]
    assert len(base.problems) == 1 and '"nope-topic"' in base.problems[0]


def test_not_utf8_and_duplicates_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "codes.json"
    path.write_bytes(b'[{"id": "279", "summary": "caf\xe9"}]')
    base = load(path)
    assert len(base.problems) == 1 and "UTF-8" in base.problems[0]
    write([NEW_ENTRY, {**NEW_ENTRY, "summary": "Second version."}], path)
    base = load(path)
    assert base.get(283).summary == "Second version."  # type: ignore[union-attr]
    assert "more than once" in base.problems[0]


def test_empty_file_is_fine() -> None:
    write("  \n")
    assert load().problems == []


def test_override_wordings_with_sources_and_translations() -> None:
    write([{"id": "279", "messages": [
        {"text": "Falha ao conectar ao jogo (nossa tela)", "lang": "pt", "verified": False},
        {"text": "Our kiosk's own dialog text", "sources": ["team wiki"]}],
        "keywords_i18n": {"es": ["sin conexión al juego"]}}])
    base = load()
    assert base.problems == []
    entry = base.get(279)
    assert entry is not None and entry.messages == ("Our kiosk's own dialog text",)
    assert entry.wordings[0].lang == "pt" and not entry.wordings[0].verified
    assert search("falha ao conectar ao jogo", base).matches[0].entry.id == "279"
    assert search("sin conexión al juego", base).matches[0].entry.id == "279"


def test_bad_wording_in_an_override_names_the_field() -> None:
    write([{"id": "279", "messages": [{"text": "x", "verified": True}]}])
    base = load()
    assert len(base.problems) == 1
    assert 'entry 1 ("279")' in base.problems[0] and "names no \"sources\"" in base.problems[0]
    assert base.get(279).messages == load_bundled().get(279).messages  # type: ignore[union-attr]


def test_an_override_that_is_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "errorcodes.json"
    os.mkfifo(fifo)
    base = load(fifo)  # reading it would block forever
    assert len(base.problems) == 1 and "not a regular file" in base.problems[0]
    assert len(base) == len(load_bundled())


def test_deeply_nested_or_huge_overrides_are_reported(tmp_path: Path) -> None:
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    base = load(nested)
    assert len(base.problems) == 1 and "nested too deeply" in base.problems[0]
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (6 * 1024 * 1024) + b"[]")
    base = load(huge)
    assert len(base.problems) == 1 and "too big" in base.problems[0]
