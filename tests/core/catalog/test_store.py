"""Catalogue entries: add, edit, duplicates, history, search, filters, bulk changes, undo."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from robloxassets.core.catalog.hashing import file_facts, sha256_file
from robloxassets.core.catalog.model import (
    Entry,
    Status,
    entry_from_file,
    format_wait,
    parse_tags,
    review_stage,
)
from robloxassets.core.catalog.store import (
    Catalog,
    DuplicateAssetError,
    NotFoundError,
    Query,
    fts_expression,
)
from robloxassets.core.errors import UserError

HASH_A = "a" * 64
HASH_B = "b" * 64


@pytest.fixture
def catalog() -> Catalog:
    with Catalog() as cat:
        yield cat


def _add(catalog: Catalog, name: str, decal: int | None = None, image: int | None = None,
         **kw) -> Entry:
    return catalog.add(Entry(name=name, decal_id=decal, image_id=image, **kw))


def test_add_and_get_round_trip(catalog: Catalog) -> None:
    stored = _add(catalog, "  Red   brick wall ", 46059313, 46059300,
                  tags=("Bricks", "walls, RED"), notes="from the 2019 pack",
                  creator_type="group", creator_id=456, sha256=HASH_A.upper(), width=512,
                  height=256)
    assert stored.id is not None
    assert stored.name == "Red brick wall"
    assert stored.tags == ("bricks", "red", "walls")
    assert stored.sha256 == HASH_A
    assert stored.status is Status.DRAFT
    assert stored.created == stored.updated == stored.status_changed
    assert stored.created.endswith("Z")
    assert [c.status for c in stored.history] == [Status.DRAFT]
    assert catalog.get(stored.id) == stored
    assert stored.asset_id == 46059300  # scripts need the image ID
    assert stored.content_id == "rbxassetid://46059300"


@pytest.mark.parametrize(("entry", "message"), [
    (Entry(name="No IDs"), "needs a decal ID or an image ID"),
    (Entry(name="", decal_id=1), "Give the entry a name"),
    (Entry(name="Same", decal_id=5, image_id=5), "both 5"),
    (Entry(name="Bad hash", decal_id=1, sha256="xyz"), "not a SHA-256"),
    (Entry(name="Half creator", decal_id=1, creator_type="user"), "both a type"),
    (Entry(name="Zero width", decal_id=1, width=0), "width"),
])
def test_invalid_entries_are_refused(catalog: Catalog, entry: Entry, message: str) -> None:
    with pytest.raises(UserError, match=message):
        catalog.add(entry)
    assert catalog.total() == 0


def test_same_decal_or_image_id_points_at_existing_entry(catalog: Catalog) -> None:
    first = _add(catalog, "Original", 100, 200)
    with pytest.raises(DuplicateAssetError) as info:
        _add(catalog, "Copy", 100)
    assert info.value.existing.id == first.id
    assert "Original" in str(info.value)
    # An image ID already used as another entry's decal ID is a duplicate too.
    with pytest.raises(DuplicateAssetError) as info:
        _add(catalog, "Crossed", image=100)
    assert info.value.kind == "image"
    assert catalog.total() == 1


def test_update_records_status_history(catalog: Catalog) -> None:
    entry = _add(catalog, "Sky", image=300, status=Status.IN_REVIEW)
    renamed = catalog.update(entry.with_changes(name="Blue sky"))
    assert len(renamed.history) == 1
    assert renamed.status_changed == entry.status_changed
    approved = catalog.update(renamed.with_changes(status=Status.APPROVED))
    assert [c.status for c in approved.history] == [Status.IN_REVIEW, Status.APPROVED]
    assert approved.created == entry.created


def test_update_refuses_taking_another_entrys_id(catalog: Catalog) -> None:
    _add(catalog, "A", 1)
    b = _add(catalog, "B", 2)
    with pytest.raises(DuplicateAssetError):
        catalog.update(b.with_changes(decal_id=1))
    assert catalog.get(b.id).decal_id == 2


def test_search_words_prefixes_ids_and_addresses(catalog: Catalog) -> None:
    brick = _add(catalog, "Red brick wall", 46059313, tags=("outdoor",))
    sky = _add(catalog, "Blue sky", image=2676631400, notes="Bright daylight")
    _add(catalog, "Café sign", 777, description="neon lettering")
    assert catalog.ids(Query(text="bric")) == [brick.id]
    assert catalog.ids(Query(text="red wa")) == [brick.id]
    assert catalog.ids(Query(text="wall red")) == [brick.id]
    assert catalog.ids(Query(text="outd")) == [brick.id]
    assert catalog.ids(Query(text="daylight")) == [sky.id]
    assert catalog.ids(Query(text="4605")) == [brick.id]
    assert catalog.ids(Query(text="rbxassetid://2676631400")) == [sky.id]
    assert catalog.ids(Query(text="https://www.roblox.com/library/46059313/x")) == [brick.id]
    assert len(catalog.ids(Query(text="cafe"))) == 1  # diacritics folded
    assert len(catalog.ids(Query(text="NEON"))) == 1
    assert catalog.ids(Query(text="zebra")) == []
    # FTS syntax typed by a user is just text, never an error.
    assert catalog.ids(Query(text='"red*" (wal')) == [brick.id]
    assert catalog.ids(Query(text='red OR NEAR(')) == []  # every word must match
    # Punctuation alone is looked for as it is, not read as "no filter" (issue 10).
    assert catalog.ids(Query(text="!!!")) == []


def test_fts_expression_escapes_everything() -> None:
    assert fts_expression('a"b OR c*') == '"a"* "b"* "or"* "c"*'
    assert fts_expression("  ") is None


def test_filters_and_sorting(catalog: Catalog) -> None:
    a = _add(catalog, "alpha", 3, tags=("ui",), status=Status.APPROVED, width=10, height=10)
    b = _add(catalog, "Beta", 1, tags=("ui", "icons"), status=Status.IN_REVIEW)
    c = _add(catalog, "gamma", 2, tags=("terrain",), status=Status.IN_REVIEW, width=100,
             height=100)
    assert catalog.ids(Query(sort="name")) == [a.id, b.id, c.id]  # case-insensitive
    assert catalog.ids(Query(sort="name", descending=True)) == [c.id, b.id, a.id]
    assert catalog.ids(Query(sort="decal_id")) == [b.id, c.id, a.id]
    assert catalog.ids(Query(sort="size", descending=True)) == [c.id, a.id, b.id]
    assert catalog.ids(Query(sort="status")) == [b.id, c.id, a.id]
    assert catalog.ids(Query(status=Status.IN_REVIEW)) == [b.id, c.id]
    assert catalog.ids(Query(tag="ui")) == [a.id, b.id]
    assert catalog.ids(Query(tag="ui", status=Status.IN_REVIEW, text="bet")) == [b.id]
    assert catalog.count(Query(tag="ui")) == 2
    assert catalog.tag_counts() == [("icons", 1), ("terrain", 1), ("ui", 2)]
    assert catalog.status_counts()[Status.IN_REVIEW] == 2
    with pytest.raises(UserError, match="sort by"):
        catalog.ids(Query(sort="nonsense"))


def test_bulk_status_and_tags(catalog: Catalog) -> None:
    entries = [_add(catalog, f"Icon {n}", n, tags=("ui",)) for n in range(1, 6)]
    ids = [e.id for e in entries[:3]]
    assert catalog.set_status(ids, "in review") == 3
    assert catalog.set_status(ids, Status.IN_REVIEW) == 0  # already there: no new history
    assert catalog.count(Query(status=Status.IN_REVIEW)) == 3
    assert len(catalog.get(ids[0]).history) == 2
    assert catalog.change_tags(ids, add=["Shop"], remove=["ui"]) == 3
    assert catalog.get(ids[0]).tags == ("shop",)
    assert catalog.ids(Query(tag="ui")) == [e.id for e in entries[3:]]
    assert catalog.ids(Query(text="shop")) == ids  # the full-text index followed


def test_remove_and_restore_is_exact(catalog: Catalog) -> None:
    entry = _add(catalog, "Keep me", 10, 11, tags=("a", "b"), status=Status.IN_REVIEW)
    catalog.update(entry.with_changes(status=Status.APPROVED))
    before = catalog.get(entry.id)
    removed = catalog.remove([entry.id])
    assert catalog.total() == 0
    assert catalog.ids(Query(text="keep")) == []
    catalog.restore(removed)
    after = catalog.get(entry.id)
    assert after == before
    assert after.history == before.history
    assert catalog.ids(Query(text="keep")) == [entry.id]
    assert catalog.ids(Query(tag="b")) == [entry.id]


def test_restore_undoes_an_edit(catalog: Catalog) -> None:
    entry = _add(catalog, "Before", 10)
    snapshot = catalog.snapshot([entry.id])
    catalog.update(entry.with_changes(name="After", status=Status.REJECTED))
    catalog.restore(snapshot)
    again = catalog.get(entry.id)
    assert again.name == "Before"
    assert again.status is Status.DRAFT
    assert len(again.history) == 1


def test_find_by_asset_id_and_text(catalog: Catalog) -> None:
    entry = _add(catalog, "Door", 500, 501)
    assert catalog.find_by_asset_id(500).id == entry.id
    assert catalog.find_by_asset_id(501).id == entry.id
    assert catalog.find_by_asset_id(502) is None
    assert catalog.find("https://www.roblox.com/library/500/Door").id == entry.id
    with pytest.raises(NotFoundError) as info:
        catalog.find("999")
    assert info.value.exit_code == 1


def test_find_by_sha256_batch(catalog: Catalog) -> None:
    first = _add(catalog, "Original", 1, sha256=HASH_A)
    prepared = _add(catalog, "Prepared", 2, sha256=HASH_B, prepared_sha256="c" * 64)
    unknown = ["d" * 64] * 3
    found = catalog.find_by_sha256([HASH_A.upper(), "c" * 64, *unknown]
                                   + [f"{n:064x}" for n in range(1200)])
    assert set(found) == {HASH_A, "c" * 64}
    assert [e.id for e in found[HASH_A]] == [first.id]
    assert [e.id for e in found["c" * 64]] == [prepared.id]


def test_entry_from_file_and_hashing(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "red_brick-wall.png"
    Image.new("RGBA", (64, 32), (200, 0, 0, 255)).save(path)
    facts = file_facts(path)
    assert (facts.width, facts.height) == (64, 32)
    assert facts.sha256 == sha256_file(path, chunk_size=7)
    draft = entry_from_file(facts.path, facts.sha256, facts.width, facts.height)
    assert draft.name == "Red brick wall"
    assert draft.id is None and draft.asset_id is None
    assert entry_from_file(str(path), name="Mine").name == "Mine"
    with pytest.raises(UserError, match="does not exist"):
        sha256_file(tmp_path / "missing.png")


def test_moderation_age() -> None:
    now = datetime(2024, 5, 10, 12, 0, tzinfo=timezone.utc)
    entry = Entry(name="x", decal_id=1, status=Status.IN_REVIEW,
                  status_changed="2024-05-10T11:30:00Z")
    assert entry.review_wait(now) == timedelta(minutes=30)
    assert review_stage(entry.review_wait(now)) == ""
    assert review_stage(timedelta(days=2)) == "slow"
    assert review_stage(timedelta(days=8)) == "contact-support"
    assert entry.with_changes(status=Status.APPROVED).review_wait(now) is None
    assert format_wait(timedelta(minutes=30)) == "30 min"
    assert format_wait(timedelta(hours=30)) == "30 h"
    assert format_wait(timedelta(days=9)) == "9 days"


def test_status_parsing() -> None:
    assert Status.parse("in review") is Status.IN_REVIEW
    assert Status.parse("In_Review") is Status.IN_REVIEW
    assert Status.parse("MODERATION_STATE_APPROVED") is Status.APPROVED
    with pytest.raises(UserError, match="draft, in-review"):
        Status.parse("pending-ish")
    assert parse_tags(" UI ,ui,  Big   Icons,,") == ("big icons", "ui")


def test_data_version_sees_other_connections(catalog: Catalog) -> None:
    before = catalog.data_version()
    with Catalog() as other:
        _add(other, "From elsewhere", 9)
    assert catalog.data_version() != before
    assert catalog.total() == 1


def test_first_page_matches_the_full_result_on_both_plans(catalog: Catalog) -> None:
    for n in range(1, 41):
        _add(catalog, f"Brick {n:02d}" if n % 4 else f"Window {n:02d}", n,
             tags=("big icons",) if n % 3 == 0 else ("icons",))
    for query in (Query(text="b"), Query(text="b", sort="updated", descending=True),
                  Query(text="wind"), Query(text="b", tag="big icons"),
                  Query(text="b", tag="icons"), Query(text="b", sort="tags")):
        full = catalog.ids(query)
        assert full, query
        assert catalog.ids(query, limit=7) == full[:7]
    # "b" matches most entries: the dense plan (walk the sort index) is the one taken...
    assert catalog._dense(Query(text="b")) and not catalog._dense(Query(text="wind"))
    # ...and both plans agree.
    catalog._dense = lambda query: False  # type: ignore[method-assign]
    assert catalog.ids(Query(text="b"), limit=7) == catalog.ids(Query(text="b"))[:7]
    # A tag is matched exactly, although the full-text index sees its words.
    big = catalog.ids(Query(text="b", tag="big icons"))
    assert big and all("big icons" in catalog.get(i).tags for i in big)
    expected = [n for n in range(1, 41) if n % 4 and n % 3]  # bricks tagged only "icons"
    assert catalog.ids(Query(text="b", tag="icons")) == expected


def test_review_counts(catalog: Catalog) -> None:
    now = datetime(2024, 5, 20, 12, 0, tzinfo=timezone.utc)
    for n, sent in enumerate(("2024-05-20T11:00:00Z", "2024-05-18T12:00:00Z",
                              "2024-05-01T00:00:00Z"), start=1):
        _add(catalog, f"Waiting {n}", n, status=Status.IN_REVIEW, status_changed=sent)
    _add(catalog, "Approved long ago", 9, status=Status.APPROVED,
         status_changed="2020-01-01T00:00:00Z")
    assert catalog.review_counts(now) == (3, 2, 1)


def test_status_given_as_text_is_stored_as_a_status(catalog: Catalog) -> None:
    stored = catalog.add(Entry(name="Text status", decal_id=1, status="in review"))
    assert stored.status is Status.IN_REVIEW
    stored = catalog.update(stored.with_changes(status="approved"))
    assert stored.status is Status.APPROVED
