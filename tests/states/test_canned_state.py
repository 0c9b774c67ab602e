"""The canned responses page and the composer's picker, called as any connected client can: only
an admin's session lists or changes anything; a refused save keeps the draft as typed."""

from __future__ import annotations

from typing import Any

import pytest

from indemnisation.services import accounts, canned
from indemnisation.services.views import UserView
from indemnisation.states.canned import CannedPickerState, CannedState, excerpt, response_id_in
from tests.conftest import PASSWORD
from tests.states.harness import call, make_state


def token_of(user: UserView) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token


def stored(admin: UserView) -> list[canned.CannedView]:
    return canned.list_responses(actor=admin, locale=None)


def add(admin: UserView, locale: str = "fr", title: str = "Accusé de réception") -> int:
    body = "Nous avons bien reçu votre demande. " * 10
    return canned.save_response(
        actor=admin, response_id=None, locale=locale, title=title, body=body
    ).id


async def admin_page(admin: UserView, locale: str = "fr") -> CannedState:
    state = make_state(CannedState, token=token_of(admin), locale=locale, path="/admin/canned")
    await call(state, "load")
    return state


async def test_load_lists_the_responses_of_the_admins_language(make: Any) -> None:
    admin = make.admin()
    french, english = add(admin), add(admin, "en", "Receipt")
    state = await admin_page(admin, locale="en")
    assert state.tab == "en" and state.draft_locale == "en"
    assert [r["id"] for r in state.responses] == [str(english)]
    await call(state, "show_locale", "fr")
    assert [r["id"] for r in state.responses] == [str(french)]
    assert state.responses[0]["excerpt"].endswith("…")
    assert len(state.responses[0]["excerpt"]) <= 120
    assert state.draft_locale == "fr"


async def test_create_then_edit_then_delete(make: Any) -> None:
    admin = make.admin()
    state = await admin_page(admin)
    await call(state, "set_title", "Carte d'embarquement")
    await call(state, "set_draft_locale", "en")
    await call(state, "set_body", "Please send us your boarding pass.")
    await call(state, "save")
    assert state.error == "" and state.notice == "Réponse type enregistrée."
    (created,) = stored(admin)
    assert (created.locale, created.title) == ("en", "Carte d'embarquement")
    assert state.tab == "en" and [r["id"] for r in state.responses] == [str(created.id)]
    assert (state.editing_id, state.draft_title, state.draft_body) == (0, "", "")

    await call(state, "edit", str(created.id))
    assert (state.editing_id, state.draft_title) == (created.id, "Carte d'embarquement")
    await call(state, "set_title", "Boarding pass")
    await call(state, "save")
    assert [(v.id, v.title) for v in stored(admin)] == [(created.id, "Boarding pass")]

    await call(state, "ask_delete", str(created.id))
    assert (state.confirm_id, state.confirm_title) == (created.id, "Boarding pass")
    await call(state, "delete")
    assert stored(admin) == [] and state.responses == []
    assert state.confirm_id == 0 and state.notice == "Réponse type supprimée."


async def test_closing_the_dialog_deletes_nothing(make: Any) -> None:
    admin = make.admin()
    response_id = add(admin)
    state = await admin_page(admin)
    await call(state, "ask_delete", str(response_id))
    await call(state, "close_dialog", False)
    assert state.confirm_id == 0
    await call(state, "delete")
    assert len(stored(admin)) == 1 and state.error


@pytest.mark.parametrize(
    ("title", "body", "field", "message"),
    [
        ("   ", "Un texte", "title", "Donnez un titre à la réponse."),
        ("Un titre", " \n ", "body", "Le texte de la réponse est vide."),
        ("Un titre", "x" * 5001, "body", "Le texte de la réponse dépasse 5000 caractères."),
        ("t" * 81, "Un texte", "title", "Le titre dépasse 80 caractères."),
    ],
)
async def test_a_refused_save_keeps_the_draft(
    make: Any, title: str, body: str, field: str, message: str
) -> None:
    admin = make.admin()
    existing = add(admin)
    state = await admin_page(admin)
    await call(state, "edit", str(existing))
    await call(state, "set_title", title)
    await call(state, "set_body", body)
    await call(state, "save")
    assert (state.error, state.error_field, state.notice) == (message, field, "")
    assert (state.editing_id, state.draft_title, state.draft_body) == (existing, title, body)
    assert stored(admin)[0].title == "Accusé de réception"


