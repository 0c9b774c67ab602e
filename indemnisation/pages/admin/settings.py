"""/admin/settings : our fee and VAT (for claims started from now on), the email settings
(read-only, from the environment) with a test email, and links to canned responses and the log."""

import reflex as rx

from indemnisation.components.admin_nav import admin_nav
from indemnisation.components.forms import error_callout, notice_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.services.app_settings import MAX_FEE, MAX_VAT, percent_text
from indemnisation.states.app_settings import SettingsState as S


def _percent_input(
    key: str, value: rx.Var, on_change: rx.EventHandler, input_id: str, field: str
) -> rx.Component:
    return rx.vstack(
        rx.text(tr(key), as_="label", size="2", weight="medium", html_for=input_id),
        rx.input(
            rx.input.slot("%", side="right"),
            value=value,
            on_change=on_change,
            id=input_id,
            input_mode="decimal",
            max_length=8,
            width="9em",
            size="3",
            aria_invalid=rx.cond(S.error_field == field, "true", "false"),
        ),
        spacing="1",
    )


def _rates() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("settings.rates"), size="4"),
            rx.text(tr("settings.rates_note"), size="2", color_scheme="gray"),
            rx.flex(
                _percent_input("settings.fee", S.fee, S.set_fee, "settings-fee", "fee_percent"),
                _percent_input("settings.vat", S.vat, S.set_vat, "settings-vat", "vat_percent"),
                rx.button(tr("settings.save"), on_click=S.save, id="settings-save", size="3"),
                spacing="4",
                align="end",
                wrap="wrap",
            ),
            rx.text(
                tr("settings.ranges"),
                f" {percent_text(MAX_FEE)} % / {percent_text(MAX_VAT)} %",
                size="1",
                color_scheme="gray",
            ),
            rx.text(
                rx.cond(S.from_environment, tr("settings.from_environment"), S.updated),
                size="1",
                color_scheme="gray",
                id="settings-updated",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _fact(key: str, value: rx.Var | str, fact_id: str) -> rx.Component:
    return rx.hstack(
        rx.text(tr(key), size="2", color_scheme="gray", min_width="11em"),
        rx.code(value, id=fact_id),
        spacing="3",
        align="center",
    )


def _email() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("settings.email"), size="4"),
            rx.text(tr("settings.email_note"), size="2", color_scheme="gray"),
            rx.cond(
                S.via_smtp,
                rx.vstack(
                    _fact("settings.smtp_host", S.smtp_host, "settings-smtp-host"),
                    _fact("settings.smtp_port", S.smtp_port, "settings-smtp-port"),
                    _fact(
                        "settings.smtp_starttls",
                        rx.cond(S.smtp_starttls, tr("audit.yes"), tr("audit.no")),
                        "settings-smtp-starttls",
                    ),
                    _fact(
                        "settings.smtp_login",
                        rx.cond(S.smtp_login != "", S.smtp_login, "—"),
                        "settings-smtp-login",
                    ),
                    spacing="2",
                ),
                rx.callout(tr("settings.outbox_mode"), icon="info", color_scheme="amber"),
            ),
            _fact("settings.sender", S.smtp_sender, "settings-sender"),
            rx.hstack(
                rx.button(
                    tr("settings.test_email"),
                    variant="soft",
                    on_click=S.send_test_email,
                    loading=S.sending,
                    id="settings-test-email",
                ),
                rx.text(tr("settings.test_email_note"), size="1", color_scheme="gray"),
                align="center",
                spacing="3",
            ),
            rx.cond(
                S.test_result != "",
                rx.callout(
                    S.test_result,
                    icon="check",
                    color_scheme="green",
                    role="status",
                    id="settings-test-result",
                ),
            ),
            rx.cond(
                S.test_error != "",
                rx.callout(
                    S.test_error,
                    icon="triangle_alert",
                    color_scheme="red",
                    role="alert",
                    id="settings-test-error",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _more() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("settings.more"), size="4"),
            rx.link(tr("settings.canned_link"), href="/admin/canned", id="settings-canned"),
            rx.link(tr("settings.audit_link"), href="/admin/audit", id="settings-audit"),
            spacing="2",
        ),
        width="100%",
    )


def settings_page() -> rx.Component:
    return page(
        guarded(
            admin_nav("/admin/settings"),
            rx.heading(tr("settings.title"), size="6"),
            error_callout(S.error),
            notice_callout(S.notice),
            rx.cond(
                S.ready,
                rx.vstack(_rates(), _email(), _more(), spacing="4", width="100%"),
            ),
        ),
    )
