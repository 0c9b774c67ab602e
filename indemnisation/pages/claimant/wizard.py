"""/claims/[claim_id]/edit : the claim wizard, one step at a time."""

from collections.abc import Callable

import reflex as rx

from indemnisation.components.documents import document_item
from indemnisation.components.forms import error_callout, notice_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.components.reasons import reason_list
from indemnisation.states.session import SessionState
from indemnisation.states.wizard import WizardState as W

STEP_KEYS = (
    "wizard.step.flights",
    "wizard.step.disruption",
    "wizard.step.verdict",
    "wizard.step.passengers",
    "wizard.step.documents",
    "wizard.step.sign",
)
REASONS = (
    "none",
    "unknown",
    "technical_fault",
    "crew_illness",
    "own_staff_strike",
    "third_party_strike",
    "atc_strike",
    "atc_restriction",
    "weather",
    "security",
    "political_instability",
    "medical_emergency",
    "unruly_passenger",
    "bird_strike",
    "runway_debris",
)
DENIALS = ("involuntary", "voluntary", "health", "safety", "security", "travel_documents")
UPLOAD_KINDS = ("BOARDING_PASS", "IDENTITY", "DISRUPTION_PROOF", "RECEIPT")


def _label(key: str, html_for: str = "") -> rx.Component:
    return rx.text(tr(key), as_="label", size="2", weight="medium", html_for=html_for or None)


def _stepper() -> rx.Component:
    def item(number: int, key: str) -> rx.Component:
        return rx.button(
            f"{number}. ",
            tr(key),
            size="1",
            variant=rx.cond(W.step == number, "solid", "soft"),
            disabled=W.reached < number,
            on_click=W.go_to(number),
            id=f"step-{number}",
        )

    return rx.vstack(
        rx.flex(*(item(i + 1, k) for i, k in enumerate(STEP_KEYS)), wrap="wrap", spacing="2"),
        rx.progress(value=W.progress, width="100%"),
        width="100%",
    )


def _airport_input(name: str, segment: rx.Var, index: rx.Var) -> rx.Component:
    suggestions = rx.cond(
        (W.airport_field == name) & (W.airport_index == index) & (W.airport_options.length() > 0),
        rx.box(
            rx.vstack(
                rx.foreach(
                    W.airport_options,
                    lambda option: rx.button(
                        option["label"],
                        variant="ghost",
                        size="1",
                        on_click=W.choose_airport(option["code"]),
                        class_name="airport-option",
                    ),
                ),
                align="start",
                spacing="1",
            ),
            position="absolute",
            z_index="10",
            width="100%",
            padding="0.5em",
            background="var(--color-panel-solid)",
            border="1px solid var(--gray-a6)",
            border_radius="var(--radius-3)",
            box_shadow="var(--shadow-4)",
        ),
    )
    return rx.box(
        rx.input(
            value=segment[name],
            on_change=lambda value: W.search_airport(name, index, value),
            debounce_timeout=150,
            placeholder=rx.cond(name == "departure", "CDG", "JFK"),
            id=f"{name}-" + index.to_string(),
            auto_complete="off",
        ),
        suggestions,
        position="relative",
        width="100%",
    )


def _labelled_input(
    key: str,
    value: rx.Var,
    on_change: Callable[[rx.Var], object],
    input_id: object,
    **props: object,
) -> rx.Component:
    return rx.vstack(
        _label(key),
        rx.input(value=value, on_change=on_change, id=input_id, **props),
        spacing="1",
        width="100%",
    )


