"""Progress of an import that is writing: the rows written so far, readable by another process.

The job's own row cannot say it: the import writes inside one database transaction (all rows or
none), and what it writes there — the job's counter included — is invisible to others until it
commits (on SQLite, a second writer would even wait for it). So the writing task publishes its
progress in a small file beside the uploaded workbook, replaced atomically, which the pages read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings


def progress_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{int(job_id)}.json"


def publish(job_id: int, done: int, total: int) -> None:
    path = progress_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"done": int(done), "total": int(total)}))
    temporary.replace(path)


def read(job_id: int) -> tuple[int, int] | None:
    try:
        data = json.loads(progress_path(job_id).read_text())
        return int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clear(job_id: int) -> None:
    progress_path(job_id).unlink(missing_ok=True)
