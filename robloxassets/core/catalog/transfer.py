"""CSV and JSON export and import of the whole catalogue.

* Lossless: export, import into an empty catalogue, export again gives identical files.
* Import checks every row first, then adds all of them in one transaction, or nothing: the
  bad rows are listed with their row numbers and reasons; ``skip_bad`` leaves them out instead.
* CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR)
  are written with a leading apostrophe, which import removes again.
* Exports are written atomically: a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from robloxassets.core import jsonsafe, safeio
from robloxassets.core.assetid import AssetIdError, parse_asset_id
from robloxassets.core.atomic import atomic_write
from robloxassets.core.catalog.model import (
    CREATOR_TYPES,
    Entry,
    Status,
    StatusChange,
    check_sha256,
    normalize_time,
    parse_tags,
    utc_now,
    validate_entry,
)
from robloxassets.core.catalog.store import Catalog
from robloxassets.core.errors import UserError, disk_error

#: Column order of CSV files; also the keys of JSON entries (``file`` is the local path).
CSV_COLUMNS = ("decal_id", "image_id", "name", "description", "tags", "notes",
               "creator_type", "creator_id", "status", "status_changed", "file", "sha256",
               "prepared_sha256", "width", "height", "created", "updated", "history")
_ALIASES = {"file_path": "file", "path": "file", "decal": "decal_id", "image": "image_id"}
JSON_FORMAT = "robloxassets-catalogue"
JSON_VERSION = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
#: How many bad rows an error message lists before "and N more".
LISTED_PROBLEMS = 20
#: The csv module refuses fields over 128 KiB by default; notes and descriptions may be
#: longer, and what export writes, import must read. SQLite's own limit on a value is 1 GB.
CSV_FIELD_LIMIT = 1 << 30
#: Keys of a JSON entry that hold lists; every other value must be text, a number or null.
_LIST_KEYS = frozenset({"tags", "history"})


@dataclass(frozen=True)
class ImportProblem:
    """A bad row: its number as the user sees it (CSV line, JSON entry) and why."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class ImportPlan:
    """A checked import: the good entries and the problems, nothing written yet."""

    path: Path
    entries: list[Entry] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    rows: int = 0


@dataclass
class ImportReport:
    """What an import did: how many entries it added and which rows it skipped."""

    added: int
    skipped: list[ImportProblem]
    rows: int


class ImportRejected(UserError):
    """Some rows are bad and skipping was not asked for: nothing was imported."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        problems = plan.problems
        lines = [f"  {p}" for p in problems[:LISTED_PROBLEMS]]
        if len(problems) > LISTED_PROBLEMS:
            lines.append(f"  ... and {len(problems) - LISTED_PROBLEMS} more")
        verb = "has a problem" if len(problems) == 1 else "have problems"
        #: The problem list without advice, for callers that word their own way out.
        self.summary = (f"{len(problems):,} of {plural(plan.rows, 'row')} in {plan.path.name} "
                        f"{verb}, so nothing was imported:\n" + "\n".join(lines))
        advice = (f"\nFix them, or skip the bad rows to import the other "
                  f"{plural(len(plan.entries), 'row')}." if plan.entries else "")
        super().__init__(self.summary + advice, exit_code=1)


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


# --- cells ---------------------------------------------------------------------------------
def escape_cell(value: str) -> str:
    """Make a cell inert in spreadsheets; ``unescape_cell`` reverses it exactly."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def unescape_cell(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r'":
        return value[1:]
    return value


def _history_text(history: Iterable[StatusChange]) -> str:
    return "; ".join(f"{change.status.value}@{change.at}" for change in history)


def _entry_cells(entry: Entry) -> dict[str, str]:
    def text(value: Any) -> str:
        return "" if value is None else str(value)

    return {
        "decal_id": text(entry.decal_id), "image_id": text(entry.image_id),
        "name": entry.name, "description": entry.description, "tags": ", ".join(entry.tags),
        "notes": entry.notes, "creator_type": text(entry.creator_type),
        "creator_id": text(entry.creator_id), "status": entry.status.value,
        "status_changed": entry.status_changed, "file": entry.file_path,
        "sha256": text(entry.sha256), "prepared_sha256": text(entry.prepared_sha256),
        "width": text(entry.width), "height": text(entry.height), "created": entry.created,
        "updated": entry.updated, "history": _history_text(entry.history),
    }