def _segment(segment: rx.Var, index: rx.Var) -> rx.Component:
    def field(key: str, name: str, **props: object) -> rx.Component:
        return _labelled_input(
            key,
            segment[name],
            lambda value: W.set_segment_field(index, name, value),
            f"{name}-" + index.to_string(),
            **props,
        )

    return rx.box(
        rx.vstack(
            rx.hstack(
                rx.text(tr("wizard.flights.flight"), " ", index + 1, weight="bold"),
                rx.spacer(),
                rx.cond(
                    index > 0,
                    rx.button(
                        tr("wizard.remove"),
                        size="1",
                        variant="ghost",
                        color_scheme="red",
                        on_click=W.remove_segment(index),
                    ),
                ),
                width="100%",
            ),
            rx.grid(
                field("wizard.flights.number", "flight_number", placeholder="AF 1234"),
                field("wizard.flights.date", "date", type="date"),
                rx.vstack(
                    _label("wizard.flights.from"),
                    _airport_input("departure", segment, index),
                    spacing="1",
                    width="100%",
                ),
                rx.vstack(
                    _label("wizard.flights.to"),
                    _airport_input("arrival", segment, index),
                    spacing="1",
                    width="100%",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.button(
                tr("wizard.flights.lookup"),
                variant="soft",
                size="2",
                on_click=W.look_up(index),
                id="lookup-" + index.to_string(),
            ),
            width="100%",
        ),
        width="100%",
        border="1px solid var(--gray-a6)",
        border_radius="var(--radius-3)",
        padding="1em",
    )


def _flights_step() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("wizard.flights.title"), size="5"),
        rx.text(tr("wizard.flights.intro"), color_scheme="gray"),
        rx.foreach(W.segments, _segment),
        notice_callout(W.lookup_notice),
        rx.hstack(
            rx.button(
                tr("wizard.flights.add"),
                variant="outline",
                on_click=W.add_segment,
                id="add-segment",
            ),
            rx.checkbox(
                tr("wizard.flights.single_booking"),
                checked=W.single_booking,
                on_change=W.set_single_booking,
            ),
            spacing="4",
            align="center",
        ),
        rx.button(tr("wizard.continue"), size="3", on_click=W.save_flights, id="flights-next"),
        spacing="4",
        width="100%",
    )


def _number_field(key: str, name: str) -> rx.Component:
    return rx.vstack(
        _label(key, name),
        rx.input(
            value=W.disruption.get(name, ""),
            on_change=lambda value: W.set_disruption_field(name, value),
            type="number",
            id=name,
        ),
        spacing="1",
    )


def _time_field(key: str, name: str) -> rx.Component:
    return rx.vstack(
        _label(key, name),
        rx.input(
            value=W.disruption.get(name, ""),
            on_change=lambda value: W.set_disruption_field(name, value),
            type="datetime-local",
            id=name,
        ),
        spacing="1",
    )


def _select(name: str, values: tuple[str, ...], prefix: str) -> rx.Component:
    return rx.el.select(
        *(rx.el.option(tr(f"{prefix}.{v}"), value=v) for v in values),
        value=W.disruption.get(name, values[0]),
        on_change=lambda value: W.set_disruption_field(name, value),
        id=name,
        style={"padding": "0.5em", "border_radius": "6px", "width": "100%"},
    )


def _rerouting() -> rx.Component:
    return rx.vstack(
        rx.checkbox(
            tr("wizard.disruption.rerouted"),
            checked=W.rerouted,
            on_change=W.set_rerouted,
            id="rerouted",
        ),
        rx.cond(
            W.rerouted,
            rx.hstack(
                _number_field(
                    "wizard.disruption.rerouting_earlier", "rerouting_departure_earlier_minutes"
                ),
                _number_field(
                    "wizard.disruption.rerouting_later", "rerouting_arrival_delay_minutes"
                ),
                spacing="3",
            ),
        ),
    )


def _disruption_step() -> rx.Component:
    kind = W.disruption.get("kind", "delay")
    return rx.vstack(
        rx.heading(tr("wizard.disruption.title"), size="5"),
        _label("wizard.disruption.kind", "kind"),
        _select(
            "kind", ("delay", "cancellation", "denied_boarding", "brought_forward"), "disruption"
        ),
        rx.match(
            kind,
            (
                "delay",
                rx.vstack(
                    rx.text(tr("wizard.disruption.delay_help"), size="2", color_scheme="gray"),
                    rx.hstack(
                        _time_field("wizard.disruption.scheduled_arrival", "scheduled_arrival"),
                        _time_field("wizard.disruption.actual_arrival", "actual_arrival"),
                        spacing="3",
                        wrap="wrap",
                    ),
                ),
            ),
            (
                "cancellation",
                rx.vstack(
                    _number_field("wizard.disruption.notice_days", "notice_days"), _rerouting()
                ),
            ),
            (
                "denied_boarding",
                rx.vstack(
                    _label("wizard.disruption.denial", "denial"),
                    _select("denial", DENIALS, "denial"),
                    _rerouting(),
                ),
            ),
            (
                "brought_forward",
                rx.hstack(
                    _number_field("wizard.disruption.minutes_earlier", "minutes_earlier"),
                    _number_field("wizard.disruption.notice_days", "notice_days"),
                    spacing="3",
                ),
            ),
            rx.fragment(),
        ),
        _label("wizard.disruption.reason", "airline_reason"),
        _select("airline_reason", REASONS, "reason"),
        rx.button(
            tr("wizard.disruption.check"),
            size="3",
            on_click=W.save_disruption,
            id="disruption-next",
        ),
        spacing="3",
        width="100%",
    )


