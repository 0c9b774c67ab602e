"""The migrations build exactly the schema the models describe, on the configured database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import indemnisation.models  # noqa: F401
from indemnisation.db import get_engine
from indemnisation.migrations import alembic_config


def test_models_and_migrations_do_not_drift() -> None:
    with get_engine().connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], f"run: alembic revision --autogenerate ({differences})"


def test_database_is_at_the_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    with get_engine().connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert set(current) == set(script.get_heads())


def test_every_migration_downgrades_and_upgrades_again() -> None:
    from alembic import command
    from indemnisation.migrations import upgrade_to_head

    command.downgrade(alembic_config(), "base")
    upgrade_to_head()
    test_models_and_migrations_do_not_drift()
