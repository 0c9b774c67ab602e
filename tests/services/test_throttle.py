"""Failed-login throttling per account and per IP, on the configured store (Redis or database)."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from indemnisation.services import accounts, throttle
from indemnisation.services.errors import InvalidInput, Throttled
from indemnisation.settings import get_settings

PASSWORD = "Correct-Horse-42"


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "login_max_failures", 3)
    monkeypatch.setattr(settings, "login_max_failures_per_ip", 5)


def _fail(email: str, ip: str) -> None:
    with pytest.raises(InvalidInput):
        accounts.login(email=email, password="Wrong-password-1", ip=ip)


@pytest.mark.usefixtures("limits")
def test_account_is_throttled_after_repeated_failures_then_told_when(make) -> None:  # type: ignore[no-untyped-def]
    user = make.user()
    for _ in range(3):
        _fail(user.email, ip="198.51.100.1")
    with pytest.raises(Throttled) as caught:
        accounts.login(email=user.email, password=PASSWORD, ip="198.51.100.2")
    assert caught.value.code == "error.login_throttled"
    assert 1 <= caught.value.params["minutes"] <= 15


@pytest.mark.usefixtures("limits")
def test_ip_is_throttled_across_accounts(make) -> None:  # type: ignore[no-untyped-def]
    for n in range(5):
        _fail(f"nobody{n}@example.org", ip="198.51.100.9")
    user = make.user()
    with pytest.raises(Throttled):
        accounts.login(email=user.email, password=PASSWORD, ip="198.51.100.9")
    accounts.login(email=user.email, password=PASSWORD, ip="198.51.100.10")


@pytest.mark.usefixtures("limits")
def test_success_clears_the_account_counter(make) -> None:  # type: ignore[no-untyped-def]
    user = make.user()
    for _ in range(2):
        _fail(user.email, ip="")
    accounts.login(email=user.email, password=PASSWORD)
    for _ in range(2):
        _fail(user.email, ip="")
    accounts.login(email=user.email, password=PASSWORD)


@pytest.mark.usefixtures("limits")
def test_lock_out_never_outlasts_fifteen_minutes(make) -> None:  # type: ignore[no-untyped-def]
    user = make.user()
    for _ in range(10):
        with contextlib.suppress(InvalidInput, Throttled):
            accounts.login(email=user.email, password="Wrong-password-1", ip="")
    limit = throttle.Limit(f"login:email:{user.email}", 3)
    seconds = throttle.get_store().blocked_for(limit, throttle.login_window())
    assert 0 < seconds <= timedelta(minutes=15).total_seconds()


def test_window_setting_cannot_exceed_fifteen_minutes() -> None:
    from pydantic import ValidationError

    from indemnisation.settings import Settings

    with pytest.raises(ValidationError):
        Settings(login_window_minutes=16)


def test_store_matches_configuration() -> None:
    store = throttle.get_store()
    expected = (
        throttle.RedisThrottleStore if get_settings().redis_url else throttle.DatabaseThrottleStore
    )
    assert isinstance(store, expected)
