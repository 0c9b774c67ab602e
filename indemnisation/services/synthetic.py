"""A realistic, consistent synthetic data set for measuring the app at scale.

``load_synthetic`` fills an empty database with claimants (about 0.8 per claim, French and
English), admins, claims over two years in every status (with the status history the domain
allows), passengers, documents (rows only, no files), signed mandates, and message threads. The
tables the app derives from messages are filled exactly as the app would have left them:
``threads`` (one ``ThreadSummary`` per thread with public messages, see
``messaging._update_summary``), ``thread_reads`` pointers with their ``read_marks`` (each person
reads before replying; most threads end read, some with the last message or two unread),
``emailed_up_to`` (see ``away_mail``) and ``unread_tallies`` (per admin: the claimant messages
past their pointers, see ``read_state``); so are each claim's outcome columns (see
``claim_outcome``) and the tallies per airline and route (``claim_tallies.rebuild``). Ids grow
with time in every table.

Everyone has the password ``SYNTHETIC_PASSWORD``, hashed once.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import make_url

from indemnisation.db import get_engine
from indemnisation.domain.airports import get_airport
from indemnisation.domain.claim_status import Actor, ClaimStatus, can_move
from indemnisation.domain.eligibility import get_carrier
from indemnisation.models import DocumentKind, Role
from indemnisation.services import claim_tallies
from indemnisation.services.messaging import EXCERPT_LENGTH, excerpt_of
from indemnisation.services.passwords import hash_password
from indemnisation.services.synthetic_flights import Flight, Flights, Verdict
from indemnisation.services.synthetic_text import (
    USER_AGENTS,
    ascii_slug,
    message_text,
    person_name,
)
from indemnisation.services.synthetic_writer import (
    Writer,
    data_tables,
    empty_tables,
    finish_postgres,
    indexes_rebuilt_after,
    non_empty_tables,
)
from indemnisation.settings import get_settings

SYNTHETIC_PASSWORD = "Synthetique-Passager-2026"  # noqa: S105  (a published test password)
REPLACE_SUFFIXES = ("_test", "_scale")
DAYS = 730
DAY = 86_400.0
S = ClaimStatus

# Where claims end up once their story has had time to unfold (recent ones stop earlier).
FINAL_WEIGHTS = {
    S.DRAFT: 8,
    S.SUBMITTED: 3,
    S.IN_REVIEW: 7,
    S.NEEDS_INFO: 6,
    S.SENT_TO_AIRLINE: 18,
    S.ACCEPTED: 7,
    S.PAID: 26,
    S.REJECTED: 10,
    S.CLOSED: 11,
    S.WITHDRAWN: 4,
}
# Days between one step and the next, per target status.
_GAPS = {
    S.IN_REVIEW: (0.1, 4),
    S.NEEDS_INFO: (1, 6),
    S.SENT_TO_AIRLINE: (1, 8),
    S.ACCEPTED: (10, 60),
    S.REJECTED: (5, 45),
    S.PAID: (5, 30),
    S.CLOSED: (1, 20),
    S.WITHDRAWN: (0.5, 20),
}
_DOCUMENT_FILES = {
    DocumentKind.BOARDING_PASS: (
        ("carte-embarquement.pdf", "application/pdf"),
        ("boarding-pass.pdf", "application/pdf"),
        ("IMG_{n}.jpg", "image/jpeg"),
        ("Screenshot_{n}.png", "image/png"),
    ),
    DocumentKind.IDENTITY: (
        ("passeport.jpg", "image/jpeg"),
        ("carte-identite.pdf", "application/pdf"),
        ("passport.jpg", "image/jpeg"),
        ("id-card.png", "image/png"),
    ),
    DocumentKind.DISRUPTION_PROOF: (
        ("attestation-retard.pdf", "application/pdf"),
        ("delay-certificate.pdf", "application/pdf"),
        ("sms-annulation.png", "image/png"),
    ),
    DocumentKind.RECEIPT: (
        ("facture-hotel.pdf", "application/pdf"),
        ("taxi-receipt.jpg", "image/jpeg"),
        ("hotel-invoice.pdf", "application/pdf"),
    ),
    DocumentKind.REQUESTED: (
        ("document-demande.pdf", "application/pdf"),
        ("requested-document.pdf", "application/pdf"),
    ),
}
_EVENT_NOTES = {
    S.NEEDS_INFO: {
        "fr": "Merci d'ajouter la pièce d'identité de chaque passager.",
        "en": "Please add an identity document for each passenger.",
    },
    S.REJECTED: {
        "fr": "La compagnie invoque une circonstance extraordinaire justifiée.",
        "en": "The airline proved an extraordinary circumstance.",
    },
}


class SyntheticRefused(RuntimeError):
    pass


@dataclass
class _Person:
    id: int
    first: str
    last: str
    email: str
    locale: str
    role: Role
    created: float = 0.0

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class _Claim:
    id: int
    owner: _Person
    created: float
    flight: Flight
    verdict: Verdict | None
    passengers: int
    status: ClaimStatus = S.DRAFT
    step: int = 1
    submitted: float | None = None
    updated: float = 0.0
    assigned: _Person | None = None
    events: list[tuple[float, ClaimStatus, ClaimStatus, _Person]] = field(default_factory=list)
    reference: str = ""


@dataclass
class _Message:
    at: float
    claim: _Claim
    sender: _Person
    internal: bool
    content: str
    id: int = 0


@dataclass(frozen=True)
class LoadResult:
    counts: dict[str, int]
    seconds: float


def _when(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def check_target(*, replace: bool) -> str:
    """The database's name; refuses production and, with ``replace``, any database whose name
    does not end in ``_test`` or ``_scale``."""
    settings = get_settings()
    if settings.is_prod:
        raise SyntheticRefused("synthetic data is never loaded in production")
    url = make_url(settings.database_url)
    name = (url.database or "").rsplit("/", 1)[-1].removesuffix(".db")
    if replace and not name.endswith(REPLACE_SUFFIXES):
        raise SyntheticRefused(
            f"refusing to empty database {name!r}: --replace needs a name ending in _test or _scale"
        )
    return name


class _Builder:
    def __init__(
        self, *, claims: int, messages: int, documents: int, admins: int, seed: int
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311  (reproducible data, not secrets)
        self.seed = seed
        self.targets = (claims, messages, documents, admins)
        self.now = math.floor(time.time() / 60) * 60.0
        self.start = self.now - DAYS * DAY
        self.flights = Flights(self.rng, per_day=max(2, claims // 1500))
        self.admins: list[_Person] = []
        self.claimants: list[_Person] = []
        self.claims: list[_Claim] = []
        self.messages: list[_Message] = []
        self.settings = get_settings()

    # --- people and claims ----------------------------------------------------------------------

    def people_and_claims(self) -> None:
        claims, _, _, admins = self.targets
        rng = self.rng
        for number in range(1, admins + 1):
            locale = "fr" if rng.random() < 0.8 else "en"
            first, last = person_name(rng, locale)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}.{number}@equipe.indemnisation.test"
            created = self.start - rng.uniform(30, 400) * DAY
            self.admins.append(_Person(number, first, last, email, locale, Role.ADMIN, created))
        self._admin_weights = [rng.uniform(0.3, 1.0) for _ in self.admins]
        owners = self._owner_sequence(claims)
        # More claims lately than two years ago: density grows linearly over the period.
        times = sorted(
            self.start + (self.now - 600 - self.start) * math.sqrt(rng.random())
            for _ in range(claims)
        )
        by_index: dict[int, _Person] = {}
        for claim_id, (created, owner_index) in enumerate(zip(times, owners, strict=True), 1):
            owner = by_index.get(owner_index)
            if owner is None:
                owner = self._claimant(len(self.admins) + len(by_index) + 1, created)
                by_index[owner_index] = owner
            self.claims.append(self._claim(claim_id, owner, created))

    def _owner_sequence(self, claims: int) -> list[int]:
        count = max(1, round(claims * 0.8))
        owners = list(range(min(count, claims))) + [
            self.rng.randrange(count) for _ in range(claims - min(count, claims))
        ]
        self.rng.shuffle(owners)
        return owners

    def _claimant(self, user_id: int, first_claim: float) -> _Person:
        rng = self.rng
        locale = "fr" if rng.random() < 0.6 else "en"
        first, last = person_name(rng, locale)
        domain = rng.choice(("example.org", "example.com", "example.net"))
        email = f"{ascii_slug(first)}.{ascii_slug(last)}.{user_id}@{domain}"
        created = first_claim - rng.uniform(60, 1800)
        person = _Person(user_id, first, last, email, locale, Role.CLAIMANT, created)
        self.claimants.append(person)
        return person

    def _claim(self, claim_id: int, owner: _Person, created: float) -> _Claim:
        rng = self.rng
        target = rng.choices(list(FINAL_WEIGHTS), weights=list(FINAL_WEIGHTS.values()))[0]
        passengers = rng.choices((1, 2, 3, 4), weights=(55, 25, 13, 7))[0]
        flight, verdict = self._flight_for(created, passengers, eligible=target is not S.DRAFT)
        claim = _Claim(claim_id, owner, created, flight, verdict, passengers, updated=created)
        if target is S.DRAFT or verdict.eligibility == "no":
            # An abandoned draft; the engine's verdict is computed before passengers are listed.
            claim.step = rng.choices((1, 2, 3, 5), weights=(15, 20, 40, 25))[0]
            if verdict.eligibility == "no":
                claim.step = 3
            if claim.step < 5:
                claim.passengers = 1
            claim.verdict = (
                self.flights.verdict(flight, claim.passengers) if claim.step >= 3 else None
            )
            claim.updated = min(created + rng.uniform(60, 3 * DAY), self.now)
            return claim
        self._story(claim, target)
        return claim

    def _flight_for(
        self, created: float, passengers: int, *, eligible: bool
    ) -> tuple[Flight, Verdict]:
        rng = self.rng
        for _ in range(30):
            back = min(rng.expovariate(1 / 20), 300)
            day = _when(created - back * DAY).date()
            flight = self.flights.pick(day)
            verdict = self.flights.verdict(flight, passengers)
            if not eligible or verdict.eligibility != "no":
                return flight, verdict
        return flight, verdict

    def _path(self, target: ClaimStatus) -> list[ClaimStatus]:
        rng = self.rng
        review = [S.SUBMITTED, S.IN_REVIEW]
        if rng.random() < 0.2:
            review += [S.NEEDS_INFO, S.IN_REVIEW]
        sent = [*review, S.SENT_TO_AIRLINE]
        paths: dict[ClaimStatus, list[ClaimStatus]] = {
            S.SUBMITTED: [S.SUBMITTED],
            S.IN_REVIEW: review,
            S.NEEDS_INFO: [*review, S.NEEDS_INFO],
            S.SENT_TO_AIRLINE: sent,
            S.ACCEPTED: [*sent, S.ACCEPTED],
            S.PAID: [*sent, S.ACCEPTED, S.PAID],
            S.REJECTED: [*(sent if rng.random() < 0.6 else review), S.REJECTED],
            S.WITHDRAWN: [*rng.choice(([S.SUBMITTED], review)), S.WITHDRAWN],
        }
        if target is S.CLOSED:
            ending = rng.choices(
                ([*sent, S.ACCEPTED, S.PAID], [*review, S.REJECTED], [*review, S.NEEDS_INFO]),
                weights=(50, 40, 10),
            )[0]
            return [*ending, S.CLOSED]
        return paths[target]

    def _story(self, claim: _Claim, target: ClaimStatus) -> None:
        """Submit the claim, then move it along the path to ``target`` until ``now``."""
        rng = self.rng
        drafting = rng.uniform(180, 2400) if rng.random() < 0.7 else rng.uniform(3600, 5 * DAY)
        submitted = min(claim.created + drafting, self.now - 60)
        claim.submitted, claim.step, claim.status = submitted, 6, S.SUBMITTED
        claim.reference = f"IND-{_when(submitted).year}-{claim.id:06d}"
        claim.events.append((submitted, S.DRAFT, S.SUBMITTED, claim.owner))
        at = submitted
        for status in self._path(target)[1:]:
            low, high = _GAPS[status]
            at += rng.uniform(low, high) * DAY
            if at > self.now:
                break
            actor = claim.owner if status is S.WITHDRAWN else self._assignee(claim)
            kind = Actor.CLAIMANT if status is S.WITHDRAWN else Actor.ADMIN
            assert can_move(claim.status, status, kind), (claim.status, status)
            claim.events.append((at, claim.status, status, actor))
            claim.status = status
        claim.updated = claim.events[-1][0]

    def _assignee(self, claim: _Claim) -> _Person:
        if claim.assigned is None:
            claim.assigned = self.rng.choices(self.admins, weights=self._admin_weights)[0]
        return claim.assigned

    # --- messages --------------------------------------------------------------------------------

    def make_messages(self) -> None:
        _, total, _, _ = self.targets
        rng = self.rng
        threads = [c for c in self.claims if c.submitted is not None and rng.random() < 0.85]
        if not threads or total <= 0:
            return
        sizes = self._thread_sizes(threads, total)
        for claim, size in zip(threads, sizes, strict=True):
            if size:
                self._thread(claim, size)
        self.messages.sort(key=lambda m: m.at)
        for number, message in enumerate(self.messages, 1):
            message.id = number

    def _thread_sizes(self, threads: list[_Claim], total: int) -> list[int]:
        """Messages per thread: a long tail (log-normal) and three busy threads."""
        rng = self.rng
        if total < len(threads):
            return [1] * total + [0] * (len(threads) - total)
        busy_candidates = [i for i, c in enumerate(threads) if c.assigned is not None]
        busy = rng.sample(busy_candidates, min(3, len(busy_candidates)))
        busy_size = min(max(50, total // 1000), (total - len(threads)) // 4)
        rest = total - busy_size * len(busy)
        weights = [rng.lognormvariate(0, 1) for _ in threads]
        for index in busy:
            weights[index] = 0.0
        scale = (rest - (len(threads) - len(busy))) / sum(weights)
        exact = [w * scale for w in weights]
        sizes = [busy_size if i in busy else 1 + int(value) for i, value in enumerate(exact)]
        remainder = total - sum(sizes)
        order = sorted(
            (i for i in range(len(threads)) if i not in busy),
            key=lambda i: exact[i] - int(exact[i]),
            reverse=True,
        )
        for i in order[:remainder]:
            sizes[i] += 1
        return sizes

    def _facts_of(self, claim: _Claim) -> dict[str, str]:
        segments = claim.flight.facts["segments"]
        assert isinstance(segments, list)
        carrier = get_carrier(claim.flight.airline)
        arrival = get_airport(segments[-1]["arrival"])
        return {
            "ref": claim.reference,
            "flight": claim.flight.flight_numbers.split()[0],
            "airline": carrier.name if carrier else claim.flight.airline,
            "first": claim.owner.first,
            "amount": str(claim.verdict.amount if claim.verdict else 250),
            "hours": str(self.rng.randint(3, 8)),
            "city": arrival.city if arrival else segments[-1]["arrival"],
        }

    def _thread(self, claim: _Claim, size: int) -> None:
        rng = self.rng
        assert claim.submitted is not None
        begin = min(claim.submitted + rng.uniform(300, 2 * DAY), self.now - 60)
        end = self.now
        if claim.status in (S.PAID, S.CLOSED, S.REJECTED, S.WITHDRAWN):
            end = min(self.now, claim.updated + rng.uniform(0, 5 * DAY))
        end = min(max(end, begin + 600), self.now)
        times = sorted(rng.uniform(begin, end) for _ in range(size))
        handler = claim.assigned or rng.choices(self.admins, weights=self._admin_weights)[0]
        facts = self._facts_of(claim)
        team = rng.random() < 0.3
        for index, at in enumerate(times):
            internal = rng.random() < 0.05
            if not internal and index and rng.random() < 0.75:
                team = not team
            from_team = internal or team
            sender = claim.owner
            if from_team:
                sender = handler if rng.random() < 0.85 else rng.choice(self.admins)
            content = message_text(
                rng, team=from_team, internal=internal, locale=claim.owner.locale, facts=facts
            )
            self.messages.append(_Message(at, claim, sender, internal, content))


class _ReadState:
    """Pointers, read marks, summaries and tallies, replayed thread by thread in id order."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        self.rng = builder.rng
        self.away = builder.settings.away_email_minutes * 60.0
        self.pointers: dict[tuple[int, int], list[float]] = {}  # -> [last read, emailed, at]
        self.marks: list[tuple[float, int, int, bool, int]] = []
        self.summaries: list[tuple[Any, ...]] = []
        self.claimant_ids: dict[int, list[int]] = {}

    def replay(self) -> None:
        by_claim: dict[int, list[_Message]] = {}
        for message in self.b.messages:
            by_claim.setdefault(message.claim.id, []).append(message)
        for messages in by_claim.values():
            self._thread(messages)
        self.marks.sort(key=lambda mark: mark[0])

    def _advance(self, claim_id: int, user: _Person, message_id: int, at: float) -> None:
        pointer = self.pointers.setdefault((claim_id, user.id), [0, 0, at])
        if message_id > pointer[0]:
            pointer[0], pointer[2] = message_id, at
            self.marks.append((at, claim_id, user.id, user.role is Role.ADMIN, message_id))

    def _thread(self, messages: list[_Message]) -> None:
        claim = messages[0].claim
        public = [m for m in messages if not m.internal]
        last_any: _Message | None = None
        last_public: _Message | None = None
        for message in messages:
            sender = message.sender
            seen = last_any if sender.role is Role.ADMIN else last_public
            if seen is not None:  # read what is there, then reply
                gap = min(600.0, message.at - seen.at)
                self._advance(claim.id, sender, seen.id, message.at - self.rng.uniform(0, gap))
            self._advance(claim.id, sender, message.id, message.at)
            last_any = message
            if not message.internal:
                last_public = message
        writers = {m.sender.id: m.sender for m in messages if m.sender.role is Role.ADMIN}
        reader = claim.assigned or (list(writers.values())[-1] if writers else None)
        self._finish(claim.id, claim.owner, public, 0.75)
        if reader is not None:
            self._finish(claim.id, reader, messages, 0.7)
        self._emails(claim, public, [claim.owner], from_team=True)
        if claim.assigned is not None:
            team = [claim.assigned]
        else:
            team = [writers[uid] for uid in sorted(writers)]
        self._emails(claim, public, team, from_team=False)
        self.claimant_ids[claim.id] = [m.id for m in public if m.sender.role is Role.CLAIMANT]
        if public:
            self.summaries.append(self._summary(claim.id, public))

    def _finish(self, claim_id: int, user: _Person, visible: list[_Message], chance: float) -> None:
        """Most people have read the whole thread by now; the others miss the last messages."""
        if visible and self.rng.random() < chance:
            last = visible[-1]
            at = min(last.at + self.rng.uniform(60, 2 * DAY), self.b.now)
            self._advance(claim_id, user, last.id, at)

    def _emails(
        self, claim: _Claim, public: list[_Message], people: list[_Person], *, from_team: bool
    ) -> None:
        """``emailed_up_to`` as the away-mail runner leaves it: the newest message to that person
        that stayed unread longer than the delay."""
        incoming = [m for m in public if (m.sender.role is Role.ADMIN) is from_team]
        for person in people:
            key = (claim.id, person.id)
            reads = sorted((mark[0], mark[4]) for mark in self._marks_of(key) if mark is not None)
            emailed = 0
            for message in incoming:
                read_at = next((at for at, upto in reads if upto >= message.id), None)
                late = read_at is None and message.at <= self.b.now - self.away
                if late or (read_at is not None and read_at - message.at > self.away):
                    emailed = message.id
            if emailed:
                self.pointers.setdefault(key, [0, 0, self.b.now])[1] = emailed

    def _marks_of(self, key: tuple[int, int]) -> Iterator[tuple[float, int, int, bool, int]]:
        claim_id, user_id = key
        for mark in reversed(self.marks):
            if mark[1] != claim_id:
                break
            if mark[2] == user_id:
                yield mark

    def _summary(self, claim_id: int, public: list[_Message]) -> tuple[Any, ...]:
        """The row ``messaging._update_summary`` leaves after these public messages."""
        waiting: float | None = None
        last_claimant = 0
        for message in public:
            if message.sender.role is Role.ADMIN:
                waiting = None
            else:
                last_claimant = message.id
                waiting = waiting if waiting is not None else message.at
        last = public[-1]
        return (
            claim_id,
            last.id,
            _when(last.at),
            last.sender.role is Role.ADMIN,
            last_claimant,
            last.sender.full_name[:120],
            excerpt_of(last.content)[:EXCERPT_LENGTH],
            None if waiting is None else _when(waiting),
            len(public),
        )

    def tallies(self, admins: Sequence[_Person]) -> list[tuple[int, int]]:
        """Per admin, the claimant messages past their pointer, as ``read_state`` counts them."""
        total = sum(len(ids) for ids in self.claimant_ids.values())
        read: dict[int, int] = {admin.id: 0 for admin in admins}
        for (claim_id, user_id), pointer in self.pointers.items():
            if user_id in read:
                read[user_id] += bisect.bisect_right(
                    self.claimant_ids.get(claim_id, []), pointer[0]
                )
        return [(admin.id, total - read[admin.id]) for admin in admins]


