"""/admin/claims/[claim_id] : one claim as the team processes it: its facts, documents and
timeline, and the thread with the claimant, where internal notes stay within the team."""

import reflex as rx

from indemnisation.components.claim_admin import processing_panel
from indemnisation.components.claim_facts_admin import facts_editor
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
from indemnisation.states.canned import CannedPickerState as P
from indemnisation.states.claim_page import ClaimPageState as C
from indemnisation.states.thread import ThreadState as T


def _canned_picker() -> rx.Component:
    """Canned responses of either language, inserted into the composer to be edited and sent."""

    def language(code: str) -> rx.Component:
        return rx.button(
            code.upper(),
            size="1",
            type="button",
            variant=rx.cond(P.canned_options_locale == code, "solid", "soft"),
            on_click=P.load_for(code),
            id=f"canned-lang-{code}",
        )

    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("message-square-quote", size=16),
                tr("thread.canned"),
                type="button",
                variant="soft",
                on_click=P.load_for(P.lang),
                id="canned-open",
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(language("fr"), language("en"), spacing="1"),
                rx.cond(
                    P.canned_options.length() == 0,
                    rx.text(tr("thread.canned_none"), size="2", color_scheme="gray"),
                ),
                rx.foreach(
                    P.canned_options,
                    lambda option: rx.popover.close(
                        rx.button(
                            option["title"],
                            type="button",
                            variant="ghost",
                            on_click=T.insert_text(option["body"]),
                            class_name="canned-option",
                            width="100%",
                            justify="start",
                        )
                    ),
                ),
                spacing="2",
                width="18em",
            ),
        ),
    )


def admin_claim_page() -> rx.Component:
    found = rx.grid(
        rx.vstack(
            processing_panel(),
            facts_editor(),
            claim_facts(),
            claim_timeline(),
            spacing="4",
            width="100%",
        ),
        rx.vstack(thread_panel(_canned_picker()), width="100%"),
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
