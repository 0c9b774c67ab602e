"""The mandate PDF: valid, in both languages, with what was signed, by whom, when and from where."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from indemnisation.services import mandate_pdf
from indemnisation.services.mandate_pdf import render_mandate_pdf

SIGNED_AT = datetime(2026, 3, 14, 9, 5, tzinfo=UTC)


def render(locale: str = "fr", **overrides: object) -> bytes:
    arguments: dict[str, object] = {
        "locale": locale,
        "reference": "IND-2026-0042",
        "signer_name": "Zoë Lefèvre-Åström",
        "signed_at": SIGNED_AT,
        "ip": "203.0.113.7",
        "claim_summary": [("Vol", "AF 1234 CDG → YUL"), ("Montant", "600 €")],
        "passengers": ["Zoë Lefèvre-Åström", "Noël Lefèvre"],
        **overrides,
    }
    return render_mandate_pdf(**arguments)  # type: ignore[arg-type]


def text_of(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return " ".join(" ".join(page.split()) for page in pages)


@pytest.fixture(params=["dejavu", "core"])
def fonts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with DejaVu embedded (when installed) and with the core-font fallback."""
    if request.param == "core":
        monkeypatch.setattr(mandate_pdf, "FONT_DIR", Path("/nonexistent"))
    elif not (mandate_pdf.FONT_DIR / "DejaVuSans.ttf").is_file():
        pytest.skip("DejaVu fonts are not installed")
    return str(request.param)


def test_french_mandate(fonts: str) -> None:
    data = render("fr")
    assert data.startswith(b"%PDF-")
    text = text_of(data)
    assert "Mandat de représentation et d'encaissement" in text
    assert "IND-2026-0042" in text
    assert "donne mandat à Indemnisation" in text
    assert "règlement (CE) n° 261/2004" in text and "UK261" in text
    assert "déduire la commission convenue" in text
    assert (
        "Signé électroniquement par Zoë Lefèvre-Åström le 14 mars 2026 à 09:05 UTC "
        "depuis l'adresse IP 203.0.113.7." in text
    )
    assert "Noël Lefèvre" in text
    assert "Consentement" in text


def test_english_mandate(fonts: str) -> None:
    text = text_of(render("en"))
    assert "Power of attorney and authority to collect payment" in text
    assert "Claim reference IND-2026-0042" in text
    assert "Regulation (EC) No 261/2004" in text
    assert "deduct the agreed fee" in text
    assert (
        "Electronically signed by Zoë Lefèvre-Åström on 14 March 2026 at 09:05 UTC "
        "from IP address 203.0.113.7." in text
    )
    assert "Consent" in text


def test_summary_lines_and_passengers_are_shown(fonts: str) -> None:
    summary = [("Flight", "BA 303 LHR-CDG"), ("Disruption", "Cancelled"), ("Fee", "25 % + VAT")]
    text = text_of(render("en", claim_summary=summary, passengers=["Ann Lee", "Bo Lee"]))
    for label, value in summary:
        assert f"{label} {value}" in text
    assert "- Ann Lee" in text and "- Bo Lee" in text


def test_pdf_metadata_title(fonts: str) -> None:
    document = pdfium.PdfDocument(render("en"))
    assert document.get_metadata_dict()["Title"] == (
        "Power of attorney and authority to collect payment"
    )


def test_signing_time_is_shown_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    text = text_of(render("fr", signed_at=datetime(2026, 3, 14, 10, 5, tzinfo=paris)))
    assert "le 14 mars 2026 à 09:05 UTC" in text
    naive = text_of(render("en", signed_at=datetime(2026, 3, 14, 9, 5)))
    assert "on 14 March 2026 at 09:05 UTC" in naive


def test_ipv6_address(fonts: str) -> None:
    assert "IP address 2001:db8::1." in text_of(render("en", ip="2001:db8::1"))


def test_core_fonts_transliterate_what_latin1_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mandate_pdf, "FONT_DIR", Path("/nonexistent"))
    text = text_of(
        render(signer_name="Łukasz Œuvray Dvořák 王", claim_summary=[("Montant", "600 € – net")])
    )
    assert "Lukasz OEuvray Dvorák ?" in text  # á is Latin-1, ř is not
    assert "Montant 600 EUR - net" in text


def test_dejavu_keeps_every_letter() -> None:
    if not (mandate_pdf.FONT_DIR / "DejaVuSans.ttf").is_file():
        pytest.skip("DejaVu fonts are not installed")
    text = text_of(render(signer_name="Łukasz Œuvray Dvořák", claim_summary=[("Montant", "600 €")]))
    assert "Łukasz Œuvray Dvořák" in text
    assert "Montant 600 €" in text


def test_control_and_bidi_characters_are_removed(fonts: str) -> None:
    text = text_of(render("en", signer_name="Eve\u202e\x00lyn\nSmith", reference="R\u200b-1"))
    assert "signed by Eve lyn Smith on" in text
    assert "Claim reference R-1" in text


def test_long_content_flows_onto_a_second_page(fonts: str) -> None:
    passengers = [f"Passenger Number{i} With A Rather Long Family Name" for i in range(40)]
    data = render("en", passengers=passengers, signer_name="W" * 300)
    document = pdfium.PdfDocument(data)
    assert len(document) >= 2
    text = text_of(data)
    assert "Passenger Number39" in text
    assert "Page 2/" in text


def test_short_mandate_fits_on_one_page(fonts: str) -> None:
    assert len(pdfium.PdfDocument(render("fr"))) == 1


def test_unknown_locale_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="de"):
        render("de")


def test_both_templates_have_the_same_fields() -> None:
    assert mandate_pdf.TEXTS["fr"].keys() == mandate_pdf.TEXTS["en"].keys()
    for texts in mandate_pdf.TEXTS.values():
        assert "{signer}" in texts["mandate"] and "{signer}" in texts["signed"]
        assert "{ip}" in texts["signed"] and "{date}" in texts["signed"]
