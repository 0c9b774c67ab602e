"""/account : who I am, my language, my password."""

import reflex as rx

from indemnisation.components.forms import (
    error_callout,
    new_password_fields,
    notice_callout,
    submit_button,
    text_field,
)
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, language_switch, page
from indemnisation.states.auth import AccountState
from indemnisation.states.session import SessionState


def _row(label_key: str, value: rx.Var[str], value_id: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(tr(label_key)), rx.data_list.value(value, id=value_id)
    )


def account_page() -> rx.Component:
    return page(
        rx.heading(tr("account.title"), size="7"),
        guarded(
            rx.data_list.root(
                _row("field.full_name", SessionState.user_name, "account-name"),
                _row("field.email", SessionState.user_email, "account-email"),
                rx.data_list.item(
                    rx.data_list.label(tr("account.language")),
                    rx.data_list.value(language_switch()),
                ),
            ),
            rx.heading(tr("account.change_password"), size="5"),
            error_callout(AccountState.error),
            notice_callout(AccountState.notice),
            rx.form(
                rx.vstack(
                    text_field(
                        "field.current_password",
                        "current_password",
                        type_="password",
                        autocomplete="current-password",
                    ),
                    new_password_fields(
                        "field.new_password", "new_password", "new_password_confirm"
                    ),
                    submit_button("account.change_password", "change-password-submit"),
                    spacing="3",
                ),
                on_submit=AccountState.change_password,
                reset_on_submit=False,
            ),
        ),
        width="32em",
    )