def _first_move(claim: _Claim, status: ClaimStatus) -> datetime | None:
    moments = [at for at, _, after, _ in claim.events if after is status]
    return _when(min(moments)) if moments else None


def _ip(rng: random.Random) -> str:
    prefix = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
    return f"{prefix}.{rng.randint(1, 254)}"


def _uuid(rng: random.Random) -> str:
    raw = f"{rng.getrandbits(128):032x}"
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def _phone(rng: random.Random, locale: str) -> str:
    if locale == "fr":
        return "+33 6 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
    return f"+44 7700 900{rng.randint(0, 999):03d}"


class _Rows:
    """The rows of every table, built from the builder and the replayed read state."""

    def __init__(self, builder: _Builder, state: _ReadState) -> None:
        self.b = builder
        self.state = state
        self.rng = builder.rng

    def users(self) -> Iterator[tuple[Any, ...]]:
        password_hash = hash_password(SYNTHETIC_PASSWORD)
        for person in sorted(self.b.admins + self.b.claimants, key=lambda p: p.id):
            created = _when(person.created)
            yield (
                person.id,
                person.email,
                person.full_name,
                password_hash,
                person.role.value,
                person.locale,
                True,
                created,
                created,
            )

    def claims(self, boarding_passes: set[int]) -> Iterator[tuple[Any, ...]]:
        """Claim rows with their outcome columns (services/claim_outcome.py); every document
        is pending review, so documents are missing exactly where there is no boarding pass."""
        settings = self.b.settings
        fee = Decimal(settings.fee_percent)
        vat = Decimal(settings.vat_percent)
        for claim in self.b.claims:
            flight, verdict = claim.flight, claim.verdict
            facts: dict[str, Any] = {}
            if claim.step >= 2:
                facts = dict(flight.facts)
                if claim.step == 2:
                    facts.pop("disruption")
                    facts.pop("airline_reason")
            yield (
                claim.id,
                claim.reference or None,
                claim.owner.id,
                claim.assigned.id if claim.assigned else None,
                claim.status.value,
                claim.step,
                _json(facts),
                verdict.json if verdict else None,
                verdict.eligibility if verdict else "",
                verdict.currency if verdict else "EUR",
                verdict.amount if verdict else 0,
                fee,
                vat,
                flight.day if claim.step >= 2 else None,
                flight.route if claim.step >= 2 else "",
                flight.flight_numbers if claim.step >= 2 else "",
                _when(claim.created),
                _when(claim.updated),
                _when(claim.submitted) if claim.submitted is not None else None,
                claim.passengers,
                _first_move(claim, S.ACCEPTED),
                _first_move(claim, S.PAID),
                any(
                    (before, after) == (S.SENT_TO_AIRLINE, S.REJECTED)
                    for _, before, after, _ in claim.events
                ),
                claim.id not in boarding_passes,
            )

    def passengers(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        number = 0
        for claim in self.b.claims:
            owner = claim.owner
            number += 1
            phone = _phone(rng, owner.locale) if rng.random() < 0.5 else ""
            yield (number, claim.id, 0, owner.full_name, owner.email, phone, False)
            for position in range(1, claim.passengers):
                number += 1
                first, last = person_name(rng, owner.locale)
                if rng.random() < 0.7:
                    last = owner.last
                minor = rng.random() < 0.3
                email = "" if minor else f"{ascii_slug(first)}.{ascii_slug(last)}@example.org"
                yield (number, claim.id, position, f"{first} {last}", email, "", minor)

    def events(self) -> Iterator[tuple[Any, ...]]:
        found = [
            (at, claim, before, after, actor)
            for claim in self.b.claims
            for at, before, after, actor in claim.events
        ]
        found.sort(key=lambda event: event[0])
        for number, (at, claim, before, after, actor) in enumerate(found, 1):
            note = _EVENT_NOTES.get(after, {}).get(claim.owner.locale, "")
            yield (number, claim.id, before.value, after.value, actor.id, note, _when(at))

    def documents(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """(document rows, mandate rows): a boarding pass and the signed mandate for every
        submitted claim, then other documents up to the requested number."""
        rng = self.rng
        _, _, target, _ = self.b.targets
        planned: list[tuple[float, _Claim, DocumentKind]] = []
        submitted = [c for c in self.b.claims if c.submitted is not None]
        for claim in self.b.claims:
            if claim.submitted is not None:
                planned.append((rng.uniform(claim.created, claim.submitted), claim, _BP))
                planned.append((claim.submitted, claim, DocumentKind.MANDATE))
            elif claim.step == 5 and rng.random() < 0.6:
                planned.append((claim.updated, claim, _BP))
        extra_kinds = list(_EXTRA_KINDS)
        extra_weights = list(_EXTRA_KINDS.values())
        for _ in range(max(0, target - len(planned)) if submitted else 0):
            claim = rng.choice(submitted)
            assert claim.submitted is not None
            kind = rng.choices(extra_kinds, weights=extra_weights)[0]
            if kind is DocumentKind.REQUESTED:
                asked = [at for at, _, after, _ in claim.events if after is S.NEEDS_INFO]
                after_time = asked[0] if asked else claim.submitted
                at = min(after_time + rng.uniform(0.05, 3) * DAY, self.b.now)
            else:
                at = rng.uniform(claim.created, claim.submitted)
            planned.append((at, claim, kind))
        planned.sort(key=lambda item: item[0])
        documents: list[tuple[Any, ...]] = []
        mandates: list[tuple[Any, ...]] = []
        for number, (at, claim, kind) in enumerate(planned, 1):
            when = _when(at)
            if kind is DocumentKind.MANDATE:
                suffix = "mandat" if claim.owner.locale == "fr" else "mandate"
                name, content_type = f"{claim.reference}-{suffix}.pdf", "application/pdf"
                size = rng.randint(3_000, 6_000)
                thumbnail = None
                mandates.append(
                    (
                        len(mandates) + 1,
                        claim.id,
                        claim.owner.full_name,
                        when,
                        _ip(rng),
                        rng.choice(USER_AGENTS),
                        "1",
                        number,
                    )
                )
            else:
                pattern, content_type = rng.choice(_DOCUMENT_FILES[kind])
                name = pattern.format(n=rng.randint(1000, 9999))
                size = (
                    rng.randint(40_000, 900_000)
                    if content_type == "application/pdf"
                    else (rng.randint(200_000, 4_000_000))
                )
                thumbnail = f"{rng.getrandbits(128):032x}"
            digest = hashlib.sha256(f"synthetic-{self.b.seed}-{number}".encode()).hexdigest()
            documents.append(
                (
                    number,
                    claim.id,
                    kind.value,
                    name,
                    content_type,
                    size,
                    digest,
                    f"{rng.getrandbits(128):032x}",
                    thumbnail,
                    claim.owner.id,
                    when,
                )
            )
        return documents, mandates

    def messages(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        for message in self.b.messages:
            yield (
                message.id,
                message.claim.id,
                message.sender.id,
                message.sender.role is Role.ADMIN,
                message.internal,
                message.content,
                _uuid(rng),
                _when(message.at),
            )

    def thread_reads(self) -> Iterator[tuple[Any, ...]]:
        pointers = sorted(self.state.pointers.items(), key=lambda item: item[1][2])
        for number, ((claim_id, user_id), (last, emailed, at)) in enumerate(pointers, 1):
            yield (number, claim_id, user_id, int(last), int(emailed), _when(at))

    def read_marks(self) -> Iterator[tuple[Any, ...]]:
        for number, (at, claim_id, user_id, team, message_id) in enumerate(self.state.marks, 1):
            yield (number, claim_id, user_id, team, message_id, _when(at))


_BP = DocumentKind.BOARDING_PASS
_EXTRA_KINDS = {
    DocumentKind.IDENTITY: 35,
    DocumentKind.DISRUPTION_PROOF: 25,
    DocumentKind.RECEIPT: 25,
    DocumentKind.REQUESTED: 15,
}
COLUMNS = {
    "users": "id email full_name password_hash role locale is_active created_at "
    "password_changed_at",
    "claims": "id reference owner_id assigned_to_id status step facts verdict eligibility "
    "currency amount_per_passenger fee_percent vat_percent flight_date route flight_numbers "
    "created_at updated_at submitted_at passenger_count won_at paid_at airline_refused "
    "documents_missing",
    "passengers": "id claim_id position full_name email phone is_minor",
    "claim_events": "id claim_id from_status to_status actor_id note created_at",
    "documents": "id claim_id kind original_name content_type size sha256 storage_key "
    "thumbnail_key uploaded_by created_at",
    "mandates": "id claim_id signer_name signed_at ip user_agent text_version document_id",
    "messages": "id claim_id sender_id from_team internal content client_key created_at",
    "thread_reads": "id claim_id user_id last_read_message_id emailed_up_to updated_at",
    "read_marks": "id claim_id user_id from_team message_id read_at",
    "threads": "claim_id last_message_id last_message_at last_from_team "
    "last_claimant_message_id last_sender_name excerpt waiting_since message_count",
    "unread_tallies": "user_id unread",
}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_all(rows: _Rows, writer: Writer, progress: Callable[[str], None]) -> None:
    started = time.perf_counter()

    def write(table: str, data: Any, json_columns: Sequence[str] = ()) -> None:
        count = writer.write(table, COLUMNS[table].split(), data, json_columns)
        progress(f"  {table:<15} {count:>10,} rows  ({time.perf_counter() - started:6.1f} s)")

    documents, mandates = rows.documents()
    boarding_passes = {row[1] for row in documents if row[2] == _BP.value}
    write("users", rows.users())
    write("claims", rows.claims(boarding_passes), ("facts", "verdict"))
    tallies = claim_tallies.rebuild(writer.connection)
    progress(
        f"  {'claim_tallies':<15} {tallies:>10,} rows  ({time.perf_counter() - started:6.1f} s)"
    )
    write("passengers", rows.passengers())
    write("claim_events", rows.events())
    write("documents", documents)
    write("mandates", mandates)
    write("messages", rows.messages())
    write("thread_reads", rows.thread_reads())
    write("read_marks", rows.read_marks())
    write("threads", rows.state.summaries)
    write("unread_tallies", rows.state.tallies(rows.b.admins))


def load_synthetic(
    *,
    claims: int,
    messages: int,
    documents: int,
    admins: int,
    seed: int = 1,
    replace: bool = False,
    progress: Callable[[str], None] = lambda line: None,
) -> LoadResult:
    """Fill the configured database; refuses a non-empty one unless ``replace`` (which empties
    every table first, and only in a database named ``*_test`` or ``*_scale``)."""
    for name, value, low in (("claims", claims, 1), ("admins", admins, 1)):
        if value < low:
            raise SyntheticRefused(f"{name} must be at least {low}")
    if messages < 0 or documents < 0:
        raise SyntheticRefused("messages and documents cannot be negative")
    name = check_target(replace=replace)
    engine = get_engine()
    with engine.connect() as connection:
        filled = non_empty_tables(connection)
    if filled and not replace:
        raise SyntheticRefused(
            f"database {name!r} is not empty ({', '.join(filled)}); --replace empties it first"
        )
    started = time.perf_counter()
    builder = _Builder(
        claims=claims, messages=messages, documents=documents, admins=admins, seed=seed
    )
    builder.people_and_claims()
    progress(f"generated people and claims ({time.perf_counter() - started:.1f} s)")
    builder.make_messages()
    state = _ReadState(builder)
    state.replay()
    progress(f"generated messages and read state ({time.perf_counter() - started:.1f} s)")
    rows = _Rows(builder, state)
    with engine.begin() as connection:
        if filled:
            empty_tables(connection)
        writer = Writer(connection)
        with indexes_rebuilt_after(connection, data_tables()):
            _write_all(rows, writer, progress)
        progress(f"indexes built ({time.perf_counter() - started:.1f} s)")
    if engine.dialect.name == "postgresql":
        finish_postgres(engine, data_tables())
        progress(f"sequences reset, VACUUM ANALYZE done ({time.perf_counter() - started:.1f} s)")
    return LoadResult(dict(writer.counts), time.perf_counter() - started)
