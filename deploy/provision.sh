#!/usr/bin/env bash
# Provisions an Ubuntu 24.04 LTS server for Indemnisation, idempotently (a second run changes
# nothing): service user, firewall, fail2ban, PostgreSQL, Redis, nginx + certbot, the app in
# /opt/indemnisation, secrets in /etc/indemnisation/indemnisation.env, systemd units and timers.
#
#   sudo DOMAIN=claims.example.fr ADMIN_EMAIL=ops@example.fr \
#        SMTP_HOST=smtp.example.fr SMTP_USER=... SMTP_PASSWORD=... \
#        REPO_URL=https://github.com/OWNER/indemnisation.git bash deploy/provision.sh [REF]
#
# Secrets are generated on the first run and never rotated by later runs.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SRC="$APP_DIR/deploy"   # the checkout this script runs from
ref="${1:-origin/main}"
user=indemnisation
home="$INDEMNISATION_HOME"

[ "$(id -u)" = 0 ] || die "run as root (sudo)"
: "${DOMAIN:?set DOMAIN (the site name, its DNS must point at this server)}"
: "${ADMIN_EMAIL:?set ADMIN_EMAIL (certbot account and alerts)}"
: "${REPO_URL:?set REPO_URL (the git repository to deploy from)}"
grep -q 'Ubuntu 24.04' /etc/os-release 2>/dev/null || say "WARNING: written for Ubuntu 24.04 LTS"

changed() { printf '    changed: %s\n' "$*"; }
# install_file SRC DEST MODE OWNER: writes only when the content differs; returns 0 when it did.
install_file() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then return 1; fi
  install -D -m "$3" -o "${4%%:*}" -g "${4##*:}" "$1" "$2"
  changed "$2"
}
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

say "Packages"
packages=(nginx postgresql redis-server certbot fail2ban ufw python3-venv python3-pip git curl rclone logrotate)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  changed "installed ${missing[*]}"
fi

say "Service user and directories"
id -u "$user" >/dev/null 2>&1 || { useradd --system --home-dir "$home" --shell /usr/sbin/nologin "$user"; changed "user $user"; }
install -d -m 0755 -o "$user" -g "$user" "$home" "$home/releases"
install -d -m 0700 -o "$user" -g "$user" /var/lib/indemnisation /var/backups/indemnisation
install -d -m 0750 -o root -g "$user" /etc/indemnisation
install -d -m 0755 /var/www/letsencrypt

say "Firewall: SSH, HTTP, HTTPS only"
if ! ufw status | grep -q 'Status: active'; then
  ufw default deny incoming >/dev/null
  ufw default allow outgoing >/dev/null
  ufw allow OpenSSH >/dev/null
  ufw allow 80/tcp >/dev/null
  ufw allow 443/tcp >/dev/null
  ufw --force enable >/dev/null
  changed "ufw enabled"
fi

say "Secrets"
if [ ! -f "$ENV_FILE" ]; then
  render "$SRC/indemnisation.env.example" \
    DOMAIN="$DOMAIN" SECRET_KEY="$(openssl rand -hex 32)" DB_PASSWORD="$(openssl rand -hex 24)" \
    REDIS_PASSWORD="$(openssl rand -hex 24)" SMTP_HOST="${SMTP_HOST:-}" SMTP_USER="${SMTP_USER:-}" \
    SMTP_PASSWORD="${SMTP_PASSWORD:-}" ALERT_EMAIL="$ADMIN_EMAIL" > "$tmp/env"
  install -m 0600 -o "$user" -g "$user" "$tmp/env" "$ENV_FILE"
  changed "$ENV_FILE (new secrets)"
fi
load_env
db_password="$(sed -n 's|^INDEMNISATION_DATABASE_URL=postgresql+psycopg://indemnisation:\([^@]*\)@.*|\1|p' "$ENV_FILE")"
redis_password="$(sed -n 's|^INDEMNISATION_REDIS_URL=redis://:\([^@]*\)@.*|\1|p' "$ENV_FILE")"
{ [ -n "$db_password" ] && [ -n "$redis_password" ]; } || die "cannot read the passwords from $ENV_FILE"

say "PostgreSQL: role and databases"
psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" ]; then
  psql_admin -c "CREATE ROLE $user LOGIN PASSWORD '$db_password'"
  changed "role $user"
fi
for db in indemnisation indemnisation_restorecheck; do
  if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    runuser -u postgres -- createdb -O "$user" "$db"
    changed "database $db"
  fi
  # JIT compilation cost seconds on the back office's aggregate queries and saves nothing here.
  if [ "$(psql_admin -d "$db" -c 'SHOW jit')" != "off" ]; then
    psql_admin -c "ALTER DATABASE $db SET jit = off"
    changed "database $db: jit off"
  fi
done
hba="$(psql_admin -c 'SHOW hba_file')"
line="local   indemnisation,indemnisation_restorecheck   $user   scram-sha-256"
if ! grep -qF "$line" "$hba"; then
  sed -i "0,/^local/s||$line\n&|" "$hba"   # before the first 'local' rule (peer)
  psql_admin -c "ALTER ROLE $user PASSWORD '$db_password'"
  psql_admin -c 'SELECT pg_reload_conf()' >/dev/null
  changed "$hba"
fi

