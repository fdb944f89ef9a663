"""Ask Roblox's status page whether Roblox itself has trouble right now.

status.roblox.com appears to be a Statuspage site: ``/api/v2/summary.json`` (overall status,
components, open incidents) and ``/api/v2/status.json`` (overall status only). That is not
confirmed, so anything unexpected (offline, timeout, an HTTP error, HTML, other JSON) gives a
report saying the page could not be reached; ``check_status`` never raises.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from robloxassets import __version__

log = logging.getLogger(__name__)

STATUS_PAGE = "https://status.roblox.com"
SUMMARY_PATH = "/api/v2/summary.json"
STATUS_PATH = "/api/v2/status.json"
DEFAULT_TIMEOUT = 5.0
INDICATORS = ("none", "minor", "major", "critical", "maintenance")
_COMPONENT_WORDS = {
    "degraded_performance": "slow", "partial_outage": "partial outage",
    "major_outage": "major outage", "under_maintenance": "maintenance",
}


@dataclass(frozen=True)
class StatusReport:
    """The answer of the status page, or why there is none.

    ``level`` is "ok", "minor", "major", "maintenance" or "unknown" (page not reached);
    ``message`` is one or two sentences to show as they are; ``problems`` names the parts of
    Roblox that are not working and open incidents.
    """

    reached: bool
    level: str
    message: str
    description: str = ""
    problems: tuple[str, ...] = ()
    url: str = STATUS_PAGE
    checked_at: datetime = field(default_factory=datetime.now)


class _Unexpected(ValueError):
    """The page answered, but not with the status data we know."""


def check_status(session: requests.Session | None = None, base_url: str = STATUS_PAGE,
                 timeout: float = DEFAULT_TIMEOUT) -> StatusReport:
    """Fetch the status page's JSON; any failure becomes a 'could not reach' report."""
    base = base_url.rstrip("/")
    own = session is None
    http = session or requests.Session()
    try:
        try:
            data = _fetch(http, base + SUMMARY_PATH, timeout)
        except requests.HTTPError as exc:
            # Not every Statuspage serves the summary; the short status is enough.
            if exc.response is None or exc.response.status_code != 404:
                raise
            data = _fetch(http, base + STATUS_PATH, timeout)
        return _report(data, base)
    except requests.Timeout:
        reason = f"no answer within {timeout:g} seconds"
    except requests.ConnectionError:
        reason = "no connection (you may be offline)"
    except requests.HTTPError as exc:
        code = exc.response.status_code if exc.response is not None else "an error"
        reason = f"it answered HTTP {code}"
    except (ValueError, requests.RequestException) as exc:
        log.info("Status page answer not understood: %s", exc)
        reason = "its answer was not the status data expected"
    finally:
        if own:
            http.close()
    return StatusReport(
        reached=False, level="unknown", url=base,
        message=f"Could not reach the Roblox status page: {reason}. Check your connection, "
                f"or open {base} in a browser.")


def _fetch(http: requests.Session, url: str, timeout: float) -> dict[str, Any]:
    response = http.get(url, timeout=timeout,
                        headers={"User-Agent": f"robloxassets/{__version__}",
                                 "Accept": "application/json"})
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise _Unexpected("not a JSON object")
    return data


def _report(data: dict[str, Any], base: str) -> StatusReport:
    status = data.get("status")
    if not isinstance(status, dict) or status.get("indicator") not in INDICATORS:
        raise _Unexpected("no status.indicator")
    indicator = status["indicator"]
    description = str(status.get("description") or "").strip()
    problems: list[str] = []
    for component in data.get("components") or []:
        if isinstance(component, dict) and component.get("status") in _COMPONENT_WORDS:
            problems.append(f"{component.get('name', 'A service')}: "
                            f"{_COMPONENT_WORDS[component['status']]}")
    for incident in data.get("incidents") or []:
        if isinstance(incident, dict) and incident.get("status") != "resolved":
            problems.append(f"Incident: {incident.get('name', 'unnamed')}")
    level = {"none": "ok", "minor": "minor", "major": "major", "critical": "major",
             "maintenance": "maintenance"}[indicator]
    said = description or {"ok": "all systems operational"}.get(level, indicator)
    if level == "ok" and not problems:
        message = f"Roblox reports no problems ({said}). The cause is likely on your side."
    elif level == "ok":
        message = f"Roblox reports no outage ({said}), but lists: {'; '.join(problems)}."
    elif level == "maintenance":
        message = f"Roblox is under maintenance ({said}). Wait until it ends and try again."
    else:
        word = "minor problems" if level == "minor" else "an outage"
        listed = f" Affected: {'; '.join(problems)}." if problems else ""
        message = f"Roblox reports {word} ({said}).{listed} Waiting is often the only fix."
    return StatusReport(reached=True, level=level, message=message, description=description,
                        problems=tuple(problems), url=base)
