"""Canned responses: admins create, edit, list by language and delete them; every field is
checked; claimants and anonymous visitors are refused; unknown ids are not found."""

from __future__ import annotations

from typing import Any

import pytest

from indemnisation.services import canned
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from indemnisation.services.views import UserView


@pytest.fixture
def admin(make: Any) -> UserView:
    return make.admin()


def save(actor: UserView | None, response_id: Any = None, **fields: Any) -> canned.CannedView:
    values = {"locale": "fr", "title": "Accusé de réception", "body": "Bien reçu, merci."}
    return canned.save_response(actor=actor, response_id=response_id, **{**values, **fields})


def test_create_update_list_and_delete(admin: UserView) -> None:
    created = save(admin, title="  Carte d'embarquement ", body="\r\nEnvoyez-la-nous.\r\n")
    assert (created.locale, created.title, created.body) == (
        "fr",
        "Carte d'embarquement",
        "Envoyez-la-nous.",
    )
    assert canned.get_response(actor=admin, response_id=created.id) == created

    updated = save(admin, created.id, locale="en", title="Boarding pass", body="Send it to us.")
    assert updated.id == created.id
    assert (updated.locale, updated.title, updated.body) == (
        "en",
        "Boarding pass",
        "Send it to us.",
    )
    assert updated.updated_at >= created.updated_at
    assert canned.list_responses(actor=admin, locale="fr") == []
    assert canned.list_responses(actor=admin, locale="en") == [updated]

    canned.delete_response(actor=admin, response_id=created.id)
    assert canned.list_responses(actor=admin, locale=None) == []
    with pytest.raises(NotFound):
        canned.get_response(actor=admin, response_id=created.id)


def test_list_filters_by_language_and_orders_by_title(admin: UserView) -> None:
    zebra = save(admin, title="zèbre")
    alpha = save(admin, title="Alpha")
    middle = save(admin, title="mercredi")
    english = save(admin, locale="en", title="Boarding pass")
    assert canned.list_responses(actor=admin, locale="fr") == [alpha, middle, zebra]
    assert canned.list_responses(actor=admin, locale="en") == [english]
    assert len(canned.list_responses(actor=admin, locale=None)) == 4


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"locale": "de"}, "error.canned_locale_invalid", "locale"),
        ({"locale": "FR"}, "error.canned_locale_invalid", "locale"),
        ({"locale": None}, "error.canned_locale_invalid", "locale"),
        ({"locale": ["fr"]}, "error.canned_locale_invalid", "locale"),
        ({"title": ""}, "error.canned_title_empty", "title"),
        ({"title": " \n\t\x00 "}, "error.canned_title_empty", "title"),
        ({"title": None}, "error.canned_title_empty", "title"),
        ({"title": "x" * 81}, "error.canned_title_too_long", "title"),
        ({"body": ""}, "error.canned_body_empty", "body"),
        ({"body": "\r\n \x07 \t"}, "error.canned_body_empty", "body"),
        ({"body": 42}, "error.canned_body_empty", "body"),
        ({"body": "x" * 5001}, "error.canned_body_too_long", "body"),
    ],
)
def test_each_field_is_checked(
    admin: UserView, fields: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        save(admin, **fields)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert canned.list_responses(actor=admin, locale=None) == []


def test_limits_are_inclusive_and_titles_become_one_line(admin: UserView) -> None:
    longest = save(admin, title=" " + "t" * 80 + " ", body="b" * 5000 + "\n\n")
    assert (len(longest.title), len(longest.body)) == (80, 5000)
    assert save(admin, title="Retard\n de\tvol\x00").title == "Retard de vol"


def test_a_refused_update_changes_nothing(admin: UserView) -> None:
    original = save(admin)
    with pytest.raises(InvalidInput):
        save(admin, original.id, title="Nouveau titre", body="   ")
    assert canned.get_response(actor=admin, response_id=original.id) == original


def test_listing_an_unknown_language_is_refused(admin: UserView) -> None:
    with pytest.raises(InvalidInput) as refused:
        canned.list_responses(actor=admin, locale="de")
    assert refused.value.code == "error.canned_locale_invalid"


@pytest.mark.parametrize("bad_id", [10**6, 0, -1, 2**31, True, "1", 1.0, None])
def test_unknown_or_malformed_ids_are_not_found(admin: UserView, bad_id: Any) -> None:
    existing = save(admin)
    if bad_id is not None:
        with pytest.raises(NotFound):
            save(admin, bad_id, title="Écrasé")
    with pytest.raises(NotFound):
        canned.delete_response(actor=admin, response_id=bad_id)
    with pytest.raises(NotFound):
        canned.get_response(actor=admin, response_id=bad_id)
    assert canned.list_responses(actor=admin, locale=None) == [existing]


def test_claimants_and_anonymous_visitors_are_refused(make: Any, admin: UserView) -> None:
    existing = save(admin)
    claimant = make.user()
    for actor, error in ((claimant, Forbidden), (None, NotAuthenticated)):
        with pytest.raises(error):
            canned.list_responses(actor=actor, locale="fr")
        with pytest.raises(error):
            canned.get_response(actor=actor, response_id=existing.id)
        with pytest.raises(error):
            save(actor)
        with pytest.raises(error):
            save(actor, existing.id, title="Piraté")
        with pytest.raises(error):
            canned.delete_response(actor=actor, response_id=existing.id)
    assert canned.list_responses(actor=admin, locale=None) == [existing]


def test_demo_data_offers_three_valid_responses_per_language_once(make: Any) -> None:
    from indemnisation.services.demo import load_demo_data

    load_demo_data()
    load_demo_data()
    admin = make.admin()
    for locale in ("fr", "en"):
        responses = canned.list_responses(actor=admin, locale=locale)
        assert len(responses) == 3
        for response in responses:
            again = save(
                admin, response.id, locale=locale, title=response.title, body=response.body
            )
            assert (again.title, again.body) == (response.title, response.body)
