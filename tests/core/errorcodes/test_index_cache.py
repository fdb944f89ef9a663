"""The search index read back from the cache folder is the index built from the entries."""

from __future__ import annotations

import os
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from robloxassets.core.errorcodes import index_cache
from robloxassets.core.errorcodes.index import SearchIndex
from robloxassets.core.errorcodes.kb import load_bundled
from robloxassets.core.errorcodes.search import search


def test_the_cached_index_equals_the_built_one_and_searches_the_same() -> None:
    entries = load_bundled().entries
    path = index_cache.cache_path(entries)
    assert not path.exists()
    built = index_cache.load_or_build(entries)
    assert path.exists()
    read = index_cache.load_or_build(entries)
    assert read is not built and read.state() == built.state() == SearchIndex(entries).state()
    for query in ("279", "Teleport failed: server is full.", "blurry decal", "teleprot"):
        assert [m.entry.id for m in search(query, read).matches] == \
            [m.entry.id for m in search(query, built).matches]


def test_other_entries_get_another_file_and_the_old_one_goes() -> None:
    entries = load_bundled().entries
    index_cache.load_or_build(entries)
    changed = (replace(entries[0], summary="Changed by an override."), *entries[1:])
    assert index_cache.cache_path(changed) != index_cache.cache_path(entries)
    index = index_cache.load_or_build(changed)
    assert "override" in index.words or "overrid" in index.words
    files = list(index_cache.cache_path(entries).parent.glob("errorcodes-index-*"))
    assert files == [index_cache.cache_path(changed)]


class _Planted:
    def __reduce__(self):  # what a planted file would run if it were an ordinary pickle
        return (os.system, ("echo planted > planted.txt",))


@pytest.mark.parametrize("content", [b"not a pickle", pickle.dumps({"words": _Planted()}),
                                     pickle.dumps({"words": {}})])
def test_a_damaged_or_planted_file_is_never_run_and_the_index_is_built(
        content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    entries = load_bundled().entries
    path = index_cache.cache_path(entries)
    path.write_bytes(content)
    index = index_cache.load_or_build(entries)
    assert not (tmp_path / "planted.txt").exists()
    assert index.state() == SearchIndex(entries).state()
    assert path.read_bytes() != content  # written again, right this time


def test_a_cache_that_cannot_be_written_still_gives_the_index(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(index_cache, "write_bytes_atomic", refuse)
    entries = load_bundled().entries
    index = index_cache.load_or_build(entries)
    assert index.by_code and not index_cache.cache_path(entries).exists()
