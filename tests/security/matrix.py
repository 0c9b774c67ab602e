"""Who may call each event handler: every handler of every state of the app is classified here,
with the page it runs on, what it aims at and the arguments a real page sends.

For each of the four callers (see world.CALLERS) a case expects one of:

- ALLOW: the call does its work (no error; ``effect``: it writes; ``shows``: the caller then
  sees that text);
- REFUSE: the caller gets a clear refusal (an error, a redirect to /login, /forbidden or back to
  the list, or the ``refused`` sign of the case), and nothing is left behind: no row, no file, no
  live hint, no private text in the caller's state; the only trace allowed is one audit entry
  marked refused, and it is required where the code promises one (``audited``);
- INERT: the handler only changes what the caller's own page shows; nothing is written, hinted
  or leaked, whoever calls it.

``test_every_handler_is_classified`` fails when a state gains a handler this table does not
know, so a new handler cannot ship without its line here.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import reflex as rx
from reflex.state import BaseState, State

import indemnisation.indemnisation  # noqa: F401  (registers every page and state)
from tests.claim_factory import pdf_bytes, png_bytes
from tests.conftest import PASSWORD
from tests.security.world import PROOF, World

ALLOW, REFUSE, INERT = "allow", "refuse", "inert"

ADMIN_ONLY = {"anonymous": REFUSE, "intruder": REFUSE, "claimant": REFUSE, "admin": ALLOW}
OWNER_ONLY = {"anonymous": REFUSE, "intruder": REFUSE, "claimant": ALLOW, "admin": REFUSE}
PARTICIPANTS = {"anonymous": REFUSE, "intruder": REFUSE, "claimant": ALLOW, "admin": ALLOW}
CLAIMANTS = {"anonymous": REFUSE, "intruder": ALLOW, "claimant": ALLOW, "admin": REFUSE}
SIGNED_IN = {"anonymous": REFUSE, "intruder": ALLOW, "claimant": ALLOW, "admin": ALLOW}
PUBLIC = {"anonymous": ALLOW, "intruder": ALLOW, "claimant": ALLOW, "admin": ALLOW}
NOBODY = {"anonymous": REFUSE, "intruder": REFUSE, "claimant": REFUSE, "admin": REFUSE}
LOCAL = {"anonymous": INERT, "intruder": INERT, "claimant": INERT, "admin": INERT}
"""Only the caller's own page changes."""
OWN_ACCOUNT = {"anonymous": INERT, "intruder": ALLOW, "claimant": ALLOW, "admin": ALLOW}
"""Acts on the caller's own account when there is one, on nothing otherwise."""

Args = Callable[[World], tuple[Any, ...]]
Force = Callable[[World], dict[str, Any]]


def _none(_: World) -> tuple[Any, ...]:
    return ()


