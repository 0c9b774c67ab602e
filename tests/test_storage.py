"""Private file store and signed document links."""

from __future__ import annotations

import base64
import errno
import stat
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indemnisation import storage
from indemnisation.services.errors import InvalidInput
from indemnisation.settings import ROOT, get_settings
from indemnisation.storage import LinkClaims, PrivateStore, get_store, sign_link, verify_link

NOW = 1_800_000_000.0


@pytest.fixture
def store(tmp_path: Path) -> PrivateStore:
    return PrivateStore(tmp_path / "private")


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(storage.time, "time", lambda: NOW)
    return NOW


# --- store --------------------------------------------------------------------------------------


def test_round_trip(store: PrivateStore) -> None:
    key = store.save(b"%PDF-1.7 boarding pass")
    assert len(key) == 32 and all(c in "0123456789abcdef" for c in key)
    assert store.read(key) == b"%PDF-1.7 boarding pass"
    assert store.path(key) == store.root / key[:2] / key[2:]


def test_keys_are_random_and_files_independent(store: PrivateStore) -> None:
    keys = {store.save(bytes([i])) for i in range(50)}
    assert len(keys) == 50
    assert {store.read(key) for key in keys} == {bytes([i]) for i in range(50)}


def test_delete(store: PrivateStore) -> None:
    key = store.save(b"x")
    store.delete(key)
    assert not store.path(key).exists()
    with pytest.raises(KeyError):
        store.read(key)
    store.delete(key)  # deleting twice is harmless


def test_reading_an_unknown_key_is_a_key_error(store: PrivateStore) -> None:
    with pytest.raises(KeyError):
        store.read("0" * 32)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../x",
        "../../etc/passwd",
        "ab/" + "c" * 29,
        "0" * 31,
        "0" * 33,
        "A" * 32,  # upper case is not what we issue
        "g" * 32,
        "0" * 30 + "\x00a",
        "0" * 31 + "\n",
        "/" + "0" * 31,
    ],
)
def test_bad_keys_never_reach_the_file_system(store: PrivateStore, key: str) -> None:
    for operation in (store.path, store.read, store.delete):
        with pytest.raises(ValueError):
            operation(key)


@pytest.mark.parametrize("key", [None, 12, b"0" * 32])
def test_keys_of_other_types_are_refused(store: PrivateStore, key: object) -> None:
    with pytest.raises(ValueError):
        store.path(key)  # type: ignore[arg-type]


