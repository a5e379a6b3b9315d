"""``manage.py check --deploy`` passes with the production profile (issue 2, quality bars)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_passes_with_production_settings(tmp_path):
    environment = {
        **os.environ,
        "POLICYLEND_ENV": "production",
        "POLICYLEND_SECRET_KEY": secrets.token_urlsafe(64),
        "POLICYLEND_ALLOWED_HOSTS": "policylend.example.org",
        "POLICYLEND_VAR_DIR": str(tmp_path),
    }
    # The test process's own settings must not leak in: conftest allows async-unsafe ORM calls
    # for Playwright, which the deploy check rightly refuses.
    for name in ("POLICYLEND_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