def _nothing(_: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Case:
    expect: Mapping[str, str]
    path: str = "/"
    """The page, with {claim}, {asked}, {draft} and {owner} filled from the world."""
    args: Args = _none
    before: tuple[str, ...] = ()
    """Handlers of the same state run first as the caller (the page's own load)."""
    force: Force = _nothing
    """State vars set before the call: what the attack aims at, the worst a client can reach."""
    refused: Callable[[Any], bool] | None = None
    """The sign of a refusal when it is neither an error nor a redirect."""
    allowed: Callable[[Any], bool] | None = None
    """What an allowed call must leave in the caller's state."""
    effect: bool = False
    """An allowed call writes (rows, or an audit entry)."""
    shows: str = ""
    """A text an allowed caller must then see (the read really happened)."""
    audited: bool = False
    """A refused call leaves exactly one audit entry, marked refused, by the caller."""
    background: bool = False
    """A live loop: refused, it ends at once; allowed, it keeps running."""
    redirect: str = ""
    """Where an allowed call sends the person, when it is /login (a logout)."""
    becomes: str = ""
    """The caller the tab belongs to after an allowed call (a login), if another one."""
    note: str = ""

    def page(self, world: World) -> str:
        return self.path.format(
            claim=world.claim, asked=world.asked, draft=world.draft, owner=world.owner.id
        )


@dataclass(frozen=True)
class Framework:
    """A handler Reflex adds to every app (or to every state): not the app's own code."""

    why: str
    expect: Mapping[str, str] = field(default_factory=lambda: LOCAL)
    args: Args = _none
    runs_here: bool = True
    """False: it needs Reflex's event processor around it (it is left to Reflex's own tests)."""


def upload(name: str, data: bytes) -> rx.UploadFile:
    """A file as the upload endpoint hands it to a handler (the name is the client's)."""
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def _ids(**names: Callable[[World], Any]) -> Force:
    return lambda world: {key: fn(world) for key, fn in names.items()}


def _error(state: Any) -> bool:
    return bool(getattr(state, "error", ""))


def _not(name: str) -> Callable[[Any], bool]:
    return lambda state: not getattr(state, name)


def _is(name: str) -> Callable[[Any], bool]:
    return lambda state: bool(getattr(state, name))


CLAIM = "/claims/{claim}"
ADMIN_CLAIM = "/admin/claims/{claim}"
WIZARD = "/claims/{draft}/edit"
FLIGHT = {"flight_number": "AF6", "date": "2026-03-14", "departure": "CDG", "arrival": "JFK"}
CORRECTED_DELAY = {
    "kind": "delay",
    "airline_reason": "technical_fault",
    "segment": "0",
    "scheduled_arrival": "2026-03-14T13:05",
    "actual_arrival": "2026-03-14T16:35",
}
"""The world's claim with a corrected arrival time (see claim_factory.eligible_draft)."""
PASSENGER = {
    "full_name": "Pierre Passager",
    "email": "pierre@example.org",
    "phone": "",
    "is_minor": "",
}

_session: dict[str, Case | Framework] = {
    "load_session": Case(LOCAL),
    "guard_signed_in": Case(
        {"anonymous": REFUSE, "intruder": ALLOW, "claimant": ALLOW, "admin": ALLOW},
        path="/account",
    ),
    "guard_claimant": Case(CLAIMANTS, path="/claims"),
    "guard_admin": Case(ADMIN_ONLY, path="/admin"),
    "set_language": Case(OWN_ACCOUNT, args=lambda w: ("en",), effect=True),
    "logout": Case(OWN_ACCOUNT, effect=True, redirect="/login"),
}

MATRIX: dict[str, Mapping[str, Case | Framework]] = {
    "SessionState": _session,
    "LandingState": {"load": Case(LOCAL)},
    "AdminHomeState": {
        "load": Case(ADMIN_ONLY, path="/admin", refused=_not("recent"), shows="Ondine"),
        "load_details": Case(ADMIN_ONLY, path="/admin", refused=_not("details_loaded")),
    },
    "RegisterState": {
        "register": Case(
            PUBLIC,
            path="/register",
            args=lambda w: (
                {
                    "email": "nouvelle@example.org",
                    "full_name": "Nina Nouvelle",
                    "password": PASSWORD,
                    "password_confirm": PASSWORD,
                },
            ),
            effect=True,
        )
    },
    "LoginState": {
        "login": Case(
            PUBLIC,
            path="/login",
            args=lambda w: ({"email": w.intruder.email, "password": PASSWORD},),
            effect=True,
            becomes="intruder",
        )
    },
    "ForgotPasswordState": {
        "request_reset": Case(
            PUBLIC,
            path="/forgot-password",
            args=lambda w: ({"email": w.intruder.email},),
            effect=True,
        )
    },
    "ResetPasswordState": {
        "set_new_password": Case(
            NOBODY,
            path="/reset-password?token=forged-token-not-issued-by-us",
            args=lambda w: ({"password": "New-Horse-4242", "password_confirm": "New-Horse-4242"},),
            note="a forged reset token",
        ),
        "start": Case(LOCAL, path="/reset-password"),
    },
    "AccountState": {
        "change_password": Case(
            SIGNED_IN,
            path="/account",
            args=lambda w: (
                {
                    "current_password": PASSWORD,
                    "new_password": "New-Horse-4242",
                    "new_password_confirm": "New-Horse-4242",
                },
            ),
            effect=True,
        )
    },
    "ClaimsListState": {
        "load": Case(CLAIMANTS, path="/claims", refused=_not("loaded"), allowed=_is("loaded")),
        "new_claim": Case(CLAIMANTS, path="/claims", effect=True),
    },
    "ClaimPageState": {
        "load": Case(
            PARTICIPANTS, path=CLAIM, refused=_not("found"), allowed=_is("found"), shows="IND-"
        ),
        "refresh": Case(
            PARTICIPANTS,
            path=CLAIM,
            force=_ids(claim_id=lambda w: w.claim),
            refused=_not("found"),
            allowed=_is("found"),
            shows="IND-",
        ),
        "withdraw": Case(OWNER_ONLY, path=CLAIM, before=("load",), effect=True),
        "upload_requested": Case(
            OWNER_ONLY,
            path="/claims/{asked}",
            before=("load",),
            args=lambda w: ([upload("demande.pdf", pdf_bytes())], PROOF),
            effect=True,
        ),
    },
    "WizardState": {
        "load": Case(OWNER_ONLY, path=WIZARD, allowed=lambda s: s.claim_id > 0),
        **{
            name: Case(LOCAL, path=WIZARD, before=("load",), args=args)
            for name, args in {
                "go_to": lambda w: (1,),
                "set_segment_field": lambda w: (0, "flight_number", "AF7"),
                "add_segment": _none,
                "remove_segment": lambda w: (0,),
                "set_single_booking": lambda w: (False,),
                "search_airport": lambda w: ("departure", 0, "Paris"),
                "choose_airport": lambda w: ("ORY",),
                "look_up": lambda w: (0,),
                "set_disruption_field": lambda w: ("kind", "cancellation"),
                "set_rerouted": lambda w: (True,),
                "accept_verdict": _none,
                "set_passenger_field": lambda w: (0, "full_name", "Pierre Passager"),
                "add_passenger": _none,
                "remove_passenger": lambda w: (1,),
                "set_upload_kind": lambda w: ("IDENTITY",),
                "on_progress": lambda w: ({"progress": 0.5},),
                "documents_done": _none,
            }.items()
        },
        **{
            name: Case(
                OWNER_ONLY,
                path=WIZARD,
                before=("load",),
                force=_ids(claim_id=lambda w: w.draft, passengers=lambda w: [dict(PASSENGER)]),
                args=args,
                effect=True,
            )
            for name, args in {
                "save_flights": _none,
                "save_disruption": _none,
                "save_passengers": _none,
                "delete_draft": _none,
                "upload": lambda w: ([upload("billet.pdf", pdf_bytes())], PROOF),
                "remove_document": lambda w: (str(w.draft_document),),
                "submit": lambda w: ({"signer_name": "Ondine Propriétaire", "consent": "on"},),
            }.items()
        },
    },
    "ThreadState": {
        "load": Case(
            PARTICIPANTS,
            path=CLAIM,
            refused=_not("available"),
            allowed=_is("available"),
            shows="Message privé d'Ondine",
        ),
        "follow": Case(PARTICIPANTS, path=CLAIM, before=("load",), background=True),
        "older": Case(
            PARTICIPANTS,
            path=CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim, _oldest=lambda w: w.message + 1),
            shows="Message privé d'Ondine",
        ),
        "seen": Case(
            PARTICIPANTS,
            path=CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim, last_read=lambda w: 0),
            args=lambda w: (w.reply,),
            refused=lambda s: s.last_read == 0,
            note="a read receipt from the browser: a refusal is only logged",
        ),
        "visibility": Case(LOCAL, path=CLAIM, before=("load",), args=lambda w: (True,)),
        "scrolled": Case(LOCAL, path=CLAIM, args=lambda w: (True,)),
        "typed": Case(LOCAL, path=CLAIM, before=("load",), args=lambda w: ("Bonjour",)),
        "set_internal": Case(LOCAL, path=CLAIM, before=("load",), args=lambda w: (True,)),
        "insert_text": Case(LOCAL, path=CLAIM, before=("load",), args=lambda w: ("Bonjour",)),
        "send": Case(
            PARTICIPANTS,
            path=CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim),
            args=lambda w: ({"content": "Un message de plus", "key": "attack-key-000000001"},),
            effect=True,
        ),
        "send_files": Case(
            PARTICIPANTS,
            path=CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim),
            args=lambda w: ([upload("piece.png", png_bytes())], PROOF),
            effect=True,
        ),
        "mark_unread": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim),
            effect=True,
        ),
    },
    "ClaimAdminState": {
        "load": Case(ADMIN_ONLY, path=ADMIN_CLAIM, refused=_not("ready"), allowed=_is("ready")),
        "refresh": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            force=_ids(claim_id=lambda w: w.claim),
            refused=_not("ready"),
            allowed=_is("ready"),
        ),
        "more_trail": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim, _trail_cursor=lambda w: 2**30),
        ),
        "ask_status": Case(LOCAL, path=ADMIN_CLAIM, before=("load",), args=lambda w: ("PAID",)),
        "close_status": Case(LOCAL, path=ADMIN_CLAIM, args=lambda w: (False,)),
        "ask_reject": Case(
            LOCAL,
            path=ADMIN_CLAIM,
            before=("load",),
            args=lambda w: (str(w.claim_document),),
        ),
        "close_reject": Case(LOCAL, path=ADMIN_CLAIM, args=lambda w: (False,)),
        "confirm_status": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim, _pending_status=lambda w: "IN_REVIEW"),
            args=lambda w: ({"note": "Pris en charge"},),
            effect=True,
            audited=True,
        ),
        "accept_document": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim),
            args=lambda w: (str(w.claim_document),),
            effect=True,
            audited=True,
        ),
        "confirm_reject": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim, _reject_id=lambda w: w.claim_document),
            args=lambda w: ({"reason": "Illisible"},),
            effect=True,
            audited=True,
        ),
        "assign": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim),
            args=lambda w: (str(w.colleague.id),),
            effect=True,
            audited=True,
        ),
        "rerun_verdict": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim),
            effect=True,
            audited=True,
        ),
    },
    "ClaimFactsState": {
        "load": Case(ADMIN_ONLY, path=ADMIN_CLAIM, refused=_not("ready"), allowed=_is("ready")),
        "refresh": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            force=_ids(claim_id=lambda w: w.claim),
            refused=_not("ready"),
            allowed=_is("ready"),
        ),
        "edit": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim),
            allowed=_is("editing"),
        ),
        **{
            name: Case(LOCAL, path=ADMIN_CLAIM, before=("load", "edit"), args=args)
            for name, args in {
                "cancel": _none,
                "set_segment_field": lambda w: (0, "flight_number", "AF7"),
                "search_airport": lambda w: (0, "arrival", "Heathrow"),
                "add_segment": _none,
                "remove_segment": lambda w: (0,),
                "set_single_booking": lambda w: (False,),
                "set_field": lambda w: ("kind", "cancellation"),
                "set_rerouted": lambda w: (True,),
                "ask_save": _none,
                "close_confirm": lambda w: (False,),
            }.items()
        },
        "save": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load", "edit"),
            force=_ids(
                claim_id=lambda w: w.claim,
                segments=lambda w: [dict(FLIGHT)],
                disruption=lambda w: dict(CORRECTED_DELAY),
            ),
            effect=True,
            audited=True,
        ),
        "rerun": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            before=("load",),
            force=_ids(claim_id=lambda w: w.claim),
            effect=True,
            audited=True,
        ),
    },
    "QueueState": {
        "load": Case(ADMIN_ONLY, path="/admin/claims", shows="Ondine"),
        "set_filter": Case(
            ADMIN_ONLY, path="/admin/claims", args=lambda w: ("search", "Ondine"), shows="Ondine"
        ),
        "clear_filters": Case(ADMIN_ONLY, path="/admin/claims", shows="Ondine"),
        "sort_by": Case(ADMIN_ONLY, path="/admin/claims", args=lambda w: ("amount",)),
        "next_page": Case(
            ADMIN_ONLY,
            path="/admin/claims",
            force=_ids(_next_cursor=lambda w: "forged-cursor"),
            allowed=lambda s: True,
            note="a forged cursor: an admin gets a message, anyone else a refusal",
        ),
        "previous_page": Case(ADMIN_ONLY, path="/admin/claims", shows="Ondine"),
        "toggle_select": Case(
            LOCAL, path="/admin/claims", before=("load",), args=lambda w: (str(w.claim), True)
        ),
        "select_page": Case(LOCAL, path="/admin/claims", before=("load",), args=lambda w: (True,)),
        "set_bulk_assignee": Case(LOCAL, path="/admin/claims", args=lambda w: ("me",)),
        "bulk_assign": Case(
            ADMIN_ONLY,
            path="/admin/claims",
            force=_ids(selected=lambda w: [str(w.claim)], bulk_assignee=lambda w: "me"),
            effect=True,
        ),
        "export": Case(
            ADMIN_ONLY,
            path="/admin/claims",
            allowed=lambda s: bool(s.export_rows),
        ),
    },
    "InboxState": {
        "load": Case(ADMIN_ONLY, path="/admin/inbox", shows="Ondine"),
        "follow": Case(ADMIN_ONLY, path="/admin/inbox", background=True),
        "refresh": Case(ADMIN_ONLY, path="/admin/inbox", shows="Ondine"),
        "clear_filters": Case(ADMIN_ONLY, path="/admin/inbox", shows="Ondine"),
        "next_page": Case(
            ADMIN_ONLY,
            path="/admin/inbox",
            force=_ids(_next_cursor=lambda w: "forged-cursor"),
            allowed=lambda s: True,
            note="a forged cursor: an admin gets a message, anyone else a refusal",
        ),
        "previous_page": Case(ADMIN_ONLY, path="/admin/inbox", shows="Ondine"),
        "set_unread_only": Case(ADMIN_ONLY, path="/admin/inbox", args=lambda w: (True,)),
        "set_status": Case(ADMIN_ONLY, path="/admin/inbox", args=lambda w: ("SUBMITTED",)),
        "set_assigned": Case(ADMIN_ONLY, path="/admin/inbox", args=lambda w: ("all",)),
        "set_date_from": Case(ADMIN_ONLY, path="/admin/inbox", args=lambda w: ("2020-01-01",)),
        "set_date_to": Case(ADMIN_ONLY, path="/admin/inbox", args=lambda w: ("2099-01-01",)),
        "set_search": Case(
            ADMIN_ONLY, path="/admin/inbox", args=lambda w: ("Ondine",), shows="Ondine"
        ),
        "mark_unread": Case(
            ADMIN_ONLY, path="/admin/inbox", args=lambda w: (str(w.claim),), effect=True
        ),
    },
    "CannedState": {
        "load": Case(
            ADMIN_ONLY, path="/admin/canned", refused=_not("responses"), shows="Modèle confidentiel"
        ),
        "show_locale": Case(
            ADMIN_ONLY, path="/admin/canned", args=lambda w: ("fr",), shows="Modèle confidentiel"
        ),
        "new_response": Case(ADMIN_ONLY, path="/admin/canned"),
        "edit": Case(
            ADMIN_ONLY,
            path="/admin/canned",
            args=lambda w: (str(w.canned),),
            shows="Corps du modèle confidentiel",
        ),
        "ask_delete": Case(
            ADMIN_ONLY,
            path="/admin/canned",
            args=lambda w: (str(w.canned),),
            shows="Modèle confidentiel",
        ),
        "set_title": Case(ADMIN_ONLY, path="/admin/canned", args=lambda w: ("Titre",)),
        "set_body": Case(ADMIN_ONLY, path="/admin/canned", args=lambda w: ("Corps",)),
        "set_draft_locale": Case(ADMIN_ONLY, path="/admin/canned", args=lambda w: ("en",)),
        "close_dialog": Case(ADMIN_ONLY, path="/admin/canned", args=lambda w: (False,)),
        "save": Case(
            ADMIN_ONLY,
            path="/admin/canned",
            force=_ids(
                editing_id=lambda w: w.canned,
                draft_locale=lambda w: "fr",
                draft_title=lambda w: "Titre remplacé",
                draft_body=lambda w: "Corps remplacé",
            ),
            effect=True,
        ),
        "delete": Case(
            ADMIN_ONLY, path="/admin/canned", force=_ids(confirm_id=lambda w: w.canned), effect=True
        ),
    },
    "CannedPickerState": {
        "load_for": Case(
            ADMIN_ONLY,
            path=ADMIN_CLAIM,
            args=lambda w: ("fr",),
            refused=_not("canned_options"),
            shows="Corps du modèle confidentiel",
        )
    },
    "SettingsState": {
        "load": Case(ADMIN_ONLY, path="/admin/settings", allowed=_is("ready")),
        "set_fee": Case(ADMIN_ONLY, path="/admin/settings", args=lambda w: ("30",)),
        "set_vat": Case(ADMIN_ONLY, path="/admin/settings", args=lambda w: ("10",)),
        "save": Case(
            ADMIN_ONLY,
            path="/admin/settings",
            force=_ids(fee=lambda w: "30", vat=lambda w: "10"),
            effect=True,
            audited=True,
        ),
        "send_test_email": Case(
            ADMIN_ONLY,
            path="/admin/settings",
            refused=_is("test_error"),
            allowed=lambda s: bool(s.test_result),
            effect=True,
            audited=True,
        ),
    },
    "UsersState": {
        "load": Case(ADMIN_ONLY, path="/admin/users", shows="Ondine"),
        "set_search": Case(
            ADMIN_ONLY, path="/admin/users", args=lambda w: ("Ondine",), shows="Ondine"
        ),
        "set_role": Case(ADMIN_ONLY, path="/admin/users", args=lambda w: ("CLAIMANT",)),
        "set_status": Case(ADMIN_ONLY, path="/admin/users", args=lambda w: ("active",)),
        "next_page": Case(
            ADMIN_ONLY,
            path="/admin/users",
            force=_ids(_next_cursor=lambda w: 2**30),
            allowed=lambda s: True,
        ),
        "previous_page": Case(ADMIN_ONLY, path="/admin/users", shows="Ondine"),
    },
    "UserDetailState": {
        "load": Case(ADMIN_ONLY, path="/admin/users/{owner}", allowed=_is("ready"), shows="Ondine"),
        "ask_role": Case(ADMIN_ONLY, path="/admin/users/{owner}", args=lambda w: ("ADMIN",)),
        "ask": Case(ADMIN_ONLY, path="/admin/users/{owner}", args=lambda w: ("deactivate",)),
        "close_dialog": Case(LOCAL, path="/admin/users/{owner}", args=lambda w: (False,)),
        "confirm_action": Case(
            ADMIN_ONLY,
            path="/admin/users/{owner}",
            force=_ids(user_id=lambda w: w.owner.id, confirm=lambda w: "deactivate"),
            effect=True,
            audited=True,
        ),
    },
    "AuditState": {
        "load": Case(ADMIN_ONLY, path="/admin/audit", allowed=_is("loaded")),
        **{
            name: Case(ADMIN_ONLY, path="/admin/audit", args=args, allowed=_is("loaded"))
            for name, args in {
                "set_actor": lambda w: ("all",),
                "set_action": lambda w: ("all",),
                "set_claim": lambda w: (str(w.claim),),
                "set_date_from": lambda w: ("2020-01-01",),
                "set_date_to": lambda w: ("2099-01-01",),
                "set_outcome": lambda w: ("refused",),
                "clear_filters": _none,
                "previous_page": _none,
            }.items()
        },
        "next_page": Case(
            ADMIN_ONLY,
            path="/admin/audit",
            force=_ids(_next_cursor=lambda w: 2**30),
            allowed=lambda s: True,
        ),
    },
    "AnalyticsState": {
        name: Case(ADMIN_ONLY, path="/admin/analytics", args=args, allowed=_is("loaded"))
        for name, args in {
            "load": _none,
            "set_date_from": lambda w: ("2020-01-01",),
            "set_date_to": lambda w: ("2099-01-01",),
            "clear_dates": _none,
        }.items()
    },
    "BadgeState": {
        "start": Case(LOCAL),
        "follow": Case(SIGNED_IN, background=True),
    },
    "State": {
        "hydrate": Framework(
            "Reflex: sends the whole state tree of the caller's own tab", runs_here=False
        ),
        "hydrate_and_load": Framework(
            "Reflex: the tab's own state, then the page's on-load handlers (each one classified)",
            runs_here=False,
        ),
        "set_is_hydrated": Framework(
            "Reflex: a flag of the caller's own tab", args=lambda w: (True,)
        ),
    },
    "OnLoadInternalState": {
        "on_load_internal": Framework(
            "Reflex: lists the page's on-load handlers (each one classified here)"
        ),
        "set_is_hydrated": Framework(
            "Reflex: a flag of the caller's own tab", args=lambda w: (True,)
        ),
    },
    "UpdateVarsInternalState": {
        "update_vars_internal": Framework(
            "Reflex: writes the caller's own cookies and local storage vars only",
            args=lambda w: ({"reflex___state____state.x": "y"},),
        ),
    },
    "FrontendEventExceptionState": {
        "handle_frontend_exception": Framework(
            "Reflex: logs an error the browser reports", args=lambda w: ("boom", "")
        ),
    },
}

SETVAR = "setvar"
"""Reflex gives every state ``setvar(name, value)``: it can only call the state's own
``set_<name>`` handler (auto setters are off), each classified above; see
test_setvar_reaches_only_classified_handlers."""


def all_states() -> list[type[BaseState]]:
    found: list[type[BaseState]] = [State]

    def walk(cls: type[BaseState]) -> None:
        for sub in sorted(cls.get_substates(), key=lambda c: c.get_full_name()):
            found.append(sub)
            walk(sub)

    walk(State)
    return found


def all_handlers() -> list[tuple[type[BaseState], str]]:
    """Every (state, handler) a client can call, listed from the app's registered states."""
    return [(cls, name) for cls in all_states() for name in sorted(cls.event_handlers)]


def state_named(name: str) -> type[BaseState]:
    [found] = [cls for cls in all_states() if cls.__name__ == name]
    return found


def entry(cls: type[BaseState], handler: str) -> Case | Framework | None:
    """The line of the matrix that classifies ``handler`` on ``cls``, if any."""
    return MATRIX.get(cls.__name__, {}).get(handler)
