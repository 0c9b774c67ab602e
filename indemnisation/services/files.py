"""Checks on uploaded bytes and safe previews.

The type of a file is decided from its content, never from its name or the browser's claim. Images
are decoded once to prove they are whole; PDFs are opened with PDFium. Previews are small PNGs made
under pixel limits, and any failure gives no preview rather than a crashed worker.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import io
import re
import threading
import unicodedata
import zlib
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

from indemnisation.services.errors import InvalidInput

register_heif_opener()

MAX_PIXELS = 72_000_000  # above 48/50/64 MP phone photos, below decompression bombs
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
THUMBNAIL_WIDTH = 320
THUMBNAIL_MAX_HEIGHT = 640
THUMBNAIL_CONTENT_TYPE = "image/png"
MAX_PDF_SIDE_POINTS = 14_400  # the largest page size the PDF specification allows (200 in)
MAX_NAME_LENGTH = 120
MAX_PDF_INFLATED_MB = 256  # all compressed streams of one PDF, once inflated

PDF, JPEG, PNG, WEBP, HEIC = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
)
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp", HEIC: "heic"}
_NAME_ALIASES = {
    PDF: {"pdf"},
    JPEG: {"jpg", "jpeg"},
    PNG: {"png"},
    WEBP: {"webp"},
    HEIC: {"heic", "heif"},
}
_KNOWN_SUFFIXES = set().union(*_NAME_ALIASES.values())
_PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "HEIF"}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}
_ACTIVE_PDF_NAME = re.compile(rb"/(?:JavaScript|JS|Launch)(?=[\s/<>\[\]()]|$)")
# where PDFium reads a stream's data: after the keyword, the rest of its line and the end of line
_STREAM_DATA = re.compile(rb"stream[^\r\n]*(?:\r\n|\r|\n)")
_INFLATE_PIECE = 16 * 1024
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"|?*;]')
# controls (NUL...), format (bidi overrides, zero-width), surrogates, private use, unassigned
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_MB = 1024 * 1024

_pdfium_lock = threading.Lock()  # PDFium is not thread-safe


class _Refused(Exception):
    """A file that must not be previewed."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    safe_name: str
    size: int
    sha256: str


