"""Ask Roblox's status page whether Roblox itself has trouble right now.

status.roblox.com runs on status.io. Its public JSON is
``https://api.status.io/1.0/status/59db90dbcdeb2f04dadcf16d`` (the page id appears in public
code that reads it; not checked live from here), shaped::

    {"result": {"status_overall": {"status": "Operational", "status_code": 100, "updated": ...},
                "status": [{"name": "Website", "status": ..., "status_code": ...,
                            "containers": [{"name": ..., "status": ..., "status_code": ...}]}],
                "incidents": [{"name": ..., ...}],
                "maintenance": {"active": [{"name": ...}], "upcoming": [...]}}}

Status codes: 100 operational, 200 planned maintenance, 300 degraded performance, 400 partial
service disruption, 500 service disruption, 600 security event. (The first edition read the
Statuspage shape, ``{"status": {"indicator": ...}}``; Roblox's page never answers in it, so
such an answer is now "not the status data expected".)

Nothing is asked until the user asks; anything unexpected (offline, a timeout, an HTTP
error, HTML, other JSON, a huge or deeply nested answer) gives a report saying the page could
not be reached, and ``check_status`` never raises.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import requests

from robloxassets import __version__

log = logging.getLogger(__name__)

STATUS_PAGE = "https://status.roblox.com"
STATUSIO_PAGE_ID = "59db90dbcdeb2f04dadcf16d"
STATUSIO_PATH = f"/1.0/status/{STATUSIO_PAGE_ID}"
STATUS_API = f"https://api.status.io{STATUSIO_PATH}"
DEFAULT_TIMEOUT = 5.0
#: A status answer is a few kilobytes; more than this is not one.
MAX_ANSWER_BYTES = 2 * 1024 * 1024
#: status.io's codes -> the report's level.
STATUSIO_LEVELS = {100: "ok", 200: "maintenance", 300: "minor", 400: "minor", 500: "major",
                   600: "major"}
STATUSIO_WORDS = {200: "planned maintenance", 300: "degraded performance",
                  400: "partial service disruption", 500: "service disruption",
                  600: "security event"}


@dataclass(frozen=True)
class StatusReport:
    """The answer of the status page, or why there is none.

    ``level`` is "ok", "minor", "major", "maintenance" or "unknown" (page not reached);
    ``message`` is one or two sentences to show as they are; ``problems`` names the parts of
    Roblox that are not working, open incidents and maintenance under way; ``url`` is the
    page to open in a browser; ``updated`` when the page last changed, as it says.
    """

    reached: bool
    level: str
    message: str
    description: str = ""
    problems: tuple[str, ...] = ()
    url: str = STATUS_PAGE
    checked_at: datetime = field(default_factory=datetime.now)
    updated: str = ""

    @property
    def updated_at(self) -> datetime | None:
        """``updated`` as a time in the local zone, None if the page gave none (or an odd
        one). status.io writes UTC like "2026-11-30T18:02:11.000Z"."""
        text = self.updated.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.astimezone()


class _Unexpected(ValueError):
    """The page answered, but not with the status data we know."""


def api_url(base_url: str = STATUS_PAGE) -> str:
    """The JSON address for a status page: Roblox's page is read from api.status.io; any
    other address (a mirror, a test server) is expected to serve the same path itself."""
    base = base_url.rstrip("/")
    if base == STATUS_PAGE:
        return STATUS_API
    return base + STATUSIO_PATH


def check_status(session: requests.Session | None = None, base_url: str = STATUS_PAGE,
                 timeout: float = DEFAULT_TIMEOUT) -> StatusReport:
    """Fetch and read the status JSON; any failure becomes a 'could not reach' report."""
    page = base_url.rstrip("/")
    own = session is None
    http = session or requests.Session()
    try:
        return _report(_fetch(http, api_url(page), timeout), page)
    except requests.Timeout:
        reason = f"no answer within {timeout:g} seconds"
    except requests.ConnectionError:
        reason = "no connection (you may be offline)"
    except requests.HTTPError as exc:
        code = exc.response.status_code if exc.response is not None else "an error"
        reason = f"it answered HTTP {code}"
    except (ValueError, RecursionError, requests.RequestException) as exc:
        log.info("Status page answer not understood: %s", exc)
        reason = "its answer was not the status data expected"
    finally:
        if own:
            http.close()
    return StatusReport(
        reached=False, level="unknown", url=page,
        message=f"Could not reach the Roblox status page: {reason}. Check your connection, "
                f"or open {page} in a browser.")


def _fetch(http: requests.Session, url: str, timeout: float) -> dict[str, Any]:
    with http.get(url, timeout=timeout, stream=True,
                  headers={"User-Agent": f"robloxassets/{__version__}",
                           "Accept": "application/json"}) as response:
        response.raise_for_status()
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise _Unexpected("answer too big")
    data = json.loads(bytes(body).decode("utf-8", errors="replace"))
    if not isinstance(data, dict):
        raise _Unexpected("not a JSON object")
    return data


def _name(item: Any, fallback: str) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return " ".join(name.split())[:80] if isinstance(name, str) and name.strip() else fallback


def _code(item: Any) -> int | None:
    code = item.get("status_code") if isinstance(item, dict) else None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _report(data: dict[str, Any], page: str) -> StatusReport:
    result = data.get("result")
    if isinstance(result, dict):
        return _statusio_report(result, page)
    raise _Unexpected("no result object")


def _statusio_report(result: dict[str, Any], page: str) -> StatusReport:
    overall = result.get("status_overall")
    code = _code(overall)
    if not isinstance(overall, dict) or code not in STATUSIO_LEVELS:
        raise _Unexpected("no known result.status_overall.status_code")
    said = overall.get("status")
    description = " ".join(said.split())[:80] if isinstance(said, str) else ""
    stamp = overall.get("updated")
    updated = stamp if isinstance(stamp, str) else ""
    problems: list[str] = []
    for component in _list(result.get("status"))[:100]:
        name = _name(component, "A service")
        troubled = [c for c in _list(component.get("containers") if isinstance(
            component, dict) else None)[:100] if (_code(c) or 100) > 100]
        component_code = _code(component) or 100
        if troubled:
            for container in troubled[:5]:
                word = STATUSIO_WORDS.get(_code(container) or 0, "trouble")
                problems.append(f"{name} ({_name(container, 'part')}): {word}")
        elif component_code > 100:
            problems.append(f"{name}: {STATUSIO_WORDS.get(component_code, 'trouble')}")
    for incident in _list(result.get("incidents"))[:20]:
        problems.append(f"Incident: {_name(incident, 'unnamed')}")
    maintenance = result.get("maintenance")
    if isinstance(maintenance, dict):
        for item in _list(maintenance.get("active"))[:20]:
            problems.append(f"Maintenance: {_name(item, 'unnamed')}")
    level = STATUSIO_LEVELS[code]
    if level == "ok" and any(p.startswith("Maintenance:") for p in problems):
        level = "maintenance"
    return _summarise(level, description or STATUSIO_WORDS.get(code, "operational"),
                      description, tuple(problems), page, updated)


def _summarise(level: str, said: str, description: str, problems: tuple[str, ...],
               page: str, updated: str) -> StatusReport:
    if level == "ok" and not problems:
        message = f"Roblox reports no problems ({said}). The cause is likely on your side."
    elif level == "ok":
        message = f"Roblox reports no outage ({said}), but lists: {'; '.join(problems)}."
    elif level == "maintenance":
        listed = f" {'; '.join(problems)}." if problems else ""
        message = (f"Roblox is under maintenance ({said}).{listed} Wait until it ends and try "
                   "again.")
    else:
        word = "minor problems" if level == "minor" else "an outage"
        listed = f" Affected: {'; '.join(problems)}." if problems else ""
        message = f"Roblox reports {word} ({said}).{listed} Waiting is often the only fix."
    return StatusReport(reached=True, level=level, message=message, description=description,
                        problems=problems, url=page, updated=updated)
