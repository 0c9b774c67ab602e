"""Run Alembic migrations from code (CLI, start-up script, tests)."""

from __future__ import annotations

from typing import Any

from alembic.config import Config

from alembic import command
from indemnisation.settings import ROOT


def alembic_config() -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    return config


# Expression, covering and trigram indexes (PostgreSQL only) that autogenerate cannot compare
# (it skips them on the model side but reflects them from the database); their migration creates
# them by hand.
EXPRESSION_INDEXES = frozenset(
    {"ix_messages_fts", "ix_claims_outcomes", "ix_users_email_trgm", "ix_users_full_name_trgm"}
)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def upgrade_to_head() -> None:
    command.upgrade(alembic_config(), "head")
