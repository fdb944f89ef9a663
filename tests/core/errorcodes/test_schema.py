"""The bundled knowledge base follows its schema and covers what the product promises."""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from typing import Any

import pytest

from robloxassets.core.errorcodes.kb import bundled_document, bundled_raw, load_bundled
from robloxassets.core.errorcodes.model import (
    CATEGORIES,
    FREQUENCIES,
    LANGUAGES,
    Entry,
    EntryError,
    parse_entry,
)
from robloxassets.core.errorcodes.text import raw_words

#: Enum.ConnectionError of the newest engine: rojo-rbx/rbx-dom database.json at 43d1f129
#: (2026-07-29, engine 0.728), 106 items, as shared/facts/engine-enums.json extracts it.
CONNECTION_ERROR: dict[str, int] = {
    "OK": 0, "Unknown": 1, "ConnectErrors": 2, "AlreadyConnected": 3,
    "NoFreeIncomingConnections": 4, "ConnectionBanned": 5, "InvalidPassword": 6,
    "IncompatibleProtocolVersion": 7, "IPRecentlyConnected": 8, "OurSystemRequiresSecurity": 9,
    "SecurityKeyMismatch": 10, "DisconnectErrors": 256, "DisconnectBadhash": 257,
    "DisconnectSecurityKeyMismatch": 258, "DisconnectProtocolMismatch": 259,
    "DisconnectReceivePacketError": 260, "DisconnectReceivePacketStreamError": 261,
    "DisconnectSendPacketError": 262, "DisconnectIllegalTeleport": 263,
    "DisconnectDuplicatePlayer": 264, "DisconnectDuplicateTicket": 265, "DisconnectTimeout": 266,
    "DisconnectLuaKick": 267, "DisconnectOnRemoteSysStats": 268, "DisconnectHashTimeout": 269,
    "DisconnectCloudEditKick": 270, "DisconnectPlayerless": 271,
    "DisconnectNewSecurityKeyMismatch": 272, "DisconnectEvicted": 273,
    "DisconnectDevMaintenance": 274, "DisconnectRobloxMaintenance": 275, "DisconnectRejoin": 276,
    "DisconnectConnectionLost": 277, "DisconnectIdle": 278, "DisconnectRaknetErrors": 279,
    "DisconnectWrongVersion": 280, "DisconnectBySecurityPolicy": 281, "DisconnectBlockedIP": 282,
    "DisconnectClientFailure": 284, "DisconnectClientRequest": 285,
    "DisconnectPrivateServerKickout": 286, "DisconnectModeratedGame": 287, "ServerShutdown": 288,
    "ReplicatorTimeout": 290, "PlayerRemoved": 291, "DisconnectOutOfMemoryKeepPlayingLeave": 292,
    "DisconnectRomarkEndOfTest": 293, "DisconnectCollaboratorPermissionRevoked": 294,
    "DisconnectCollaboratorUnderage": 295, "NetworkInternal": 296, "NetworkSend": 297,
    "NetworkTimeout": 298, "NetworkMisbehavior": 299, "NetworkSecurity": 300,
    "ReplacementReady": 301, "ServerEmpty": 302, "PhantomFreeze": 303,
    "AndroidAnticheatKick": 304, "AndroidEmulatorKick": 305, "AndroidRootedKick": 306,
    "ScreentimeLockoutKick": 307, "DisconnectionNotification": 308,
    "DisconnectVerboselyModeratedGame": 309, "DisconnectCollaboratorNotAgeVerified": 310,
    "DisconnectCollaboratorTrustedConnectionsRequired": 311,
    "DisconnectCollaboratorOwnerActionRequired": 312,
    "DisconnectCollaboratorTooManyCollaborators": 313, "DisconnectCollaboratorUnknownError": 314,
    "DisconnectCollaboratorRequestedEviction": 315,
    "DisconnectCollaboratorTrustedConnectionsRequiredPC": 316,
    "DisconnectRemoteAttestationUnsupported": 317,
    "DisconnectRemoteAttestationGeneralFailure": 318, "DisconnectRemoteAttestationTimeout": 319,
    "DisconnectRemoteAttestationOSOutOfDate": 320,
    "DisconnectRemoteAttestationBootValidationFailure": 321, "PlacelaunchErrors": 512,
    "PlacelaunchDisabled": 515, "PlacelaunchError": 516, "PlacelaunchGameEnded": 517,
    "PlacelaunchGameFull": 518, "PlacelaunchUserLeft": 522, "PlacelaunchRestricted": 523,
    "PlacelaunchUnauthorized": 524, "PlacelaunchFlooded": 525, "PlacelaunchHashExpired": 526,
    "PlacelaunchHashException": 527, "PlacelaunchPartyCannotFit": 528,
    "PlacelaunchHttpError": 529, "PlacelaunchUserPrivacyUnauthorized": 533,
    "PlacelaunchVipOwnerNotPresent": 541, "PlacelaunchAgeVerificationRequired": 542,
    "PlacelaunchParentalApprovalRequired": 543, "PlacelaunchCoreGated": 544,
    "PlacelaunchCollaborationCoreGated": 545, "PlacelaunchCreatorBan": 600,
    "PlacelaunchDeviceBlock": 601, "PlacelaunchCustomMessage": 610, "PlacelaunchOtherError": 611,
    "TeleportErrors": 768, "TeleportFailure": 769, "TeleportGameNotFound": 770,
    "TeleportGameEnded": 771, "TeleportGameFull": 772, "TeleportUnauthorized": 773,
    "TeleportFlooded": 774, "TeleportIsTeleporting": 775,

}
TELEPORT_RESULT = {"Success": 0, "Failure": 1, "GameNotFound": 2, "GameEnded": 3,
                   "GameFull": 4, "Unauthorized": 5, "Flooded": 6, "IsTeleporting": 7}
