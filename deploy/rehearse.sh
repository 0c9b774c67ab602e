#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The production rehearsal: brings up, on loopback, the topology described by the files in deploy/
# (PostgreSQL, Redis with a password, two app instances started by the systemd unit's own ExecStart
# line and env file, nginx with the production site and a self-signed certificate), then
#   1. static checks: shellcheck, systemd-analyze verify, nginx -t;
#   2. a browser journey through nginx over HTTPS and its websocket (register, file a claim,
#      messages between claimant and admin);
#   3. scale-out (deploy/rehearsal/spread.py): 80 people (40 threads, a claimant and an admin
#      each) connected through nginx, spread over both instances; each must hold a share, and the
#      messages of threads whose two people sit on different instances must show on the other
#      side, each stored once;
#   4. backup, wipe, restore (and the refusals: app running, database not empty), restore check:
#      every row count and document checksum must come back;
#   5. SIGKILL of the instance holding the browser's websocket: the browser must reconnect to the
#      other instance and no acknowledged message may be lost; the killed one comes back by itself.
# Prints the timings at the end. Idempotent; cleans up after itself (KEEP=1 keeps $WORK and the
# databases for a look). Run as root on Debian 12 / Ubuntu 24.04 with PostgreSQL on 127.0.0.1:5432
# (the user postgres may connect without a password):
#
#   bash deploy/rehearse.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="${REHEARSAL_DIR:-/tmp/indemnisation-rehearsal}"
PG_ADMIN_URL="${REHEARSAL_PG_URL:-postgresql://postgres@127.0.0.1:5432}"
DB=indemnisation_rehearsal
REDIS_PORT="${REHEARSAL_REDIS_PORT:-16379}"
HTTP_PORT="${REHEARSAL_HTTP_PORT:-18080}"
HTTPS_PORT="${REHEARSAL_HTTPS_PORT:-18443}"
SMTP_PORT="${REHEARSAL_SMTP_PORT:-12525}"
INSTANCES="${REHEARSAL_INSTANCES:-18001 18002}"
# Not "localhost": Reflex's front end sends "localhost" websockets to port 443 under https.
BASE_URL="https://127.0.0.1:$HTTPS_PORT"
export INDEMNISATION_ENV_FILE="$WORK/indemnisation.env"
ENV_FILE="$INDEMNISATION_ENV_FILE"
PY="$ROOT/.venv/bin/python"
STARTED=$SECONDS
# shellcheck source=lib/common.sh
. "$ROOT/deploy/lib/common.sh"
declare -A TIMINGS=()
ORDER=()

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
loud() { printf '\n\033[1;33m!!! %s\033[0m\n' "$*" >&2; }
fail() { printf '\n\033[1;31mREHEARSAL FAILED: %s\033[0m\n' "$*" >&2; exit 1; }
timing() { TIMINGS["$1"]="$2"; ORDER+=("$1"); printf '    %s: %s\n' "$1" "$2"; }
export PGOPTIONS="-c client_min_messages=warning"
psql_admin() { psql "$PG_ADMIN_URL/postgres" -v ON_ERROR_STOP=1 -qtA "$@"; }
# shellcheck disable=SC1090  # the env file is generated
with_env() { (set -a && . "$ENV_FILE" && set +a && "$@"); }

# --- prerequisites (idempotent: installs only what is missing) -----------------------------------
prerequisites() {
  say "Prerequisites"
  local missing=() command package
  for pair in nginx:nginx-light openssl:openssl shellcheck:shellcheck chromium:chromium \
    redis-server:redis-server psql:postgresql-client pg_dump:postgresql-client curl:curl; do
    command="${pair%%:*}" package="${pair##*:}"
    command -v "$command" >/dev/null || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get install -y -q "${missing[@]}" || { apt-get update -q && apt-get install -y -q "${missing[@]}"; }
  fi
  if [ ! -x "$PY" ]; then
    python3 -m venv "$ROOT/.venv"
    "$PY" -m pip install --quiet -e ".[dev]"
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL does not answer on 127.0.0.1:5432"
}

