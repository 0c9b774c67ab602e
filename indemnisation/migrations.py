"""Run Alembic migrations from code (CLI, start-up script, tests)."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from indemnisation.settings import ROOT


def alembic_config() -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    return config


def upgrade_to_head() -> None:
    command.upgrade(alembic_config(), "head")