REQUIRED_FULL = ["267", "279", "529", "769", "770", "771", "772", "773", "400"]
HTTP_CODES = [400, 401, 403, 404, 409, 429, 499, 500, 501, 502, 503, 504]
DECAL_TOPICS = ["decal-blurry", "decal-pending", "decal-rejected", "image-too-large",
                "decal-vs-image-id"]
# The newest Connection.lua (2026): codes on its reconnect-disabled list (Leave only), and
# on its auto-reconnect list. Codes it disables only behind a flag are checked separately.
NEWEST_LEAVE_ONLY = {5, 6, 7, 8, 9, 257, 258, 259, 263, 264, 265, 267, 268, 270, 272, 280,
                     281, 282, 286, 294, 295, 304, 305, 306, 522, 523, 524, 525, 526, 527,
                     533, 600}
LEAVE_BEHIND_A_CONDITION = {284, 307, 317, 318, 320, 321, 541, 542, 543, 544, 601}
AUTO_RECONNECT = {260, 261, 262, 266, 269, 277, 279, 290, 296, 297, 298}
# Wordings the old clients showed for several codes, or that two codes share a text key for.
SHARED = {"Disconnected from game, please reconnect.": {"277", "279", "282"},
          "This server has shut down": {"287", "288"}}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return bundled_document()


@pytest.fixture(scope="module")
def raw() -> list[dict[str, Any]]:
    return bundled_raw()


def test_every_bundled_entry_parses(raw: list[dict[str, Any]]) -> None:
    for data in raw:
        parse_entry(data)  # raises EntryError naming the field


def test_ids_are_unique(raw: list[dict[str, Any]]) -> None:
    counts = Counter(str(d["id"]) for d in raw)
    assert [i for i, n in counts.items() if n > 1] == []


def test_required_fields_of_bundled_entries(document: dict[str, Any]) -> None:
    """Stricter than an override: every bundled entry names its sources by key, says when it
    was checked and against what, and how common it is; every wording has its sources."""
    register = document["sources"]
    assert document["schema"] == 2
    for key, info in register.items():
        assert {"title", "where", "checked"} <= set(info), key
    for data in document["entries"]:
        where = data["id"]
        for key in ("id", "code", "category", "title", "summary", "causes", "steps",
                    "sources", "verified", "frequency", "checked", "messages"):
            assert key in data, f"{where}: no {key}"
        assert data["frequency"] in FREQUENCIES, where
        assert set(data["sources"]) <= set(register), f"{where}: unknown source key"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["checked"]["on"]), where
        assert data["checked"]["against"], where
        assert set(data["checked"]["against"]) <= set(register), where
        for wording in data["messages"]:
            assert isinstance(wording, dict), f"{where}: a bare message text"
            assert set(wording["sources"]) <= set(register), f"{where}: {wording['text']}"
            assert wording.get("lang", "en") in LANGUAGES
            verified = wording.get("verified", True)
            if wording["sources"] == ["translation"]:
                assert not verified, f"{where}: a translation no source gives is unverified"
            elif not verified:
                assert wording.get("note"), f"{where}: say why {wording['text']!r} is unverified"
            assert set(wording["sources"]) <= set(data["sources"]) | {"translation"}, where


