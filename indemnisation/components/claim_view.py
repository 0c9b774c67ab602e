"""What the claimant's claim page and the admin's claim view both show of a claim."""

from __future__ import annotations

import reflex as rx

from indemnisation.components.documents import document_item
from indemnisation.components.i18n import tr
from indemnisation.components.reasons import reason_list
from indemnisation.components.status import status_badge
from indemnisation.states.claim_page import ClaimPageState as C


def _fact(key: str, value: rx.Var, fact_id: str) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(tr(key)), rx.data_list.value(value, id=fact_id))


def claim_heading() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(C.reference, size="7", id="claim-reference"),
            status_badge(C.status, C.status_label),
            align="center",
            spacing="3",
        ),
        rx.text(C.next_step, color_scheme="gray", id="claim-next"),
        spacing="1",
        width="100%",
    )


def claim_facts() -> rx.Component:
    return rx.vstack(
        rx.data_list.root(
            _fact("claim.field.route", C.route, "claim-route"),
            _fact("claim.field.flights", C.flights, "claim-flights"),
            _fact("claim.field.date", C.flight_date, "claim-date"),
            _fact("claim.field.per_passenger", C.amount_per_passenger, "claim-per-passenger"),
            _fact("claim.field.total", C.amount_total, "claim-total"),
            _fact("claim.field.deadline", C.deadline, "claim-deadline"),
        ),
        rx.heading(tr("wizard.verdict.why"), size="4"),
        reason_list(C.reasons),
        rx.heading(tr("claim.passengers"), size="4"),
        rx.unordered_list(rx.foreach(C.passengers, lambda p: rx.list_item(p))),
        rx.vstack(
            rx.heading(tr("claim.documents"), size="4"),
            rx.foreach(C.documents, lambda document: document_item(document)),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def claim_timeline() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("claim.timeline"), size="4"),
        rx.foreach(
            C.timeline,
            lambda e: rx.vstack(
                rx.hstack(
                    rx.icon("circle-dot", size=16),
                    rx.text(e["status"], weight="medium"),
                    rx.text(e["when"], " · ", e["who"], size="2", color_scheme="gray"),
                    align="center",
                ),
                rx.cond(
                    e["note"] != "",
                    rx.text(e["note"], size="2", padding_left="1.5em", white_space="pre-wrap"),
                ),
                spacing="1",
                class_name="timeline-entry",
            ),
        ),
        width="100%",
        id="timeline",
    )


def claim_not_found() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("errors.404.title"), size="6", id="claim-not-found"),
        rx.text(tr("error.not_found")),
    )
