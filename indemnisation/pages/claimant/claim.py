"""/claims/[claim_id] : one claim, as its owner (or an admin) sees it."""

import reflex as rx

from indemnisation.components.documents import document_item
from indemnisation.components.forms import error_callout, notice_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.reasons import reason_list
from indemnisation.components.status import status_badge
from indemnisation.states.claim_page import ClaimPageState as C


def _fact(key: str, value: rx.Var, fact_id: str) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(tr(key)), rx.data_list.value(value, id=fact_id))


def _documents() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("claim.documents"), size="4"),
        rx.foreach(C.documents, lambda document: document_item(document)),
        width="100%",
    )


def _timeline() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("claim.timeline"), size="4"),
        rx.foreach(
            C.timeline,
            lambda e: rx.hstack(
                rx.icon("circle-dot", size=16),
                rx.text(e["status"], weight="medium"),
                rx.text(e["when"], " · ", e["who"], size="2", color_scheme="gray"),
                align="center",
                class_name="timeline-entry",
            ),
        ),
        width="100%",
        id="timeline",
    )


def _needs_info() -> rx.Component:
    return rx.cond(
        C.needs_info,
        rx.card(
            rx.vstack(
                rx.text(tr("claim.needs_info"), weight="bold"),
                rx.upload(
                    rx.text(tr("wizard.documents.drop")),
                    id="requested-documents",
                    multiple=True,
                    on_drop=C.upload_requested(rx.upload_files(upload_id="requested-documents")),
                    border="2px dashed var(--amber-a7)",
                    padding="1.5em",
                    width="100%",
                ),
                rx.cond(C.uploading, rx.spinner()),
                width="100%",
            ),
            width="100%",
            id="needs-info",
        ),
    )


def claim_page() -> rx.Component:
    found = rx.vstack(
        rx.hstack(
            rx.heading(C.reference, size="7", id="claim-reference"),
            status_badge(C.status, C.status_label),
            align="center",
            spacing="3",
        ),
        rx.text(C.next_step, color_scheme="gray", id="claim-next"),
        error_callout(C.error),
        notice_callout(C.notice),
        _needs_info(),
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
        _documents(),
        _timeline(),
        rx.cond(
            C.can_withdraw,
            rx.alert_dialog.root(
                rx.alert_dialog.trigger(
                    rx.button(
                        tr("claim.withdraw"), variant="soft", color_scheme="red", id="withdraw"
                    )
                ),
                rx.alert_dialog.content(
                    rx.alert_dialog.title(tr("claim.withdraw")),
                    rx.alert_dialog.description(tr("claim.withdraw_confirm")),
                    rx.hstack(
                        rx.alert_dialog.cancel(rx.button(tr("claim.cancel"), variant="soft")),
                        rx.alert_dialog.action(
                            rx.button(
                                tr("claim.withdraw"),
                                color_scheme="red",
                                on_click=C.withdraw,
                                id="withdraw-confirm",
                            )
                        ),
                        justify="end",
                        spacing="3",
                    ),
                ),
            ),
        ),
        spacing="4",
        width="100%",
    )
    return page(
        guarded(
            rx.cond(
                C.found,
                found,
                rx.vstack(
                    rx.heading(tr("errors.404.title"), size="6", id="claim-not-found"),
                    rx.text(tr("error.not_found")),
                ),
            )
        ),
    )
