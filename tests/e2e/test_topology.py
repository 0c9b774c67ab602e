"""The server runs the topology the test half asks for: one worker on SQLite, two behind Redis."""

from __future__ import annotations

import pytest

from indemnisation.settings import get_settings
from tests.e2e.conftest import process_group

pytestmark = pytest.mark.e2e


def test_worker_count_matches_the_backend(server: tuple[str, int]) -> None:
    processes = [cmd for cmd in process_group(server[1]) if "reflex run" in cmd]
    expected_workers = 2 if get_settings().redis_url else 1
    assert len(processes) == 1 + expected_workers, processes  # the supervisor and its workers
