"""No password, token or session id ever reaches a log line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from indemnisation.logging_setup import JsonFormatter, RedactingFilter, redact
from indemnisation.services import accounts
from indemnisation.services.errors import InvalidInput
from tests.conftest import reset_token_from

PASSWORD = "Correct-Horse-42"


def test_redact_masks_secret_shapes() -> None:
    assert "abc" not in redact("password=abc")
    assert "s3cret" not in redact('{"token": "s3cret"}')
    long_token = "A1b2" * 12
    assert long_token not in redact(f"/reset-password?token={long_token}")
    assert long_token not in redact(f"cookie {long_token}")


def test_json_lines_carry_extra_fields_without_secrets() -> None:
    record = logging.makeLogRecord(
        {
            "name": "indemnisation.x",
            "levelno": 20,
            "levelname": "INFO",
            "msg": "login",
            "user_id": 7,
            "note": "token=abcdef",
        }
    )
    RedactingFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "login" and line["user_id"] == 7
    assert "abcdef" not in line["note"]


def test_account_flows_log_no_secrets(caplog: pytest.LogCaptureFixture, outbox: Path) -> None:
    caplog.set_level(logging.DEBUG)
    signed_in = accounts.register(
        email="log@example.org", full_name="Log Person", password=PASSWORD, locale="fr"
    )
    with pytest.raises(InvalidInput):
        accounts.login(email="log@example.org", password="Wrong-password-1")
    second = accounts.login(email="log@example.org", password=PASSWORD)
    accounts.request_password_reset(email="log@example.org", locale="fr")
    reset_token = reset_token_from(outbox)
    accounts.reset_password(token=reset_token, new_password="Another-Pass-77")
    accounts.logout(token=second.token)

    text = "\n".join(
        r.getMessage() + " " + json.dumps(vars(r), default=str) for r in caplog.records
    )
    assert caplog.records, "expected log lines"
    for secret in (
        PASSWORD,
        "Wrong-password-1",
        "Another-Pass-77",
        signed_in.token,
        second.token,
        reset_token,
    ):
        assert secret not in text