def _verdict_step() -> rx.Component:
    amounts = rx.vstack(
        rx.heading(W.amount_per_passenger, size="8", id="verdict-amount"),
        rx.text(tr("wizard.verdict.per_passenger"), color_scheme="gray"),
        rx.text(
            tr("wizard.verdict.total"), " ", rx.text.strong(W.amount_total, id="verdict-total")
        ),
        rx.text(W.fee_text),
        rx.text(tr("wizard.verdict.net"), " ", rx.text.strong(W.net_text, id="verdict-net")),
        spacing="1",
    )
    return rx.vstack(
        rx.heading(tr("wizard.verdict.title"), size="5"),
        rx.match(
            W.eligibility,
            (
                "yes",
                rx.callout(
                    tr("wizard.verdict.yes"), color_scheme="green", icon="check", id="verdict-yes"
                ),
            ),
            (
                "uncertain",
                rx.callout(
                    tr("wizard.verdict.uncertain"),
                    color_scheme="amber",
                    icon="triangle_alert",
                    id="verdict-uncertain",
                ),
            ),
            rx.callout(tr("wizard.verdict.no"), color_scheme="gray", icon="info", id="verdict-no"),
        ),
        rx.cond(W.eligibility != "no", amounts),
        rx.text(tr("wizard.verdict.distance"), " ", W.distance, " km · ", W.verdict_regime),
        rx.cond(W.deadline != "", rx.text(tr("wizard.verdict.deadline"), " ", W.deadline)),
        rx.cond(
            W.deadline_passed,
            rx.callout(
                tr("wizard.verdict.deadline_passed"),
                color_scheme="red",
                icon="clock",
                id="deadline-passed",
            ),
        ),
        rx.heading(tr("wizard.verdict.why"), size="3"),
        reason_list(W.reasons),
        rx.cond(
            W.open_questions.length() > 0,
            rx.vstack(
                rx.heading(tr("wizard.verdict.open"), size="3"), reason_list(W.open_questions)
            ),
        ),
        rx.hstack(
            rx.cond(
                W.eligibility != "no",
                rx.button(
                    tr("wizard.continue"), size="3", on_click=W.accept_verdict, id="verdict-next"
                ),
            ),
            rx.button(
                tr("wizard.delete_draft"),
                variant="soft",
                color_scheme="red",
                on_click=W.delete_draft,
                id="delete-draft",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _passenger(passenger: rx.Var, index: rx.Var) -> rx.Component:
    def field(key: str, name: str, **props: object) -> rx.Component:
        return _labelled_input(
            key,
            passenger[name],
            lambda value: W.set_passenger_field(index, name, value),
            f"passenger-{name}-" + index.to_string(),
            **props,
        )

    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.cond(
                    index == 0,
                    rx.text(tr("wizard.passengers.you"), weight="bold"),
                    rx.text(tr("wizard.passengers.other"), " ", index + 1, weight="bold"),
                ),
                rx.spacer(),
                rx.cond(
                    index > 0,
                    rx.button(
                        tr("wizard.remove"),
                        size="1",
                        variant="ghost",
                        color_scheme="red",
                        on_click=W.remove_passenger(index),
                    ),
                ),
                width="100%",
            ),
            rx.grid(
                field("field.full_name", "full_name"),
                field("field.email", "email", type="email"),
                field("wizard.passengers.phone", "phone", type="tel"),
                columns=rx.breakpoints(initial="1", sm="3"),
                spacing="3",
                width="100%",
            ),
            rx.cond(
                index > 0,
                rx.checkbox(
                    tr("wizard.passengers.minor"),
                    checked=passenger["is_minor"] == "1",
                    on_change=lambda value: W.set_passenger_field(index, "is_minor", value),
                ),
            ),
            width="100%",
        ),
        width="100%",
    )


