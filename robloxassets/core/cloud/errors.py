"""What went wrong talking to Roblox, as one sentence the user can act on.

``CloudError`` is a ``UserError``: the CLI prints it and the GUI shows it as it is. ``kind``
tells callers what to do (stop the batch, wait, offer a rename); ``sent`` says whether the
request may have reached Roblox, which decides whether an upload may be sent again.
Messages never hold request headers or the key (``redact`` is applied to any text from the
server as well).
"""

from __future__ import annotations

import enum
import json
import re
from typing import Any

from robloxassets.core.cloud.redact import redact
from robloxassets.core.errors import UserError


class Kind(str, enum.Enum):
    NO_KEY = "no-key"
    INVALID_KEY = "invalid-key"
    MISSING_SCOPE = "missing-scope"
    FORBIDDEN = "forbidden"
    NAME_MODERATED = "name-moderated"
    DESCRIPTION_MODERATED = "description-moderated"
    ACCOUNT_MODERATED = "account-moderated"
    INVALID_IMAGE = "invalid-image"
    BAD_REQUEST = "bad-request"
    NOT_FOUND = "not-found"
    RATE_LIMITED = "rate-limited"
    UNAVAILABLE = "unavailable"
    OFFLINE = "offline"
    CUT_OFF = "cut-off"
    BAD_ANSWER = "bad-answer"
    OPERATION_FAILED = "operation-failed"
    CANCELLED = "cancelled"
    #: Not an error: Roblox accepted a create and has not finished processing it yet.
    PROCESSING = "processing"

    @property
    def stops_batch(self) -> bool:
        """Every later upload would fail the same way: stop sending."""
        return self in (Kind.NO_KEY, Kind.INVALID_KEY, Kind.MISSING_SCOPE, Kind.FORBIDDEN,
                        Kind.ACCOUNT_MODERATED)

    @property
    def transient(self) -> bool:
        """Worth trying the same request again after a wait."""
        return self in (Kind.RATE_LIMITED, Kind.UNAVAILABLE, Kind.OFFLINE)


#: Key fixes, said the same way everywhere.
CREATE_KEY_ADVICE = ("create a key on the Creator Dashboard (Open Cloud > API Keys) with the "
                     "Assets API (asset:read and asset:write) and save it in the app")
STATUS_PAGE = "status.roblox.com"

_MAX_DETAIL = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class CloudError(UserError):
    """A failed call to Roblox. ``status`` is the HTTP status (None: no answer)."""

    def __init__(self, kind: Kind, message: str, *, status: int | None = None,
                 retry_after: float | None = None, scope: str | None = None,
                 sent: bool = True, detail: str = "") -> None:
        super().__init__(redact(message), exit_code=1)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after
        self.scope = scope
        self.sent = sent
        self.detail = redact(detail)

    def __repr__(self) -> str:
        return f"CloudError({self.kind.value}, status={self.status}, {self.message!r})"


def clean_detail(text: str) -> str:
    """Server text made safe to show: one line, no control characters, bounded, no key."""
    line = _CONTROL.sub(" ", text).strip().strip('"').strip()
    if len(line) > _MAX_DETAIL:
        line = line[:_MAX_DETAIL - 1].rstrip() + "…"
    return redact(line)