# --- static checks --------------------------------------------------------------------------------
static_checks() {
  say "shellcheck"
  shellcheck -x deploy/provision.sh deploy/rehearse.sh deploy/bin/* deploy/lib/common.sh deploy/rehearsal/kill-worker
  shellcheck -x --severity=warning deploy/local.sh
  echo "    no findings"
  say "systemd-analyze verify"
  if command -v systemd-analyze >/dev/null; then
    local units="$WORK/units" unit
    mkdir -p "$units"
    for unit in deploy/systemd/*; do
      sed "s|/opt/indemnisation/current|$ROOT|g" "$unit" > "$units/$(basename "$unit")"
    done
    # Templates are verified through one instance of each.
    cp "$units/indemnisation@.service" "$units/indemnisation@8001.service"
    cp "$units/indemnisation-alert@.service" "$units/indemnisation-alert@x.service"
    (cd "$units" && systemd-analyze verify --man=no indemnisation@8001.service \
      indemnisation-alert@x.service indemnisation.target indemnisation-*.service indemnisation-*.timer)
    echo "    units verified"
  else
    loud "systemd-analyze is not installed: unit files not verified"
  fi
}

# --- the topology ---------------------------------------------------------------------------------
set_env() {  # KEY VALUE: replaces the line in the env file, or appends it
  grep -v "^$1=" "$ENV_FILE" > "$ENV_FILE.new" || true
  printf '%s=%s\n' "$1" "$2" >> "$ENV_FILE.new"
  mv "$ENV_FILE.new" "$ENV_FILE"
}

services() {
  say "PostgreSQL databases, Redis with a password, a local SMTP sink"
  for db in "$DB" "${DB}_restorecheck"; do
    psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  done
  local redis_password
  redis_password="$(openssl rand -hex 24)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --requirepass "$redis_password" \
    --save "" --appendonly no --dir "$WORK" --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
  "$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" > "$WORK/smtp.log" 2>&1 &
  echo $! > "$WORK/smtp.pid"

  # The production env file template, with the rehearsal's addresses.
  render deploy/indemnisation.env.example DOMAIN="127.0.0.1:$HTTPS_PORT" SECRET_KEY="$(openssl rand -hex 32)" \
    DB_PASSWORD=unused REDIS_PASSWORD="$redis_password" SMTP_HOST=127.0.0.1 SMTP_USER= SMTP_PASSWORD= \
    ALERT_EMAIL=ops@example.org > "$ENV_FILE"
  chmod 600 "$ENV_FILE"
  set_env INDEMNISATION_DATABASE_URL "postgresql+psycopg://${PG_ADMIN_URL#postgresql://}/$DB"
  set_env INDEMNISATION_REDIS_URL "redis://:$redis_password@127.0.0.1:$REDIS_PORT/0"
  set_env INDEMNISATION_DATA_DIR "$WORK/data"
  set_env INDEMNISATION_STATE_DIR "$WORK/state"
  set_env INDEMNISATION_SMTP_PORT "$SMTP_PORT"
  set_env INDEMNISATION_SMTP_STARTTLS false
  set_env INDEMNISATION_MAIL_FROM '"Indemnisation <no-reply@example.org>"'
  set_env INDEMNISATION_INSTANCES "\"$INSTANCES\""
  set_env INDEMNISATION_BACKUP_DIR "$WORK/backups"
  set_env INDEMNISATION_HEALTH_INSECURE 1
  mkdir -p "$WORK/data" "$WORK/state" "$WORK/backups"
  for _ in $(seq 20); do
    redis-cli -p "$REDIS_PORT" -a "$redis_password" --no-auth-warning ping >/dev/null 2>&1 && break
    sleep 0.5
  done
}

nginx_up() {
  say "nginx: the production site on :$HTTPS_PORT with a self-signed certificate"
  local dir="$WORK/nginx"
  mkdir -p "$dir/tmp"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
  INDEMNISATION_INSTANCES="$INSTANCES" upstream_servers > "$dir/upstream"
  render deploy/nginx/indemnisation-http.conf UPSTREAM_SERVERS="$(cat "$dir/upstream")" > "$dir/http.conf"
  render deploy/nginx/indemnisation-site.conf DOMAIN=127.0.0.1 PUBLIC_HOST="127.0.0.1:$HTTPS_PORT" \
    HTTP_PORT="$HTTP_PORT" HTTPS_PORT="$HTTPS_PORT" TLS_CERT="$dir/tls.crt" TLS_KEY="$dir/tls.key" \
    LOG_DIR="$dir" BODY_LIMIT_MB=51 > "$dir/site.conf"
  # Rehearsal-only instrumentation: the websocket handshake names the instance that took it, so
  # the failover step knows which one to kill.
  # shellcheck disable=SC2016  # $upstream_addr is nginx's
  sed -i 's|^\(    location /_event {\)$|\1\n        add_header X-Rehearsal-Upstream $upstream_addr always;|' "$dir/site.conf"
  [ -f /proc/net/if_inet6 ] || sed -i '/listen \[::\]/d' "$dir/site.conf"
  cat > "$dir/nginx.conf" <<EOF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $dir/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/http.conf;
    include $dir/site.conf;
}
EOF
  nginx -t -c "$dir/nginx.conf" 2>&1 | sed 's/^/    /'
  nginx -c "$dir/nginx.conf"
}

exec_start() {  # UNIT PORT: the unit's ExecStart line, for this checkout and this instance
  sed -n 's/^ExecStart=//p' "deploy/systemd/$1" | sed "s|/opt/indemnisation/current|$ROOT|g; s|%i|${2:-}|g"
}

supervise() {  # PORT: like systemd's Restart=always, RestartSec=2, for the rehearsal
  local port="$1" command
  command="$(exec_start indemnisation@.service "$port")"
  while [ ! -e "$WORK/stopping" ]; do
    # shellcheck disable=SC2086,SC2016  # ExecStart is split into words, as systemd does
    setsid bash -c 'set -a && . "$1" && set +a && shift && exec "$@"' _ "$ENV_FILE" $command \
      >> "$WORK/app-$port.log" 2>&1 &
    echo $! > "$WORK/app-$port.pid"
    wait $! || true
    [ -e "$WORK/stopping" ] || { echo "$(date +%T) instance $port exited; restarting in 2 s" >> "$WORK/app-$port.log"; sleep 2; }
  done
}

start_instances() {
  rm -f "$WORK/stopping"
  local port
  for port in $INSTANCES; do
    supervise "$port" &
    echo $! > "$WORK/supervisor-$port.pid"
  done
  local deadline=$((SECONDS + 400))
  for port in $INSTANCES; do
    until curl -fsS --max-time 3 "http://127.0.0.1:$port/ping" >/dev/null 2>&1; do
      [ "$SECONDS" -lt "$deadline" ] || { tail -30 "$WORK/app-$port.log"; fail "instance $port did not come up"; }
      sleep 1
    done
  done
  until curl -fsSk --max-time 5 -o /dev/null "$BASE_URL/login/"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "nginx does not serve $BASE_URL/login/"
    sleep 1
  done
}

stop_instances() {
  touch "$WORK/stopping"
  local port pid
  for port in $INSTANCES; do
    pid="$(cat "$WORK/app-$port.pid" 2>/dev/null || true)"
    [ -z "$pid" ] || kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for port in $INSTANCES; do
    pid="$(cat "$WORK/supervisor-$port.pid" 2>/dev/null || true)"
    [ -z "$pid" ] && continue
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    pid="$(cat "$WORK/app-$port.pid" 2>/dev/null || true)"
    [ -z "$pid" ] || kill -KILL -- "-$pid" 2>/dev/null || true
  done
}

cleanup() {
  local status=$?
  set +e
  [ -d "$WORK" ] || exit "$status"
  stop_instances
  [ -f "$WORK/nginx/nginx.pid" ] && nginx -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null
  [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null
  [ -f "$WORK/smtp.pid" ] && kill "$(cat "$WORK/smtp.pid")" 2>/dev/null
  if [ "$status" -ne 0 ]; then
    for log in "$WORK"/app-*.log; do [ -f "$log" ] && { echo "--- $log"; tail -15 "$log"; }; done
  fi
  if [ "${KEEP:-0}" = 1 ]; then
    loud "KEEP=1: $WORK and the databases $DB, ${DB}_restorecheck are kept"
  else
    psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${DB}_restorecheck WITH (FORCE)"
    rm -rf "$WORK"
  fi
  exit "$status"
}

# --- the rehearsal --------------------------------------------------------------------------------
main() {
  if [ -f "$WORK/nginx/nginx.pid" ] || [ -f "$WORK/redis.pid" ]; then
    say "Cleaning up a previous rehearsal left in $WORK"
    stop_instances
    nginx -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null || true
    kill "$(cat "$WORK/redis.pid" 2>/dev/null)" "$(cat "$WORK/smtp.pid" 2>/dev/null)" 2>/dev/null || true
    sleep 1
  fi
  rm -rf "$WORK"
  mkdir -p "$WORK"
  trap cleanup EXIT
  prerequisites
  static_checks
  services
  nginx_up

  say "Migration (indemnisation-migrate.service's ExecStart)"
  # shellcheck disable=SC2046
  with_env $(exec_start indemnisation-migrate.service)
  say "Refusal of unsafe settings: a short secret stops the start with a clear message"
  local refusal
  # shellcheck disable=SC2046  # ExecStart is split into words, as systemd does
  refusal="$(with_env env INDEMNISATION_SECRET_KEY=short $(exec_start indemnisation@.service 1) 2>&1)" && fail "a short secret was accepted"
  grep -q "INDEMNISATION_SECRET_KEY" <<<"$refusal" || fail "the refusal does not name the variable: $refusal"
  echo "    refused (exit 78): $(head -2 <<<"$refusal" | tail -1)"

  say "Front-end build of the release (deploy/bin/build-frontend, as deploy/bin/update runs it)"
  local t=$SECONDS
  with_env deploy/bin/build-frontend 2>&1 | tail -3 | sed 's/^/    /'
  timing "front-end build (once per release)" "$((SECONDS - t)) s"

  say "Two app instances (indemnisation@.service's ExecStart), behind nginx"
  t=$SECONDS
  start_instances
  timing "time to come up (2 instances, until nginx serves HTTPS)" "$((SECONDS - t)) s"
  with_env deploy/bin/health-check | sed 's/^/    /'

  say "Browser journey through nginx (HTTPS + websocket)"
  printf '%s\n' "Rehearsal-Passager-2026" | with_env "$PY" -m indemnisation create-admin \
    --email ada@example.org --name "Ada Admin" --password-stdin --locale fr
  echo '{"claimant": "rita@example.org", "admin": "ada@example.org"}' > "$WORK/state.json"
  t=$SECONDS
  with_env "$PY" deploy/rehearsal/journey.py journey "$BASE_URL" "$WORK/state.json" | tee "$WORK/journey.json"
  timing "browser journey (register, claim with 2 documents, messages)" "$((SECONDS - t)) s"
  grep -q '"messaging": "skipped' "$WORK/journey.json" &&
    loud "NOT REHEARSED: messaging between claimant and admin (no thread UI in this build)"

  say "Scale-out: people spread over both instances, messages crossing between them"
  local ports
  read -ra ports <<<"$INSTANCES"
  t=$SECONDS
  with_env "$PY" deploy/rehearsal/spread.py "$BASE_URL" "${ports[@]}" --json "$WORK/spread.json" |
    sed 's/^/    /' || fail "scale-out: see the reason above"
  timing "scale-out: people per instance ($INSTANCES)" "$("$PY" -c 'import json,sys; f=json.load(sys.stdin); print(" / ".join(map(str, f["people_per_instance"].values())), "of", 2 * f["threads"], "people;", f["crossed_threads"], "of", f["threads"], "threads across")' < "$WORK/spread.json")"
  timing "scale-out: delivery across instances, median / p99" "$("$PY" -c 'import json,sys; f=json.load(sys.stdin); print(f["across"]["delivery"], "(" + str(f["across"]["messages"]), "messages; all", f["messages_sent"], "sent stored once)")' < "$WORK/spread.json")"
  timing "scale-out step (prepare, connect one by one, exchange, check)" "$((SECONDS - t)) s"

  say "Backup"
  t=$SECONDS
  with_env deploy/bin/backup | sed 's/^/    /'
  local backup
  backup="$(find "$WORK/backups/daily" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | sort | tail -1)"
  timing "backup time" "$((SECONDS - t)) s"
  timing "backup size" "$(du -sh "$backup" | cut -f1) ($(du -sb "$backup" | cut -f1) bytes; $(wc -l < "$backup/documents.sha256") documents)"

  say "Restore: refused while the app runs and into a database that holds data"
  with_env deploy/bin/restore "$backup" 2>&1 && fail "restore ran while the app was running"
  stop_instances
  with_env deploy/bin/restore "$backup" 2>&1 && fail "restore overwrote a non-empty database without --replace"

  say "Wipe the database and the documents, then restore"
  psql "$PG_ADMIN_URL/$DB" -qc "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public"
  rm -rf "$WORK/data/private"
  t=$SECONDS
  with_env deploy/bin/restore "$backup" | sed 's/^/    /'
  timing "restore time (database + documents, verified)" "$((SECONDS - t)) s"
  say "Monthly restore check (scratch database)"
  with_env deploy/bin/restore-check "$backup" | sed 's/^/    /'

  say "Instances back on the restored data"
  t=$SECONDS
  start_instances
  timing "time to come back after the restore" "$((SECONDS - t)) s"

  say "SIGKILL the instance holding the browser's websocket, mid-session"
  with_env "$PY" deploy/rehearsal/journey.py failover "$BASE_URL" "$WORK/state.json" \
    bash deploy/rehearsal/kill-worker "$WORK" | tee "$WORK/failover.json"
  timing "reconnect time after SIGKILL (first frame on the new websocket)" "$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["reconnect_s"], "s")' < "$WORK/failover.json")"
  timing "page answers again after SIGKILL" "$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["page_answers_again_s"], "s")' < "$WORK/failover.json")"
  t=$SECONDS
  local port
  for port in $INSTANCES; do
    until curl -fsS --max-time 3 "http://127.0.0.1:$port/ping" >/dev/null 2>&1; do
      [ $((SECONDS - t)) -lt 300 ] || fail "the killed instance $port did not come back"
      sleep 1
    done
  done
  timing "killed instance serving again (restarted like Restart=always)" "$((SECONDS - t)) s after the reconnect"
  with_env deploy/bin/health-check | sed 's/^/    /'
  local errors
  errors="$(grep -hE '"level": "(ERROR|CRITICAL)"|Traceback|Frontend Exception' "$WORK"/app-*.log | head -5 || true)"
  [ -z "$errors" ] || fail "the instances logged errors:
$errors"
  say "Rehearsal passed in $((SECONDS - STARTED)) s"
  local key
  for key in "${ORDER[@]}"; do printf '  %-80s %s\n' "$key" "${TIMINGS[$key]}"; done
}

main "$@"
