"""Forged arguments that once raised inside a handler (an unhandled error instead of a message)
or slipped past the audit log; each now gets a refusal, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from reflex.state import BaseState

from indemnisation.states.audit_log import AuditState
from indemnisation.states.auth import AccountState, LoginState, RegisterState
from indemnisation.states.claim_admin import ClaimAdminState
from indemnisation.states.claim_page import ClaimPageState
from indemnisation.states.claims_queue import QueueState
from indemnisation.states.inbox import InboxState
from indemnisation.states.thread import ThreadState
from indemnisation.states.users_admin import UsersState
from indemnisation.states.wizard import WizardState
from tests.conftest import PASSWORD
from tests.security.attack import attack
from tests.security.matrix import MATRIX, Case
from tests.security.world import World

NUL, SURROGATE = "a\x00b", "a\ud800b"
"""Both reach a handler from a client's JSON; PostgreSQL refuses the first in text, and the
second has no UTF-8 form at all."""


async def _run(world: World, cls: type[BaseState], handler: str, args: Any, caller: str) -> Any:
    case = MATRIX[cls.__name__][handler]
    assert isinstance(case, Case)
    return await attack(
        world,
        cls,
        handler,
        args,
        caller=caller,
        path=case.page(world),
        before=case.before,
        force=case.force(world),
    )


JUNK_FILES = [None, "piece.pdf", 42, {"name": "x.pdf"}, [None, "x", 3]]


@pytest.mark.parametrize("files", JUNK_FILES)
@pytest.mark.parametrize(
    ("cls", "handler"),
    [(WizardState, "upload"), (ClaimPageState, "upload_requested"), (ThreadState, "send_files")],
)
async def test_an_upload_handler_called_without_files(
    world: World, cls: type[BaseState], handler: str, files: Any
) -> None:
    """Over the websocket, an upload handler can be sent anything in place of its files."""
    state, trace = await _run(world, cls, handler, (files,), "claimant")
    assert not trace.data_changed and not trace.files_changed
    assert not state.uploading if hasattr(state, "uploading") else not state.sending


UNHASHABLE = [["kind"], {"kind": 1}]


@pytest.mark.parametrize("name", UNHASHABLE)
@pytest.mark.parametrize(
    ("cls", "handler", "args"),
    [
        (QueueState, "set_filter", lambda name: (name, "x")),
        (WizardState, "set_disruption_field", lambda name: (name, "x")),
        (WizardState, "set_upload_kind", lambda name: (name,)),
        (WizardState, "set_segment_field", lambda name: (0, name, "x")),
        (WizardState, "set_passenger_field", lambda name: (0, name, "x")),
    ],
)
async def test_a_list_or_dict_as_a_field_name_is_ignored(
    world: World, cls: type[BaseState], handler: str, args: Any, name: Any
) -> None:
    caller = "admin" if cls is QueueState else "claimant"
    state, trace = await _run(world, cls, handler, args(name), caller)
    assert not trace.data_changed
    if cls is WizardState:
        assert state.upload_kind == "BOARDING_PASS" and "kind" not in state.segments[0]


@pytest.mark.parametrize("document_id", ["²", "١٢", "9" * 4000])
async def test_a_document_id_of_other_digits_is_not_found(world: World, document_id: str) -> None:
    """``str.isdigit`` says yes to "²" (int() refuses it) and to 4,000 nines (out of range for
    the database): both are now simply no document."""
    state, trace = await _run(world, WizardState, "remove_document", (document_id,), "claimant")
    assert state.error and not trace.data_changed and not trace.files_changed


@pytest.mark.parametrize("caller", ["intruder", "admin"])
@pytest.mark.parametrize("handler", ["accept_document", "assign"])
async def test_an_admin_action_with_a_superscript_id_is_refused_and_audited(
    world: World, handler: str, caller: str
) -> None:
    state, trace = await _run(world, ClaimAdminState, handler, ("²",), caller)
    assert state.error and not trace.data_changed
    [entry] = trace.audit
    assert entry.refused


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
@pytest.mark.parametrize(
    ("handler", "args"),
    [
        ("accept_document", lambda v: (v,)),
        ("assign", lambda v: (v,)),
        ("confirm_status", lambda v: ({"note": v},)),
        ("confirm_reject", lambda v: ({"reason": v},)),
    ],
)
async def test_a_refusal_of_a_number_json_cannot_hold_is_still_audited(
    world: World, handler: str, args: Any, value: float
) -> None:
    """The audit entry of a refused attempt keeps what was attempted; NaN and infinities (valid
    in Python's JSON, not in PostgreSQL's) are kept as text instead of losing the entry."""
    state, trace = await _run(world, ClaimAdminState, handler, args(value), "intruder")
    assert state.error and not trace.data_changed
    [entry] = trace.audit
    assert entry.refused and entry.actor_id == world.intruder.id


@pytest.mark.parametrize("text", [NUL, SURROGATE])
@pytest.mark.parametrize(
    ("cls", "handler", "args", "caller"),
    [
        (LoginState, "login", lambda w, t: ({"email": t, "password": PASSWORD},), "anonymous"),
        (LoginState, "login", lambda w, t: ({"email": w.owner.email, "password": t},), "anonymous"),
        (
            RegisterState,
            "register",
            lambda w, t: (
                {"email": "n@example.org", "full_name": t, "password": t, "password_confirm": t},
            ),
            "anonymous",
        ),
        (
            AccountState,
            "change_password",
            lambda w, t: ({"current_password": t, "new_password": t, "new_password_confirm": t},),
            "claimant",
        ),
        (ClaimAdminState, "confirm_status", lambda w, t: ({"note": t},), "admin"),
        (ClaimAdminState, "confirm_reject", lambda w, t: ({"reason": t},), "admin"),
    ],
)
async def test_text_the_database_cannot_store_gets_a_message(
    world: World, cls: type[BaseState], handler: str, args: Any, caller: str, text: str
) -> None:
    state, trace = await _run(world, cls, handler, args(world, text), caller)
    assert state.error
    assert not trace.data_changed or cls is LoginState  # a failed login is counted
    assert all(entry.refused for entry in trace.audit)


@pytest.mark.parametrize("text", [NUL, SURROGATE])
@pytest.mark.parametrize(
    ("cls", "handler", "args"),
    [
        (InboxState, "set_search", lambda t: (t,)),
        (UsersState, "set_search", lambda t: (t,)),
        (AuditState, "set_claim", lambda t: (t,)),
        (QueueState, "set_filter", lambda t: ("search", t)),
    ],
)
async def test_a_search_the_database_cannot_run_is_ignored(
    world: World, cls: type[BaseState], handler: str, args: Any, text: str
) -> None:
    state, trace = await _run(world, cls, handler, args(text), "admin")
    assert not trace.data_changed
    assert text not in (state.search if hasattr(state, "search") else state.claim)


@pytest.mark.parametrize("text", [SURROGATE, "\ud83d"])
async def test_a_message_with_a_lone_surrogate_is_posted_without_it(
    world: World, text: str
) -> None:
    state, trace = await _run(
        world, ThreadState, "send", ({"content": f"Bonjour {text}", "key": "k" * 20},), "claimant"
    )
    assert state.error == "" and "messages" in trace.changed_tables


@pytest.mark.parametrize("progress", [float("nan"), float("inf"), -float("inf")])
async def test_an_upload_progress_that_is_not_a_number_is_ignored(
    world: World, progress: float
) -> None:
    state, _ = await _run(world, WizardState, "on_progress", ({"progress": progress},), "claimant")
    assert state.upload_progress == 0
