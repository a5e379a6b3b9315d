#!/usr/bin/env bash
# The whole suite twice: on SQLite, then on a throwaway PostgreSQL 15 cluster (removed at the end
# even on failure, see pg_throwaway.py). Browser tests run in both. Exits non-zero if either run
# failed. Extra arguments go to pytest (make test passes PYTEST_ARGS).
set -uo pipefail
cd "$(dirname "$0")/.."

pytest=(.venv/bin/python -m pytest "$@")
scratch=$(mktemp -d -t policylend-test-XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# A test database of this run's own, so that another run in the same tree cannot clobber it.
export POLICYLEND_TEST_SQLITE="$scratch/test.sqlite3"
# The catalog coverage test must run, not skip (install_test_packages.sh installed gettext).
export POLICYLEND_REQUIRE_GETTEXT=1

run() {
    local name=$1 started=$SECONDS status
    shift
    echo "=== $name: ${pytest[*]}"
    "$@"
    status=$?
    echo "=== $name: $([ $status -eq 0 ] && echo passed || echo "FAILED (exit $status)") in $((SECONDS - started)) s"
    return $status
}

sqlite=0
postgresql=0
run "SQLite" env -u DATABASE_URL "${pytest[@]}" || sqlite=$?
run "PostgreSQL 15" .venv/bin/python scripts/pg_throwaway.py run -- "${pytest[@]}" || postgresql=$?

if [ $sqlite -ne 0 ] || [ $postgresql -ne 0 ]; then
    echo "make test: FAILED (SQLite exit $sqlite, PostgreSQL exit $postgresql)"
    exit 1
fi
echo "make test: both databases passed"
