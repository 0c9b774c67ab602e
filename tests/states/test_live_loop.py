"""The live loop's promise to open tabs: a wake-up that changes nothing the tab shows takes no
state lock, yet a loop nobody wants any more still ends (its tab went to another page)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from indemnisation.states import live


class CountingTab:
    """Counts how often the loop takes the tab's state lock."""

    def __init__(self) -> None:
        self.locks = 0
        self.router = SimpleNamespace(session=SimpleNamespace(client_token="tab"))

    async def __aenter__(self) -> CountingTab:
        self.locks += 1
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


@pytest.fixture(autouse=True)
def quick_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "connected_here", lambda token: True)
    monkeypatch.setattr(live, "WAKE_SECONDS", 0.01)
    monkeypatch.setattr(live, "CHECK_SECONDS", 0.3)


async def _run(
    tab: CountingTab, read: Any, wanted: Any, wakes: list[Any], pace: float | None = None
) -> None:
    async def on_wake(hint: Any, found: Any) -> None:
        wakes.append(found)

    loop = live.run_live(tab, ["quiet-tab"], token="tab", still_wanted=wanted, on_wake=on_wake,
                         read=read, wake_seconds=pace)  # fmt: skip
    async for _ in loop:
        pass


async def test_skipped_wake_ups_take_no_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "CHECK_SECONDS", 60.0)
    tab, reads, wakes = CountingTab(), [], []

    async def read(hint: Any) -> object:
        reads.append(hint)
        return live.SKIP

    task = asyncio.create_task(_run(tab, read, lambda: True, wakes))
    while len(reads) < 20:
        await asyncio.sleep(0.01)
    task.cancel()
    assert tab.locks == 0 and wakes == []


async def test_a_loop_nobody_wants_ends_though_every_wake_up_was_skipped() -> None:
    tab, wakes = CountingTab(), []

    async def read(hint: Any) -> object:
        return live.SKIP

    await asyncio.wait_for(_run(tab, read, lambda: False, wakes), 5)
    assert tab.locks == 1 and wakes == []


async def test_a_change_takes_the_lock_at_once() -> None:
    tab, wakes = CountingTab(), []

    async def read(hint: Any) -> object:
        return "changed"

    wanted = iter([True, False])
    await asyncio.wait_for(_run(tab, read, lambda: next(wanted), wakes), 5)
    assert wakes == ["changed"] and tab.locks == 2


async def test_a_loop_may_wake_at_its_own_slower_pace() -> None:
    tab, reads, wakes = CountingTab(), [], []

    async def read(hint: Any) -> object:
        reads.append(hint)
        return live.SKIP

    task = asyncio.create_task(_run(tab, read, lambda: True, wakes, pace=60.0))
    await asyncio.sleep(0.3)  # thirty periods of the default pace patched above
    task.cancel()
    assert reads == []