def test_code_ranges(raw: list[dict[str, Any]]) -> None:
    for data in raw:
        code = data["code"]
        if code is None:
            assert data["category"] in CATEGORIES and not data["id"][0].isdigit()
            continue
        assert 0 <= code <= 999, data["id"]
        assert data["id"] == str(code) or data["id"].startswith(f"{code}-"), data["id"]
        if code <= 10 or 256 <= code <= 321 or 512 <= code <= 611 or 768 <= code <= 775:
            assert data["engine"], f"{data['id']}: an engine code names its enum item"
        elif 400 <= code <= 504 and data["id"] == str(code):
            assert data["category"] == "web/HTTP", data["id"]
            # A web error is no client dialog: no Reconnect, no dialog title.
            assert "client" not in data and "reconnect" not in data, data["id"]
            assert data["title"] not in ("Disconnected", "Join Error", "Teleport Failed")
        else:
            assert code == 103 or data["id"] == "403-sign-in", f"unexpected code {code}"


def test_every_item_of_the_newest_enum_has_its_entry() -> None:
    base = load_bundled()
    assert len(CONNECTION_ERROR) == 106
    for name, value in CONNECTION_ERROR.items():
        entry = base.get(value)
        assert entry is not None, f"{value} {name} is missing"
        assert entry.name == name and f"Enum.ConnectionError.{name}" in entry.engine, value
    for name, value in TELEPORT_RESULT.items():
        if value:
            assert f"Enum.TeleportResult.{name}" in base.get(768 + value).engine  # type: ignore[union-attr]


def test_engine_names_match_the_enum_form() -> None:
    for entry in load_bundled():
        for name in entry.engine:
            assert re.fullmatch(r"Enum\.(ConnectionError|TeleportResult)\.\w+", name), name
        if entry.engine and entry.name:
            assert entry.engine[0].endswith("." + entry.name)


def test_no_wording_is_shared_unless_marked(raw: list[dict[str, Any]]) -> None:
    holders: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for data in raw:
        for wording in data["messages"]:
            holders[" ".join(raw_words(wording["text"]))][data["id"]] = wording
    for text, by_id in holders.items():
        if len(by_id) == 1:
            assert not next(iter(by_id.values())).get("shared"), f"{text}: shared with nobody"
            continue
        for entry_id, wording in by_id.items():
            others = set(by_id) - {entry_id}
            assert set(wording.get("shared", [])) == others, \
                f"{entry_id} shows {text!r} like {sorted(others)} but does not say so"
    for text, ids in SHARED.items():
        assert set(holders[" ".join(raw_words(text))]) == ids


def test_related_ids_exist_and_loading_reports_nothing(raw: list[dict[str, Any]]) -> None:
    ids = {str(d["id"]) for d in raw}
    dangling = [(d["id"], r) for d in raw for r in d.get("related", []) if r not in ids]
    assert dangling == []
    assert [d["id"] for d in raw if d["id"] in d.get("related", [])] == []
    base = load_bundled()
    assert base.problems == []
    assert len(base) == len(raw)


def test_no_empty_or_duplicate_texts(raw: list[dict[str, Any]]) -> None:
    for data in raw:
        for key in ("causes", "steps", "keywords", "sources"):
            items = [s.strip().lower() for s in data.get(key, [])]
            assert all(items), f"{data['id']}: empty item in {key}"
            assert len(items) == len(set(items)), f"{data['id']}: repeated item in {key}"
        texts = [w["text"].strip().lower() for w in data["messages"]]
        assert all(texts) and len(texts) == len(set(texts)), data["id"]
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


def test_coverage_of_http_codes_and_topics() -> None:
    base = load_bundled()
    for code in HTTP_CODES:
        assert base.get(str(code)).category == "web/HTTP"  # type: ignore[union-attr]
    assert [t for t in DECAL_TOPICS if base.get(t) is None] == []
    assert {e.category for e in base} == set(CATEGORIES)


def test_dialog_titles_and_buttons_follow_the_newest_client() -> None:
    for entry in load_bundled():
        code = entry.code
        if code is None or entry.category == "web/HTTP" or code in (103, 403):
            continue
        if code == 0:  # "no error": no dialog
            assert entry.client is None and entry.title == "No error"
            continue
        client = entry.client
        assert client is not None and client.seen_in, entry.id
        if code <= 10:
            assert entry.title == "Connection Failed", entry.id
        elif 256 <= code <= 321 and code != 292:
            assert entry.title == "Disconnected", entry.id
        elif 512 <= code <= 611:
            assert entry.title == "Join Error", entry.id
        elif 768 <= code <= 775:
            assert entry.title == "Teleport Failed" and client.buttons == ("OK",), entry.id
        if code in NEWEST_LEAVE_ONLY:
            assert entry.reconnect is False and client.buttons == ("Leave",), entry.id
            assert not client.condition or "Connection Failed" in client.condition, entry.id
        elif code in LEAVE_BEHIND_A_CONDITION:
            assert entry.reconnect is False and "Leave" in client.buttons and \
                client.condition, entry.id
        assert client.auto_reconnect is (code in AUTO_RECONNECT), entry.id
    memory = load_bundled().get(292)
    assert memory is not None and memory.title == "Low Memory Warning"
    assert memory.client is not None and memory.client.buttons == ("Keep Playing", "Leave")


