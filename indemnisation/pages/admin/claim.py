"""/admin/claims/[claim_id] : one claim as the team processes it: its facts, documents and
timeline, and the thread with the claimant, where internal notes stay within the team."""

import reflex as rx

from indemnisation.components.claim_view import (
    claim_facts,
    claim_heading,
    claim_not_found,
    claim_timeline,
)
from indemnisation.components.forms import error_callout, notice_callout
from indemnisation.components.layout import guarded, page
from indemnisation.components.thread import thread_panel
from indemnisation.states.claim_page import ClaimPageState as C


def admin_claim_page() -> rx.Component:
    found = rx.grid(
        rx.vstack(claim_facts(), claim_timeline(), spacing="4", width="100%"),
        rx.vstack(thread_panel(), width="100%"),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="5",
        width="100%",
    )
    return page(
        guarded(
            rx.cond(
                C.found,
                rx.vstack(
                    claim_heading(),
                    error_callout(C.error),
                    notice_callout(C.notice),
                    found,
                    spacing="4",
                    width="100%",
                ),
                claim_not_found(),
            )
        ),
        width="80em",
    )
