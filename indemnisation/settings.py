"""Every setting of the application, read once from the environment (prefix ``INDEMNISATION_``).

Each field is documented in README.md. In production (``INDEMNISATION_ENV=prod``) unsafe values stop
the process at start with a message that names the variable to set.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-secret-key-change-me-in-production-0000"  # noqa: S105  (refused in prod)


class UnsafeSettingsError(RuntimeError):
    """Raised at start when a production setting is missing or unsafe."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INDEMNISATION_", env_file=".env", extra="ignore")

    env: Literal["dev", "test", "prod"] = "dev"
    data_dir: Path = ROOT / "data"
    database_url: str = ""
    redis_url: str = ""
    secret_key: str = DEV_SECRET
    upload_dir: Path | None = None
    public_base_url: str = "http://localhost:3000"
    port: int = 3000

    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "Indemnisation <no-reply@indemnisation.local>"

    session_days: int = Field(default=14, ge=1, le=90)
    reset_token_minutes: int = Field(default=60, ge=5, le=60)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_minutes: int = Field(default=15, ge=1, le=15)
    login_max_failures_per_ip: int = Field(default=30, ge=1)

    max_file_mb: int = Field(default=10, ge=1, le=100)
    max_claim_mb: int = Field(default=50, ge=1, le=1000)
    download_link_seconds: int = Field(default=300, ge=30, le=3600)
    away_email_minutes: float = Field(default=2, ge=0.05, le=1440)
    away_check_seconds: float = Field(default=30, ge=0.5, le=600)

    fee_percent: Decimal = Decimal("25")
    vat_percent: Decimal = Decimal("20")

    # The company as it signs the demand letters to airlines and is paid by them.
    company_name: str = "Indemnisation"
    company_address: str = "1 rue de l'Exemple | 75001 Paris | France"  # lines split on |
    company_email: str = "reclamations@indemnisation.local"
    company_iban: str = "FR76 3000 6000 0112 3456 7890 189"
    company_bic: str = "TESTFRPPXXX"
    letter_payment_days: int = Field(default=14, ge=7, le=60)

    flight_api_key: str = ""
    flight_api_base_url: str = "https://aerodatabox.p.rapidapi.com"
    flight_api_timeout_seconds: float = 8.0

    trusted_proxy_hops: int = 0
    log_json: bool | None = None

    @model_validator(mode="after")
    def _derive_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'indemnisation.db'}"
        if self.upload_dir is None:
            self.upload_dir = self.data_dir / "private"
        return self

    @property
    def is_prod(self) -> bool:
        return self.env == "prod"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def outbox_dir(self) -> Path:
        """Where emails go when no SMTP server is configured."""
        return self.data_dir / "outbox"

    @property
    def private_dir(self) -> Path:
        assert self.upload_dir is not None
        return self.upload_dir

    @property
    def json_logs(self) -> bool:
        return self.is_prod if self.log_json is None else self.log_json

    def check_production(self) -> None:
        """Refuse to run in production with values that are only fit for a laptop."""
        if not self.is_prod:
            return
        problems: list[str] = []
        if self.secret_key == DEV_SECRET or len(self.secret_key) < 32:
            problems.append(
                "INDEMNISATION_SECRET_KEY must be set to a random value of at least 32 characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if self.is_sqlite:
            problems.append("INDEMNISATION_DATABASE_URL must point to PostgreSQL in production")
        if not self.public_base_url.startswith("https://"):
            problems.append(
                "INDEMNISATION_PUBLIC_BASE_URL must be an https:// address in production"
            )
        if not self.smtp_host:
            problems.append("INDEMNISATION_SMTP_HOST must be set in production (emails must leave)")
        if problems:
            raise UnsafeSettingsError(
                "Refusing to start in production:\n- " + "\n- ".join(problems)
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