# --- export --------------------------------------------------------------------------------
def csv_text(entries: Iterable[Entry]) -> str:
    """The CSV file's text (header + one row per entry), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        cells = _entry_cells(entry)
        writer.writerow([escape_cell(cells[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def json_text(entries: Iterable[Entry]) -> str:
    document = {"format": JSON_FORMAT, "version": JSON_VERSION,
                "entries": [entry.to_dict() for entry in entries]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_export(path: str | os.PathLike[str], text: str, *, bom: bool = False,
                 other_target: str = "") -> None:
    """Write an export atomically; CSV gets a UTF-8 BOM so spreadsheets read it as UTF-8.

    Through a symlink, the file it points to is replaced; a FIFO or device is refused
    (``other_target`` says what else the caller takes: the CLI's " (or - for standard
    output)"); on a full disk the old file stays as it was."""
    try:
        with atomic_write(path, "w", encoding="utf-8-sig" if bom else "utf-8",
                          newline="") as handle:
            handle.write(text)
    except safeio.NotRegularFileError as exc:
        raise UserError(f"{path} is {exc.kind}: exports are written to files only. Give a "
                        f"file name{other_target}.") from exc
    except IsADirectoryError as exc:
        raise UserError(f"{path} is a folder: give the name of the file to write.") from exc
    except FileNotFoundError as exc:
        raise UserError(f"Could not write {path}: its folder does not exist. Create it or "
                        "choose another place.") from exc
    except OSError as exc:
        raise disk_error(exc, path, after="Any earlier file there is unchanged.") from exc


