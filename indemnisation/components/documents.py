"""One document of a claim: its preview (or an icon), its signed link, its kind and date."""

import reflex as rx


def document_item(document: rx.Var, action: rx.Component | None = None) -> rx.Component:
    return rx.hstack(
        rx.cond(
            document["thumb"] != "",
            rx.image(
                src=document["thumb"],
                width="80px",
                height="auto",
                alt=document["name"],
                class_name="document-thumb",
            ),
            rx.icon("file-text", size=32),
        ),
        rx.vstack(
            rx.link(
                document["name"],
                href=document["file"],
                is_external=True,
                class_name="document-link",
            ),
            rx.text(document["kind"], " · ", document["date"], size="1", color_scheme="gray"),
            rx.cond(
                document["review"] != "PENDING",
                rx.badge(
                    document["review_label"],
                    color_scheme=rx.cond(document["review"] == "ACCEPTED", "green", "red"),
                    class_name="document-review",
                    size="1",
                ),
            ),
            rx.cond(
                document["review_reason"] != "",
                rx.text(document["review_reason"], size="1", color_scheme="red"),
            ),
            spacing="1",
        ),
        rx.spacer(),
        action if action is not None else rx.fragment(),
        width="100%",
        align="center",
        class_name="document-row",
    )
