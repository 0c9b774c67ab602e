# shellcheck shell=bash
# Shared by the scripts in deploy/bin: where things are, the env file, small helpers.
# APP_DIR is the release the calling script belongs to (/opt/indemnisation/current in production).

APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INDEMNISATION_HOME="${INDEMNISATION_HOME:-/opt/indemnisation}"
ENV_FILE="${INDEMNISATION_ENV_FILE:-/etc/indemnisation/indemnisation.env}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Scripts run by hand (update, restore) read the same env file as the units; under systemd the
# variables are already set by EnvironmentFile=.
load_env() {
  if [ -z "${INDEMNISATION_SECRET_KEY:-}" ] && [ -r "$ENV_FILE" ]; then
    set -a
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    set +a
  fi
}

instances() { echo "${INDEMNISATION_INSTANCES:-8001 8002}"; }

app_python() { (cd "$APP_DIR" && "$APP_DIR/.venv/bin/python" "$@"); }

# Waits until the instance on port $1 serves /ping and a page; $2 = timeout in seconds.
wait_instance() {
  local port="$1" timeout="${2:-300}" waited=0
  until curl -fsS --max-time 3 "http://127.0.0.1:$port/ping" >/dev/null 2>&1 &&
    curl -fsS --max-time 10 -o /dev/null "http://127.0.0.1:$port/login/" 2>/dev/null; do
    waited=$((waited + 1))
    [ "$waited" -lt "$timeout" ] || return 1
    sleep 1
  done
}

have_systemd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null; }

# Prints template $1 with each @KEY@ replaced by the value given as KEY=VALUE arguments.
render() {
  local template="$1" pair key value script=""
  shift
  for pair in "$@"; do
    key="${pair%%=*}" value="${pair#*=}"
    value="${value//\\/\\\\}" value="${value//|/\\|}" value="${value//&/\\&}"
    value="${value//$'\n'/\\n}"
    script+="s|@${key}@|${value}|g;"
  done
  sed -e "$script" "$template"
}

# The nginx upstream lines for the instance ports.
upstream_servers() {
  local port
  for port in $(instances); do
    printf '    server 127.0.0.1:%s max_fails=1 fail_timeout=5s;\n' "$port"
  done
}
