"""Property-based fuzzing of the arguments of every event handler of the matrix, as each of the
four callers: strings (huge, unicode, NUL, lone surrogates, digits that are not ASCII), numbers
(negative, huge, NaN), None, lists, dicts, and the ids of other people's objects. Whatever is
sent:

- the handler never raises (a forged event gets an error message or nothing, not a traceback);
- a call the matrix refuses to this caller leaves the data as it was, whatever the arguments;
- a call that ends on an error message wrote nothing (no partial write), but for the handlers
  that keep the good part of a batch on purpose (PARTIAL_BY_DESIGN);
- the caller's state never holds a text of someone whose data they may not see.

A few examples per handler and caller by default; INDEMNISATION_FUZZ=long runs many more (see
conftest.py).
"""

from __future__ import annotations

import asyncio
import inspect
import typing
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reflex.state import BaseState

from indemnisation.states.session import SessionState
from tests.security.attack import attack
from tests.security.conftest import fuzz_settings
from tests.security.matrix import ALLOW, REFUSE, Case, all_handlers, entry, upload
from tests.security.world import CALLERS, World

PARTIAL_BY_DESIGN = {
    "LoginState.login": "a failed login is counted (throttling) and says so",
    "WizardState.upload": "each good file is kept, each refused one says why",
}

SPECIAL_TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "²",
    "١٢",
    "9" * 5000,
    "1" * 11,
    "x" * 100_000,
    "é" * 3000,
    "\u202e\u200b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "_",
    "../../etc/passwd",
    "IND-2026-000001",
    "all",
    "none",
    "me",
    "on",
    "true",
    "ADMIN",
    "CLAIMANT",
    "fr",
    "en",
    "2026-02-30",
    "2026-03-14",
    "-1",
    "1e9",
    "NaN",
    "PAID",
    "IN_REVIEW",
    "NEEDS_INFO",
    "WITHDRAWN",
    "departure",
    "arrival",
    "flight_number",
    "full_name",
    "kind",
    "is_minor",
    "search",
    "status",
    "amount",
    "deactivate",
    "role",
    "reset",
]
FORM_KEYS = [
    "content",
    "key",
    "note",
    "reason",
    "email",
    "password",
    "password_confirm",
    "full_name",
    "signer_name",
    "consent",
    "current_password",
    "new_password",
    "new_password_confirm",
    "progress",
]
NUMBERS = [0, -1, 1, 2**31 - 1, 2**31, 2**63, -(2**63), 10**30, 10**4200]
"""10**4200: about the largest integer Python's JSON decoder accepts (4,300 digits)."""


def client_values(world: World) -> st.SearchStrategy[Any]:
    """Anything a websocket client can send as one argument (JSON decoded by Python)."""
    ids = [
        world.claim,
        world.asked,
        world.draft,
        world.claim_document,
        world.draft_document,
        world.message,
        world.attachment,
        world.reply,
        world.canned,
        world.owner.id,
        world.intruder.id,
        world.admin.id,
        world.colleague.id,
    ]
    texts = st.one_of(
        st.sampled_from(SPECIAL_TEXTS),
        st.text(st.characters(exclude_categories=()), max_size=40),
        st.sampled_from([str(i) for i in ids]),
    )
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from(ids + NUMBERS),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        texts,
    )
    keys = st.one_of(st.sampled_from(FORM_KEYS), texts)
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
        max_leaves=8,
    )


def uploads() -> st.SearchStrategy[Any]:
    names = st.sampled_from(["a.pdf", "b.png", "../../x.pdf", "\x00.pdf", "é" * 300, ""])
    files = st.lists(
        st.tuples(names, st.binary(max_size=2048)).map(lambda f: upload(f[0] or "x", f[1])),
        max_size=3,
    )
    return files


def _is_upload(hint: Any) -> bool:
    return "UploadFile" in str(hint)


def arguments(world: World, fn: Callable[..., Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    """One strategy per parameter of the handler (files where it takes uploads, and junk too)."""
    hints = typing.get_type_hints(fn)
    params = list(inspect.signature(fn).parameters)[1:]
    values = client_values(world)
    return st.tuples(
        *(st.one_of(uploads(), values) if _is_upload(hints.get(p)) else values for p in params)
    )


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**100 else "<huge int>"
    return text if len(text) < 300 else text[:300] + "…"


def _cases() -> list[Any]:
    return [
        pytest.param(cls, name, caller, id=f"{cls.__name__}.{name}-{caller}")
        for cls, name in all_handlers()
        if isinstance(entry(cls, name), Case)
        for caller in CALLERS
    ]


@pytest.mark.parametrize(("cls", "handler", "caller"), _cases())
def test_fuzz_handler(
    world: World, restore: Callable[[], None], cls: type[BaseState], handler: str, caller: str
) -> None:
    case = entry(cls, handler)
    assert isinstance(case, Case)
    name = f"{cls.__name__}.{handler}"
    fn = cls.event_handlers[handler].fn
    refused = case.expect[caller] == REFUSE
    with asyncio.Runner() as runner:

        @fuzz_settings()
        @given(args=arguments(world, fn))
        def one(args: tuple[Any, ...]) -> None:
            try:
                state, trace = runner.run(
                    attack(
                        world,
                        cls,
                        handler,
                        args,
                        caller=caller,
                        path=case.page(world),
                        before=case.before,
                        force=case.force(world),
                        background=case.background,
                    )
                )
            except Exception as error:
                raise AssertionError(
                    f"{name}{_short(args)} as {caller} raised {error!r}"
                ) from error
            finally:
                restore()
            error_shown = bool(getattr(state, "error", ""))
            if refused:
                assert not trace.data_changed, (
                    f"{name}{_short(args)}: refused, wrote {trace.changed_tables}"
                )
                assert all(e.refused for e in trace.audit)
            elif error_shown and name not in PARTIAL_BY_DESIGN:
                assert not trace.data_changed, (
                    f"{name}{_short(args)}: error, wrote {trace.changed_tables}"
                )
            now = case.becomes if case.expect[caller] == ALLOW and case.becomes else caller
            shown = [m for m in world.forbidden_markers(now) if m in trace.shown]
            assert not shown, f"{name}{_short(args)} showed {caller} {shown}"

        one()


@pytest.mark.parametrize("handler", ["load_session", "guard_signed_in", "set_language", "logout"])
def test_fuzz_cookies(world: World, restore: Callable[[], None], handler: str) -> None:
    """The session and language cookies come from the browser as any JSON value (Reflex's
    ``update_vars_internal`` sets the cookie vars to what it is sent): whatever they hold, the
    next handler signs nobody in, raises nothing and writes nothing."""
    values = client_values(world)
    with asyncio.Runner() as runner:

        @fuzz_settings()
        @given(session=values, language=values, argument=values)
        def one(session: Any, language: Any, argument: Any) -> None:
            try:
                state, trace = runner.run(
                    attack(
                        world,
                        SessionState,
                        handler,
                        (argument,) if handler == "set_language" else (),
                        caller="anonymous",
                        path="/account",
                        force={"auth_token": session, "locale": language},
                    )
                )
            except Exception as error:
                raise AssertionError(
                    f"{handler} with cookies {_short(session)}, {_short(language)} raised {error!r}"
                ) from error
            finally:
                restore()
            assert state.user_role == "" and not trace.data_changed

        one()
