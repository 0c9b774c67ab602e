"""Production refuses unsafe settings at start, with a message that names what to set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indemnisation.settings import DEV_SECRET, Settings, UnsafeSettingsError

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_are_an_embedded_sqlite_database_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="", redis_url="", _env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == f"sqlite:///{tmp_path / 'indemnisation.db'}"
    assert settings.private_dir == tmp_path / "private"
    assert settings.redis_url == ""


def test_production_refuses_the_development_secret() -> None:
    settings = Settings(env="prod", secret_key=DEV_SECRET, database_url="", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(UnsafeSettingsError) as caught:
        settings.check_production()
    message = str(caught.value)
    for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL", "SMTP_HOST"):
        assert f"INDEMNISATION_{name}" in message


def test_safe_production_settings_pass() -> None:
    Settings(
        env="prod",
        secret_key="s" * 48,
        database_url="postgresql+psycopg://app@localhost/app",
        public_base_url="https://indemnisation.example",
        smtp_host="smtp.example",
        _env_file=None,  # type: ignore[call-arg]
    ).check_production()


def test_the_app_does_not_start_in_production_with_unsafe_settings() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INDEMNISATION_")}
    env.update(INDEMNISATION_ENV="prod", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", "import indemnisation.indemnisation"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert "INDEMNISATION_SECRET_KEY" in result.stderr
