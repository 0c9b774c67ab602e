"""The queue's CSV export: the filtered set in the queue's order, counted first, audited, streamed
in chunks from a server-side cursor; the signed ticket that carries the filters."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from indemnisation.db import get_engine, session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.i18n import translate
from indemnisation.models import AuditEntry
from indemnisation.services import claims_queue_export as export
from indemnisation.services.claims_queue import QueueFilters, QueueOrder, Sort
from indemnisation.services.errors import Forbidden, InvalidInput
from tests.services.test_claims_queue import add_claim

S = ClaimStatus


def _csv(chunks: Any) -> list[list[str]]:
    text = "".join(chunks)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_of_the_filtered_set_in_order_with_its_count_and_audit(make: Any) -> None:
    admin = make.admin(full_name="Alice Admin")
    owner = make.user(full_name="=HYPERLINK(1)", email="owner@example.org")
    low = add_claim(owner, amount=250, submitted=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    high = add_claim(
        owner,
        amount=600,
        passengers=2,
        assigned=admin.id,
        status=S.NEEDS_INFO,
        submitted=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )
    add_claim(owner, status=S.DRAFT)
    add_claim(owner, amount=0)
    made = export.export_csv(
        actor=admin,
        filters=QueueFilters(amount_min=250),
        order=QueueOrder(Sort.AMOUNT, True),
        locale="en",
        ip="203.0.113.5",
    )
    assert made.rows == 2
    assert made.filename.startswith("claims-") and made.filename.endswith(".csv")
    with session_scope() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "claims.export")).one()
    assert (entry.actor_id, entry.ip, entry.refused) == (admin.id, "203.0.113.5", False)
    assert entry.after is not None
    assert (entry.after["rows"], entry.after["amount_min"], entry.after["sort"]) == (
        2,
        250,
        "amount",
    )
    header, *rows = _csv(made.chunks)
    assert header == [
        "Reference",
        "Status",
        "Claimant",
        "Email",
        "Flights",
        "Route",
        "Flight date",
        "Amount per passenger",
        "Passengers",
        "Currency",
        "Assigned to",
        "Submitted at (Paris time)",
        "Last message (Paris time)",
    ]
    assert [row[7] for row in rows] == ["600", "250"]
    first = rows[0]
    assert first[0].endswith(f"{high:06d}") and rows[1][0].endswith(f"{low:06d}")
    assert first[1] == translate("en", "status.NEEDS_INFO") != "status.NEEDS_INFO"
    assert first[2] == "'=HYPERLINK(1)"  # a spreadsheet shows it, never runs it
    assert first[3:10] == ["owner@example.org", "AF6", "CDG-JFK", "2026-02-01", "600", "2", "EUR"]
    assert first[10:12] == ["Alice Admin", "2026-03-02 10:00"]
    assert first[12] == "" and rows[1][10] == ""


def test_csv_headers_and_statuses_in_french(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    add_claim(owner, status=S.PAID)
    made = export.export_csv(actor=admin, filters=QueueFilters(), order=QueueOrder(), locale="fr")
    header, row = _csv(made.chunks)
    assert header[0] == "Référence" and row[1] != "PAID"


def test_the_export_streams_before_reading_everything(make: Any, monkeypatch: Any) -> None:
    admin, owner = make.admin(), make.user()
    for _ in range(5):
        add_claim(owner)
    monkeypatch.setattr(export, "CHUNK", 2)
    converted: list[int] = []
    real = export.to_row

    def counting(values: Any) -> Any:
        converted.append(values[0])
        return real(values)

    monkeypatch.setattr(export, "to_row", counting)
    streamed: list[Any] = []

    def seen(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: Any) -> None:
        if "passenger_count" in statement:
            streamed.append(
                (context.execution_options.get("stream_results"), type(cursor).__name__)
            )

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        made = export.export_csv(actor=admin, filters=QueueFilters(), order=QueueOrder())
        assert made.rows == 5
        header = next(made.chunks)
        assert converted == [] and header.startswith("\ufeff")
        first = next(made.chunks)
        assert len(converted) == 2 and first.count("\r\n") == 2  # 3 rows still unread
        rest = list(made.chunks)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(converted) == 5 and len(rest) == 2
    assert [options for options, _ in streamed] == [True]
    if engine.dialect.name == "postgresql":
        assert streamed[0][1] == "ServerCursor"


def test_only_admins_export_and_filters_are_checked(make: Any) -> None:
    claimant, admin = make.user(), make.admin()
    with pytest.raises(Forbidden):
        export.export_csv(actor=claimant, filters=QueueFilters(), order=QueueOrder())
    with pytest.raises(InvalidInput):
        export.export_csv(
            actor=admin,
            filters=QueueFilters(country="France"),
            order=QueueOrder(),
        )
    with pytest.raises(Forbidden):
        export.sign_export(actor=claimant, filters=QueueFilters(), order=QueueOrder())


def test_tickets_carry_the_filters_and_refuse_any_change(make: Any) -> None:
    admin = make.admin()
    filters = QueueFilters(status=S.NEEDS_INFO, airline="AF", amount_min=250, assigned="me")
    order = QueueOrder(Sort.FLIGHT, False)
    token = export.sign_export(actor=admin, filters=filters, order=order, now=1000.0)
    ticket = export.verify_export(token, now=1001.0)
    assert ticket == export.Ticket(admin.id, filters, order)
    assert export.verify_export(token, now=1000.0 + export.TICKET_TTL) is None
    body, signature = token.split(".")
    flipped = body[:-1] + ("A" if body[-1] != "A" else "B")
    for forged in (
        f"{flipped}.{signature}",
        f"{body}.{signature[:-1]}x",
        body,
        "",
        "x" * 5000,
        None,
        f"{body}.{signature}.x",
    ):
        assert export.verify_export(forged, now=1001.0) is None
