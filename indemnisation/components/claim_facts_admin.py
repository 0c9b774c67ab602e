"""The facts card of the admin claim view: the facts as stored, the form that corrects them (with
each error beside its field and a confirmation), and what the last verdict re-run changed."""

from __future__ import annotations

import reflex as rx

from indemnisation.components.i18n import tr
from indemnisation.services.claim_facts import MAX_SEGMENTS
from indemnisation.states.claim_facts_admin import DENIALS, KINDS, REASONS
from indemnisation.states.claim_facts_admin import ClaimFactsState as F

BOX = {"padding": "0.4em", "border_radius": "6px", "width": "100%"}


def _error_at(name: rx.Var | str) -> rx.Component:
    return rx.cond(
        F.error_field == name,
        rx.text(F.error, size="1", color_scheme="red", class_name="field-error", role="alert"),
    )


def _invalid(name: rx.Var | str) -> rx.Var:
    return rx.cond(F.error_field == name, "true", "false")


def _outline(name: rx.Var | str) -> rx.Var:
    """A red outline around the field the error is about."""
    return rx.cond(F.error_field == name, "2px solid var(--red-9)", "none")


def _labelled(key: str, name: rx.Var | str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.text(tr(key), as_="label", size="2", weight="medium", html_for="facts-" + name),
        control,
        _error_at(name),
        spacing="1",
        width="100%",
    )


