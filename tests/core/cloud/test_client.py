"""The client against the fake Roblox: every failure becomes its sentence, the key goes only
where it belongs, answers are read in both spellings."""

from __future__ import annotations

import io
import socket

import pytest
from PIL import Image

from robloxassets.core.cloud.assets import (
    AssetsApi,
    AssetType,
    CreateRequest,
    Creator,
    Moderation,
    operation_failed,
    parse_operation,
)
from robloxassets.core.cloud.client import Client
from robloxassets.core.cloud.errors import CloudError, Kind
from tests.cloudfixtures import make_client
from tests.fakeroblox import FakeRoblox, KeyRecord, Reply


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def request(name: str = "Brick wall", kind: AssetType = AssetType.IMAGE) -> CreateRequest:
    return CreateRequest(name, "A wall", kind, Creator("user", 4242))


def create(client: Client, name: str = "Brick wall", data: bytes | None = None,
           content_type: str = "image/png"):
    return AssetsApi(client).create(request(name), data or png(), content_type, "wall.png")


def test_create_sends_the_contract_and_polls_to_an_asset(fake: FakeRoblox,
                                                         client: Client) -> None:
    op = create(client)
    assert not op.done and op.path.startswith("operations/")
    api = AssetsApi(client)
    while not op.done:
        op = api.operation(op.path, "Brick wall")
    assert op.asset is not None and op.asset.moderation is Moderation.REVIEWING
    created = fake.creates[0]
    assert created.request == {"assetType": "Image", "displayName": "Brick wall",
                               "description": "A wall", "creationContext": {
                                   "creator": {"userId": "4242"}, "expectedPrice": 0}}
    assert created.content_type == "image/png" and created.data == png()
    assert fake.violations == []
    assert all(r["has_key"] for r in fake.requests)


def test_names_are_cut_to_fifty_characters(fake: FakeRoblox, client: Client) -> None:
    create(client, "x" * 80)
    assert fake.creates[0].request["displayName"] == "x" * 50


def test_group_creator_and_privacy() -> None:
    from robloxassets.core.cloud.assets import Privacy

    body = CreateRequest("A", "", AssetType.DECAL, Creator("group", 77),
                         Privacy.OPEN_USE).api()
    assert body["creationContext"]["creator"] == {"groupId": "77"}
    assert body["creationContext"]["assetPrivacy"] == "openUse"
    assert body["assetType"] == "Decal"


@pytest.mark.parametrize(("reply", "kind", "words"), [
    (Reply(400, '"InvalidImage"'), Kind.INVALID_IMAGE, "invalid image"),
    (Reply(400, {"code": "INVALID_ARGUMENT", "message": "AssetName is moderated."}),
     Kind.NAME_MODERATED, "rename it"),
    (Reply(400, {"code": "INVALID_ARGUMENT", "message": "AssetDescription is moderated."}),
     Kind.DESCRIPTION_MODERATED, "change or clear it"),
    (Reply(400, {"error": "INVALID_ARGUMENT", "message": "User is moderated",
                 "errorDetails": []}), Kind.ACCOUNT_MODERATED, "remaining uploads were stopped"),
    (Reply(400, {"code": "INVALID_ARGUMENT", "message": "Fee above expected price"}),
     Kind.BAD_REQUEST, "Fee above expected price"),
    (Reply(401, {"errors": [{"code": 0, "message": "Invalid API Key"}]}), Kind.INVALID_KEY,
     "expire after 60 days unused"),
    (Reply(403, {"code": "INSUFFICIENT_SCOPE", "message": "insufficient scope"}),
     Kind.MISSING_SCOPE, "lacks the asset:write permission"),
    (Reply(403, {"code": "PERMISSION_DENIED", "message": "Not allowed for group"}),
     Kind.FORBIDDEN, "user or group you upload for"),
    (Reply(429, {"code": "RESOURCE_EXHAUSTED"}, {"retry-after": "7"}), Kind.RATE_LIMITED,
     "waiting 7 s"),
    (Reply(500, {"code": "INTERNAL"}), Kind.UNAVAILABLE, "HTTP 500"),
    (Reply(503, b"<html>down</html>"), Kind.UNAVAILABLE, "status.roblox.com"),
    (Reply(200, b"{not json"), Kind.BAD_ANSWER, "could not read"),
    (Reply(302, b"", {"Location": "http://elsewhere.invalid/"}), Kind.BAD_ANSWER, "HTTP 302"),
])
def test_each_failure_becomes_its_sentence(fake: FakeRoblox, client: Client, reply: Reply,
                                           kind: Kind, words: str) -> None:
    fake.script("create", reply)
    with pytest.raises(CloudError) as caught:
        create(client)
    assert caught.value.kind is kind
    assert words in caught.value.message
    assert "\n" not in caught.value.message
    assert "k3y" not in caught.value.message and "Traceback" not in caught.value.message


