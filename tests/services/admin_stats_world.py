"""A small hand-built set of claims for the dashboard and analytics tests, at fixed dates.

NOW is Wednesday 18 March 2026, 12:00 UTC (13:00 in Paris): "today" starts on 17 March 23:00 UTC,
the week on Monday 16 March (15 March 23:00 UTC), the twelve weeks on Monday 29 December 2025.

  claim  flight  route    cur  each  pax  submitted (UTC)   history                now
  c1     AF6     CDG-JFK  EUR  600   1    2026-03-18 11:00  -                      SUBMITTED
  c2     AF10    CDG-JFK  EUR  600   2    2026-01-05 10:00  sent, won, paid +10 d  PAID
  c3     BA303   LHR-NCE  GBP  350   1    2026-03-16 09:00  sent, airline refused  REJECTED
  c4     KL1234  AMS-CDG  EUR  250   1    2026-02-02 10:00  sent, won, paid +20 d  CLOSED
  c5     AF20    CDG-JFK  EUR  600   1    2026-02-09 10:00  sent, airline refused  CLOSED
  c6     AF30    NCE-CDG  EUR  250   1    2026-03-02 10:00  sent, won              ACCEPTED
  c7     AF40    CDG-JFK  EUR  600   1    2026-03-03 10:00  withdrawn              WITHDRAWN
  c10    AF50    CDG-JFK  EUR  600   1    2026-02-10 10:00  rejected by the team   REJECTED
  c9     LH100   FRA-CDG  EUR  400   1    2025-06-01 10:00  sent                   SENT_TO_AIRLINE
  draft  AF6     CDG-JFK  EUR  600   1    -                 -                      DRAFT

Messages: a team reply on c3 2 h after submission and on c6 4 h after (average 3 h over the
claims of the last 30 days), an internal note on c1 (not a reply), a claimant message on c1 (the
one thread waiting for a reply).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select, update

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, ClaimEvent, Message, Passenger
from indemnisation.services import claim_outcome, messaging
from indemnisation.services.claims import record_event
from indemnisation.services.views import UserView
from tests.claim_factory import eligible_draft, submitted_claim

S = ClaimStatus
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
_keys = itertools.count()


@dataclass(frozen=True)
class World:
    admin: UserView
    claimant: UserView
    claims: dict[str, int]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _claim(owner: UserView, flight: str, route: str, currency: str, amount: int, at: str) -> int:
    claim_id = submitted_claim(owner)
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        claim.flight_numbers, claim.route, claim.currency = flight, route, currency
        claim.amount_per_passenger, claim.submitted_at = amount, _at(at)
        session.commit()
    return claim_id


def _move(claim_id: int, actor: UserView, *steps: tuple[ClaimStatus, str]) -> None:
    """Record each (status, moment) in turn, as the claims team (or the claimant) would."""
    with session_scope() as session:
        for status, at in steps:
            claim = session.get(Claim, claim_id)
            assert claim is not None
            record_event(session, claim, status, actor)
            session.flush()
            event = session.exec(
                select(ClaimEvent)
                .where(ClaimEvent.claim_id == claim_id)
                .order_by(col(ClaimEvent.id).desc())
            ).first()
            assert event is not None
            event.created_at = _at(at)
            claim_outcome.refresh(session, claim)
        session.commit()


def _send(actor: UserView, claim_id: int, at: datetime | None = None, **kw: Any) -> None:
    sent = messaging.send_message(
        actor=actor,
        claim_id=claim_id,
        content="Bonjour",
        client_key=f"stats-{next(_keys):08d}",
        **kw,
    )
    if at is not None:
        with session_scope() as session:
            session.exec(
                update(Message)  # type: ignore[call-overload]
                .where(col(Message.id) == sent.message.id)
                .values(created_at=at)
            )
            session.commit()


def build(make: Any) -> World:
    admin = make.admin()
    owner = make.user()
    c: dict[str, int] = {}
    c["c1"] = _claim(owner, "AF6", "CDG-JFK", "EUR", 600, "2026-03-18T11:00")
    c["c2"] = _claim(owner, "AF10", "CDG-JFK", "EUR", 600, "2026-01-05T10:00")
    c["c3"] = _claim(owner, "BA303", "LHR-NCE", "GBP", 350, "2026-03-16T09:00")
    c["c4"] = _claim(owner, "KL1234", "AMS-CDG", "EUR", 250, "2026-02-02T10:00")
    c["c5"] = _claim(owner, "AF20", "CDG-JFK", "EUR", 600, "2026-02-09T10:00")
    c["c6"] = _claim(owner, "AF30", "NCE-CDG", "EUR", 250, "2026-03-02T10:00")
    c["c7"] = _claim(owner, "AF40", "CDG-JFK", "EUR", 600, "2026-03-03T10:00")
    c["c10"] = _claim(owner, "AF50", "CDG-JFK", "EUR", 600, "2026-02-10T10:00")
    c["c9"] = _claim(owner, "LH100", "FRA-CDG", "EUR", 400, "2025-06-01T10:00")
    c["draft"] = eligible_draft(owner)
    with session_scope() as session:
        session.add(Passenger(claim_id=c["c2"], position=1, full_name="Second Passenger"))
        second = session.get(Claim, c["c2"])
        assert second is not None
        claim_outcome.refresh(session, second)
        session.commit()
    sent = (S.IN_REVIEW, "2026-01-06T10:00"), (S.SENT_TO_AIRLINE, "2026-01-07T10:00")
    _move(c["c2"], admin, *sent, (S.ACCEPTED, "2026-01-12T10:00"), (S.PAID, "2026-01-15T10:00"))
    _move(c["c3"], admin, *sent, (S.REJECTED, "2026-03-17T10:00"))
    _move(c["c4"], admin, *sent, (S.ACCEPTED, "2026-02-12T10:00"), (S.PAID, "2026-02-22T10:00"))
    _move(c["c4"], admin, (S.CLOSED, "2026-02-23T10:00"))
    _move(c["c5"], admin, *sent, (S.REJECTED, "2026-02-20T10:00"), (S.CLOSED, "2026-02-21T10:00"))
    _move(c["c6"], admin, *sent, (S.ACCEPTED, "2026-03-10T10:00"))
    _move(c["c7"], owner, (S.WITHDRAWN, "2026-03-04T10:00"))
    _move(c["c10"], admin, (S.IN_REVIEW, "2026-02-11T10:00"), (S.REJECTED, "2026-02-12T10:00"))
    _move(c["c9"], admin, *sent)
    _send(admin, c["c3"], _at("2026-03-16T11:00"))
    _send(admin, c["c6"], _at("2026-03-02T14:00"))
    _send(admin, c["c1"], internal=True)
    _send(owner, c["c1"])
    return World(admin=admin, claimant=owner, claims=c)