def test_files_and_directories_are_private(store: PrivateStore) -> None:
    path = store.path(store.save(b"passport scan"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700


def test_no_temporary_files_are_left(store: PrivateStore) -> None:
    key = store.save(b"abc")
    assert [p.name for p in store.path(key).parent.iterdir()] == [key[2:]]


def test_default_store_is_the_private_dir_outside_public_folders() -> None:
    default = get_store()
    assert default.root == get_settings().private_dir.resolve()
    for public in (ROOT / "assets", ROOT / ".web", ROOT / "uploaded_files"):
        assert not default.root.is_relative_to(public.resolve())
    key = default.save(b"x")
    assert default.path(key).is_relative_to(get_settings().data_dir.resolve())
    default.delete(key)


@pytest.mark.parametrize("public", ["assets", "assets/private", ".web/public", "uploaded_files"])
def test_a_store_inside_a_public_folder_is_refused(public: str) -> None:
    with pytest.raises(ValueError, match="public"):
        PrivateStore(ROOT / public)


def test_reflex_upload_dir_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REFLEX_UPLOADED_FILES_DIR", str(tmp_path))
    with pytest.raises(ValueError):
        PrivateStore(tmp_path / "docs")


def test_full_disk_is_a_clear_refusal(store: PrivateStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", no_space)
    with pytest.raises(InvalidInput) as refused:
        store.save(b"x" * 1000)
    assert refused.value.code == "error.storage_full"
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_other_disk_errors_are_not_disguised(
    store: PrivateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(storage.os, "fsync", broken)
    with pytest.raises(OSError) as failed:
        store.save(b"x")
    assert failed.value.errno == errno.EIO


# --- signed links -------------------------------------------------------------------------------


def test_link_round_trip(frozen: float) -> None:
    token = sign_link(42, 7)
    assert verify_link(token) == LinkClaims(document_id=42, user_id=7, variant="file")
    thumb = sign_link(42, 7, variant="thumb")
    assert verify_link(thumb) == LinkClaims(document_id=42, user_id=7, variant="thumb")
    assert all(c.isalnum() or c in "-_." for c in token)


def test_link_expires_at_the_boundary(frozen: float) -> None:
    token = sign_link(1, 2, ttl_seconds=300)
    assert verify_link(token, now=frozen + 299.999) is not None
    assert verify_link(token, now=frozen + 300) is None
    assert verify_link(token, now=frozen + 10_000) is None


def test_link_uses_the_clock_when_no_time_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    token = sign_link(1, 2, ttl_seconds=60)
    assert verify_link(token) is not None
    later = time.time() + 61
    monkeypatch.setattr(storage.time, "time", lambda: later)
    assert verify_link(token) is None


def _reencode(token: str, body: str) -> str:
    encoded = base64.urlsafe_b64encode(body.encode()).rstrip(b"=").decode()
    return f"{encoded}.{token.split('.')[1]}"


@pytest.mark.parametrize(
    "forged_body",
    ["43:7:file:{exp}", "42:8:file:{exp}", "42:7:thumb:{exp}", "42:7:file:{later}"],
)
def test_tampered_payload_is_refused(frozen: float, forged_body: str) -> None:
    token = sign_link(42, 7)
    exp, later = int(frozen) + 300, int(frozen) + 10**6
    assert verify_link(_reencode(token, forged_body.format(exp=exp, later=later))) is None


def test_every_single_character_change_is_refused(frozen: float) -> None:
    token = sign_link(42, 7)
    for index, char in enumerate(token):
        if char == ".":
            continue
        replacement = "A" if char != "A" else "B"
        assert verify_link(token[:index] + replacement + token[index + 1 :]) is None


def test_signature_from_another_secret_is_refused(
    frozen: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign_link(42, 7)
    monkeypatch.setattr(get_settings(), "secret_key", "another-secret-" + "x" * 40)
    assert verify_link(token) is None
    assert verify_link(sign_link(42, 7)) is not None


def test_signature_is_not_a_plain_hmac_of_the_body(frozen: float) -> None:
    """The signature is bound to this purpose, so a MAC made elsewhere with the key cannot pass."""
    import hashlib
    import hmac

    body = sign_link(42, 7).split(".")[0]
    plain = hmac.new(get_settings().secret_key.encode(), body.encode(), hashlib.sha256).digest()
    forged = f"{body}.{base64.urlsafe_b64encode(plain).rstrip(b'=').decode()}"
    assert verify_link(forged) is None


@pytest.mark.parametrize(
    "garbage",
    ["", ".", "..", "a.b", "a.b.c", "x" * 10_000, "é.é", "\x00", "Zm9v." + "A" * 43, "=" * 60],
)
def test_garbage_links(garbage: str) -> None:
    assert verify_link(garbage) is None


def test_non_string_links_are_refused() -> None:
    assert verify_link(None) is None  # type: ignore[arg-type]
    assert verify_link(b"abc.def") is None  # type: ignore[arg-type]


@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    assert verify_link(text) is None


@given(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=90
    )
)
def test_arbitrary_url_safe_bodies_never_raise(body: str) -> None:
    assert verify_link(f"{body}.{'A' * 43}") is None


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"variant": "original"}, "variant"),
        ({"ttl_seconds": 0}, "lifetime"),
        ({"document_id": -1}, "non-negative"),
    ],
)
def test_sign_link_refuses_bad_arguments(kwargs: dict[str, object], problem: str) -> None:
    arguments: dict[str, object] = {"document_id": 1, "user_id": 2, **kwargs}
    with pytest.raises(ValueError, match=problem):
        sign_link(**arguments)  # type: ignore[arg-type]
