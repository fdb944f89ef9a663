"""Accuracy on the regression set of issue 14 (regression_queries.py): what players paste.

Targets: top-1 at least 97% on the set written before the search changed, and on the queries
written after it was tuned. A text several codes share must say so and list them all.
"""

from __future__ import annotations

import pytest

from robloxassets.core.errorcodes.kb import KnowledgeBase, load_bundled
from robloxassets.core.errorcodes.search import search
from tests.core.errorcodes.regression_queries import (
    AFTER_TUNING,
    NO_MATCH,
    QUERIES,
    SOURCES,
    Query,
)

TARGET_TOP1 = 0.97


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_bundled()


def accuracy(kb: KnowledgeBase, queries: list[Query]) -> tuple[float, float, list[str]]:
    """(top-1, top-3, misses as readable lines)."""
    top1 = top3 = 0
    misses: list[str] = []
    for text, expected, kind, _source in queries:
        wanted = (expected,) if isinstance(expected, str) else expected
        result = search(text, kb)
        got = [m.entry.id for m in result.matches[:3]]
        first = bool(got) and got[0] in wanted
        three = all(w in got for w in wanted)
        if len(wanted) > 1:
            # A shared text: all of them shown, and the result says it can't tell them apart.
            first = first and three and set(wanted) <= set(result.ambiguous)
        top1 += first
        top3 += three
        if not first:
            misses.append(f"{kind}: {text[:70]!r} expected {wanted}, got {got}")
    return top1 / len(queries), top3 / len(queries), misses


def test_the_sets_are_large_varied_and_sourced(kb: KnowledgeBase) -> None:
    assert len(QUERIES) >= 150 and len(AFTER_TUNING) >= 50
    kinds = {kind for *_rest, kind, _source in QUERIES}
    assert {"number", "dialog", "partial", "typo", "es", "pt", "log", "url", "multi",
            "ambiguous", "engine", "web", "decal"} <= kinds
    for text, expected, _kind, source in QUERIES + AFTER_TUNING:
        assert source.split(":")[0] in SOURCES, text
        for wanted in (expected,) if isinstance(expected, str) else expected:
            assert kb.get(wanted) is not None, wanted
    assert not {q for q, *_ in QUERIES} & {q for q, *_ in AFTER_TUNING}


@pytest.mark.parametrize(("name", "queries"), [("regression set", QUERIES),
                                               ("written after tuning", AFTER_TUNING)])
def test_top1_accuracy(kb: KnowledgeBase, name: str, queries: list[Query]) -> None:
    top1, top3, misses = accuracy(kb, queries)
    assert top1 >= TARGET_TOP1, f"{name}: top-1 {top1:.1%}, misses:\n" + "\n".join(misses)
    assert top3 >= top1


@pytest.mark.parametrize("text", NO_MATCH)
def test_texts_about_no_error_match_nothing(kb: KnowledgeBase, text: str) -> None:
    result = search(text, kb)
    assert result.matches == ()
    assert result.suggestions and result.note().startswith("No match")
    assert result.status_hint and any("status" in tip for tip in result.advice())
