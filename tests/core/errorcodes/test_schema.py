"""The bundled knowledge base follows its schema and covers what the product promises."""

from __future__ import annotations

import copy
import re
from collections import Counter
from typing import Any

import pytest

from robloxassets.core.errorcodes.kb import bundled_raw, load_bundled
from robloxassets.core.errorcodes.model import CATEGORIES, EntryError, parse_entry

REQUIRED_FULL = ["267", "279", "529", "769", "770", "771", "772", "773", "400"]
# Codes listed with texts or meanings in the facts file (shared/facts/error-codes.md).
FACT_CODES = [103, 256, 260, 261, 262, 264, 266, 268, 271, 272, 273, 274, 275, 277, 278, 280,
              282, 284, 286, 292, 517, 522, 523, 524, 525, 528, 533, 600, 610, 774, 775]
HTTP_CODES = [400, 401, 403, 404, 409, 429, 499, 500, 501, 503]
DECAL_TOPICS = ["decal-blurry", "decal-pending", "decal-rejected", "image-too-large",
                "decal-vs-image-id"]
NO_RECONNECT = {257, 258, 259, 263, 264, 265, 267, 268, 270, 272, 279, 280, 286, 304, 305, 522,
                523, 524, 525, 526, 527, 533, 600}


@pytest.fixture(scope="module")
def raw() -> list[dict[str, Any]]:
    return bundled_raw()


def test_every_bundled_entry_parses(raw: list[dict[str, Any]]) -> None:
    for data in raw:
        parse_entry(data)  # raises EntryError naming the field


def test_ids_are_unique(raw: list[dict[str, Any]]) -> None:
    counts = Counter(str(d["id"]) for d in raw)
    assert [i for i, n in counts.items() if n > 1] == []


def test_related_ids_exist_and_loading_reports_nothing(raw: list[dict[str, Any]]) -> None:
    ids = {str(d["id"]) for d in raw}
    dangling = [(d["id"], r) for d in raw for r in d.get("related", []) if r not in ids]
    assert dangling == []
    base = load_bundled()
    assert base.problems == []
    assert len(base) == len(raw)


def test_no_empty_or_duplicate_texts(raw: list[dict[str, Any]]) -> None:
    for data in raw:
        for key in ("messages", "causes", "steps", "keywords", "sources"):
            items = [s.strip().lower() for s in data.get(key, [])]
            assert all(items), f"{data['id']}: empty item in {key}"
            assert len(items) == len(set(items)), f"{data['id']}: repeated item in {key}"
        for key in ("summary", *data.get("steps", []), *data.get("causes", [])):
            text = data.get(key, key) if key == "summary" else key
            assert text.count("`") % 2 == 0, f"{data['id']}: unbalanced backticks in {text!r}"


def test_required_codes_are_complete() -> None:
    base = load_bundled()
    for code in REQUIRED_FULL:
        entry = base.get(code)
        assert entry is not None, code
        assert entry.summary and entry.causes and entry.sources
        assert len(entry.steps) >= 4, f"{code} needs at least 4 steps"
        assert entry.verified, code
        assert entry.category in CATEGORIES


def test_coverage_of_the_facts() -> None:
    base = load_bundled()
    missing = [c for c in FACT_CODES + HTTP_CODES if base.get(c) is None]
    assert missing == []
    assert [t for t in DECAL_TOPICS if base.get(t) is None] == []
    codes = [e for e in base if e.is_code and e.id not in REQUIRED_FULL]
    assert len(codes) >= 40
    assert {e.category for e in base} == set(CATEGORIES)
    for code in HTTP_CODES:
        assert base.get(code).category == "web/HTTP"  # type: ignore[union-attr]


def test_dialog_titles_and_reconnect_follow_the_code_ranges() -> None:
    for entry in load_bundled():
        code = entry.code
        if code is None:
            continue
        if 256 <= code <= 314 and entry.title != "Low Memory Warning":
            assert entry.title == "Disconnected", entry.id
        if 512 <= code <= 611:
            assert entry.title == "Join Error", entry.id
        if 768 <= code <= 775:
            assert entry.title == "Teleport Failed" and entry.reconnect is False, entry.id
        if code in NO_RECONNECT:
            assert entry.reconnect is False, entry.id


def test_unconfirmed_entries_say_why_and_invent_no_messages() -> None:
    base = load_bundled()
    unconfirmed = [e for e in base if not e.verified]
    assert unconfirmed, "the facts list codes known only by engine name"
    for entry in unconfirmed:
        assert entry.note
        if "engine name only" in entry.note:
            assert entry.messages == (), f"{entry.id}: no message text is known"


def test_engine_names_match_the_enum_form() -> None:
    for entry in load_bundled():
        for name in entry.engine:
            assert re.fullmatch(r"Enum\.(ConnectionError|TeleportResult)\.\w+", name), name
        if entry.engine and entry.name:
            assert entry.engine[0].endswith("." + entry.name)


GOOD = {"id": "999", "category": "join", "title": "Join Error", "summary": "s",
        "causes": ["c"], "steps": ["a"], "sources": ["x"], "verified": True}


@pytest.mark.parametrize(("change", "field"), [
    ({"id": "Not an id!"}, '"id"'),
    ({"code": 998}, '"code"'),
    ({"category": "lag"}, '"category"'),
    ({"summary": "  "}, '"summary"'),
    ({"steps": []}, '"steps"'),
    ({"steps": ["ok", ""]}, '"steps" item 2'),
    ({"causes": "one cause"}, '"causes"'),
    ({"verified": "yes"}, '"verified"'),
    ({"verified": False}, '"note"'),
    ({"platforms": {"linux": "x"}}, '"platforms"'),
    ({"related": "277"}, '"related"'),
    ({"reconnect": "no"}, '"reconnect"'),
])
def test_schema_rejects_bad_entries_by_field(change: dict[str, Any], field: str) -> None:
    data = copy.deepcopy(GOOD)
    data.update(change)
    with pytest.raises(EntryError) as info:
        parse_entry(data)
    assert field in str(info.value)


def test_schema_accepts_a_minimal_entry_and_topics() -> None:
    entry = parse_entry(GOOD)
    assert entry.code == 999 and entry.label == "Error 999"
    topic = parse_entry({**GOOD, "id": "my-topic", "title": "My topic"})
    assert topic.code is None and topic.label == "My topic"
