"""The claims queue as CSV: the filtered set in the queue's order, streamed, and the signed ticket
that carries the filters to the download route.

The page asks for a ticket (``sign_export``): the filters, the order, the admin's id and an
expiry, signed with the secret key. The route checks the signature, that the session cookie is
the same admin's, checks every filter again, then calls ``export_csv``: it counts the rows (for
the progress shown while the download starts), writes the "export" audit entry, and returns a
generator that reads the rows ``CHUNK`` at a time through a server-side cursor on PostgreSQL
(``yield_per``) and yields one piece of CSV per chunk, so memory stays flat at any size.
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import hmac
import io
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as select_columns

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.i18n import normalize_locale, translate
from indemnisation.models import Claim, Role
from indemnisation.services import audit
from indemnisation.services.audit import Target
from indemnisation.services.authz import authorize
from indemnisation.services.claims_queue import (
    QueueFilters,
    QueueOrder,
    QueueRow,
    check_filters,
    check_order,
    conditions,
    detailed,
    ordered_ids,
    recheck,
    to_row,
)
from indemnisation.services.errors import InvalidInput
from indemnisation.services.stats_sql import TEAM_ZONE
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings

CHUNK = 500
TICKET_TTL = 300
MAX_TICKET = 2048
CLAIMS_EXPORT = "claims.export"
COLUMNS = (
    "reference",
    "status",
    "claimant",
    "email",
    "flights",
    "route",
    "flight_date",
    "amount",
    "passengers",
    "currency",
    "assigned",
    "submitted_at",
    "last_message_at",
)
_CONTEXT = b"indemnisation.queue-export.v1:"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Ticket:
    """What a valid export ticket grants: this export, to this admin (checked by the route)."""

    user_id: int
    filters: QueueFilters
    order: QueueOrder


@dataclass(frozen=True)
class QueueExport:
    rows: int
    filename: str
    chunks: Iterator[str]


# --- tickets ------------------------------------------------------------------------------------


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _signature(body: str) -> str:
    secret = get_settings().secret_key.encode("utf-8")
    return _b64(hmac.new(secret, _CONTEXT + body.encode("ascii"), hashlib.sha256).digest())


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def sign_export(
    *,
    actor: UserView | None,
    filters: QueueFilters,
    order: QueueOrder,
    ttl_seconds: int = TICKET_TTL,
    now: float | None = None,
) -> str:
    """A short-lived ticket for the export of these (checked) filters by this admin."""
    user = authorize(actor, Role.ADMIN)
    checked = recheck(filters)
    chosen = check_order(order.sort, order.descending)
    expires = int(time.time() if now is None else now) + ttl_seconds
    body = {
        "u": user.id,
        "x": expires,
        "s": chosen.sort.value,
        "d": chosen.descending,
        "f": {name: _plain(value) for name, value in asdict(checked).items()},
    }
    encoded = _b64(json.dumps(body, separators=(",", ":")).encode())
    return f"{encoded}.{_signature(encoded)}"


def verify_export(token: Any, now: float | None = None) -> Ticket | None:
    """The ticket of a genuine, unexpired token whose filters still pass every check; None for
    anything else. Never raises."""
    if not isinstance(token, str) or len(token) > MAX_TICKET or token.count(".") != 1:
        return None
    encoded, signature = token.split(".")
    if not encoded.isascii() or not hmac.compare_digest(_signature(encoded), signature):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        expires, user_id = body["x"], body["u"]
        filters = check_filters(**body["f"])
        order = check_order(body["s"], body["d"])
    except (binascii.Error, ValueError, KeyError, TypeError, InvalidInput):
        return None
    if not isinstance(expires, int) or (time.time() if now is None else now) >= expires:
        return None
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    return Ticket(user_id, filters, order)


# --- the CSV ------------------------------------------------------------------------------------


def _cell(value: str) -> str:
    """Text a spreadsheet must not run as a formula."""
    return "'" + value if value.startswith(_FORMULA) else value


def _moment(value: datetime | None) -> str:
    return value.astimezone(TEAM_ZONE).isoformat(" ", "minutes")[:16] if value else ""


def _values(row: QueueRow, statuses: dict[ClaimStatus, str]) -> list[object]:
    return [
        row.reference,
        statuses[row.status],
        _cell(row.claimant_name),
        _cell(row.claimant_email),
        row.flight_numbers,
        row.route,
        row.flight_date.isoformat() if row.flight_date else "",
        row.amount_per_passenger,
        row.passengers,
        row.currency,
        _cell(row.assigned_name or ""),
        _moment(row.submitted_at),
        _moment(row.last_message_at),
    ]


def _chunks(user: UserView, filters: QueueFilters, order: QueueOrder, locale: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([translate(locale, f"queue.csv.{name}") for name in COLUMNS])
    yield "\ufeff" + buffer.getvalue()  # the BOM tells spreadsheets the text is UTF-8
    statuses = {status: translate(locale, f"status.{status.value}") for status in ClaimStatus}
    ids = ordered_ids(user, filters, order).subquery("matching")
    statement = detailed(user, ids, order).execution_options(yield_per=CHUNK)
    with session_scope() as session:
        for part in session.execute(statement).partitions():
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(_values(to_row(values), statuses) for values in part)
            yield buffer.getvalue()


def export_csv(
    *,
    actor: UserView | None,
    filters: QueueFilters,
    order: QueueOrder,
    locale: str = "fr",
    ip: str = "",
) -> QueueExport:
    """The queue's rows as CSV pieces, counted first; the "export" audit entry is written here,
    before the first piece. Refuses at once when the actor is not an admin or a filter is wrong."""
    user = authorize(actor, Role.ADMIN)
    checked = recheck(filters)
    chosen = check_order(order.sort, order.descending)
    count = select_columns(func.count()).select_from(Claim).where(*conditions(user, checked))
    with session_scope() as session:
        rows = int(session.execute(count).scalar_one())
        after = {
            "rows": rows,
            "sort": chosen.sort.value,
            "descending": chosen.descending,
            **{name: _plain(value) for name, value in asdict(checked).items()},
        }
        audit.record(session, user, CLAIMS_EXPORT, Target("claims", None), None, after, ip=ip)
        session.commit()
    stamp = datetime.now(TEAM_ZONE).strftime("%Y-%m-%d-%H%M")
    chunks = _chunks(user, checked, chosen, normalize_locale(locale))
    return QueueExport(rows, f"claims-{stamp}.csv", chunks)
