"""What every benchmark shares: where the project is, fresh databases to measure on, and the
JSON file each benchmark writes to ``bench/results/<name>.json`` for ``bench/report.py``."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

sys.path.insert(0, str(ROOT))

from scripts.pg_throwaway import throwaway_cluster  # noqa: E402


def django_environment(database_url: str, var_dir: str) -> dict[str, str]:
    """The environment of a process that measures: the development profile (no debug, so no
    query log) on the given database."""
    environment = {**os.environ, "DATABASE_URL": database_url, "POLICYLEND_VAR_DIR": var_dir}
    environment["POLICYLEND_ENV"] = "development"
    environment.pop("POLICYLEND_DEBUG", None)
    return environment


@contextlib.contextmanager
def fresh_database(vendor: str) -> Iterator[dict[str, str]]:
    """A new, migrated database of the given vendor; yields the environment to measure with.
    PostgreSQL is a throwaway cluster, SQLite a file in a temporary folder; both are removed."""
    with tempfile.TemporaryDirectory(prefix=f"policylend-bench-{vendor}-") as var_dir:
        if vendor == "postgresql":
            cluster = throwaway_cluster()
        elif vendor == "sqlite":
            cluster = contextlib.nullcontext(f"sqlite:///{var_dir}/bench.sqlite3")
        else:
            raise ValueError(vendor)
        with cluster as url:
            environment = django_environment(url, var_dir)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=environment,
                check=True,
            )
            yield environment


def setup_django() -> None:
    """Set Django up in a measuring process (DATABASE_URL comes from the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        # Other work on the machine while measuring skews every figure: keep it with them.
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def write_result(name: str, result: dict) -> Path:
    """Write ``bench/results/<name>.json`` (through a temporary file, so a crash leaves the last
    good figures in place)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **result,
    }
    path = RESULTS / f"{name}.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    temporary.replace(path)
    return path


def child_json(script: str | Path, arguments: list[str], environment: dict[str, str], name: str):
    """Run ``script`` with ``arguments`` in a fresh process (its own Django, its own memory
    peak) and return the JSON it prints on its last line."""
    completed = subprocess.run(
        [sys.executable, str(Path(script).resolve()), *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(
            f"{name} {' '.join(arguments)} failed:\n{completed.stdout}{completed.stderr}"
        )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def print_figures(figures: list[dict], width: int = 56) -> None:
    for figure in figures:
        verdict = {True: "PASS", False: "FAIL", None: ""}[figure["pass"]]
        print(
            f"{figure['database']:<11} {figure['figure']:<{width}} {figure['value']:>12,} "
            f"{figure['unit']:<8} {figure['target'] or '':<8} {verdict}"
        )