def error_detail(body: bytes | str) -> str:
    """The message inside one of Roblox's error shapes, or the body itself when it is text.

    Shapes seen: ``{"errors": [{"code", "message"}]}``, ``{"code", "message"}``,
    ``{"error", "message", "errorDetails"}`` and a bare string such as ``"InvalidImage"``.
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data: Any = json.loads(text)
    except ValueError:
        return clean_detail(text[:1000])
    parts: list[str] = []

    def collect(value: Any, depth: int = 0) -> None:
        if depth > 3 or len(parts) > 4:
            return
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for key in ("message", "error", "code", "errorDetails", "errors", "details"):
                if key in value and value[key] not in (None, "", 0):
                    collect(value[key], depth + 1)
                    if key in ("message",) and parts:
                        break
        elif isinstance(value, list):
            for item in value[:3]:
                collect(item, depth + 1)

    collect(data)
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    return clean_detail("; ".join(seen))


def _has(detail: str, *words: str) -> bool:
    lowered = detail.lower().replace(" ", "")
    return any(word.replace(" ", "") in lowered for word in words)


def from_response(status: int, body: bytes, *, what: str, scope: str,
                  retry_after: float | None = None) -> CloudError:
    """The error for a non-success answer. ``what`` names the thing ("the upload of 'Wall'",
    "the moderation state of 46059313"); ``scope`` is the permission the call needs."""
    detail = error_detail(body)
    if _has(detail, "user is moderated", "account is moderated", "usermoderated"):
        return CloudError(Kind.ACCOUNT_MODERATED,
                          "Roblox says the key's account is under moderation, so it can't "
                          "upload; the remaining uploads were stopped. Read the message on "
                          "roblox.com and resolve it first.", status=status, detail=detail)
    if status == 401:
        return CloudError(Kind.INVALID_KEY,
                          "Roblox refused the API key: it is wrong, disabled, or expired (keys "
                          f"expire after 60 days unused); {CREATE_KEY_ADVICE}.",
                          status=status, detail=detail)
    if status == 403:
        if _has(detail, "scope") or not detail:
            return CloudError(Kind.MISSING_SCOPE,
                              f"The API key lacks the {scope} permission needed for {what}; "
                              "edit the key on the Creator Dashboard, add it under the Assets "
                              "API, and try again.", status=status, scope=scope, detail=detail)
        return CloudError(Kind.FORBIDDEN,
                          f"Roblox refused {what}: the key may not act for this creator "
                          f"({detail}); check the key's Assets API permissions include the "
                          "user or group you upload for.", status=status, scope=scope,
                          detail=detail)
    if status == 429:
        wait = f"waiting {retry_after:.0f} s" if retry_after else "waiting before trying again"
        return CloudError(Kind.RATE_LIMITED,
                          f"Roblox asked the app to slow down (too many requests); {wait}.",
                          status=status, retry_after=retry_after, detail=detail, sent=False)
    if status >= 500:
        return CloudError(Kind.UNAVAILABLE,
                          f"Roblox is unavailable right now (HTTP {status}); the app tries "
                          f"again by itself. If it lasts, see {STATUS_PAGE}.",
                          status=status, detail=detail)
    if status == 404:
        return CloudError(Kind.NOT_FOUND, f"Roblox does not know {what} (HTTP 404).",
                          status=status, detail=detail)
    if status == 400:
        if _has(detail, "invalidimage", "invalid image"):
            return CloudError(Kind.INVALID_IMAGE,
                              f"Roblox refused the file for {what} as an invalid image; check "
                              "that it opens in an image editor, prepare it again and retry.",
                              status=status, detail=detail)
        if _has(detail, "assetname is moderated", "name is moderated"):
            return CloudError(Kind.NAME_MODERATED,
                              f"Roblox's moderation refused the name for {what}; rename it "
                              "(a plain, descriptive name) and try again.", status=status,
                              detail=detail)
        if _has(detail, "assetdescription is moderated", "description is moderated"):
            return CloudError(Kind.DESCRIPTION_MODERATED,
                              f"Roblox's moderation refused the description for {what}; change "
                              "or clear it and try again.", status=status, detail=detail)
        return CloudError(Kind.BAD_REQUEST,
                          f"Roblox refused {what}: {detail or 'bad request (HTTP 400)'}.",
                          status=status, detail=detail)
    return CloudError(Kind.BAD_ANSWER,
                      f"Roblox gave an unexpected answer to {what} (HTTP {status}); try again "
                      "later.", status=status, detail=detail)


def bad_answer(what: str, reason: str, status: int | None = 200) -> CloudError:
    return CloudError(Kind.BAD_ANSWER,
                      f"Roblox sent an answer about {what} that the app could not read "
                      f"({reason}); try again later.", status=status, detail=reason)


def offline(what: str, sent: bool) -> CloudError:
    if sent:
        return CloudError(Kind.CUT_OFF,
                          f"The connection to Roblox broke during {what}, after the request "
                          "went out, so Roblox may have received it.", status=None, sent=True)
    return CloudError(Kind.OFFLINE,
                      "Can't reach Roblox (no connection, or it does not answer); check the "
                      "connection and try again.", status=None, sent=False)
