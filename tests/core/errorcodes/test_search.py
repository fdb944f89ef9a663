"""The lookup's rules: codes in text win, ranking, reasons, typos, suggestions, filters."""

from __future__ import annotations

import random

import pytest

from robloxassets.core.errorcodes.kb import KnowledgeBase, load_bundled
from robloxassets.core.errorcodes.search import EXPLICIT_SCORE, search
from robloxassets.core.errorcodes.text import (
    WORD_WINDOW,
    edit_distance,
    find_codes,
    fold,
    looks_binary,
    raw_words,
    stem,
    words,
)


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
    # Codes typed loosely.
    ("2 7 9", (279,), ()),
    ("error code 2 7 7 keeps happening", (277,), ()),
    ("err277", (277,), ()),
    ("code:279", (279,), ()),
    ("ERR_529", (529,), ()),
    ("#529", (529,), ()),
    ("code=529", (529,), ()),
    ("Error Code:277", (277,), ()),
    ("All have shared the same disconnect code - 288 - indicating", (288,), ()),
    # Other languages.
    ("Código de error: 267", (267,), ()),
    ("Código de erro 279", (279,), ()),
    ("erro 277", (277,), ()),
    ("ошибка 279", (279,), ()),
    ("с ошибкой 277", (277,), ()),
    ("kode kesalahan 279", (279,), ()),
    ("hata kodu 279", (279,), ()),
    ("Fehlercode 279", (279,), ()),
    ("code d'erreur 279", (279,), ()),
    # URLs and logs.
    ("https://devforum.roblox.com/t/frequent-server-crashes-with-error-code-277-in-our/703469",
     (277,), ()),
    ("https://example.com/play?errorCode=279", (279,), ()),
    ("[FLog::Network] Disconnect reason received: 262", (262,), ()),
    ("[FLog::Network] Sending disconnect with reason: 285", (285,), ()),
    ("server 128.116.1.33:53452, alignment = 1024, size = 5594112", (), ()),
    ("see https://github.com/vinegarhq/sober/issues/286 and bloxstrap#206", (), ()),
    # One- and two-digit codes only when written as codes.
    ("error code 5", (5,), ()),
    ("5", (5,), ()),
    ("I waited 5 minutes, 2 times", (), ()),
    ("HTTP 2", (), ()),
    ("1 2 3 4", (), ()),
])
def test_find_codes(text: str, explicit: tuple[int, ...], bare: tuple[int, ...]) -> None:
    found = find_codes(text)
    assert found.explicit == explicit
    assert found.bare == bare


def test_find_codes_keeps_the_order_of_the_text() -> None:
    found = find_codes("got 277, then Error Code: 769, and HTTP 429")
    assert found.order == (277, 769, 429)
    assert found.http == frozenset({429})


def test_folding_handles_accents_case_and_other_scripts() -> None:
    assert fold("Conexión PERDIDA") == "conexion perdida"
    assert raw_words("Você foi expulso!") == ["voce", "foi", "expulso"]
    assert raw_words("Bu deneyimden atıldınız") == ["bu", "deneyimden", "atildiniz"]
    assert raw_words("Соединение потеряно") == ["соединение", "потеряно"]
    assert raw_words("4096x4096 pixels") == ["4096", "x", "4096", "pixels"]


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


def test_one_code_with_two_meanings_says_so(kb: KnowledgeBase) -> None:
    result = search("Error Code: 403", kb)
    assert [m.entry.id for m in result.matches[:2]] == ["403-sign-in", "403"]
    assert result.ambiguous == ("403-sign-in", "403")
    assert "several errors" in result.note()
    # What the text says decides: the sign-in dialog, or the Open Cloud error.
    text = search("An error was experienced during authentication (Error Code: 403)", kb)
    assert text.matches[0].entry.id == "403-sign-in" and text.ambiguous == ()
    cloud = search("HTTP 403 PERMISSION_DENIED", kb)
    assert cloud.matches[0].entry.id == "403" and cloud.ambiguous == ()
    # An id in full (what a related link looks up) puts that meaning first.
    for typed in ("403", "403-sign-in"):
        named = search(typed, kb)
        assert named.matches[0].entry.id == typed and len(named.ambiguous) == 2
        assert "the one you named first" in named.note()


