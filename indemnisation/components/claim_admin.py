"""The processing panel of the admin claim view: the allowed status moves (with a note and a
confirmation), the review of each document, the assignment, the verdict re-run and the trail."""

from __future__ import annotations

import reflex as rx

from indemnisation.components.i18n import tr
from indemnisation.components.status import status_badge
from indemnisation.services.demand_letter import LETTER_STATUSES
from indemnisation.states.claim_admin import NOBODY
from indemnisation.states.claim_admin import ClaimAdminState as A
from indemnisation.states.claim_facts_admin import ClaimFactsState as F
from indemnisation.states.claim_page import ClaimPageState as C


def _status_actions() -> rx.Component:
    return rx.vstack(
        rx.text(tr("admin.claim.move_to"), size="2", weight="medium"),
        rx.cond(
            A.statuses.length() == 0,
            rx.text(tr("admin.claim.no_moves"), size="2", color_scheme="gray"),
        ),
        rx.flex(
            rx.foreach(
                A.statuses,
                lambda s: rx.button(
                    status_badge(s["value"], s["label"]),
                    variant="outline",
                    type="button",
                    on_click=A.ask_status(s["value"]),
                    custom_attrs={"data-status": s["value"]},
                ),
            ),
            wrap="wrap",
            spacing="2",
        ),
        id="status-actions",
        spacing="2",
        width="100%",
    )


def _dialog_buttons(confirm_key: str, confirm_id: str, colour: str) -> rx.Component:
    return rx.hstack(
        rx.dialog.close(rx.button(tr("admin.claim.cancel"), variant="soft", type="button")),
        rx.button(tr(confirm_key), type="submit", color_scheme=colour, id=confirm_id),
        justify="end",
        spacing="3",
        width="100%",
    )


def _status_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr("admin.claim.confirm_status")),
            rx.dialog.description(
                rx.text(tr("admin.claim.confirm_status_text"), " ", rx.text.strong(A.pending_label))
            ),
            rx.form(
                rx.vstack(
                    rx.text(tr("admin.claim.note"), as_="label", size="2", html_for="status-note"),
                    rx.text_area(name="note", id="status-note", max_length=1000, width="100%"),
                    rx.text(tr("admin.claim.note_hint"), size="1", color_scheme="gray"),
                    _dialog_buttons("admin.claim.confirm", "status-confirm", "indigo"),
                    spacing="2",
                    margin_top="1em",
                ),
                on_submit=A.confirm_status,
                reset_on_submit=True,
            ),
        ),
        open=A.pending_label != "",
        on_open_change=A.close_status,
    )


def _document_row(document: rx.Var) -> rx.Component:
    review = document["review"]
    return rx.hstack(
        rx.vstack(
            rx.text(document["name"], weight="medium", size="2"),
            rx.text(
                document["kind"], " · ", document["review_label"], size="1", color_scheme="gray"
            ),
            rx.cond(
                document["reason"] != "",
                rx.text(document["reason"], size="1", color_scheme="red", class_name="reason"),
            ),
            spacing="0",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("check", size=14),
            tr("admin.claim.accept"),
            size="1",
            variant=rx.cond(review == "ACCEPTED", "solid", "soft"),
            color_scheme="green",
            type="button",
            on_click=A.accept_document(document["id"]),
            class_name="accept",
        ),
        rx.button(
            rx.icon("x", size=14),
            tr("admin.claim.reject"),
            size="1",
            variant=rx.cond(review == "REJECTED", "solid", "soft"),
            color_scheme="red",
            type="button",
            on_click=A.ask_reject(document["id"]),
            class_name="reject",
        ),
        align="center",
        width="100%",
        custom_attrs={"data-document-id": document["id"]},
    )


def _reject_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr("admin.claim.reject_title")),
            rx.dialog.description(rx.text.strong(A.reject_name)),
            rx.form(
                rx.vstack(
                    rx.text(
                        tr("admin.claim.reject_reason"),
                        as_="label",
                        size="2",
                        html_for="reject-reason",
                    ),
                    rx.text_area(
                        name="reason",
                        id="reject-reason",
                        max_length=500,
                        required=True,
                        width="100%",
                    ),
                    rx.text(tr("admin.claim.reject_hint"), size="1", color_scheme="gray"),
                    _dialog_buttons("admin.claim.reject", "reject-confirm", "red"),
                    spacing="2",
                    margin_top="1em",
                ),
                on_submit=A.confirm_reject,
                reset_on_submit=True,
            ),
        ),
        open=A.reject_name != "",
        on_open_change=A.close_reject,
    )


