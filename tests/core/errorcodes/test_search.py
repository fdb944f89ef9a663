"""The lookup's rules: codes in text win, ranking, reasons, typos, suggestions, filters."""

from __future__ import annotations

import pytest

from robloxassets.core.errorcodes.kb import KnowledgeBase, load_bundled
from robloxassets.core.errorcodes.search import EXPLICIT_SCORE, search
from robloxassets.core.errorcodes.text import edit_distance, find_codes, stem, words


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_bundled()


@pytest.mark.parametrize(("text", "explicit", "bare"), [
    ("279", (279,), ()),
    ("Error Code: 279", (279,), ()),
    ("(Error Code: 279)", (279,), ()),
    ("error279", (279,), ()),
    ("HTTP 429 then error code 529", (429, 529), ()),
    ("got 277 twice, then Error 279", (279,), (277,)),
    ("ID = 17: Connection attempt failed", (), ()),
    ("image over 1024 px, 20 minutes, 12:30", (), ()),
])
def test_find_codes(text: str, explicit: tuple[int, ...], bare: tuple[int, ...]) -> None:
    found = find_codes(text)
    assert found.explicit == explicit
    assert found.bare == bare


def test_stemming_and_words_meet_in_the_middle() -> None:
    assert {stem(w) for w in ("kicked", "kicks", "kicking", "kick")} == {"kick"}
    assert stem("banned") == stem("ban")
    assert stem("leaving") == stem("leave")
    assert words("You can't join: it's FULL!") == ["cant", "join", "full"]
    assert edit_distance("teleprot", "teleport") == 1
    assert edit_distance("abc", "xyz", limit=1) == 2


def test_code_in_text_beats_a_matching_message(kb: KnowledgeBase) -> None:
    # The message is 772's, but the dialog says 773: the written code wins.
    result = search("Teleport failed: server is full. (Error Code: 773)", kb)
    assert [m.entry.id for m in result.matches[:2]] == ["773", "772"]
    assert result.matches[0].score == EXPLICIT_SCORE
    assert "error code 773 in the text" in result.matches[0].reasons


def test_several_codes_keep_their_order(kb: KnowledgeBase) -> None:
    result = search("first error 529 then Error Code: 279", kb)
    assert [m.entry.id for m in result.matches[:2]] == ["529", "279"]


def test_a_pasted_dialog_with_its_code_says_the_message_matches_too(kb: KnowledgeBase) -> None:
    result = search("Disconnected\nFailed to connect to the Game. (ID = 17: Connection attempt "
                    "failed.)\n(Error Code: 279)\nLeave", kb)
    best = result.matches[0]
    assert best.entry.id == "279"
    assert any(r.startswith("matches the message") for r in best.reasons)


def test_unknown_code_gives_nearest_codes(kb: KnowledgeBase) -> None:
    result = search("Error Code: 283", kb)
    assert result.matches == ()
    assert result.unknown_codes == (283,)
    near = [m.entry.id for m in result.suggestions[:2]]
    assert near == ["282", "284"]
    assert "283" in result.note() and "not in the knowledge base" in result.note()


def test_unknown_code_with_known_text_still_finds_the_text(kb: KnowledgeBase) -> None:
    result = search("Teleport failed: server is full. (Error Code: 999)", kb)
    assert result.matches[0].entry.id == "772"
    assert result.unknown_codes == (999,)
    assert "match the rest" in result.note()


def test_topic_id_or_title_finds_the_topic_first(kb: KnowledgeBase) -> None:
    for query in ("decal-vs-image-id", "Decal ID vs image ID", "  decal id VS image id "):
        best = search(query, kb).matches[0]
        assert best.entry.id == "decal-vs-image-id" and best.score == EXPLICIT_SCORE


def test_typos_are_explained(kb: KnowledgeBase) -> None:
    best = search("teleprot restricted", kb).matches[0]
    assert best.entry.id == "773"
    assert "read \u201cteleprot\u201d as \u201cteleport\u201d" in best.reasons


def test_half_typed_words_find_results(kb: KnowledgeBase) -> None:
    # Live search runs on every key press.
    assert search("firew", kb).matches[0].entry.id == "279"
    assert search("blurr", kb).matches[0].entry.id == "decal-blurry"


def test_ranking_is_best_first_with_reasons(kb: KnowledgeBase) -> None:
    result = search("server is full", kb)
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    assert all(m.reasons for m in result.matches)
    assert result.matches[0].score > result.matches[1].score


def test_category_filter_and_limit(kb: KnowledgeBase) -> None:
    result = search("kicked", kb, category="kick/ban")
    assert result.matches and all(m.entry.category == "kick/ban" for m in result.matches)
    assert len(search("disconnected", kb, limit=3).matches) <= 3
    assert search("Error Code: 279", kb, category="teleport").matches == ()


def test_empty_query_gives_nothing(kb: KnowledgeBase) -> None:
    result = search("   ", kb)
    assert result.matches == () and result.suggestions == () and result.note() == ""


def test_match_json_has_the_documented_keys(kb: KnowledgeBase) -> None:
    data = search("279", kb).matches[0].to_json()
    for key in ("code", "name", "category", "title", "summary", "messages", "causes", "steps",
                "score"):
        assert key in data
    assert data["code"] == 279 and data["name"] == "DisconnectRaknetErrors"


def test_steps_text_is_numbered_without_backticks(kb: KnowledgeBase) -> None:
    text = kb.get(279).steps_text()  # type: ignore[union-attr]
    assert text.startswith("Error 279 (DisconnectRaknetErrors):")
    assert "\n1. " in text and "\n7. " in text
    assert "`" not in text and "ipconfig /flushdns" in text


def test_code_to_offer_from_the_clipboard(kb: KnowledgeBase) -> None:
    from robloxassets.core.errorcodes.search import code_to_offer

    dialog = "Disconnected\nLost connection.\n(Error Code: 277)\nReconnect"
    assert code_to_offer(dialog, kb).id == "277"  # type: ignore[union-attr]
    assert code_to_offer(" 279\n", kb).id == "279"  # type: ignore[union-attr]
    assert code_to_offer("rbxassetid://2676631400", kb) is None
    assert code_to_offer("we ordered 279 pizzas", kb) is None
    assert code_to_offer("Error Code: 283", kb) is None
    assert code_to_offer("x" * 6000 + " error 279", kb) is None
