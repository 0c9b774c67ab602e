"""Form fields with a label, and the error and notice callouts."""

from __future__ import annotations

import reflex as rx

from indemnisation.components.i18n import tr


def text_field(
    key: str, name: str, *, type_: str = "text", autocomplete: str = "", required: bool = True
) -> rx.Component:
    return rx.vstack(
        rx.text(tr(key), as_="label", size="2", weight="medium", html_for=name),
        rx.input(
            name=name,
            id=name,
            type=type_,
            auto_complete=autocomplete or None,
            required=required,
            width="100%",
            size="3",
        ),
        spacing="1",
        width="100%",
    )


def error_callout(message: rx.Var[str]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(
            message, icon="triangle_alert", color_scheme="red", role="alert", id="form-error"
        ),
    )


def notice_callout(message: rx.Var[str]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="check", color_scheme="green", role="status", id="form-notice"),
    )


def submit_button(key: str, button_id: str) -> rx.Component:
    return rx.button(tr(key), type="submit", size="3", width="100%", id=button_id)


def new_password_fields(label_key: str, name: str, confirm_name: str) -> rx.Component:
    """A new password, the rules it must follow, and its confirmation."""
    return rx.fragment(
        text_field(label_key, name, type_="password", autocomplete="new-password"),
        rx.text(tr("auth.password_rules"), size="1", color_scheme="gray"),
        text_field(
            "field.password_confirm", confirm_name, type_="password", autocomplete="new-password"
        ),
    )
