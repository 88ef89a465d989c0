"""The documents of an enforcement case as PDF, always in Chinese (legal documents): the
rectification notice (整改通知书), the notice of intended penalty (行政处罚事先告知书) and the
penalty decision (行政处罚决定书). The fonts are those of the registration certificate (Noto
Serif CJK, Simplified Chinese face, from ``SOCORG_FONT_DIRS``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from socorg.core.attachments import attachment_store
from socorg.core.models import Attachment, Jurisdiction, JurisdictionLevel, User
from socorg.core.numbering import next_number
from socorg.core.pdf import FONT_FACE_SC, FONT_FAMILY, FONT_FILES, chinese_date, font_path


class DocumentKind:
    RECTIFICATION_NOTICE = "rectification_notice"
    PENALTY_NOTICE = "penalty_notice"
    PENALTY_DECISION = "penalty_decision"


TITLES = {
    DocumentKind.RECTIFICATION_NOTICE: "责令整改通知书",
    DocumentKind.PENALTY_NOTICE: "行政处罚事先告知书",
    DocumentKind.PENALTY_DECISION: "行政处罚决定书",
}
# The number's word: 日民整〔2026〕1号, 日民罚告〔2026〕1号, 日民罚〔2026〕1号.
NUMBER_WORDS = {
    DocumentKind.RECTIFICATION_NOTICE: "民整",
    DocumentKind.PENALTY_NOTICE: "民罚告",
    DocumentKind.PENALTY_DECISION: "民罚",
}


def document_number(kind: str, abbreviation: str, year: int, serial: int) -> str:
    return f"{abbreviation}{NUMBER_WORDS[kind]}〔{year}〕{serial}号"


@dataclass(frozen=True)
class Document:
    kind: str
    number: str
    addressee: str  # the organization's full name
    uscc: str
    paragraphs: tuple[str, ...]
    authority: str
    issued_on: date


def document_render(document: Document) -> bytes:
    """The document as PDF bytes; the same content gives the same bytes."""
    from fpdf import FPDF  # imported here: loading fpdf2 takes a while and few requests need it

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    for style, file_name in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style, font_path(file_name), collection_font_number=FONT_FACE_SC)
    pdf.set_margins(28, 30, 26)
    pdf.set_auto_page_break(True, margin=28)
    pdf.set_lang("zh-CN")
    title = TITLES[document.kind]
    pdf.set_title(f"{title} {document.number}")
    pdf.set_author(document.authority)
    pdf.set_creator("socorg")
    tz = timezone.get_current_timezone()
    pdf.set_creation_date(datetime.combine(document.issued_on, time(), tzinfo=tz))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_text_color(150, 24, 24)
    pdf.set_font(FONT_FAMILY, "B", 22)
    pdf.cell(width, 14, document.authority, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(25, 25, 25)
    pdf.set_font(FONT_FAMILY, "B", 18)
    pdf.cell(width, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "", 12)
    pdf.cell(width, 9, document.number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, "", 13)
    pdf.multi_cell(width, 8, f"{document.addressee}：", new_x="LMARGIN", new_y="NEXT")
    if document.uscc:
        pdf.multi_cell(
            width, 8, f"（统一社会信用代码：{document.uscc}）", new_x="LMARGIN", new_y="NEXT"
        )
    for paragraph in document.paragraphs:
        pdf.multi_cell(width, 8, "\u3000\u3000" + paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(12)
    pdf.cell(width, 8, document.authority, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 8, chinese_date(document.issued_on), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# --- issuing: numbered, rendered and stored as an attachment of the case -----------------------


def _authority(jurisdiction: Jurisdiction) -> tuple[str, str]:
    """(name, abbreviation) of the civil-affairs bureau of ``jurisdiction``: 日照市民政局, 日."""
    node: Jurisdiction | None = jurisdiction
    while node is not None and node.level == JurisdictionLevel.STREET:
        node = node.parent
    if node is None:
        return "民政局", "民"
    if node.level == JurisdictionLevel.PROVINCE:
        return f"{node.name}民政厅", node.name[0]
    if node.level == JurisdictionLevel.CITY or node.parent is None:
        return f"{node.name}民政局", node.name[0]
    name = (
        f"{node.parent.name}{node.name}民政局" if node.name.endswith("区") else f"{node.name}民政局"
    )
    return name, node.parent.name[0] + node.name[0]


def document_issue(
    *,
    actor: User,
    owner_type: str,
    owner_id: int,
    kind: str,
    organization_name: str,
    uscc: str,
    jurisdiction: Jurisdiction,
    paragraphs: tuple[str, ...],
    on: date,
) -> tuple[str, Attachment]:
    """Numbers the document in the authority's yearly series (core numbering), renders it and
    stores it as an attachment of its owner (a case, an inspection finding); returns its number and the attachment. Runs inside
    the caller's transaction (a rollback gives the number back)."""
    authority, abbreviation = _authority(jurisdiction)
    serial = next_number(f"case_document:{kind}:{abbreviation}:{on.year}")
    number = document_number(kind, abbreviation, on.year, serial)
    pdf = document_render(
        Document(
            kind=kind,
            number=number,
            addressee=organization_name,
            uscc=uscc,
            paragraphs=paragraphs,
            authority=authority,
            issued_on=on,
        )
    )
    upload = SimpleUploadedFile(f"{TITLES[kind]}{number}.pdf", pdf, "application/pdf")
    attachment = attachment_store(
        actor=actor, upload=upload, owner_type=owner_type, owner_id=owner_id, allowed={"pdf"}
    )
    return number, attachment
