"""/admin/canned : the team's canned responses, per language: list, add, edit, delete."""

import reflex as rx

from indemnisation.components.forms import error_callout, notice_callout
from indemnisation.components.i18n import tr
from indemnisation.components.layout import guarded, page
from indemnisation.services.canned import MAX_BODY, MAX_TITLE
from indemnisation.states.canned import CannedState as C


def _language_tabs() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger(tr("canned.lang.fr"), value="fr", id="canned-tab-fr"),
            rx.tabs.trigger(tr("canned.lang.en"), value="en", id="canned-tab-en"),
        ),
        value=C.tab,
        on_change=C.show_locale,
    )


def _row(response: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text(response["title"], weight="bold", class_name="canned-title"),
                rx.text(response["excerpt"], size="2", color_scheme="gray"),
                rx.text(
                    tr("canned.updated"), " ", response["updated"], size="1", color_scheme="gray"
                ),
                spacing="1",
                flex="1",
                min_width="0",
            ),
            rx.icon_button(
                rx.icon("pencil", size=16),
                variant="soft",
                on_click=C.edit(response["id"]),
                aria_label=tr("canned.edit"),
                title=tr("canned.edit"),
                class_name="canned-edit",
            ),
            rx.icon_button(
                rx.icon("trash-2", size=16),
                variant="soft",
                color_scheme="red",
                on_click=C.ask_delete(response["id"]),
                aria_label=tr("canned.delete"),
                title=tr("canned.delete"),
                class_name="canned-delete",
            ),
            align="start",
            spacing="3",
            width="100%",
        ),
        width="100%",
        custom_attrs={"data-canned-id": response["id"]},
        variant=rx.cond(C.editing_id.to_string() == response["id"], "classic", "surface"),
    )


def _list() -> rx.Component:
    return rx.vstack(
        _language_tabs(),
        rx.cond(
            C.responses.length() > 0,
            rx.vstack(rx.foreach(C.responses, _row), spacing="2", width="100%", id="canned-list"),
            rx.vstack(
                rx.text(tr("canned.empty"), color_scheme="gray", padding="1em 0"),
                id="canned-list",
                width="100%",
            ),
        ),
        flex="1",
        min_width="0",
        width="100%",
    )


def _label(key: str, html_for: str) -> rx.Component:
    return rx.text(tr(key), as_="label", size="2", weight="medium", html_for=html_for)


def _form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(
                rx.cond(C.editing_id == 0, tr("canned.form.new"), tr("canned.form.edit")),
                size="4",
            ),
            _label("canned.field.locale", "canned-locale"),
            rx.select.root(
                rx.select.trigger(id="canned-locale", width="100%"),
                rx.select.content(
                    rx.select.item(tr("canned.lang.fr"), value="fr"),
                    rx.select.item(tr("canned.lang.en"), value="en"),
                ),
                value=C.draft_locale,
                on_change=C.set_draft_locale,
            ),
            _label("canned.field.title", "canned-title"),
            rx.input(
                value=C.draft_title,
                on_change=C.set_title,
                id="canned-title",
                max_length=MAX_TITLE,
                width="100%",
                size="3",
            ),
            _label("canned.field.body", "canned-body"),
            rx.text_area(
                value=C.draft_body,
                on_change=C.set_body,
                id="canned-body",
                max_length=MAX_BODY,
                rows="10",
                width="100%",
            ),
            rx.text(
                C.draft_body.length(),
                f" / {MAX_BODY} ",
                tr("canned.characters"),
                size="1",
                color_scheme=rx.cond(C.draft_body.length() > MAX_BODY, "red", "gray"),
                align="right",
                width="100%",
                id="canned-counter",
            ),
            rx.hstack(
                rx.cond(
                    (C.editing_id != 0) | (C.draft_title != "") | (C.draft_body != ""),
                    rx.button(
                        tr("canned.cancel"),
                        variant="soft",
                        on_click=C.new_response,
                        id="canned-new",
                    ),
                ),
                rx.button(tr("canned.save"), on_click=C.save, id="canned-save"),
                justify="end",
                spacing="3",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        flex="1",
        min_width="0",
        width="100%",
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr("canned.delete_title")),
            rx.alert_dialog.description(
                rx.text(C.confirm_title, weight="bold"), rx.text(tr("canned.delete_text"))
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(tr("canned.cancel"), variant="soft")),
                rx.alert_dialog.action(
                    rx.button(
                        tr("canned.delete"),
                        color_scheme="red",
                        on_click=C.delete,
                        id="canned-delete-confirm",
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
        open=C.confirm_id != 0,
        on_open_change=C.close_dialog,
    )


def canned_page() -> rx.Component:
    return page(
        rx.heading(tr("canned.title"), size="7", id="canned-heading"),
        rx.text(tr("canned.intro"), color_scheme="gray"),
        guarded(
            error_callout(C.error),
            notice_callout(C.notice),
            rx.flex(
                _list(),
                _form(),
                spacing="5",
                width="100%",
                direction=rx.breakpoints(initial="column", md="row"),
            ),
            _delete_dialog(),
        ),
        width="75em",
    )
