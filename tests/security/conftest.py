"""The security suite's fixtures: one world per module, put back after every attack (the suite's
own ``clean_state``, which empties every table after each test, is overridden here), and the
hypothesis settings of the fuzzing runs.

``INDEMNISATION_FUZZ=long`` selects the long fuzzing run (``INDEMNISATION_FUZZ_EXAMPLES``
examples per handler and caller, 200 by default); the default run tries a few per handler.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.security.world import Snapshot, World, build_world, empty_tables, forget_redis_keys

settings.register_profile(
    "security-quick",
    max_examples=int(os.environ.get("INDEMNISATION_FUZZ_EXAMPLES", "4")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "security-long",
    max_examples=int(os.environ.get("INDEMNISATION_FUZZ_EXAMPLES", "200")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def fuzz_settings() -> settings:
    long = os.environ.get("INDEMNISATION_FUZZ", "") == "long"
    return settings.get_profile("security-long" if long else "security-quick")


@pytest.fixture(scope="module")
def world_snapshot(
    migrated_database: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[World, Snapshot]]:
    empty_tables()
    forget_redis_keys()
    world = build_world()
    yield world, Snapshot(tmp_path_factory.mktemp("world-files"))
    empty_tables()
    forget_redis_keys()


@pytest.fixture(scope="module")
def world(world_snapshot: tuple[World, Snapshot]) -> World:
    return world_snapshot[0]


@pytest.fixture(autouse=True)
def clean_state(world_snapshot: tuple[World, Snapshot]) -> Iterator[None]:
    """After each test the world is as it was built (rows, files, Redis)."""
    yield
    world_snapshot[1].restore()
    forget_redis_keys()


@pytest.fixture
def restore(world_snapshot: tuple[World, Snapshot]) -> Any:
    """Put the world back in the middle of a test (between two fuzzed examples)."""

    def put_back() -> None:
        world_snapshot[1].restore()
        forget_redis_keys()

    return put_back
