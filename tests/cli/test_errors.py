"""``robloxassets error QUERY... [--json] [--all]``."""

from __future__ import annotations

import io
import json
import socket

import pytest

from robloxassets import cli
from robloxassets.core.errorcodes.kb import override_path

JSON_KEYS = {"code", "name", "category", "title", "summary", "messages", "causes", "steps",
             "score"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["error", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_best_match_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "Error", "Code:", "279")
    assert code == 0 and err == ""
    first = out.splitlines()[0]
    assert first.startswith("Error 279 · Disconnected · DisconnectRaknetErrors")
    assert "Fix it:" in out and "  1. " in out and "ipconfig /flushdns" in out
    assert "Why this match: error code 279 in the text" in out
    assert "Error 772" not in out


def test_message_text_without_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "teleport failed, server is full")
    assert code == 0 and out.startswith("Error 772 ")
    assert "Also possible:" in out


def test_all_prints_every_ranked_match(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "server is full", "--all")
    assert code == 0
    headings = [line.split(" · ")[0] for line in out.splitlines() if " · " in line]
    assert headings[0] == "Error 772" and len(headings) >= 2
    assert "Also possible" not in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--json", "--all", "kicked")
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and len(data) > 1
    assert set(data[0]) >= JSON_KEYS
    assert data[0]["code"] == 267 and isinstance(data[0]["steps"], list)
    assert [d["score"] for d in data] == sorted((d["score"] for d in data), reverse=True)
    code, out, _err = run(capsys, "--json", "blurry decal")
    one = json.loads(out)
    assert len(one) == 1 and one[0]["code"] is None and one[0]["id"] == "decal-blurry"


def test_no_match_exits_1_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "Error", "Code:", "283")
    assert code == 1
    assert "Error 283 is not in the knowledge base." in out
    assert "Error 282:" in out and "Error 284:" in out
    code, out, err = run(capsys, "--json", "pizza recipe")
    assert code == 1 and json.loads(out) == [] and "No match" in err


def test_reads_a_pasted_dialog_from_stdin(capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = "Teleport Failed\nAttempted to teleport to a place that is restricted.\nOK\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(dialog))
    code, out, _err = run(capsys, "-")
    assert code == 0 and out.startswith("Error 773 ")


def test_broken_override_warns_and_still_answers(capsys: pytest.CaptureFixture[str]) -> None:
    override_path().write_text("{oops", encoding="utf-8")
    code, out, err = run(capsys, "279")
    assert code == 0 and out.startswith("Error 279 ")
    assert "warning:" in err and "errorcodes.json is not valid JSON" in err


def test_missing_query_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["error"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "QUERY" in err and "--status" in err
    # An empty or blank query is the same usage error, not "No match." with exit 1.
    for query in ("", "   "):
        with pytest.raises(SystemExit) as info:
            cli.main(["error", query])
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert "QUERY is empty" in err and "No match" not in err


def test_empty_standard_input_is_a_usage_error(capsys, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    with pytest.raises(SystemExit) as info:
        cli.main(["error", "-"])
    assert info.value.code == 2
    assert "standard input was empty" in capsys.readouterr().err


def test_a_shared_text_shows_every_entry_it_fits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "Disconnected from game, please reconnect.")
    assert code == 0
    assert out.startswith("This fits several errors equally: Error 277, Error 279 and Error 282")
    headings = [line.split(" · ")[0] for line in out.splitlines() if " · " in line]
    assert headings[:3] == ["Error 277", "Error 279", "Error 282"]
    assert "(other codes show it too)" in out


def test_several_codes_are_named_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "got err277 then Error Code: 769")
    assert code == 0
    assert "The text names 2 codes: 277 first, then 769." in out
    assert out.splitlines()[2].startswith("Error 277 ")
    assert "Also possible: Error 769" in out


def test_entry_shows_the_newest_client_and_when_it_was_checked(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "2 7 9")
    assert code == 0 and out.startswith("Error 279 ")
    assert "The dialog offers Reconnect / Leave and can reconnect by itself" in out
    assert "Connection.lua" in out and "Checked 2026-" in out
    assert "In other languages (translations no source confirms):" in out
    code, out, _err = run(capsys, "Enum.ConnectionError.ConnectionBanned")
    assert out.startswith("Error 5 · Connection Failed · ConnectionBanned")
    assert "The dialog offers Leave" in out


def test_no_match_says_what_to_try_and_offers_the_status_check(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "pizza", "recipe")
    assert code == 1
    assert out.startswith("No match for \u201cpizza recipe\u201d.")
    assert "Type the code alone" in out and "robloxassets error --status" in out


def test_json_has_wordings_client_and_checked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--json", "Error Code: 267")
    data = json.loads(out)[0]
    assert code == 0 and data["id"] == "267"
    assert {"wordings", "client", "checked", "frequency"} <= set(data)
    assert all(w["sources"] for w in data["wordings"] if w["verified"])
    assert data["client"]["buttons"] == ["Leave"] and data["checked"]["against"]


def test_status_flag_asks_the_status_page(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from robloxassets.commands import errors as errors_command
    from robloxassets.core.errorcodes.status import check_status

    with socket.socket() as sock:  # nobody listens there: the offline answer
        sock.bind(("127.0.0.1", 0))
        offline = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setattr(errors_command, "check_status",
                        lambda: check_status(base_url=offline, timeout=1))
    code, out, _err = run(capsys, "--status")
    assert code == 0
    assert out.startswith("Roblox status: Could not reach the Roblox status page")
    code, out, _err = run(capsys, "529", "--status")
    assert code == 0 and out.startswith("Error 529 ")
    assert "Roblox status: Could not reach" in out
