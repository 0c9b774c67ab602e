"""The demand letter's layout: a formal letter on A4, from already worded and formatted parts.

It shares the mandate's typeface choice (DejaVu when installed, else the core fonts with text
squeezed into Latin-1) and its page furniture (margins, headings, paragraphs, page numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from indemnisation.services.demand_letter_texts import TEXTS
from indemnisation.services.mandate_pdf import _FontSet, _MandatePdf

Lines = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Letter:
    """Every part of one letter, worded in ``locale`` (amounts and dates already formatted)."""

    locale: str
    title: str
    sender: tuple[str, ...]
    """The company's name first, then its role and address lines."""
    recipient: tuple[str, ...]
    """The airline's name and code first, then the department."""
    dated: str
    subject: str
    intro: str
    facts: Lines
    legal_intro: str
    grounds: Lines
    """A heading and its legal reference, for each step of the verdict cited."""
    arguments: tuple[str, ...]
    amount_intro: str
    amounts: Lines
    """Each passenger and the amount due to them; the total comes last."""
    demand: str
    bank: Lines
    enclosure: str
    signer: str
    company: str


def render_demand_letter(letter: Letter) -> bytes:
    if letter.locale not in TEXTS:
        raise ValueError(f"no demand letter template for locale {letter.locale!r}")
    texts = TEXTS[letter.locale]
    pdf = _LetterPdf(_FontSet.pick(), texts["page"])
    pdf.set_title(pdf.typeface.clean(letter.title))
    pdf.set_author(pdf.typeface.clean(letter.company))
    pdf.add_page()

    pdf.address(letter.sender, x=pdf.l_margin)
    top = pdf.get_y()
    pdf.set_y(pdf.t_margin + 28)
    pdf.address(letter.recipient, x=115)
    pdf.set_y(max(top, pdf.get_y()) + 6)
    pdf.line_of(letter.dated, align="R")
    pdf.ln(4)
    pdf.line_of(letter.subject, bold=True)
    pdf.ln(4)
    pdf.paragraph(texts["salutation"])
    pdf.paragraph(letter.intro)

    pdf.heading(texts["facts_title"])
    pdf.summary(list(letter.facts))
    pdf.heading(texts["legal_title"])
    pdf.paragraph(letter.legal_intro, gap=1)
    for heading, reference in letter.grounds:
        pdf.ground(heading, reference, texts["colon"])
    pdf.ln(1)
    for argument in letter.arguments:
        pdf.paragraph(argument)
    pdf.keep_room(24 + 6 * len(letter.amounts))
    pdf.heading(texts["amount_title"])
    pdf.paragraph(letter.amount_intro, gap=1)
    pdf.amounts(letter.amounts)
    pdf.heading(texts["demand_title"])
    pdf.paragraph(letter.demand)
    pdf.summary(list(letter.bank))
    pdf.ln(2)
    pdf.paragraph(texts["consequence"])
    pdf.paragraph(texts["closing"], gap=6)
    pdf.paragraph(texts["signature"], gap=0)
    pdf.line_of(letter.signer, bold=True)
    pdf.line_of(letter.company)
    pdf.heading(texts["enclosures_title"], size=10)
    pdf.paragraph(f"- {letter.enclosure}")
    return bytes(pdf.output())


class _LetterPdf(_MandatePdf):
    def address(self, lines: tuple[str, ...], *, x: float) -> None:
        """A block of lines at ``x``, the first in bold."""
        for index, text in enumerate(lines):
            self.set_x(x)
            self.set_font(self.typeface.family, "B" if index == 0 else "", 10)
            self.multi_cell(
                self.w - self.r_margin - x,
                5,
                self.typeface.clean(text),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )

    def keep_room(self, height: float) -> None:
        """A new page unless ``height`` mm still fit on this one (short tables stay whole)."""
        if self.get_y() + height > self.page_break_trigger and height < self.eph:
            self.add_page()

    def line_of(self, text: str, *, bold: bool = False, align: str = "L") -> None:
        self.set_font(self.typeface.family, "B" if bold else "", 10)
        self.multi_cell(
            0, 5, self.typeface.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=align
        )

    def ground(self, heading: str, reference: str, colon: str) -> None:
        """One indented bullet: the heading in bold, then its legal reference."""
        indent = self.l_margin
        self.set_left_margin(indent + 4)
        self.set_x(indent + 4)
        self.set_font(self.typeface.family, "B", 10)
        self.write(5, "- " + self.typeface.clean(heading))
        self.set_font(self.typeface.family, "", 10)
        self.write(5, colon + self.typeface.clean(reference))
        self.ln(6)
        self.set_left_margin(indent)

    def amounts(self, rows: Lines) -> None:
        """Passengers and their amounts, the last row (the total) in bold."""
        self.set_font(self.typeface.family, size=10)
        with self.table(
            col_widths=(3, 1),
            first_row_as_headings=False,
            text_align=("LEFT", "RIGHT"),
            line_height=6,
        ) as table:
            for index, (name, amount) in enumerate(rows):
                style = FontFace(emphasis="BOLD") if index == len(rows) - 1 else None
                row = table.row(style=style)
                row.cell(self.typeface.clean(name))
                row.cell(self.typeface.clean(amount))
