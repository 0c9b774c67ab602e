"""Message content, composer keys and the posting rate limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indemnisation.domain.messages import (
    MAX_LENGTH,
    ContentError,
    is_valid_client_key,
    normalize_content,
    rate_limit_wait,
    text_parts,
)

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Bonjour", "Bonjour"),
        ("  Bonjour \n", "Bonjour"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("col1\tcol2", "col1\tcol2"),
        ("be\x00ll\x07e\x1b[31m", "belle[31m"),
        ("line\x85next", "linenext"),
        ("é 😀 中文", "é 😀 中文"),
        ("x" * MAX_LENGTH, "x" * MAX_LENGTH),
        (" " + "x" * MAX_LENGTH + " ", "x" * MAX_LENGTH),
    ],
)
def test_content_is_normalized(raw: str, expected: str) -> None:
    assert normalize_content(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\n\t\r\n", "empty"),
        ("\x00\x01", "empty"),
        ("x" * (MAX_LENGTH + 1), "too_long"),
    ],
)
def test_content_is_refused(raw: str, reason: str) -> None:
    with pytest.raises(ContentError) as caught:
        normalize_content(raw)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("3f2b8c1e-5d4a-4c7b-9e21-0a1b2c3d4e5f", True),
        ("abcdefgh", True),
        ("a" * 64, True),
        ("abcdefg", False),
        ("a" * 65, False),
        ("has space", False),
        ("../../etc", False),
        ("", False),
        (None, False),
        (12345678, False),
    ],
)
def test_client_keys(key: object, valid: bool) -> None:
    assert is_valid_client_key(key) is valid


def test_twenty_messages_a_minute_are_allowed_the_twenty_first_waits() -> None:
    times = [NOW - timedelta(seconds=50) + timedelta(seconds=i) for i in range(19)]
    assert rate_limit_wait(times, NOW) == 0
    times.append(NOW)
    assert rate_limit_wait(times, NOW) == 10  # the oldest leaves the window in 10 s


def test_messages_older_than_the_window_do_not_count() -> None:
    old = [NOW - timedelta(seconds=60)] * 20
    assert rate_limit_wait(old, NOW) == 0
    just_inside = [NOW - timedelta(seconds=59, milliseconds=500)] * 20
    assert rate_limit_wait(just_inside, NOW) == 1


def test_wait_is_counted_from_the_message_that_frees_a_slot() -> None:
    times = [NOW - timedelta(seconds=55)] * 5 + [NOW - timedelta(seconds=30)] * 20
    assert rate_limit_wait(times, NOW) == 30


def test_future_timestamps_are_ignored() -> None:
    assert rate_limit_wait([NOW + timedelta(seconds=5)] * 30, NOW) == 0


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("no link here", [("no link here", "")]),
        (
            "see https://example.org/a?b=1, thanks",
            [
                ("see ", ""),
                ("https://example.org/a?b=1", "https://example.org/a?b=1"),
                (", thanks", ""),
            ],
        ),
        ("(http://x.fr).", [("(", ""), ("http://x.fr", "http://x.fr"), (").", "")]),
        ("javascript:alert(1)", [("javascript:alert(1)", "")]),
        ("[clic](javascript:alert(1))", [("[clic](javascript:alert(1))", "")]),
        ("<script>alert(1)</script>", [("<script>alert(1)</script>", "")]),
        (
            'http://a.fr"onmouseover="x',
            [("http://a.fr", "http://a.fr"), ('"onmouseover="x', "")],
        ),
    ],
)
def test_only_http_links_become_links(text: str, parts: list[tuple[str, str]]) -> None:
    assert text_parts(text) == parts


@given(st.text(max_size=300))
def test_text_parts_keep_every_character(text: str) -> None:
    pieces = text_parts(text)
    assert "".join(piece for piece, _ in pieces) == text
    assert all(href == "" or href.lower().startswith(("http://", "https://")) for _, href in pieces)
