"""The production files in deploy/ keep what they promise: the whole topology is exercised by
``bash deploy/rehearse.sh``; these quick checks catch regressions in the suite."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indemnisation.logging_setup import JsonFormatter
from indemnisation.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
SCRIPTS = [
    DEPLOY / "provision.sh",
    DEPLOY / "rehearse.sh",
    DEPLOY / "lib" / "common.sh",
    DEPLOY / "rehearsal" / "kill-worker",
    *sorted((DEPLOY / "bin").iterdir()),
]
sys.path.insert(0, str(DEPLOY / "lib"))


def directives(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_shell_scripts_pass_shellcheck() -> None:
    result = subprocess.run(
        ["shellcheck", "-x", *map(str, SCRIPTS)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_scripts_are_executable_and_strict() -> None:
    for script in SCRIPTS:
        if script.name == "common.sh":
            continue
        assert script.stat().st_mode & 0o111, f"{script} is not executable"
        assert "set -euo pipefail" in script.read_text(), script


def test_app_unit_runs_start_app_hardened_with_restart() -> None:
    unit = directives(UNITS / "indemnisation@.service")
    assert unit["ExecStart"] == ["/opt/indemnisation/current/deploy/bin/start-app %i"]
    assert unit["EnvironmentFile"] == ["/etc/indemnisation/indemnisation.env"]
    assert unit["User"] == ["indemnisation"]
    assert unit["Restart"] == ["always"]
    assert unit["RestartPreventExitStatus"] == ["78"]  # unsafe settings: no restart loop
    assert "indemnisation-migrate.service" in unit["Requires"][0]
    for key, value in {
        "NoNewPrivileges": "true",
        "ProtectSystem": "strict",
        "PrivateTmp": "true",
        "ProtectHome": "true",
    }.items():
        assert unit[key] == [value], key


def test_every_exec_start_exists_in_the_release() -> None:
    for path in UNITS.glob("*.service"):
        for command in directives(path).get("ExecStart", []):
            executable = command.split()[0].replace("/opt/indemnisation/current", str(ROOT))
            assert Path(executable).is_file(), f"{path.name}: {executable}"
            assert Path(executable).stat().st_mode & 0o111, f"{path.name}: {executable}"


def test_timers_have_services_and_failures_alert() -> None:
    for timer in UNITS.glob("*.timer"):
        service = UNITS / timer.name.replace(".timer", ".service")
        assert service.is_file(), timer.name
        assert directives(service)["OnFailure"] == ["indemnisation-alert@%n.service"], service
        assert directives(timer)["Persistent" if "health" not in timer.name else "OnBootSec"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    for unit in UNITS.iterdir():
        text = unit.read_text().replace("/opt/indemnisation/current", str(ROOT))
        name = unit.name.replace("@.", "@8001.")
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(p.name for p in tmp_path.iterdir())],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_nginx_site_has_tls_websocket_limits_and_headers() -> None:
    site = (DEPLOY / "nginx" / "indemnisation-site.conf").read_text()
    http = (DEPLOY / "nginx" / "indemnisation-http.conf").read_text()
    event = site[site.index("location /_event") :].split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade" in event
    assert "proxy_read_timeout 3600s" in event
    assert "proxy_set_header X-Forwarded-For $remote_addr" in event  # repeated in the block
    assert "return 301 https://" in site
    assert "ssl_certificate     @TLS_CERT@" in site
    assert "client_max_body_size @BODY_LIMIT_MB@m" in site
    for header in (
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "frame-ancestors 'none'",
        "connect-src 'self' wss://@PUBLIC_HOST@",
    ):
        assert header in site, header
    assert re.search(
        r"location ~ \^/\(login\|register.*limit_req zone=indemnisation_auth", site, re.S
    )
    assert "limit_req_zone" in http and "upstream indemnisation_app" in http
    assert "$indemnisation_connection_upgrade" in http


def test_body_limit_and_proxy_hops_match_the_app_settings() -> None:
    provision = (DEPLOY / "provision.sh").read_text()
    default_claim_mb = Settings.model_fields["max_claim_mb"].default
    assert f"INDEMNISATION_MAX_CLAIM_MB:-{default_claim_mb}" in provision
    env = (DEPLOY / "indemnisation.env.example").read_text()
    assert "INDEMNISATION_TRUSTED_PROXY_HOPS=1" in env  # nginx is the one hop


def test_env_template_sets_what_production_requires() -> None:
    env = (DEPLOY / "indemnisation.env.example").read_text()
    for name in ("ENV=prod", "SECRET_KEY=", "DATABASE_URL=postgresql", "REDIS_URL=redis://:"):
        assert f"INDEMNISATION_{name}" in env, name
    assert "INDEMNISATION_PUBLIC_BASE_URL=https://" in env
    assert "INDEMNISATION_SMTP_HOST=" in env


def test_fail2ban_filter_matches_the_apps_failed_login_line() -> None:
    record = logging.makeLogRecord(
        {
            "name": "indemnisation.services.accounts",
            "levelno": logging.WARNING,
            "levelname": "WARNING",
            "msg": "failed login",
            "ip": "203.0.113.7",
        }
    )
    line = JsonFormatter().format(record)
    filter_text = (DEPLOY / "fail2ban" / "indemnisation.conf").read_text()
    failregex = re.search(r"^failregex = (.+)$", filter_text, re.M)
    assert failregex
    pattern = failregex.group(1).replace("<HOST>", r"(?P<host>[0-9a-fA-F.:]+)")
    found = re.search(pattern, line)
    assert found and found.group("host") == "203.0.113.7", line


def test_backup_tool_speaks_libpq_and_names_the_scratch_database() -> None:
    import backup_tool

    url = "postgresql+psycopg://indemnisation:s3cret@/indemnisation?host=/var/run/postgresql"
    assert backup_tool.libpq_url(url).startswith("postgresql://indemnisation:s3cret@/")
    assert "/indemnisation_restorecheck?" in backup_tool.scratch_url(backup_tool.libpq_url(url))
    with pytest.raises(backup_tool.BackupError):
        backup_tool.libpq_url("sqlite:///data/x.db")


def test_the_app_never_needs_eval_under_the_csp() -> None:
    """The site's CSP has no 'unsafe-eval'; Reflex runs rx.call_script with eval."""
    site = (ROOT / "deploy" / "nginx" / "indemnisation-site.conf").read_text()
    csp = [line for line in site.splitlines() if "add_header Content-Security-Policy" in line]
    assert csp and all("unsafe-eval" not in line for line in csp)
    users = [
        str(path)
        for path in (ROOT / "indemnisation").rglob("*.py")
        if "call_script" in path.read_text()
    ]
    assert users == []