async def test_errors_follow_the_language(make: Any) -> None:
    state = await admin_page(make.admin(), locale="en")
    await call(state, "save")
    assert state.error == "Give the response a title." and state.error_field == "title"


@pytest.mark.parametrize(
    ("handler", "args"),
    [
        ("edit", ("999999",)),
        ("edit", ("-1",)),
        ("edit", ({"id": 1},)),
        ("ask_delete", ("1e3",)),
        ("ask_delete", (None,)),
        ("show_locale", ("de",)),
        ("show_locale", (["fr"],)),
    ],
)
async def test_forged_arguments_are_refused_with_a_message(
    make: Any, handler: str, args: tuple[Any, ...]
) -> None:
    admin = make.admin()
    add(admin)
    state = await admin_page(admin)
    before = (state.tab, state.responses, state.editing_id, state.confirm_id)
    await call(state, handler, *args)
    assert state.error
    assert (state.tab, state.responses, state.editing_id, state.confirm_id) == before


@pytest.mark.parametrize(
    ("handler", "value"),
    [
        ("set_title", 42),
        ("set_title", "x" * 100_000),
        ("set_body", ["a"]),
        ("set_body", "x" * 100_000),
        ("set_draft_locale", "de"),
        ("set_draft_locale", {"fr": 1}),
    ],
)
async def test_forged_draft_values_are_ignored(make: Any, handler: str, value: Any) -> None:
    state = await admin_page(make.admin())
    await call(state, handler, value)
    assert (state.draft_title, state.draft_body, state.draft_locale) == ("", "", "fr")


CHANGES = [
    ("show_locale", ("en",)),
    ("new_response", ()),
    ("edit", ("ID",)),
    ("set_title", ("Piraté",)),
    ("set_body", ("Piraté",)),
    ("set_draft_locale", ("en",)),
    ("save", ()),
    ("ask_delete", ("ID",)),
    ("close_dialog", (False,)),
    ("delete", ()),
]


@pytest.mark.parametrize(("handler", "args"), CHANGES)
async def test_claimants_and_anonymous_visitors_are_refused(
    make: Any, handler: str, args: tuple[Any, ...]
) -> None:
    admin, claimant = make.admin(), make.user()
    response_id = add(admin)
    before = stored(admin)
    for token in ("", token_of(claimant)):
        state = make_state(CannedState, token=token, path="/admin/canned")
        await call(state, "load")
        assert state.responses == []
        # Even with the ids of a real response planted in its state, nothing is read or changed.
        state.editing_id = state.confirm_id = response_id
        state.draft_title, state.draft_body = "Piraté", "Piraté"
        await call(state, handler, *(str(response_id) if a == "ID" else a for a in args))
        assert state.error, (handler, token[:4])
        assert state.responses == []
        assert state.draft_title in ("Piraté", "")
    assert stored(admin) == before


async def test_the_picker_offers_one_language_to_admins_only(make: Any) -> None:
    admin, claimant = make.admin(), make.user()
    french = add(admin)
    add(admin, "en", "Receipt")
    picker = make_state(CannedPickerState, token=token_of(admin))
    await call(picker, "load_for", "fr")
    assert picker.canned_options == [
        {"id": str(french), "title": "Accusé de réception", "body": stored(admin)[0].body}
    ]
    assert picker.canned_options_locale == "fr"
    for locale in ("de", None, ["fr"]):
        await call(picker, "load_for", locale)
        assert (picker.canned_options, picker.canned_options_locale) == ([], "")
    for token in ("", token_of(claimant)):
        other = make_state(CannedPickerState, token=token)
        await call(other, "load_for", "fr")
        assert other.canned_options == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (12, 12), ("", None), ("1.5", None), ("١٢", None), (True, None), (None, None)],
)
def test_response_ids_from_the_client(raw: Any, expected: int | None) -> None:
    assert response_id_in(raw) == expected


def test_excerpt_is_one_short_line() -> None:
    assert excerpt("Bonjour,\n\nmerci.") == "Bonjour, merci."
    assert len(excerpt("mot " * 100)) == 120
