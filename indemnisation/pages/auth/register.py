"""/register"""

import reflex as rx

from indemnisation.components.forms import (
    error_callout,
    new_password_fields,
    submit_button,
    text_field,
)
from indemnisation.components.i18n import tr
from indemnisation.components.layout import page
from indemnisation.states.auth import RegisterState


def register_page() -> rx.Component:
    return page(
        rx.heading(tr("auth.register.title"), size="7"),
        rx.text(tr("auth.register.intro"), color_scheme="gray"),
        error_callout(RegisterState.error),
        rx.form(
            rx.vstack(
                text_field("field.full_name", "full_name", autocomplete="name"),
                text_field("field.email", "email", type_="email", autocomplete="email"),
                new_password_fields("field.password", "password", "password_confirm"),
                submit_button("auth.register.submit", "register-submit"),
                spacing="3",
            ),
            on_submit=RegisterState.register,
            id="register-form",
        ),
        rx.link(tr("auth.register.have_account"), href="/login"),
        width="28em",
    )
