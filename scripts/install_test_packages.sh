#!/usr/bin/env bash
# The system packages the test suite needs, installed only when missing: PostgreSQL 15 (for the
# throwaway cluster), Debian's Chromium (browser tests; Playwright never downloads a browser) and
# a Devanagari font (Hindi pages in the browser), GNU gettext (catalog coverage test). Needs root; elsewhere it says what is missing.
set -euo pipefail

missing=()
test -x /usr/lib/postgresql/15/bin/initdb || missing+=(postgresql)
test -x /usr/bin/chromium || missing+=(chromium)
# xgettext, for the test that the translation catalogs cover every string in the code.
command -v xgettext >/dev/null || missing+=(gettext)
if ! { command -v dpkg-query >/dev/null && dpkg-query -W -f='${Status}' fonts-lohit-deva 2>/dev/null | grep -q "ok installed"; }; then
    missing+=(fonts-lohit-deva)
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "install_test_packages: missing ${missing[*]}; install them as root (apt-get install -y --no-install-recommends ${missing[*]})" >&2
    exit 1
fi
echo "install_test_packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
