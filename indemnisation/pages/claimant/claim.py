"""/claims/[claim_id] : one claim, as its owner (or an admin) sees it, with its message thread."""

import reflex as rx

from indemnisation.components.claim_view import (
    claim_facts,
    claim_heading,
    claim_not_found,
    claim_timeline,
)
from indemnisation.components.forms import error_callout, notice_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.thread import thread_panel
from indemnisation.states.claim_page import ClaimPageState as C
from indemnisation.states.session import SessionState


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
                    on_drop=C.upload_requested(
                        rx.upload_files(upload_id="requested-documents"), SessionState.auth_token
                    ),
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


def _withdraw() -> rx.Component:
    return rx.cond(
        C.can_withdraw,
        rx.alert_dialog.root(
            rx.alert_dialog.trigger(
                rx.button(tr("claim.withdraw"), variant="soft", color_scheme="red", id="withdraw")
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
    )


def claim_page() -> rx.Component:
    found = rx.vstack(
        claim_heading(),
        error_callout(C.error),
        notice_callout(C.notice),
        _needs_info(),
        thread_panel(),
        claim_facts(),
        claim_timeline(),
        _withdraw(),
        spacing="4",
        width="100%",
    )
    return page(guarded(rx.cond(C.found, found, claim_not_found())))