def detect_type(data: bytes) -> str | None:
    """Content type from the magic bytes, or None for anything we do not accept."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return HEIC
    return None


def inspect_upload(data: bytes, filename: str, *, max_bytes: int) -> CheckedFile:
    """Accept a PDF, JPEG, PNG, WebP or HEIC upload that decodes, or raise InvalidInput."""
    if not data:
        raise InvalidInput("error.file_empty", field="file")
    if len(data) > max_bytes:
        raise InvalidInput("error.file_too_large", field="file", max_mb=_megabytes(max_bytes))
    content_type = detect_type(data)
    if content_type is None:
        raise InvalidInput("error.file_type", field="file", name=safe_name(filename))
    if content_type == PDF:
        _check_pdf(data)
    else:
        _check_image(data, content_type)
    extension = EXTENSIONS[content_type]
    return CheckedFile(
        content_type=content_type,
        extension=extension,
        safe_name=safe_name(filename, content_type),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _megabytes(size: int) -> int | float:
    return size // _MB if size % _MB == 0 else round(size / _MB, 1)


def safe_name(filename: str, content_type: str | None = None) -> str:
    """A display name: basename only, no control or bidi characters, the detected extension."""
    name = unicodedata.normalize("NFC", filename)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if c.isspace() else c
        for c in name
        if c.isspace() or unicodedata.category(c) not in _DROPPED_CATEGORIES
    )
    name = _UNSAFE_NAME_CHARS.sub("_", " ".join(name.split())).strip(". ")
    if content_type is None:
        return name[:MAX_NAME_LENGTH] or "document"
    extension = EXTENSIONS[content_type]
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix.lower() not in _KNOWN_SUFFIXES:
        stem = name
    elif suffix.lower() in _NAME_ALIASES[content_type]:
        extension = suffix
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(". ") or "document"
    return f"{stem}.{extension}"


def _inflated_size(data: bytes, budget: int) -> int:
    """What the Flate streams of a PDF inflate to, counted until past ``budget``.

    PDFium inflates a whole content stream before drawing it: a 1 MB file can inflate to 1 GB
    and cost 3 GB of memory to preview (a "bomb"). Every stream is tried, whatever its dictionary
    says, so hiding the filter name does not hide the stream, also once undone an ASCIIHex or
    ASCII85 wrapping; input goes in 16 KB pieces, so the count itself stays small in memory
    (deflate inflates at most about 1000 times).
    """
    total = 0
    for match in _STREAM_DATA.finditer(data):
        end = data.find(b"endstream", match.end())
        raw = memoryview(data)[match.end() : end if end >= 0 else len(data)]
        for candidate in (raw, *_unwrapped(raw)):
            total += _inflate_count(candidate, budget - total)
            if total > budget:
                return total
    return total


def _unwrapped(raw: memoryview) -> list[memoryview]:
    """The stream data once its ASCIIHex or ASCII85 text encoding is undone, when it is one."""
    text = bytes(raw).translate(None, b" \t\r\n\x0c\x00")
    found = []
    with contextlib.suppress(ValueError):
        hex_text = text.split(b">", 1)[0]
        found.append(memoryview(binascii.unhexlify(hex_text + b"0" * (len(hex_text) % 2))))
    with contextlib.suppress(ValueError):
        found.append(memoryview(base64.a85decode(text.split(b"~>", 1)[0])))
    return found


def _inflate_count(data: memoryview, budget: int) -> int:
    inflater, position, count = zlib.decompressobj(), 0, 0
    try:
        while not inflater.eof and position < len(data) and count <= budget:
            count += len(inflater.decompress(data[position : position + _INFLATE_PIECE]))
            position += _INFLATE_PIECE
    except zlib.error:
        pass  # not (or no more) Flate data: a JPEG, text, another filter
    return count


def _check_pdf(data: bytes) -> None:
    if _inflated_size(data, MAX_PDF_INFLATED_MB * _MB) > MAX_PDF_INFLATED_MB * _MB:
        raise InvalidInput("error.file_pdf_bomb", field="file", max_mb=MAX_PDF_INFLATED_MB)
    with _pdfium_lock:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            # PDFium can leave a previous failure's code behind, hence the look at the bytes
            if error.err_code == pdfium_raw.FPDF_ERR_PASSWORD and b"/Encrypt" in data:
                raise InvalidInput("error.file_password", field="file") from error
            raise InvalidInput("error.file_corrupt", field="file") from error
        try:
            pages = len(document)
            scripts = pdfium_raw.FPDFDoc_GetJavaScriptActionCount(document.raw)
        finally:
            document.close()
    if pages < 1:
        raise InvalidInput("error.file_corrupt", field="file")
    if scripts != 0 or _ACTIVE_PDF_NAME.search(data):
        raise InvalidInput("error.file_active_content", field="file")


def _check_image(data: bytes, content_type: str) -> None:
    """Open with the one decoder the magic bytes name, check the size, then decode it all."""
    try:
        with _open_image(data, content_type) as image:
            image.verify()
        with _open_image(data, content_type) as image:
            image.draft("RGB", (1, 1))  # JPEG: every byte is still read, at 1/8 scale
            image.load()
    except _Refused as error:
        raise InvalidInput(
            "error.image_too_large", field="file", max_megapixels=MAX_PIXELS // 1_000_000
        ) from error
    except Exception as error:  # Pillow raises many types for broken files
        raise InvalidInput("error.file_corrupt", field="file") from error


def _open_image(data: bytes, content_type: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[content_type]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _Refused from error
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise _Refused
    return image


def make_thumbnail(data: bytes, content_type: str) -> bytes | None:
    """A PNG at most 320 px wide of an image or a PDF's first page; None when that is not safe."""
    try:
        if content_type == PDF:
            image = _render_first_page(data)
        elif content_type in _PILLOW_FORMAT:
            image = _decode_small(data, content_type)
        else:
            return None
        if image.mode not in ("RGB", "RGBA"):
            has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
            image = image.convert("RGBA" if has_alpha else "RGB")
        image.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_MAX_HEIGHT))
        output = io.BytesIO()
        image.save(output, format="PNG", compress_level=3)  # 4x faster than 6, ~10 % larger
        return output.getvalue()
    except Exception:  # a hostile or broken file gets no preview, never a crash
        return None


def _decode_small(data: bytes, content_type: str) -> Image.Image:
    with _open_image(data, content_type) as image:
        # JPEG decodes at 1/2..1/8 scale, both sides kept >= 320 px: enough whichever way EXIF
        # turns the picture, and when the height limits (ratio > 2) it is then >= 640 px
        image.draft("RGB", (THUMBNAIL_WIDTH, THUMBNAIL_WIDTH))
        image.load()
        return ImageOps.exif_transpose(image)


def _render_first_page(data: bytes) -> Image.Image:
    if b"/Encrypt" in data:
        raise _Refused  # its streams cannot be measured before PDFium decrypts them
    with _pdfium_lock:
        document = pdfium.PdfDocument(data)
        try:
            page = document[0]
            width, height = page.get_size()
            if not (0 < width <= MAX_PDF_SIDE_POINTS and 0 < height <= MAX_PDF_SIDE_POINTS):
                raise _Refused
            scale = min(THUMBNAIL_WIDTH / width, THUMBNAIL_MAX_HEIGHT / height)
            image: Image.Image = page.render(scale=scale).to_pil()
            return image.copy()  # own memory, not PDFium's
        finally:
            document.close()