# --- import: reading -----------------------------------------------------------------------
def _read_text(path: Path) -> str:
    try:
        return safeio.read_text(path, encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UserError(f"The file {path} does not exist; check the path.") from exc
    except safeio.NotRegularFileError as exc:
        raise UserError(f"{path} is {exc.kind}, not a file: import reads CSV or JSON files; "
                        "save the data to a file first.") from exc
    except IsADirectoryError as exc:
        raise UserError(f"{path} is a folder; give the CSV or JSON file itself.") from exc
    except UnicodeDecodeError as exc:
        raise UserError(f"{path.name} is not UTF-8 text; save it as UTF-8 CSV or JSON.") from exc
    except MemoryError as exc:
        raise UserError(f"{path} is too big to read with the memory available.") from exc
    except OSError as exc:
        raise disk_error(exc, path, doing="read", after="Nothing was imported.") from exc


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UserError(f"{path.name} is empty; nothing to import.", exit_code=1) from None
    except csv.Error as exc:
        raise UserError(f"{path.name} is not a readable CSV file ({exc}).") from exc
    columns = [_ALIASES.get(c.strip().lower().replace(" ", "_"), c.strip().lower()
                            .replace(" ", "_")) for c in header]
    unknown = [c for c in columns if c not in CSV_COLUMNS and c]
    if unknown:
        raise UserError(f"{path.name} has columns this app does not know: "
                        f"{', '.join(unknown)}. Known columns: {', '.join(CSV_COLUMNS)}.")
    if "name" not in columns or not {"decal_id", "image_id"} & set(columns):
        raise UserError(f"{path.name} needs a name column and a decal_id or image_id column "
                        f"(the first line names the columns: {', '.join(CSV_COLUMNS)}).")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            # Short rows (trailing empty cells left out by some editors) are fine.
            values = {column: unescape_cell(cell)
                      for column, cell in zip(columns, record, strict=False) if column}
            if len(record) > len(columns):
                values["__extra__"] = str(len(record) - len(columns))
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise UserError(f"{path.name} line {reader.line_num} is not valid CSV ({exc}).") from exc
    return rows


def _json_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        document = jsonsafe.loads(text)
    except ValueError as exc:
        raise UserError(f"{path.name} is not valid JSON ({exc}).") from exc
    if isinstance(document, dict):
        kind = document.get("format")
        if kind not in (None, JSON_FORMAT):
            named = repr(kind[:60]) if isinstance(kind, str) else "different kind of"
            raise UserError(f"{path.name} is a {named} file, not a catalogue export.")
        version = document.get("version", JSON_VERSION)
        if isinstance(version, int) and version > JSON_VERSION:
            raise UserError(f"{path.name} was exported by a newer version of the app (format "
                            f"{version}); update the app to import it.")
        document = document.get("entries")
    if not isinstance(document, list):
        raise UserError(f"{path.name} holds no list of entries (expected "
                        '{"entries": [...]} or a list of entry objects).')
    return [(number, item) for number, item in enumerate(document, start=1)]


def _optional_int(value: Any, label: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{label} {value!r} is not a number")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{label} {value!r} is not a whole number") from None
    if number <= 0:
        raise ValueError(f"{label} {value!r} must be above 0")
    return number


def _asset_id(value: Any, label: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    try:
        return parse_asset_id(str(value)).asset_id
    except AssetIdError as exc:
        raise ValueError(f"{label}: {exc.message.split('. Expected')[0]}") from None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _time(value: Any, label: str, default: str) -> str:
    text = _text(value).strip()
    if not text:
        return default
    try:
        return normalize_time(text)
    except ValueError:
        raise ValueError(f"{label} {text!r} is not an ISO 8601 time "
                         "(e.g. 2024-05-01T12:00:00Z)") from None


def _history(value: Any) -> tuple[StatusChange, ...]:
    if value is None or value == "":
        return ()
    items: list[tuple[Any, Any]] = []
    if isinstance(value, str):
        for part in value.split(";"):
            if not part.strip():
                continue
            status, sep, at = part.strip().partition("@")
            if not sep:
                raise ValueError(f"history {part.strip()!r} is not STATUS@TIME")
            items.append((status, at))
    elif isinstance(value, list):
        for item in value:
            if not isinstance(item, dict):
                raise ValueError("history items must be objects with status and at")
            items.append((item.get("status"), item.get("at")))
    else:
        raise ValueError("history must be a list or STATUS@TIME; STATUS@TIME")
    changes = []
    for status, at in items:
        try:
            parsed = Status.parse(_text(status))
        except UserError as exc:
            raise ValueError(f"history: {exc.message}") from None
        changes.append(StatusChange(parsed, _time(at, "history time", "")))
        if not changes[-1].at:
            raise ValueError("history entries need a time")
    return tuple(changes)


def _short_key(key: str) -> str:
    return key if len(key) <= 40 else key[:39] + "…"


def _check_shape(key: str, value: Any) -> None:
    """Text, numbers and null where a cell goes; lists only for tags and history (of text,
    and of objects of text): a nested structure is no value an entry has, and turning one
    thousands of levels deep into text would overflow the stack."""
    if value is None or isinstance(value, (str, int, float)):
        return
    if isinstance(value, list) and key in _LIST_KEYS:
        for item in value:
            if isinstance(item, (str, int, float)) and key == "tags":
                continue
            if key == "history" and isinstance(item, dict) and all(
                    v is None or isinstance(v, (str, int, float)) for v in item.values()):
                continue
            raise ValueError(f"{key} holds {type(item).__name__} items; expected "
                             + ("text" if key == "tags" else "objects with status and at"))
        return
    raise ValueError(f"{key} must be text or a number, not a {type(value).__name__}")


def row_to_entry(values: dict[str, Any], now: str) -> Entry:
    """One CSV row or JSON object -> a validated entry. Raises ValueError or UserError."""
    if "__extra__" in values:
        raise ValueError(f"{values['__extra__']} more cells than the header has columns")
    if isinstance(values, dict) and "file_path" in values and "file" not in values:
        values = {**values, "file": values["file_path"]}
    unknown = set(values) - set(CSV_COLUMNS) - {"file_path", "id"}
    if unknown:
        raise ValueError(f"unknown keys {', '.join(_short_key(k) for k in sorted(unknown))}")
    for key, value in values.items():
        _check_shape(key, value)
    status_text = _text(values.get("status")).strip()
    try:
        status = Status.parse(status_text) if status_text else Status.DRAFT
    except UserError as exc:
        raise ValueError(exc.message) from None
    creator_type = _text(values.get("creator_type")).strip().lower() or None
    if creator_type is not None and creator_type not in CREATOR_TYPES:
        raise ValueError(f"creator_type {creator_type!r} must be user or group")
    tags = values.get("tags")
    created = _time(values.get("created"), "created", now)
    status_changed = _time(values.get("status_changed"), "status_changed", created)
    history = _history(values.get("history")) or (StatusChange(status, status_changed),)
    entry = Entry(
        name=" ".join(_text(values.get("name")).split()),
        decal_id=_asset_id(values.get("decal_id"), "decal_id"),
        image_id=_asset_id(values.get("image_id"), "image_id"),
        description=_text(values.get("description")),
        tags=parse_tags(tags if isinstance(tags, list) else _text(tags)),
        notes=_text(values.get("notes")),
        creator_type=creator_type,
        creator_id=_optional_int(values.get("creator_id"), "creator_id"),
        file_path=_text(values.get("file")),
        sha256=check_sha256(_text(values.get("sha256"))),
        prepared_sha256=check_sha256(_text(values.get("prepared_sha256")),
                                     "upload-ready copy SHA-256"),
        width=_optional_int(values.get("width"), "width"),
        height=_optional_int(values.get("height"), "height"),
        status=status,
        status_changed=status_changed,
        created=created,
        updated=_time(values.get("updated"), "updated", now),
        history=history,
    )
    return validate_entry(entry)


def plan_import(catalog: Catalog, path: str | os.PathLike[str]) -> ImportPlan:
    """Read and check every row of a CSV or JSON file against itself and the catalogue."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise UserError(f"{path.name}: import takes .csv or .json files (exported by this app "
                        "or made in a spreadsheet).")
    text = _read_text(path)
    rows: list[tuple[int, dict[str, Any]]] = (_csv_rows(path, text) if suffix == ".csv"
                                              else _json_rows(path, text))
    plan = ImportPlan(path=path, rows=len(rows))
    existing = catalog.existing_asset_ids()
    seen: dict[int, tuple[str, int]] = {}
    now = utc_now()
    for number, values in rows:
        try:
            if not isinstance(values, dict):
                raise ValueError("not an object with entry keys")
            entry = row_to_entry(values, now)
            for kind, asset_id in (("decal", entry.decal_id), ("image", entry.image_id)):
                if asset_id is None:
                    continue
                if asset_id in existing:
                    _, name = existing[asset_id]
                    raise ValueError(f"{kind} ID {asset_id} is already in the catalogue as "
                                     f"{name!r}")
                if asset_id in seen:
                    raise ValueError(f"{kind} ID {asset_id} is also on row {seen[asset_id][1]}")
        except (ValueError, UserError) as exc:
            message = exc.message if isinstance(exc, UserError) else str(exc)
            plan.problems.append(ImportProblem(number, message))
            continue
        for kind, asset_id in (("decal", entry.decal_id), ("image", entry.image_id)):
            if asset_id is not None:
                seen[asset_id] = (kind, number)
        plan.entries.append(entry)
    return plan


def import_file(catalog: Catalog, path: str | os.PathLike[str], *, skip_bad: bool = False,
                progress: Callable[[int, int], None] | None = None,
                cancel: threading.Event | None = None) -> ImportReport:
    """Import a CSV or JSON file: all rows or none (``ImportRejected`` lists the bad ones).

    With ``skip_bad`` the good rows are imported and the bad ones reported as skipped.
    ``progress(done, total)`` is called as rows are written; setting ``cancel`` rolls back.
    """
    plan = plan_import(catalog, path)
    return apply_import(catalog, plan, skip_bad=skip_bad, progress=progress, cancel=cancel)


def apply_import(catalog: Catalog, plan: ImportPlan, *, skip_bad: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 cancel: threading.Event | None = None) -> ImportReport:
    if plan.problems and not skip_bad:
        raise ImportRejected(plan)
    total = len(plan.entries)
    catalog.insert_many(plan.entries, cancel=cancel,
                        progress=(lambda done: progress(done, total)) if progress else None)
    return ImportReport(added=total, skipped=list(plan.problems), rows=plan.rows)