def _assignment() -> rx.Component:
    return rx.hstack(
        rx.text(tr("admin.claim.assigned_to"), size="2", weight="medium"),
        rx.el.select(
            rx.el.option(tr("admin.claim.nobody"), value=NOBODY),
            rx.foreach(A.admins, lambda a: rx.el.option(a["name"], value=a["id"])),
            value=A.assigned,
            on_change=A.assign,
            id="assign-select",
            class_name="rt-reset",
            style={
                "padding": "0.25em 0.5em",
                "border": "1px solid var(--gray-7)",
                "border-radius": "6px",
            },
        ),
        rx.spacer(),
        rx.button(
            rx.icon("refresh-cw", size=14),
            tr("admin.claim.rerun_verdict"),
            size="2",
            variant="soft",
            type="button",
            on_click=[A.rerun_verdict, F.refresh],
            id="rerun-verdict",
        ),
        align="center",
        width="100%",
        wrap="wrap",
    )


def _letters() -> rx.Component:
    """The demand letter to the airline in each language, when one can be made (the route
    checks again)."""
    allowed = rx.Var.create(sorted(LETTER_STATUSES)).contains(C.status) & (C.eligibility == "yes")

    def link(lang: str, label_key: str) -> rx.Component:
        # A download the browser fetches from the server route, not a page of the router.
        return rx.button(
            rx.el.a(
                rx.icon("file-down", size=14),
                tr(label_key),
                href=f"/admin/claims/{C.claim_id}/letter.pdf?lang={lang}",
                download=True,
                reload_document=True,
                id=f"letter-{lang}",
            ),
            as_child=True,
            size="2",
            variant="soft",
        )

    return rx.cond(
        allowed,
        rx.hstack(
            rx.text(tr("admin.claim.letter"), size="2", weight="medium"),
            rx.spacer(),
            link("fr", "admin.claim.letter_fr"),
            link("en", "admin.claim.letter_en"),
            align="center",
            width="100%",
            wrap="wrap",
            id="demand-letter",
        ),
    )


def _trail() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("admin.claim.trail"), size="3"),
        rx.cond(
            A.trail.length() == 0,
            rx.text(tr("admin.claim.trail_empty"), size="2", color_scheme="gray"),
        ),
        rx.foreach(
            A.trail,
            lambda e: rx.vstack(
                rx.text(rx.text.strong(e["action"]), " · ", e["who"], " · ", e["when"], size="2"),
                rx.cond(e["detail"] != "", rx.text(e["detail"], size="1", color_scheme="gray")),
                rx.cond(e["refused"] != "", rx.text(e["refused"], size="1", color_scheme="red")),
                spacing="0",
                class_name="audit-entry",
                custom_attrs={"data-audit-id": e["id"]},
            ),
        ),
        rx.cond(
            A.trail_more,
            rx.button(
                tr("admin.claim.trail_more"), size="1", variant="ghost", on_click=A.more_trail
            ),
        ),
        id="audit-trail",
        spacing="2",
        width="100%",
    )


def _callouts() -> rx.Component:
    return rx.fragment(
        rx.cond(
            A.error != "",
            rx.callout(
                A.error,
                icon="triangle_alert",
                color_scheme="red",
                role="alert",
                id="processing-error",
            ),
        ),
        rx.cond(
            A.notice != "",
            rx.callout(
                A.notice, icon="check", color_scheme="green", role="status", id="processing-notice"
            ),
        ),
    )


def processing_panel() -> rx.Component:
    """The team's actions on the claim; shown once the panel has loaded for an admin."""
    return rx.cond(
        A.ready,
        rx.card(
            rx.vstack(
                rx.heading(tr("admin.claim.processing"), size="4"),
                _callouts(),
                _status_actions(),
                _assignment(),
                _letters(),
                rx.vstack(
                    rx.text(tr("admin.claim.review"), size="2", weight="medium"),
                    rx.foreach(A.documents, _document_row),
                    width="100%",
                    spacing="2",
                ),
                _trail(),
                _status_dialog(),
                _reject_dialog(),
                spacing="4",
                width="100%",
            ),
            width="100%",
            id="processing-panel",
        ),
    )