def test_a_shared_wording_lists_every_code_most_common_first(kb: KnowledgeBase) -> None:
    result = search("Disconnected from game, please reconnect.", kb)
    assert set(result.ambiguous) == {"277", "279", "282"}
    frequencies = [kb.get(i).frequency for i in result.ambiguous]  # type: ignore[union-attr]
    assert frequencies == sorted(frequencies, reverse=True)
    assert [m.entry.id for m in result.matches[:3]] == list(result.ambiguous)
    assert "the most common first" in result.note()
    # With its code the dialog is no longer ambiguous.
    coded = search("Disconnected from game, please reconnect. (Error Code: 282)", kb)
    assert coded.matches[0].entry.id == "282" and coded.ambiguous == ()


def test_several_codes_are_each_listed_first_one_first(kb: KnowledgeBase) -> None:
    result = search("first I got error 277, then Reconnect gave Error Code: 769 and 529", kb)
    assert [m.entry.id for m in result.matches[:3]] == ["277", "769", "529"]
    assert result.codes == (277, 769, 529)
    assert "3 codes: 277 first, then 769 and 529" in result.note()


def test_engine_names_find_their_code(kb: KnowledgeBase) -> None:
    for text, expected in [("Enum.ConnectionError.DisconnectLuaKick", "267"),
                           ("ConnectionError.OK", "0"), ("TeleportResult.GameFull", "772"),
                           ("PERMISSION_DENIED", "403"), ("INSUFFICIENT_SCOPE", "403")]:
        best = search(text, kb).matches[0]
        assert best.entry.id == expected and best.score == EXPLICIT_SCORE, text
    # Short names are ordinary words unless written as enum items.
    assert "0" not in [m.entry.id for m in search("ok", kb).matches]


def test_codes_zero_to_ten_are_found_by_name_and_number(kb: KnowledgeBase) -> None:
    for code in range(11):
        entry = kb.get(code)
        assert entry is not None and entry.title == ("No error" if code == 0 else
                                                     "Connection Failed")
        assert search(f"error code {code}", kb).matches[0].entry.id == str(code)
        prefixed = search(f"Enum.ConnectionError.{entry.name}", kb).matches
        assert prefixed[0].entry.id == str(code), entry.name
        if len(entry.name) >= 8:  # "ConnectionBanned" alone; "OK" and "Unknown" are words
            assert search(entry.name, kb).matches[0].entry.id == str(code), entry.name


def test_spanish_and_portuguese_dialogs_find_their_code(kb: KnowledgeBase) -> None:
    assert search("Fuiste expulsado de esta experiencia", kb).matches[0].entry.id == "267"
    assert search("FALHA AO CONECTAR, sem resposta do servidor", kb).matches[0].entry.id == \
        "279"
    best = search("Verifique sua conexão com a internet", kb).matches[0]
    assert best.entry.id == "277"


def test_no_match_explains_what_to_try_and_offers_the_status_check(kb: KnowledgeBase) -> None:
    result = search("pizza recipe", kb)
    assert result.matches == () and result.status_hint
    advice = " ".join(result.advice())
    assert "code alone" in advice and "whole dialog" in advice and "Roblox status" in advice
    assert search("279", kb).advice() == ()
    assert search("Error Code: 529", kb).status_hint  # its fix starts with Roblox's status
    assert not search("blurry decal", kb).status_hint


def test_a_megabyte_paste_is_read_in_a_window_and_its_codes_found(kb: KnowledgeBase) -> None:
    chatter = "my friend xX_Builder_Xx said it happens every time we join the obby lol "
    paste = chatter * (1_000_000 // len(chatter)) + "\n(Error Code: 277)\n"
    result = search(paste, kb)
    assert result.matches[0].entry.id == "277" and result.truncated
    assert f"first {WORD_WINDOW:,} characters" in result.note()
    words_only = search("Please check your internet connection and try again. " + chatter * 20000,
                        kb)
    assert words_only.matches and words_only.matches[0].entry.id == "277"


def test_random_binary_gives_no_confident_match(kb: KnowledgeBase) -> None:
    rng = random.Random(14)
    for size in (64, 4096, 1_000_000):
        data = bytes(rng.randrange(256) for _ in range(size))
        for text in (data.decode("latin-1"), data.decode("utf-8", errors="replace"),
                     data.decode("utf-8", errors="surrogateescape")):
            assert looks_binary(text)
            result = search(text, kb)
            assert all(m.score < 90 for m in result.matches), [m.entry.id for m in
                                                               result.matches]
            assert result.binary and "binary data" in result.note()


def test_ordinary_text_is_not_binary() -> None:
    assert not looks_binary("Disconnected\n\tYou were kicked (Error Code: 267)\r\n")
    assert not looks_binary("Você foi expulso desta experiência — ошибка 277 😀")