def _segment(segment: rx.Var, index: rx.Var) -> rx.Component:
    def field(key: str, name: str, **props: object) -> rx.Component:
        full = name + "_" + index.to_string()
        is_airport = name in ("departure", "arrival")
        return _labelled(
            key,
            full,
            rx.input(
                value=segment[name],
                on_change=lambda value: (
                    F.search_airport(index, name, value)
                    if is_airport
                    else F.set_segment_field(index, name, value)
                ),
                id="facts-" + full,
                aria_invalid=_invalid(full),
                custom_attrs={"list": "facts-airports"} if is_airport else {},
                auto_complete="off",
                outline=_outline(full),
                width="100%",
                **props,
            ),
        )

    return rx.box(
        rx.hstack(
            rx.text(tr("wizard.flights.flight"), " ", index + 1, weight="bold", size="2"),
            rx.spacer(),
            rx.cond(
                F.segments.length() > 1,
                rx.button(
                    tr("wizard.remove"),
                    size="1",
                    variant="ghost",
                    color_scheme="red",
                    type="button",
                    on_click=F.remove_segment(index),
                    id="facts-remove-" + index.to_string(),
                ),
            ),
            width="100%",
        ),
        rx.grid(
            field("wizard.flights.number", "flight_number", placeholder="AF 1234"),
            field("wizard.flights.date", "date", type="date"),
            field("admin.facts.from", "departure", placeholder="CDG"),
            field("admin.facts.to", "arrival", placeholder="JFK"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        width="100%",
        border="1px solid var(--gray-a6)",
        border_radius="var(--radius-3)",
        padding="0.75em",
        class_name="facts-segment",
    )


def _select(name: str, values: tuple[str, ...], prefix: str) -> rx.Component:
    return rx.el.select(
        *(rx.el.option(tr(f"{prefix}.{v}"), value=v) for v in values),
        value=F.disruption.get(name, values[0]),
        on_change=lambda value: F.set_field(name, value),
        id=f"facts-{name}",
        aria_invalid=_invalid(name),
        style=BOX | {"outline": _outline(name)},
    )


def _input(key: str, name: str, type_: str) -> rx.Component:
    return _labelled(
        key,
        name,
        rx.input(
            value=F.disruption.get(name, ""),
            on_change=lambda value: F.set_field(name, value),
            type=type_,
            id=f"facts-{name}",
            aria_invalid=_invalid(name),
            outline=_outline(name),
            width="100%",
        ),
    )


def _flight_concerned() -> rx.Component:
    """Which flight was cancelled, brought forward or refused (a delay counts at arrival)."""
    return rx.cond(
        F.segments.length() > 1,
        _labelled(
            "admin.facts.segment",
            "segment",
            rx.el.select(
                rx.foreach(
                    F.segments,
                    lambda s, i: rx.el.option(
                        i + 1, " · ", s["flight_number"], value=i.to_string()
                    ),
                ),
                value=F.disruption.get("segment", "0"),
                on_change=lambda value: F.set_field("segment", value),
                id="facts-segment",
                aria_invalid=_invalid("segment"),
                style=BOX | {"outline": _outline("segment")},
            ),
        ),
    )


def _rerouting() -> rx.Component:
    return rx.vstack(
        rx.checkbox(
            tr("wizard.disruption.rerouted"),
            checked=F.rerouted,
            on_change=F.set_rerouted,
            id="facts-rerouted",
        ),
        rx.cond(
            F.rerouted,
            rx.hstack(
                _input(
                    "wizard.disruption.rerouting_earlier",
                    "rerouting_departure_earlier_minutes",
                    "number",
                ),
                _input(
                    "wizard.disruption.rerouting_later", "rerouting_arrival_delay_minutes", "number"
                ),
                spacing="3",
                width="100%",
            ),
        ),
        width="100%",
    )


def _what_happened() -> rx.Component:
    return rx.vstack(
        _labelled("wizard.disruption.kind", "kind", _select("kind", KINDS, "disruption")),
        rx.match(
            F.disruption.get("kind", "delay"),
            (
                "delay",
                rx.hstack(
                    _input(
                        "wizard.disruption.scheduled_arrival", "scheduled_arrival", "datetime-local"
                    ),
                    _input("wizard.disruption.actual_arrival", "actual_arrival", "datetime-local"),
                    spacing="3",
                    width="100%",
                ),
            ),
            (
                "cancellation",
                rx.vstack(
                    _flight_concerned(),
                    _input("wizard.disruption.notice_days", "notice_days", "number"),
                    _rerouting(),
                    width="100%",
                ),
            ),
            (
                "denied_boarding",
                rx.vstack(
                    _flight_concerned(),
                    _labelled(
                        "wizard.disruption.denial", "denial", _select("denial", DENIALS, "denial")
                    ),
                    _rerouting(),
                    width="100%",
                ),
            ),
            (
                "brought_forward",
                rx.vstack(
                    _flight_concerned(),
                    rx.hstack(
                        _input("wizard.disruption.minutes_earlier", "minutes_earlier", "number"),
                        _input("wizard.disruption.notice_days", "notice_days", "number"),
                        spacing="3",
                        width="100%",
                    ),
                    width="100%",
                ),
            ),
            rx.fragment(),
        ),
        _labelled(
            "wizard.disruption.reason",
            "airline_reason",
            _select("airline_reason", REASONS, "reason"),
        ),
        spacing="3",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.text(tr("admin.facts.form_intro"), size="2", color_scheme="gray"),
        rx.foreach(F.segments, _segment),
        rx.el.datalist(
            rx.foreach(F.airport_options, lambda a: rx.el.option(a["label"], value=a["code"])),
            id="facts-airports",
        ),
        rx.hstack(
            rx.cond(
                F.segments.length() < MAX_SEGMENTS,
                rx.button(
                    tr("wizard.flights.add"),
                    variant="outline",
                    size="1",
                    type="button",
                    on_click=F.add_segment,
                    id="facts-add-segment",
                ),
            ),
            rx.checkbox(
                tr("wizard.flights.single_booking"),
                checked=F.single_booking,
                on_change=F.set_single_booking,
                id="facts-single_booking",
            ),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        _what_happened(),
        rx.hstack(
            rx.button(
                tr("admin.claim.cancel"),
                variant="soft",
                type="button",
                on_click=F.cancel,
                id="facts-cancel",
            ),
            rx.button(tr("admin.facts.save"), type="button", on_click=F.ask_save, id="facts-save"),
            justify="end",
            spacing="3",
            width="100%",
        ),
        spacing="3",
        width="100%",
        id="facts-form",
    )


def _summary() -> rx.Component:
    return rx.data_list.root(
        rx.foreach(
            F.summary,
            lambda r: rx.data_list.item(
                rx.data_list.label(r["label"]),
                rx.data_list.value(r["value"], id="facts-show-" + r["key"]),
            ),
        ),
        id="facts-summary",
    )


def _verdict() -> rx.Component:
    """The verdict is older than the last correction, or what its last re-run changed."""
    stale = rx.callout(
        rx.hstack(
            rx.text(tr("admin.facts.stale")),
            rx.button(
                rx.icon("refresh-cw", size=14),
                tr("admin.claim.rerun_verdict"),
                size="1",
                type="button",
                on_click=F.rerun,
                id="facts-rerun",
            ),
            align="center",
            wrap="wrap",
            spacing="3",
        ),
        icon="info",
        color_scheme="amber",
        id="facts-stale",
    )
    change = rx.vstack(
        rx.text(tr("admin.facts.change.title"), size="2", weight="medium"),
        rx.text(F.change_by, size="1", color_scheme="gray"),
        rx.foreach(
            F.change,
            lambda c: rx.text(
                rx.text.strong(c["label"]),
                " ",
                rx.cond(c["before"] != "", rx.fragment(c["before"], " → ")),
                rx.text.span(c["after"], weight=rx.cond(c["same"] == "", "bold", "regular")),
                size="2",
                custom_attrs={"data-change": c["key"]},
            ),
        ),
        spacing="1",
        width="100%",
        padding_left="0.75em",
        border_left="3px solid var(--accent-8)",
        id="verdict-change",
    )
    return rx.cond(F.stale, stale, rx.cond(F.change.length() > 0, change))


def _confirm() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr("admin.facts.confirm_title")),
            rx.dialog.description(tr("admin.facts.confirm_text")),
            rx.hstack(
                rx.dialog.close(rx.button(tr("admin.claim.cancel"), variant="soft", type="button")),
                rx.button(
                    tr("admin.claim.confirm"), type="button", on_click=F.save, id="facts-confirm"
                ),
                justify="end",
                spacing="3",
                width="100%",
                margin_top="1em",
            ),
        ),
        open=F.confirming,
        on_open_change=F.close_confirm,
    )


def facts_editor() -> rx.Component:
    """Shown once the card has loaded for an admin; nothing of it reaches anyone else."""
    return rx.cond(
        F.ready,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(tr("admin.facts.title"), size="4"),
                    rx.spacer(),
                    rx.cond(
                        F.editable & ~F.editing,
                        rx.button(
                            rx.icon("pencil", size=14),
                            tr("admin.facts.edit"),
                            size="2",
                            variant="soft",
                            type="button",
                            on_click=F.edit,
                            id="facts-edit",
                        ),
                    ),
                    align="center",
                    width="100%",
                ),
                rx.cond(
                    (F.error != "") & (F.error_field == ""),
                    rx.callout(
                        F.error,
                        icon="triangle_alert",
                        color_scheme="red",
                        role="alert",
                        id="facts-error",
                    ),
                ),
                rx.cond(
                    F.notice != "",
                    rx.callout(
                        F.notice,
                        icon="check",
                        color_scheme="green",
                        role="status",
                        id="facts-notice",
                    ),
                ),
                rx.cond(F.locked != "", rx.text(F.locked, size="2", color_scheme="gray")),
                _verdict(),
                rx.cond(F.editing, _form(), _summary()),
                _confirm(),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="facts-editor",
        ),
    )
