"""The migrations build exactly the schema the models describe, on the configured database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

import indemnisation.models  # noqa: F401
from indemnisation.db import get_engine
from indemnisation.migrations import alembic_config, include_object


def test_models_and_migrations_do_not_drift() -> None:
    with get_engine().connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": True, "include_object": include_object},
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


def test_postgresql_has_the_full_text_index() -> None:
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        pytest.skip("full-text search index exists on PostgreSQL only")
    with engine.connect() as connection:
        definition = connection.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_messages_fts'")
        ).scalar_one()
    assert "gin" in definition and "to_tsvector('simple'::regconfig, content)" in definition
