"""/login"""

import reflex as rx

from indemnisation.components.forms import error_callout, submit_button, text_field
from indemnisation.components.i18n import tr
from indemnisation.components.layout import page
from indemnisation.states.auth import LoginState


def login_page() -> rx.Component:
    return page(
        rx.heading(tr("auth.login.title"), size="7"),
        error_callout(LoginState.error),
        rx.form(
            rx.vstack(
                text_field("field.email", "email", type_="email", autocomplete="email"),
                text_field(
                    "field.password",
                    "password",
                    type_="password",
                    autocomplete="current-password",
                ),
                submit_button("auth.login.submit", "login-submit"),
                spacing="3",
            ),
            on_submit=LoginState.login,
            id="login-form",
        ),
        rx.hstack(
            rx.link(tr("auth.login.forgot"), href="/forgot-password", id="forgot-link"),
            rx.spacer(),
            rx.link(tr("auth.login.no_account"), href="/register"),
            width="100%",
        ),
        width="28em",
    )