def _passengers_step() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("wizard.passengers.title"), size="5"),
        rx.text(tr("wizard.passengers.intro"), color_scheme="gray"),
        rx.foreach(W.passengers, _passenger),
        rx.button(
            tr("wizard.passengers.add"),
            variant="outline",
            on_click=W.add_passenger,
            id="add-passenger",
        ),
        rx.button(
            tr("wizard.continue"), size="3", on_click=W.save_passengers, id="passengers-next"
        ),
        spacing="3",
        width="100%",
    )


def _document_row(document: rx.Var) -> rx.Component:
    remove = rx.button(
        tr("wizard.remove"),
        size="1",
        variant="ghost",
        color_scheme="red",
        on_click=W.remove_document(document["id"]),
    )
    return document_item(document, remove)


def _documents_step() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("wizard.documents.title"), size="5"),
        rx.text(tr("wizard.documents.intro"), color_scheme="gray"),
        _label("wizard.documents.kind", "upload_kind"),
        rx.el.select(
            *(rx.el.option(tr(f"document.kind.{k}"), value=k) for k in UPLOAD_KINDS),
            value=W.upload_kind,
            on_change=W.set_upload_kind,
            id="upload_kind",
            style={"padding": "0.5em", "border_radius": "6px"},
        ),
        rx.upload(
            rx.vstack(
                rx.icon("upload", size=28),
                rx.text(tr("wizard.documents.drop")),
                rx.text(tr("wizard.documents.types"), size="1", color_scheme="gray"),
                align="center",
            ),
            id="claim-documents",
            multiple=True,
            on_drop=W.upload(
                rx.upload_files(upload_id="claim-documents", on_upload_progress=W.on_progress),
                SessionState.auth_token,
            ),
            border="2px dashed var(--gray-a7)",
            padding="2em",
            width="100%",
        ),
        rx.cond(
            W.uploading | (W.upload_progress > 0),
            rx.progress(value=W.upload_progress, width="100%", id="upload-progress"),
        ),
        rx.vstack(
            rx.foreach(W.documents, _document_row),
            width="100%",
            id="document-list",
        ),
        rx.button(tr("wizard.continue"), size="3", on_click=W.documents_done, id="documents-next"),
        spacing="3",
        width="100%",
    )


def _sign_step() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("wizard.sign.title"), size="5"),
        rx.card(
            rx.vstack(
                rx.text(
                    tr("wizard.sign.flights"),
                    " ",
                    rx.text.strong(W.segments.length()),
                    " · ",
                    tr("wizard.verdict.total"),
                    " ",
                    rx.text.strong(W.amount_total),
                ),
                rx.text(tr("wizard.verdict.net"), " ", rx.text.strong(W.net_text)),
                rx.text(tr("wizard.sign.passengers"), " ", W.passengers.length()),
                rx.text(tr("wizard.sign.documents"), " ", W.documents.length()),
            ),
            width="100%",
        ),
        rx.text(tr("wizard.sign.mandate"), size="2"),
        rx.form(
            rx.vstack(
                _label("wizard.sign.type_name", "signer_name"),
                rx.input(name="signer_name", id="signer_name", auto_complete="off", width="100%"),
                rx.checkbox(tr("wizard.sign.consent"), name="consent", id="consent"),
                rx.button(tr("wizard.sign.submit"), type="submit", size="3", id="submit-claim"),
                spacing="3",
                width="100%",
            ),
            on_submit=W.submit,
            reset_on_submit=False,
        ),
        spacing="3",
        width="100%",
    )


def wizard_page() -> rx.Component:
    return page(
        rx.heading(tr("wizard.title"), size="7", id="wizard-title"),
        guarded(
            _stepper(),
            error_callout(W.error),
            rx.match(
                W.step,
                (1, _flights_step()),
                (2, _disruption_step()),
                (3, _verdict_step()),
                (4, _passengers_step()),
                (5, _documents_step()),
                _sign_step(),
            ),
        ),
        width="50em",
    )
