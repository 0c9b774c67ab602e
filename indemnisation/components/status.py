"""The colour of a claim status, the same everywhere."""

import reflex as rx

COLOURS = {
    "DRAFT": "gray",
    "SUBMITTED": "blue",
    "IN_REVIEW": "indigo",
    "NEEDS_INFO": "amber",
    "SENT_TO_AIRLINE": "violet",
    "ACCEPTED": "green",
    "PAID": "grass",
    "REJECTED": "red",
    "CLOSED": "gray",
    "WITHDRAWN": "gray",
}


def status_badge(code: rx.Var, label: rx.Var) -> rx.Component:
    return rx.badge(
        label,
        color_scheme=rx.match(code, *COLOURS.items(), "gray"),
        class_name="status-badge",
    )
