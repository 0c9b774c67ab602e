"""A claim's message thread: the messages (ours on one side, theirs on the other), read ticks,
who is writing and who is here, and the composer (Enter sends, Shift+Enter adds a line)."""

from __future__ import annotations

import reflex as rx

from indemnisation.components.i18n import tr
from indemnisation.components.thread_watch import thread_watch
from indemnisation.domain.messages import MAX_LENGTH
from indemnisation.states.session import SessionState
from indemnisation.states.thread import AttachmentRow, MessageRow, Piece
from indemnisation.states.thread import ThreadState as T

UPLOAD_ID = "message-files"


def _piece(piece: rx.Var[Piece]) -> rx.Component:
    return rx.cond(
        piece.href != "",
        rx.link(
            piece.text,
            href=piece.href,
            is_external=True,
            custom_attrs={"rel": "noopener noreferrer nofollow"},
        ),
        rx.text.span(piece.text),
    )


def _attachment(file: rx.Var[AttachmentRow]) -> rx.Component:
    return rx.cond(
        file.thumb != "",
        rx.link(
            rx.image(src=file.thumb, alt=file.name, max_width="220px", border_radius="6px"),
            href=file.href,
            is_external=True,
            class_name="message-attachment",
        ),
        rx.link(
            rx.hstack(rx.icon("paperclip", size=14), rx.text(file.name, size="2"), spacing="1"),
            href=file.href,
            is_external=True,
            class_name="message-attachment",
        ),
    )


def _ticks(message: rx.Var[MessageRow]) -> rx.Component:
    return rx.cond(
        message.ticks > 0,
        rx.box(
            rx.cond(message.ticks == 2, rx.icon("check-check", size=14), rx.icon("check", size=14)),
            title=message.read_title,
            aria_label=message.read_title,
            class_name=rx.cond(message.ticks == 2, "ticks read", "ticks"),
            color=rx.cond(message.ticks == 2, "var(--blue-10)", "var(--gray-10)"),
            display="inline-flex",
        ),
    )


def _message(message: rx.Var[MessageRow]) -> rx.Component:
    ours = message.team == T.is_team
    return rx.box(
        rx.hstack(
            rx.text(message.sender, size="1", weight="bold"),
            rx.cond(
                message.team,
                rx.badge(tr("thread.team_badge"), size="1", color_scheme="indigo"),
            ),
            rx.cond(
                message.internal,
                rx.badge(tr("thread.internal_badge"), size="1", color_scheme="amber"),
            ),
            spacing="2",
            align="center",
        ),
        rx.text(rx.foreach(message.parts, _piece), white_space="pre-wrap", size="2"),
        rx.cond(
            message.attachments.length() > 0,
            rx.flex(rx.foreach(message.attachments, _attachment), wrap="wrap", gap="2"),
        ),
        rx.hstack(
            rx.text(message.when, size="1", color_scheme="gray", title=message.when_full),
            _ticks(message),
            spacing="1",
            align="center",
            justify="end",
        ),
        custom_attrs={"data-message-id": message.id, "data-mine": rx.cond(message.mine, "1", "")},
        class_name=rx.cond(
            message.internal, "message internal", rx.cond(message.team, "message team", "message")
        ),
        align_self=rx.cond(ours, "flex-end", "flex-start"),
        max_width="80%",
        padding="0.5em 0.75em",
        border_radius="10px",
        background=rx.cond(
            message.internal,
            "var(--amber-a3)",
            rx.cond(message.team, "var(--indigo-a3)", "var(--gray-a3)"),
        ),
        border=rx.cond(message.internal, "1px dashed var(--amber-a8)", "none"),
    )


def _header() -> rx.Component:
    return rx.hstack(
        rx.heading(tr("thread.title"), size="4"),
        rx.spacer(),
        rx.cond(
            T.presence_text != "",
            rx.hstack(
                rx.box(
                    width="8px",
                    height="8px",
                    border_radius="50%",
                    background=rx.cond(T.other_online, "var(--green-9)", "var(--gray-8)"),
                ),
                rx.text(T.presence_text, size="1", color_scheme="gray"),
                align="center",
                spacing="1",
                id="thread-presence",
            ),
        ),
        rx.cond(
            T.is_team,
            rx.button(
                tr("thread.mark_unread"),
                size="1",
                variant="ghost",
                on_click=T.mark_unread,
                id="thread-mark-unread",
            ),
        ),
        width="100%",
        align="center",
    )