def test_corrected_meanings() -> None:
    """The meanings the first edition guessed or had out of date (shared/facts)."""
    base = load_bundled()

    def entry(key: str) -> Entry:
        found = base.get(key)
        assert found is not None, key
        return found

    assert "no players" in entry("271").summary and entry("271").category == "connection"
    assert "Roblox" in entry("267").summary and "both Roblox and developer" in entry("267").note
    assert "Reconnect was unsuccessful" in entry("769").note
    assert "Reconnect was unsuccessful. Please try again." in entry("769").messages
    assert "memory" in entry("286").summary and entry("286").verified
    assert "288" in entry("287").summary and not entry("287").verified
    assert "another device" in " ".join(entry("276").causes)
    assert "not specific to 282" in entry("282").note
    assert entry("279").reconnect is True and "Leave" in entry("279").note
    sign_in, cloud = entry("403-sign-in"), entry("403")
    assert sign_in.code == cloud.code == 403
    assert sign_in.category == "join" and cloud.category == "web/HTTP"
    assert "Open Cloud" in sign_in.summary and "sign" in cloud.note
    assert "4096" in entry("image-too-large").summary


def test_unconfirmed_entries_say_why_and_invent_no_text() -> None:
    base = load_bundled()
    unconfirmed = [e for e in base if not e.verified]
    assert unconfirmed, "the facts list codes known only by engine name"
    for entry in unconfirmed:
        assert entry.note
        if "engine name" in entry.note:
            assert not [w for w in entry.wordings if w.verified], entry.id


def test_spanish_and_portuguese_topic_words_for_the_common_codes() -> None:
    base = load_bundled()
    for key in ("267", "277", "279", "529", "266", "278", "772", "769", "600", "403-sign-in",
                "decal-pending", "decal-rejected", "decal-blurry"):
        languages = dict(base.get(key).keywords_i18n)  # type: ignore[union-attr]
        assert languages.get("es") and languages.get("pt"), key


GOOD = {"id": "999", "category": "join", "title": "Join Error", "summary": "s",
        "causes": ["c"], "steps": ["a"], "sources": ["x"], "verified": True}


@pytest.mark.parametrize(("change", "field"), [
    ({"id": "Not an id!"}, '"id"'),
    ({"id": "9999"}, '"id"'),
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
    ({"messages": "one text"}, '"messages"'),
    ({"messages": [{"sources": ["x"]}]}, '"messages" item 1'),
    ({"messages": [{"text": "t", "lang": "klingon"}]}, '"lang"'),
    ({"messages": [{"text": "t", "verified": True}]}, "names no \"sources\""),
    ({"messages": [5]}, '"messages" item 1'),
    ({"frequency": 9}, '"frequency"'),
    ({"frequency": True}, '"frequency"'),
    ({"checked": {"on": "yesterday", "against": ["x"]}}, '"checked"'),
    ({"checked": {"on": "2026-12-01", "against": []}}, '"against"'),
    ({"client": {"buttons": []}}, '"buttons"'),
    ({"client": {"buttons": ["Leave"], "auto_reconnect": "yes"}}, '"auto_reconnect"'),
    ({"keywords_i18n": {"en": ["x"]}}, '"keywords_i18n"'),
    ({"keywords_i18n": ["x"]}, '"keywords_i18n"'),
])
def test_schema_rejects_bad_entries_by_field(change: dict[str, Any], field: str) -> None:
    data = copy.deepcopy(GOOD)
    data.update(change)
    with pytest.raises(EntryError) as info:
        parse_entry(data)
    assert field in str(info.value)


def test_schema_accepts_a_minimal_entry_variants_and_topics() -> None:
    entry = parse_entry(GOOD)
    assert entry.code == 999 and entry.label == "Error 999" and entry.frequency == 1
    variant = parse_entry({**GOOD, "id": "999-sign-in"})
    assert variant.code == 999 and variant.id == "999-sign-in"
    single = parse_entry({**GOOD, "id": "5"})
    assert single.code == 5
    topic = parse_entry({**GOOD, "id": "my-topic", "title": "My topic"})
    assert topic.code is None and topic.label == "My topic"
    worded = parse_entry({**GOOD, "messages": [
        "plain text", {"text": "Texto", "lang": "es", "verified": False},
        {"text": "Sourced", "sources": ["src"]}]}, register={"src": "A source"})
    assert worded.messages == ("plain text", "Sourced")
    assert worded.wordings[1].lang == "es" and not worded.wordings[1].verified
    assert worded.wordings[2].sources == ("A source",)
