"""Every string a user can see is translated into Vietnamese and Hindi, and the catalogs are up
to date with the code (a string added without a translation fails here)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["vi", "hi"]


def catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def untranslated(path: Path) -> list[str]:
    missing = []
    for message in catalog(path):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"no catalog for {language}"
    assert untranslated(path) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match(language):
    problems = [
        (message.id, errors)
        for message, errors in catalog(LOCALE / language / "LC_MESSAGES" / "django.po").check()
        if errors
    ]
    assert problems == []


def test_the_catalogs_cover_every_string_in_the_code(tmp_path):
    if not shutil.which("xgettext"):
        if os.environ.get("POLICYLEND_REQUIRE_GETTEXT") == "1":
            pytest.fail("GNU gettext (xgettext) is needed for this check; make test installs it")
        pytest.skip("GNU gettext is not installed")
    # makemessages writes into the catalogs it finds beside the code, so it runs on a copy.
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "tests", "*.mo")
    for name in ("config", "policylend", "locale"):
        shutil.copytree(base / name, copy / name, ignore=ignore)
    shutil.copy(base / "manage.py", copy / "manage.py")
    env = {
        **os.environ,
        "POLICYLEND_VAR_DIR": str(tmp_path / "var"),
        "POLICYLEND_ENV": "development",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "-l",
            "hi",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=copy,
        env=env,
        check=True,
    )
    for language in LANGUAGES:
        missing = untranslated(copy / "locale" / language / "LC_MESSAGES" / "django.po")
        assert missing == [], (
            f"{language}: {len(missing)} string(s) without a translation, e.g. {missing[:5]}"
        )