def _messages() -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.cond(
                T.has_more,
                rx.button(
                    tr("thread.older"), size="1", variant="soft", on_click=T.older, id="older"
                ),
            ),
            rx.cond(
                T.messages.length() == 0,
                rx.text(tr("thread.empty"), color_scheme="gray", size="2", id="thread-empty"),
            ),
            rx.foreach(T.messages, _message),
            spacing="2",
            width="100%",
            id="thread",
        ),
        id="thread-scroll",
        custom_attrs={"data-last-id": T.last_id, "data-last-read": T.last_read},
        max_height="28em",
        overflow_y="auto",
        width="100%",
        padding="0.5em",
        border="1px solid var(--gray-a5)",
        border_radius="10px",
    )


def _composer(extra: rx.Component) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.input(type="hidden", name="key", value=T.composer_key),
            rx.text_area(
                name="content",
                id="composer-input",
                placeholder=rx.cond(
                    T.internal, tr("thread.placeholder_internal"), tr("thread.placeholder")
                ),
                enter_key_submit=True,
                on_change=T.typed.debounce(200),
                rows="3",
                width="100%",
                aria_label=tr("thread.placeholder"),
            ),
            rx.hstack(
                rx.text(
                    T.length.to_string(),
                    f" / {MAX_LENGTH}",
                    size="1",
                    color_scheme=rx.cond(T.length > MAX_LENGTH, "red", "gray"),
                    id="composer-count",
                ),
                rx.cond(
                    T.is_team,
                    rx.hstack(
                        rx.switch(
                            checked=T.internal,
                            on_change=T.set_internal,
                            class_name="composer-internal",
                        ),
                        rx.text(tr("thread.internal_toggle"), size="2"),
                        align="center",
                        spacing="1",
                    ),
                ),
                extra,
                rx.spacer(),
                rx.upload.root(
                    rx.button(
                        rx.icon("paperclip", size=16),
                        tr("thread.attach"),
                        type="button",
                        variant="soft",
                        id="composer-attach",
                    ),
                    id=UPLOAD_ID,
                    multiple=True,
                    max_files=5,
                    on_drop=T.send_files(
                        rx.upload_files(upload_id=UPLOAD_ID), SessionState.auth_token
                    ),
                ),
                rx.button(
                    rx.icon("send", size=16),
                    tr("thread.send"),
                    type="submit",
                    loading=T.sending,
                    id="composer-send",
                ),
                width="100%",
                align="center",
            ),
            rx.text(tr("thread.enter_hint"), size="1", color_scheme="gray"),
            width="100%",
            spacing="2",
        ),
        on_submit=T.send,
        reset_on_submit=False,
        width="100%",
        id="composer",
    )


def thread_panel(extra: rx.Component | None = None) -> rx.Component:
    """The thread once the claim is submitted; ``extra`` goes in the composer's tool row."""
    return rx.cond(
        T.available,
        rx.card(
            rx.vstack(
                _header(),
                _messages(),
                rx.cond(
                    T.new_below,
                    rx.button(
                        rx.icon("arrow-down", size=14),
                        tr("thread.new_messages"),
                        size="1",
                        on_click=T.scrolled(False),
                        id="new-messages",
                    ),
                ),
                rx.text(
                    T.typing_text, size="1", color_scheme="gray", id="typing", min_height="1.2em"
                ),
                rx.cond(
                    T.error != "",
                    rx.callout(
                        T.error, icon="triangle_alert", color_scheme="red", id="thread-error"
                    ),
                ),
                rx.cond(
                    T.notice != "",
                    rx.callout(T.notice, icon="check", color_scheme="green", id="thread-notice"),
                ),
                _composer(extra if extra is not None else rx.fragment()),
                thread_watch(),
                width="100%",
                spacing="3",
            ),
            width="100%",
            id="thread-card",
        ),
    )
