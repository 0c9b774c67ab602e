"""The authorization matrix of the event handlers: every handler of every registered state,
called by an anonymous client, a claimant on someone else's claim, a claimant calling an admin
action and an admin (see matrix.py for what each must get)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from reflex.state import BaseState

from tests.security.attack import Trace, attack, bare_state
from tests.security.matrix import (
    ALLOW,
    INERT,
    MATRIX,
    REFUSE,
    SETVAR,
    Case,
    Framework,
    all_handlers,
    all_states,
    entry,
)
from tests.security.world import CALLERS, World

REFUSAL_PAGES = ("/login", "/forbidden", "/claims")
"""Where a refused page load sends the person (the wizard of a claim not theirs: their list)."""


def _cases(kind: type[Case] | type[Framework]) -> list[Any]:
    """Every classified handler of ``kind`` with each caller (Reflex's handlers that only run
    inside its event processor are listed, not called)."""
    return [
        pytest.param(cls, name, caller, id=f"{cls.__name__}.{name}-{caller}")
        for cls, name in all_handlers()
        if isinstance(line := entry(cls, name), kind)
        and (not isinstance(line, Framework) or line.runs_here)
        for caller in CALLERS
    ]


def test_every_handler_is_classified() -> None:
    """A handler added to any state without its line in the matrix fails here."""
    names = [cls.__name__ for cls in all_states()]
    assert len(names) == len(set(names)), "two states share a class name"
    listed = {(cls.__name__, name) for cls, name in all_handlers()}
    unclassified = sorted(
        f"{state}.{name}"
        for state, name in listed
        if name != SETVAR and name not in MATRIX.get(state, {})
    )
    assert not unclassified, f"handlers nobody reviewed: {unclassified}"
    stale = sorted(
        f"{state}.{name}"
        for state, lines in MATRIX.items()
        for name in lines
        if (state, name) not in listed
    )
    assert not stale, f"the matrix names handlers that do not exist: {stale}"
    for lines in MATRIX.values():
        for line in lines.values():
            assert set(line.expect) == set(CALLERS)


def test_setvar_reaches_only_classified_handlers() -> None:
    """Reflex's ``setvar(name, value)`` calls ``set_<name>``; with auto setters off, only the
    handlers the app wrote answer, and each is in the matrix. No state var (the claim of the
    page, the user's role, the session cookie, a pending action) can be written through it."""
    for cls in all_states():
        assert SETVAR in cls.event_handlers
        for name in (n for n in dir(cls) if n.startswith("set_")):
            owner = next(k for k in cls.__mro__ if name in k.__dict__)
            assert entry(owner, name) is not None, f"{cls.__name__}.{name} reachable by setvar"
        state = bare_state(cls)
        private = [
            name
            for klass in cls.__mro__
            if klass.__module__.startswith("indemnisation.")
            for name in inspect.get_annotations(klass)
            if name.startswith("_") and not name.startswith("__")
        ]
        names = [*cls.base_vars, *private]
        for var in (n for n in names if not hasattr(cls, f"set_{n}")):
            before = getattr(state, var)
            with pytest.raises(AttributeError):
                cls.event_handlers[SETVAR].fn(state, var, "forged")
            assert getattr(state, var) == before


def _error(state: Any) -> str:
    return str(getattr(state, "error", ""))


def _check_refused(case: Case, caller: str, state: Any, trace: Trace, world: World) -> None:
    if case.background:
        assert not trace.still_running and not trace.subscribed, "a refused live loop listened"
    elif case.refused is not None:
        assert case.refused(state), "no sign of the refusal"
    else:
        redirected = any(t.split("?")[0] in REFUSAL_PAGES for t in trace.redirects())
        assert _error(state) or redirected, "refused without a message or a redirect"
    assert not trace.changed_tables, f"a refused call changed {trace.changed_tables}"
    assert not trace.files_changed, "a refused call changed the private files"
    assert not trace.hints, f"a refused call sent live hints: {trace.hints}"
    assert all(entry.refused for entry in trace.audit), "a refused call audited a change"
    if case.audited:
        [entry] = trace.audit
        user = world.user(caller)
        assert entry.actor_id == (user.id if user else None)
        assert entry.note in ("error.forbidden", "error.not_authenticated")
    else:
        assert trace.audit == []


def _check_allowed(case: Case, state: Any, trace: Trace) -> None:
    refusals = [t for t in trace.redirects() if t.split("?")[0] in ("/login", "/forbidden")]
    assert refusals == ([case.redirect] if case.redirect else []), "an allowed call redirected"
    if case.allowed is not None:
        assert case.allowed(state), "the allowed call did not do its work"
    else:
        assert _error(state) == "", f"an allowed call failed: {_error(state)}"
    if case.background:
        assert trace.subscribed, "an allowed live loop never listened"
    if case.effect:
        assert trace.data_changed or trace.audit, "an allowed call wrote nothing"
    if case.shows:
        assert case.shows in trace.shown
    assert not [entry for entry in trace.audit if entry.refused]


def _check_inert(caller: str, trace: Trace) -> None:
    assert not trace.changed_tables, f"an inert call changed {trace.changed_tables}"
    assert not trace.files_changed and trace.audit == []
    if caller in ("anonymous", "intruder"):
        assert not trace.hints, f"live hints sent for {caller}: {trace.hints}"


@pytest.mark.parametrize(("cls", "handler", "caller"), _cases(Case))
async def test_handler(world: World, cls: type[BaseState], handler: str, caller: str) -> None:
    case = entry(cls, handler)
    assert isinstance(case, Case)
    state, trace = await attack(
        world,
        cls,
        handler,
        case.args(world),
        caller=caller,
        path=case.page(world),
        before=case.before,
        force=case.force(world),
        background=case.background,
    )
    expected = case.expect[caller]
    now = case.becomes if expected == ALLOW and case.becomes else caller
    leaked = [marker for marker in world.forbidden_markers(now) if marker in trace.shown]
    assert not leaked, f"{caller} was shown {leaked}"
    if expected == REFUSE:
        _check_refused(case, caller, state, trace, world)
    elif expected == ALLOW:
        _check_allowed(case, state, trace)
    else:
        assert expected == INERT
        _check_inert(caller, trace)


@pytest.mark.parametrize(("cls", "handler", "caller"), _cases(Framework))
async def test_framework_handler(
    world: World, cls: type[BaseState], handler: str, caller: str
) -> None:
    line = entry(cls, handler)
    assert isinstance(line, Framework)
    _, trace = await attack(world, cls, handler, line.args(world), caller=caller, path="/claims")
    leaked = [marker for marker in world.forbidden_markers(caller) if marker in trace.shown]
    assert not leaked, f"{caller} was shown {leaked}"
    _check_inert(caller, trace)
