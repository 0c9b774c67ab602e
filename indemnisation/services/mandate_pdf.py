"""The signed mandate as a PDF: the claimant authorises Indemnisation to claim and collect for them.

The wording is a document template, kept here by locale rather than in the UI catalogs. DejaVu
Sans is embedded when the system has it (any script it covers); otherwise the PDF core fonts are
used and text outside Latin-1 is transliterated.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from babel.dates import format_date
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_BABEL_LOCALE = {"fr": "fr_FR", "en": "en_GB"}
_LATIN1_REPLACEMENTS = {
    ord(char): latin
    for char, latin in zip(
        "’‘“”–—\u202fŁłĐđı€…œŒ", [*"''\"\"-- LlDdi", "EUR", "...", "oe", "OE"], strict=True
    )
}

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Mandat de représentation et d'encaissement",
        "reference": "Dossier n° {reference}",
        "mandate": (
            "Je soussigné(e), {signer}, donne mandat à Indemnisation d'agir en mon nom et pour le "
            "compte des passagers désignés ci-dessous afin de réclamer auprès de la compagnie "
            "aérienne l'indemnisation due au titre du règlement (CE) n° 261/2004 ou, selon le vol, "
            "du règlement UK261 applicable au Royaume-Uni."
        ),
        "powers": (
            "Indemnisation est autorisée à adresser toute réclamation et tout document utile à la "
            "compagnie aérienne, aux organismes de médiation et aux autorités compétentes, à "
            "recevoir en mon nom le paiement des sommes dues, à en déduire la commission convenue "
            "et à me reverser le solde."
        ),
        "claim": "Réclamation",
        "passengers": "Passagers concernés",
        "consent_title": "Consentement",
        "consent": (
            "Je certifie que les informations fournies sont exactes et que je suis autorisé(e) à "
            "agir pour chacun des passagers désignés, y compris, pour un mineur, en tant que "
            "représentant légal. Je m'engage à ne pas poursuivre la même réclamation directement "
            "ou par un autre intermédiaire tant que ce mandat est en vigueur. Je peux révoquer ce "
            "mandat à tout moment par écrit. J'accepte que ma signature électronique ait la même "
            "valeur qu'une signature manuscrite."
        ),
        "signature_title": "Signature",
        "signed": "Signé électroniquement par {signer} le {date} depuis l'adresse IP {ip}.",
        "at": "à",
        "page": "Page {page}/{pages}",
    },
    "en": {
        "title": "Power of attorney and authority to collect payment",
        "reference": "Claim reference {reference}",
        "mandate": (
            "I, {signer}, authorise Indemnisation to act in my name and on behalf of the "
            "passengers listed below to claim from the airline the compensation due under "
            "Regulation (EC) No 261/2004 or, depending on the flight, the UK261 regulation that "
            "applies in the United Kingdom."
        ),
        "powers": (
            "Indemnisation may send any claim and supporting document to the airline, to "
            "alternative dispute resolution bodies and to the competent authorities, receive in "
            "my name the payment of the sums due, deduct the agreed fee and pay me the balance."
        ),
        "claim": "Claim",
        "passengers": "Passengers",
        "consent_title": "Consent",
        "consent": (
            "I certify that the information provided is accurate and that I am entitled to act "
            "for each passenger listed, including as the legal guardian of any minor. I will not "
            "pursue the same claim myself or through another intermediary while this authority "
            "is in force. I may revoke it at any time in writing. I agree that my electronic "
            "signature has the same effect as a handwritten one."
        ),
        "signature_title": "Signature",
        "signed": "Electronically signed by {signer} on {date} from IP address {ip}.",
        "at": "at",
        "page": "Page {page}/{pages}",
    },
}


def render_mandate_pdf(
    *,
    locale: str,
    reference: str,
    signer_name: str,
    signed_at: datetime,
    ip: str,
    claim_summary: list[tuple[str, str]],
    passengers: list[str],
) -> bytes:
    if locale not in TEXTS:
        raise ValueError(f"no mandate template for locale {locale!r}")
    texts = TEXTS[locale]
    pdf = _MandatePdf(_FontSet.pick(), texts["page"])
    clean = pdf.typeface.clean
    signer = clean(signer_name)
    pdf.set_title(clean(texts["title"]))
    pdf.set_author("Indemnisation")
    pdf.add_page()

    pdf.heading(texts["title"], size=16)
    pdf.paragraph(texts["reference"].format(reference=clean(reference)))
    pdf.paragraph(texts["mandate"].format(signer=signer))
    pdf.paragraph(texts["powers"])
    pdf.heading(texts["claim"])
    pdf.summary(claim_summary)
    pdf.heading(texts["passengers"])
    for passenger in passengers:
        pdf.paragraph(f"- {clean(passenger)}", gap=0)
    pdf.heading(texts["consent_title"])
    pdf.paragraph(texts["consent"])
    pdf.heading(texts["signature_title"])
    moment = _format_moment(locale, signed_at, texts["at"])
    pdf.paragraph(texts["signed"].format(signer=signer, date=moment, ip=clean(ip)))
    return bytes(pdf.output())


def _format_moment(locale: str, value: datetime, at: str) -> str:
    """A legal timestamp: always in UTC, and saying so. A naive datetime is taken as UTC."""
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    day = format_date(moment.date(), format="long", locale=_BABEL_LOCALE[locale])
    return f"{day} {at} {moment:%H:%M} UTC"


class _FontSet:
    """DejaVu when installed; else Helvetica with text squeezed into Latin-1."""

    def __init__(self, family: str, files: dict[str, Path] | None) -> None:
        self.family = family
        self.files = files

    @classmethod
    def pick(cls) -> _FontSet:
        files = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
        if all(path.is_file() for path in files.values()):
            return cls("dejavu", files)
        return cls("helvetica", None)

    def clean(self, text: str) -> str:
        """No control or bidi-override characters; Latin-1 only with the core fonts."""
        text = "".join(
            " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
            for c in unicodedata.normalize("NFC", text)
            if unicodedata.category(c) not in ("Cf", "Cs", "Co", "Cn")
        )
        if self.files is not None:
            return text
        text = text.translate(_LATIN1_REPLACEMENTS)
        return "".join(c if ord(c) < 256 else _transliterate(c) for c in text)


def _transliterate(char: str) -> str:
    """Most letters decompose ('ő' -> 'o'); anything else becomes '?'."""
    base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
    return base or "?"


class _MandatePdf(FPDF):
    def __init__(self, typeface: _FontSet, page_label: str) -> None:
        super().__init__(format="A4")
        self.typeface = typeface
        self.page_label = page_label
        for style, path in (typeface.files or {}).items():
            self.add_font(typeface.family, style, path)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.typeface.family, size=8)
        label = self.page_label.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.cell(0, 6, label, align="C")

    def heading(self, text: str, size: int = 12) -> None:
        self.ln(3)
        self.set_font(self.typeface.family, "B", size)
        self.multi_cell(
            0, size * 0.55, self.typeface.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(1)

    def paragraph(self, text: str, gap: float = 2) -> None:
        self.set_font(self.typeface.family, size=10)
        self.multi_cell(
            0, 5, self.typeface.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
        self.ln(gap)

    def summary(self, lines: list[tuple[str, str]]) -> None:
        self.set_font(self.typeface.family, size=10)
        with self.table(
            col_widths=(2, 3),
            first_row_as_headings=False,
            borders_layout="NONE",
            text_align="LEFT",
            v_align="TOP",
            line_height=5,
        ) as table:
            for label, value in lines:
                row = table.row()
                row.cell(self.typeface.clean(label))
                row.cell(self.typeface.clean(value))
