"""/forgot-password and /reset-password"""

import reflex as rx

from indemnisation.components.forms import (
    error_callout,
    new_password_fields,
    notice_callout,
    submit_button,
    text_field,
)
from indemnisation.components.i18n import tr
from indemnisation.components.layout import page
from indemnisation.states.auth import ForgotPasswordState, ResetPasswordState


def forgot_password_page() -> rx.Component:
    return page(
        rx.heading(tr("auth.forgot.title"), size="7"),
        rx.text(tr("auth.forgot.intro"), color_scheme="gray"),
        error_callout(ForgotPasswordState.error),
        notice_callout(ForgotPasswordState.notice),
        rx.form(
            rx.vstack(
                text_field("field.email", "email", type_="email", autocomplete="email"),
                submit_button("auth.forgot.submit", "forgot-submit"),
                spacing="3",
            ),
            on_submit=ForgotPasswordState.request_reset,
        ),
        width="28em",
    )


def reset_password_page() -> rx.Component:
    return page(
        rx.heading(tr("auth.reset.title"), size="7"),
        error_callout(ResetPasswordState.error),
        notice_callout(ResetPasswordState.notice),
        rx.cond(
            ResetPasswordState.done,
            rx.link(rx.button(tr("auth.login.submit")), href="/login", id="reset-login"),
            rx.form(
                rx.vstack(
                    new_password_fields("field.new_password", "password", "password_confirm"),
                    submit_button("auth.reset.submit", "reset-submit"),
                    spacing="3",
                ),
                on_submit=ResetPasswordState.set_new_password,
            ),
        ),
        width="28em",
    )
