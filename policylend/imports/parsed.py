"""The rows of a workbook as the preview read them, kept beside the upload so that the import
does not parse the workbook a second time (parsing is most of the cost of a large file). The
import still checks every row again against the registers as they are then.

JSON, not pickle: the file is ours, but nothing read back from disk should be able to run code.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings


def cache_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "parsed" / f"{int(job_id)}.json"


def _encode(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return value.isoformat()
    raise TypeError(type(value))


def _decode(obj: dict):
    if "$datetime" in obj:
        return datetime.fromisoformat(obj["$datetime"])
    if "$date" in obj:
        return date.fromisoformat(obj["$date"])
    return obj


def save(job_id: int, sheets: dict[str, list], file_sha256: str) -> None:
    """``sheets``: sheet key → [(row number, {column: value})]."""
    document = {"sha256": file_sha256, "sheets": {}}
    for key, rows in sheets.items():
        columns = sorted({column for _number, raw in rows for column in raw})
        document["sheets"][key] = {
            "columns": columns,
            "rows": [[number, *(raw.get(c) for c in columns)] for number, raw in rows],
        }
    path = cache_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, default=_encode, ensure_ascii=False, separators=(",", ":"))
    temporary.replace(path)


def load(job_id: int, file_sha256: str) -> dict[str, list] | None:
    """The rows saved for this job's file, or None (then the workbook is read again)."""
    try:
        with cache_path(job_id).open(encoding="utf-8") as handle:
            document = json.load(handle, object_hook=_decode)
    except (OSError, ValueError):
        return None
    if document.get("sha256") != file_sha256:
        return None
    sheets = {}
    for key, sheet in document["sheets"].items():
        columns = sheet["columns"]
        sheets[key] = [(row[0], dict(zip(columns, row[1:], strict=True))) for row in sheet["rows"]]
    return sheets


def clear(job_id: int) -> None:
    cache_path(job_id).unlink(missing_ok=True)