def test_a_missing_scope_is_named_for_reads(fake: FakeRoblox) -> None:
    fake.keys["read-only-key-123456"] = KeyRecord(scopes=("asset:write",))
    with make_client(fake, key="read-only-key-123456") as client, \
            pytest.raises(CloudError) as caught:
        AssetsApi(client).get(5)
    assert caught.value.kind is Kind.MISSING_SCOPE and "asset:read" in caught.value.message


def test_a_real_invalid_image_and_a_moderated_name(fake: FakeRoblox, client: Client) -> None:
    with pytest.raises(CloudError) as caught:
        create(client, data=b"GIF89a not really", content_type="image/png")
    assert caught.value.kind is Kind.INVALID_IMAGE
    with pytest.raises(CloudError) as caught:
        create(client, "my moderated name")
    assert caught.value.kind is Kind.NAME_MODERATED


def test_no_connection_is_offline_and_surely_not_sent() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(f"http://127.0.0.1:{port}")
    with pytest.raises(CloudError) as caught:
        AssetsApi(client).create(request(), png(), "image/png", "a.png")
    assert caught.value.kind is Kind.OFFLINE and caught.value.sent is False
    assert "check the connection" in caught.value.message


def test_a_cut_connection_may_have_reached_roblox(fake: FakeRoblox, client: Client) -> None:
    fake.script("create", Reply.cut())
    with pytest.raises(CloudError) as caught:
        create(client)
    assert caught.value.kind is Kind.CUT_OFF and caught.value.sent is True


def test_a_slow_answer_times_out_as_may_have_been_sent(fake: FakeRoblox) -> None:
    fake.script("create", Reply.slow(1.5))
    with make_client(fake, read=0.3) as client, pytest.raises(CloudError) as caught:
        create(client)
    assert caught.value.kind is Kind.CUT_OFF and caught.value.sent


def test_slow_but_in_time_is_fine(fake: FakeRoblox) -> None:
    fake.script("create", Reply.slow(0.2))
    with make_client(fake, read=3) as client:
        assert create(client).path


def test_polls_retry_5xx_and_garbage_then_succeed(fake: FakeRoblox, client: Client) -> None:
    op = create(client)
    fake.script("operation", Reply(503, b""), Reply(200, b"{oops"), Reply(500, b""))
    notices = []
    client.notify = notices.append
    with pytest.raises(CloudError) as caught:  # three failures: attempts=3 in the fixture
        AssetsApi(client).operation(op.path)
    assert caught.value.kind is Kind.UNAVAILABLE
    assert len(notices) == 2
    fake.script("operation", Reply(503, b""))
    assert AssetsApi(client).operation(op.path).path == op.path


