"""The engine's reasons, each with its legal reference underneath."""

import reflex as rx


def reason_list(items: rx.Var) -> rx.Component:
    return rx.unordered_list(
        rx.foreach(
            items,
            lambda reason: rx.list_item(
                rx.box(rx.text(reason["text"])),
                rx.box(rx.text(reason["reference"], size="1", color_scheme="gray")),
                margin_bottom="0.5em",
            ),
        ),
        class_name="reason-list",
    )