say "Redis: localhost only, a password, no persistence"
printf 'bind 127.0.0.1 -::1\nprotected-mode yes\nport 6379\nrequirepass %s\nsave ""\nappendonly no\n' \
  "$redis_password" > "$tmp/redis.conf"
redis_changed=0
install_file "$tmp/redis.conf" /etc/redis/indemnisation.conf 0640 redis:redis && redis_changed=1
grep -qx 'include /etc/redis/indemnisation.conf' /etc/redis/redis.conf ||
  { echo 'include /etc/redis/indemnisation.conf' >> /etc/redis/redis.conf; redis_changed=1; changed /etc/redis/redis.conf; }
[ "$redis_changed" = 0 ] || systemctl restart redis-server

say "The code"
[ -d "$home/repo/.git" ] || { git clone --quiet "$REPO_URL" "$home/repo"; changed "$home/repo"; }

say "nginx and the TLS certificate"
upstream_servers > "$tmp/upstream"
render "$SRC/nginx/indemnisation-http.conf" UPSTREAM_SERVERS="$(cat "$tmp/upstream")" > "$tmp/http.conf"
nginx_changed=0
install_file "$tmp/http.conf" /etc/nginx/conf.d/indemnisation.conf 0644 root:root && nginx_changed=1
cert="/etc/letsencrypt/live/$DOMAIN/fullchain.pem" key="/etc/letsencrypt/live/$DOMAIN/privkey.pem"
if [ ! -f "$cert" ]; then
  # First certificate: an HTTP-only site that answers the ACME challenge, then certbot.
  printf 'server {\n  listen 80;\n  server_name %s;\n  location /.well-known/acme-challenge/ { root /var/www/letsencrypt; }\n}\n' \
    "$DOMAIN" > /etc/nginx/sites-available/indemnisation
  ln -sfn /etc/nginx/sites-available/indemnisation /etc/nginx/sites-enabled/indemnisation
  rm -f /etc/nginx/sites-enabled/default
  nginx -t && systemctl reload nginx
  certbot certonly --webroot -w /var/www/letsencrypt -d "$DOMAIN" --email "$ADMIN_EMAIL" \
    --agree-tos --non-interactive --deploy-hook 'systemctl reload nginx' ||
    die "certbot could not get a certificate: does $DOMAIN point at this server, is port 80 open?"
  changed "certificate for $DOMAIN (renewed by certbot.timer)"
fi
render "$SRC/nginx/indemnisation-site.conf" DOMAIN="$DOMAIN" PUBLIC_HOST="$DOMAIN" HTTP_PORT=80 \
  HTTPS_PORT=443 TLS_CERT="$cert" TLS_KEY="$key" LOG_DIR=/var/log/nginx \
  BODY_LIMIT_MB="$((${INDEMNISATION_MAX_CLAIM_MB:-50} + 1))" > "$tmp/site"
install_file "$tmp/site" /etc/nginx/sites-available/indemnisation 0644 root:root && nginx_changed=1
ln -sfn /etc/nginx/sites-available/indemnisation /etc/nginx/sites-enabled/indemnisation
rm -f /etc/nginx/sites-enabled/default
install_file "$SRC/logrotate/nginx-indemnisation" /etc/logrotate.d/nginx-indemnisation 0644 root:root || true
if [ "$nginx_changed" = 1 ]; then nginx -t && systemctl reload nginx; fi

say "fail2ban"
match="$(for port in $(instances); do printf '_SYSTEMD_UNIT=indemnisation@%s.service + ' "$port"; done)"
render "$SRC/fail2ban/indemnisation.jail" JOURNALMATCH="${match% + }" > "$tmp/jail"
f2b_changed=0
install_file "$SRC/fail2ban/indemnisation.conf" /etc/fail2ban/filter.d/indemnisation.conf 0644 root:root && f2b_changed=1
install_file "$tmp/jail" /etc/fail2ban/jail.d/indemnisation.local 0644 root:root && f2b_changed=1
[ "$f2b_changed" = 0 ] || systemctl restart fail2ban

say "systemd units"
units_changed=0
for unit in "$SRC"/systemd/*; do
  install_file "$unit" "/etc/systemd/system/$(basename "$unit")" 0644 root:root && units_changed=1
done
[ "$units_changed" = 0 ] || systemctl daemon-reload
enable=(indemnisation.target indemnisation-backup.timer indemnisation-restore-check.timer indemnisation-health.timer)
for port in $(instances); do enable+=("indemnisation@$port.service"); done
for unit in "${enable[@]}"; do
  systemctl is-enabled --quiet "$unit" 2>/dev/null || { systemctl enable --quiet "$unit"; changed "enabled $unit"; }
done

say "The release"
git -C "$home/repo" fetch --quiet --tags origin
wanted="$(git -C "$home/repo" rev-parse --verify "$ref^{commit}")"
live="$(cat "$home/current/REVISION" 2>/dev/null || true)"
if [ "$wanted" != "$live" ]; then
  "$SRC/bin/update" "$ref"
  changed "release ${wanted:0:10}"
fi
systemctl start indemnisation.target indemnisation-backup.timer indemnisation-restore-check.timer indemnisation-health.timer
"$home/current/deploy/bin/health-check"
say "Done: https://$DOMAIN (create the first admin: see deploy/README.md)"