def test_an_operation_that_ends_in_error(fake: FakeRoblox, client: Client) -> None:
    fake.op_error_for = lambda created: {"code": 3, "message": "AssetName is moderated."}
    op = create(client)
    while not op.done:
        op = AssetsApi(client).operation(op.path)
    assert op.asset is None and "moderated" in op.error
    assert operation_failed("Wall", op.error).kind is Kind.NAME_MODERATED
    other = operation_failed("Wall", "Something odd")
    assert other.kind is Kind.OPERATION_FAILED and "Something odd" in other.message


def test_operations_are_read_leniently() -> None:
    assert parse_operation({"operationId": "abc"}, "x").path == "operations/abc"
    assert parse_operation({"path": "operations/abc"}, "x").done is False
    done = parse_operation({"path": "operations/abc", "done": True, "response": {
        "assetId": "12", "assetType": "ASSET_TYPE_DECAL",
        "moderationResult": {"moderationState": "MODERATION_STATE_APPROVED"}}}, "x")
    assert done.asset is not None and done.asset.asset_type is AssetType.DECAL
    assert done.asset.moderation is Moderation.APPROVED
    short = parse_operation({"path": "operations/a", "response": {
        "path": "assets/13", "assetType": "Image",
        "moderationResult": {"moderationState": "Rejected"}}}, "x")
    assert short.done and short.asset.asset_id == 13
    assert short.asset.moderation is Moderation.REJECTED
    failed = parse_operation({"path": "operations/a", "error": {"code": 3, "message": "bad"}},
                             "x")
    assert failed.done and failed.error == "bad"
    for bad in ({"path": "../../steal"}, {"path": "https://evil.example/operations/1"}, [],
                {"operationId": "a/b"}):
        with pytest.raises(CloudError):
            parse_operation(bad, "x")


def test_the_key_never_goes_to_a_cdn_and_redirects_are_not_followed(
        fake: FakeRoblox, client: Client) -> None:
    from robloxassets.core.cloud.delivery import image_id_of_decal

    op = AssetsApi(client).create(request("Decal", AssetType.DECAL), png(), "image/png",
                                  "d.png")
    while not op.done:
        op = AssetsApi(client).operation(op.path)
    image_id = image_id_of_decal(client, op.asset.asset_id)
    assert image_id == fake.asset(op.asset.asset_id).image_id
    cdn = [r for r in fake.requests if r["route"] == "cdn"]
    assert cdn and not any(r["has_key"] for r in cdn)
    assert fake.violations == []


def test_decal_lookup_without_the_scope_says_so(fake: FakeRoblox) -> None:
    from robloxassets.core.cloud.delivery import image_id_of_decal

    fake.keys["upload-only-key-1234"] = KeyRecord(scopes=("asset:read", "asset:write"))
    with make_client(fake, key="upload-only-key-1234") as client:
        op = AssetsApi(client).create(request("D", AssetType.DECAL), png(), "image/png", "d")
        while not op.done:
            op = AssetsApi(client).operation(op.path)
        with pytest.raises(CloudError) as caught:
            image_id_of_decal(client, op.asset.asset_id)
    assert "legacy-asset:manage" in caught.value.message
    assert "Studio" in caught.value.message


def test_decal_lookup_without_a_location(fake: FakeRoblox, client: Client) -> None:
    from robloxassets.core.cloud.delivery import image_id_of_decal

    fake.script("delivery", Reply(200, {"requestId": "x"}))
    with pytest.raises(CloudError, match="no file location"):
        image_id_of_decal(client, 123)


def test_runaway_answers_are_refused(fake: FakeRoblox, client: Client) -> None:
    from robloxassets.core.cloud import client as client_module

    fake.script("asset", Reply(200, b"[" + b"1," * 100_000 + b"1]"))
    with pytest.raises(CloudError) as caught:
        client.send("GET", f"{client.endpoints.assets}/assets/1", bucket="asset",
                    what="asset 1", max_bytes=1000)
    assert caught.value.kind is Kind.BAD_ANSWER
    assert client_module.MAX_JSON_BYTES >= 1024 * 1024
