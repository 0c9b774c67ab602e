"""A full upload disk (a real 1 MiB tmpfs mounted on the upload directory; mounting needs root,
the tests are skipped without it): an upload is refused with the clear translated error, leaves
no file and no row behind, even when the file fits but its preview does not, and works again
once space is freed."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from indemnisation.db import session_scope
from indemnisation.i18n import translate
from indemnisation.models import Document, MessageAttachment
from indemnisation.services import claim_documents, messaging
from indemnisation.services.errors import InvalidInput
from indemnisation.settings import get_settings
from tests.claim_factory import eligible_draft, pdf_bytes, submitted_claim

PAGE = 4096


class Disk:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.filler = root / "filler"

    def fill(self) -> None:
        """Writes until not one byte more fits."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (1 << 16, PAGE, 1):
                try:
                    while os.write(fd, b"\0" * size) == size:
                        pass
                except OSError as error:
                    assert error.errno == errno.ENOSPC
        finally:
            os.close(fd)

    def leave_free(self, size: int) -> None:
        os.truncate(self.filler, self.filler.stat().st_size - size)

    def free(self) -> None:
        self.filler.unlink()

    def files(self) -> list[Path]:
        return [p for p in self.root.rglob("*") if p.is_file() and p != self.filler]


@pytest.fixture
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Disk]:
    root = tmp_path / "uploads"
    root.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(root)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    monkeypatch.setattr(get_settings(), "upload_dir", root)
    try:
        yield Disk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


def rows(table: Any) -> int:
    with session_scope() as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def upload(owner: Any, claim_id: int) -> int:
    return claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="IDENTITY", data=pdf_bytes(), filename="id.pdf"
    )


def test_a_document_on_a_full_disk(make: Any, disk: Disk) -> None:
    owner = make.user(locale="en")
    claim_id = eligible_draft(owner)
    disk.fill()
    for room in (0, PAGE):  # nothing left, then room for the PDF but not for its preview
        disk.leave_free(room)
        with pytest.raises(InvalidInput) as refused:
            upload(owner, claim_id)
        assert refused.value.code == "error.storage_full"
        assert translate("en", refused.value.code).startswith("The file cannot be saved")
        assert disk.files() == []
        assert rows(Document) == 0
    disk.free()
    document_id = upload(owner, claim_id)
    with session_scope() as session:
        document = session.get(Document, document_id)
        assert document is not None and document.thumbnail_key
    assert len(disk.files()) == 2  # the file and its preview


def test_a_message_attachment_on_a_full_disk(make: Any, disk: Disk) -> None:
    owner, admin = make.user(), make.admin()
    claim_id = submitted_claim(owner)
    stored = len(disk.files())
    disk.fill()
    disk.leave_free(PAGE)

    def post(key: str) -> messaging.SentMessage:
        return messaging.send_message(
            actor=admin,
            claim_id=claim_id,
            content="",
            client_key=key,
            attachments=[("a.pdf", pdf_bytes()), ("b.pdf", pdf_bytes("Other"))],
        )

    with pytest.raises(InvalidInput) as refused:
        post("key-full-disk-000001")
    assert refused.value.code == "error.storage_full"
    assert len(disk.files()) == stored
    assert rows(MessageAttachment) == 0
    disk.free()
    sent = post("key-full-disk-000002")
    assert len(sent.message.attachments) == 2
    assert len(disk.files()) == stored + 4
