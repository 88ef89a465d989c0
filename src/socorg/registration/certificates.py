"""Registration certificates (登记证书) as PDF: what a certificate says and how it is drawn.

:func:`certificate_render` draws the certificate of one organization on an A4 landscape page:
the type's title, the registered particulars, the certificate number, the registration
authority with the place for its seal, and a QR code (also a link) to the organization's
public profile. Issuing (numbering, storing, auditing) is ``services.certificates``.

Chinese text is set in Noto Serif CJK SC from Debian's ``fonts-noto-cjk`` (OpenType with CFF
outlines); fpdf2 embeds the subset of the glyphs used as a CID-keyed CFF font, so the text
renders and can be searched and copied in any reader. ``SOCORG_FONT_DIRS`` says where the font
files are.

Certificate numbers run per registration authority (日民证字第000001号 …)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from socorg.core.models import Jurisdiction, JurisdictionLevel
from socorg.core.pdf import FONT_FACE_SC, FONT_FAMILY, FONT_FILES, chinese_date, font_path
from socorg.registry.models import ManagementMode, Organization, OrgStatus, OrgType
from socorg.registry.rules.names import authority_code

if TYPE_CHECKING:
    from fpdf import FPDF

# Page geometry in millimetres (A4 landscape).
PAGE_W, PAGE_H = 297.0, 210.0
LABEL_X, FIELDS_RIGHT = 38.0, 262.0
FIELDS_TOP, FIELDS_BOTTOM = 58.0, 140.0
QR_X, QR_Y, QR_SIZE = 26.0, 146.0, 34.0
SEAL_X, SEAL_Y, SEAL_R = 222.0, 160.0, 21.0  # a 42 mm seal, as official seals are
FRAME_COLOR = (168, 124, 52)
TITLE_COLOR = (150, 24, 24)
SEAL_COLOR = (200, 40, 40)
TEXT_COLOR = (25, 25, 25)
# Line breaking: closing punctuation may not start a line; Latin words and numbers stay whole.
NO_LINE_START = frozenset("，。、；：？！）》」』”’%,.;:?!)]")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]*|\s+|.", re.DOTALL)


def _titles() -> dict[str, str]:
    return {
        OrgType.SOCIAL_GROUP: _("社会团体法人登记证书"),
        OrgType.SOCIAL_SERVICE_AGENCY: _("民办非企业单位（社会服务机构）登记证书"),
        OrgType.FOUNDATION: _("基金会法人登记证书"),
    }


def _funds_labels() -> dict[str, str]:
    """The three types' names for their minimum funds (GLOSSARY: registered_funds)."""
    return {
        OrgType.SOCIAL_GROUP: _("注册资金"),
        OrgType.SOCIAL_SERVICE_AGENCY: _("开办资金"),
        OrgType.FOUNDATION: _("原始基金"),
    }


def certificate_title(org_type: str) -> str:
    """The certificate's title for an organization type; community organizations are filed,
    not registered, and get none (``ValidationError``)."""
    title = _titles().get(org_type)
    if title is None:
        raise ValidationError(_("社区社会组织实行备案管理，不颁发登记证书。"))
    return title


# --- registration authority and certificate number -------------------------------------------


@dataclass(frozen=True)
class Authority:
    code: str  # GB/T 2260 area code of the authority's jurisdiction
    name: str  # 日照市民政局
    abbreviation: str  # 日 (a city), 日东 (a district of that city)
    jurisdiction_id: int


def certificate_authority(organization: Organization) -> Authority:
    """The registration authority of ``organization``: the civil-affairs bureau of its city
    (city level) or of its county/district (county level)."""
    code = authority_code(organization.level, organization.jurisdiction.code)
    node: Jurisdiction | None = organization.jurisdiction
    while node is not None and (node.code[:6] != code or node.level == JurisdictionLevel.STREET):
        node = node.parent  # a street's code starts with its county's
    if node is None:
        raise ValidationError(_("无法确定该社会组织的登记管理机关。"))
    return Authority(code, _authority_name(node), _abbreviation(node), node.pk)


def _authority_name(node: Jurisdiction) -> str:
    if node.level == JurisdictionLevel.PROVINCE:
        return f"{node.name}民政厅"
    if node.level != JurisdictionLevel.CITY and node.name.endswith("区") and node.parent:
        return f"{node.parent.name}{node.name}民政局"  # districts carry their city's name
    return f"{node.name}民政局"


def _abbreviation(node: Jurisdiction) -> str:
    if node.level in (JurisdictionLevel.PROVINCE, JurisdictionLevel.CITY) or node.parent is None:
        return node.name[0]
    return node.parent.name[0] + node.name[0]


def certificate_number(authority: Authority, serial: int) -> str:
    """日民证字第000123号: the authority's abbreviation and a six-digit serial."""
    return f"{authority.abbreviation}民证字第{serial:06d}号"


# --- what the certificate says ----------------------------------------------------------------


def public_profile_url(uscc: str) -> str:
    """Absolute URL of the organization's public profile (encoded in the QR code)."""
    return f"{settings.SOCORG_PUBLIC_BASE_URL.rstrip('/')}/public/organizations/{uscc}/"


def _funds_text(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    wan = Decimal(amount) / 10000
    if wan == wan.quantize(Decimal("0.01")):
        return _("人民币%(amount)s万元") % {"amount": f"{wan.normalize():f}"}
    return _("人民币%(amount)s元") % {"amount": f"{Decimal(amount):,.2f}"}


def _validity_text(organization: Organization, issued_on: date) -> str:
    until = organization.certificate_valid_until
    if until is None:
        return _("长期")
    return _("自%(start)s至%(end)s") % {
        "start": chinese_date(issued_on),
        "end": chinese_date(until),
    }


def certificate_fields(organization: Organization, issued_on: date) -> list[tuple[str, str]]:
    """(label, value) rows in the order a certificate prints them; the supervisory unit only
    under dual management."""
    rows = [
        (_("统一社会信用代码"), organization.uscc or ""),
        (_("名称"), organization.name),
        (_("住所"), organization.domicile),
        (_("法定代表人"), organization.legal_representative),
        (_("业务范围"), organization.business_scope),
    ]
    if (
        organization.management_mode == ManagementMode.DUAL_MANAGEMENT
        and organization.supervisory_unit
    ):
        rows.append((_("业务主管单位"), organization.supervisory_unit.name))
    rows.append(
        (_funds_labels()[organization.org_type], _funds_text(organization.registered_funds))
    )
    rows.append((_("有效期"), _validity_text(organization, issued_on)))
    return rows


def certificate_problem(organization: Organization) -> str | None:
    """Why ``organization`` cannot get a certificate (Chinese message), or None."""
    if organization.org_type not in _titles() or organization.status == OrgStatus.FILED:
        return _("该社会组织实行备案管理，不颁发登记证书。")
    if not organization.uscc:
        return _("该社会组织尚无统一社会信用代码，不能颁发登记证书。")
    if organization.status in (OrgStatus.DEREGISTERED, OrgStatus.REVOKED):
        return _("该社会组织已注销或撤销，不能颁发登记证书。")
    return None


# --- drawing ------------------------------------------------------------------------------------


def certificate_render(*, organization: Organization, issued_on: date, serial: int) -> bytes:
    """The certificate of ``organization`` as PDF bytes, numbered with the authority's
    ``serial``. Always in Chinese (a legal document), whatever the caller's language."""
    with translation.override("zh-hans"):
        problem = certificate_problem(organization)
        if problem:
            raise ValidationError(problem)
        authority = certificate_authority(organization)
        pdf = _new_pdf(organization, authority, issued_on)
        _draw_frame(pdf)
        _draw_heading(pdf, organization, certificate_number(authority, serial))
        _draw_fields(pdf, certificate_fields(organization, issued_on))
        _draw_qr(pdf, public_profile_url(organization.uscc or ""))
        _draw_authority(pdf, authority, issued_on)
        return bytes(pdf.output())


def _new_pdf(organization: Organization, authority: Authority, issued_on: date) -> FPDF:
    from fpdf import FPDF  # imported here: loading fpdf2 takes a while and few requests need it

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    for style, file_name in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style, font_path(file_name), collection_font_number=FONT_FACE_SC)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_lang("zh-CN")
    pdf.set_title(f"{organization.name} {certificate_title(organization.org_type)}")
    pdf.set_author(authority.name)
    pdf.set_creator("socorg")
    # A fixed creation time keeps the bytes (and their SHA-256) a function of the content.
    tz = timezone.get_current_timezone()
    pdf.set_creation_date(datetime.combine(issued_on, time(), tzinfo=tz))
    pdf.add_page()
    return pdf


def _draw_frame(pdf: FPDF) -> None:
    """A double border in gold with small diamonds at the corners."""
    pdf.set_draw_color(*FRAME_COLOR)
    pdf.set_fill_color(*FRAME_COLOR)
    pdf.set_line_width(1.6)
    pdf.rect(9, 9, PAGE_W - 18, PAGE_H - 18)
    pdf.set_line_width(0.4)
    pdf.rect(13, 13, PAGE_W - 26, PAGE_H - 26)
    for x, y in ((13, 13), (PAGE_W - 13, 13), (13, PAGE_H - 13), (PAGE_W - 13, PAGE_H - 13)):
        pdf.polygon([(x - 3, y), (x, y - 3), (x + 3, y), (x, y + 3)], style="F")


def _draw_heading(pdf: FPDF, organization: Organization, number: str) -> None:
    pdf.set_text_color(*TITLE_COLOR)
    pdf.set_font(FONT_FAMILY, "B", 30)
    pdf.set_char_spacing(2)
    pdf.set_xy(0, 24)
    pdf.cell(PAGE_W, 14, certificate_title(organization.org_type), align="C")
    pdf.set_char_spacing(0)
    pdf.set_draw_color(*TITLE_COLOR)
    pdf.set_line_width(0.3)
    pdf.line(PAGE_W / 2 - 70, 41, PAGE_W / 2 + 70, 41)
    pdf.set_text_color(*TEXT_COLOR)
    pdf.set_font(FONT_FAMILY, "", 11)
    pdf.set_xy(0, 45)
    pdf.cell(PAGE_W - 37, 7, _("证书编号：%(number)s") % {"number": number}, align="R")


@dataclass(frozen=True)
class _Block:
    """The fields block at one font size: label column, value column, line pitch."""

    size: int

    @property
    def label_w(self) -> float:
        return self.size * 3.3  # eight characters with a little air between them

    @property
    def value_x(self) -> float:
        return LABEL_X + self.label_w + 6

    @property
    def value_w(self) -> float:
        return FIELDS_RIGHT - self.value_x

    @property
    def line_h(self) -> float:
        return self.size * 0.5

    @property
    def pitch(self) -> float:
        return self.size * 0.62


def _draw_fields(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    """Labels spread evenly over one width, values wrapped; the whole block shrinks one point
    at a time until it fits between FIELDS_TOP and FIELDS_BOTTOM (a value still too long at
    the smallest size is cut and refers to the charter)."""
    room = FIELDS_BOTTOM - FIELDS_TOP
    for size in (14, 13, 12, 11, 10, 9):
        block = _Block(size)
        laid = [(label, _wrap(pdf, value, block)) for label, value in rows]
        if _height(block, laid) <= room:
            break
    else:
        laid = _cut_longest(pdf, block, laid, room)
    y = FIELDS_TOP + (room - _height(block, laid)) / 2
    for label, lines in laid:
        _draw_label(pdf, label, y, block)
        pdf.set_font(FONT_FAMILY, "", block.size)
        for i, line in enumerate(lines):
            pdf.set_xy(block.value_x, y + i * block.line_h)
            pdf.cell(block.value_w, block.line_h, line)
        y += block.pitch + (len(lines) - 1) * block.line_h


def _height(block: _Block, laid: list[tuple[str, list[str]]]) -> float:
    return sum(block.pitch + (len(lines) - 1) * block.line_h for _label, lines in laid)


def _cut_longest(
    pdf: FPDF, block: _Block, laid: list[tuple[str, list[str]]], room: float
) -> list[tuple[str, list[str]]]:
    index = max(range(len(laid)), key=lambda i: len(laid[i][1]))
    label, lines = laid[index]
    others = _height(block, [row for i, row in enumerate(laid) if i != index])
    keep = max(1, int((room - others - block.pitch) / block.line_h) + 1)
    tail = _("……（详见章程）")
    last = lines[keep - 1]
    pdf.set_font(FONT_FAMILY, "", block.size)
    while last and pdf.get_string_width(last + tail) > block.value_w:
        last = last[:-1]
    return [*laid[:index], (label, [*lines[: keep - 1], last + tail]), *laid[index + 1 :]]


def _wrap(pdf: FPDF, text: str, block: _Block) -> list[str]:
    """Greedy line breaking for Chinese: any character may end a line, except that closing
    punctuation never starts one (it hangs at the end of the line before) and runs of Latin
    letters and digits stay whole."""
    pdf.set_font(FONT_FAMILY, "", block.size)
    lines, line = [], ""
    for token in _tokens(pdf, text, block.value_w):
        if line and pdf.get_string_width(line + token) > block.value_w:
            if token in NO_LINE_START:
                line += token
                continue
            lines.append(line)
            line = token.lstrip()
        else:
            line += token
    return [*lines, line]


def _tokens(pdf: FPDF, text: str, width: float) -> list[str]:
    tokens: list[str] = []
    for token in _TOKEN.findall(" ".join(text.split())):
        too_wide = len(token) > 1 and pdf.get_string_width(token) > width
        tokens.extend(token if too_wide else [token])
    return tokens


def _draw_label(pdf: FPDF, label: str, y: float, block: _Block) -> None:
    """The label's characters spread over the label column (名　　称 style), then a colon."""
    pdf.set_font(FONT_FAMILY, "B", block.size)
    widths = [pdf.get_string_width(ch) for ch in label]
    gap = (block.label_w - sum(widths)) / (len(label) - 1) if len(label) > 1 else 0
    x = LABEL_X if len(label) > 1 else LABEL_X + (block.label_w - widths[0]) / 2
    for ch, width in zip(label, widths, strict=True):
        pdf.set_xy(x, y)
        pdf.cell(width, block.line_h, ch)
        x += width + gap
    pdf.set_xy(LABEL_X + block.label_w, y)
    pdf.cell(4, block.line_h, "：")


def _draw_qr(pdf: FPDF, url: str) -> None:
    """The QR code as vector modules (runs of dark modules merged), clickable, with a caption."""
    import segno

    qr = segno.make(url, error="m", micro=False)
    border = 2
    matrix = qr.matrix
    module = QR_SIZE / (len(matrix) + 2 * border)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(QR_X, QR_Y, QR_SIZE, QR_SIZE, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        for start, length in _dark_runs(row):
            x = QR_X + (border + start) * module
            y = QR_Y + (border + r) * module
            pdf.rect(x, y, length * module, module, style="F")
    pdf.link(QR_X, QR_Y, QR_SIZE, QR_SIZE, url)
    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.set_xy(QR_X - 6, QR_Y + QR_SIZE + 0.5)
    pdf.cell(QR_SIZE + 12, 4, _("扫码查询登记信息"), align="C")


def _dark_runs(row: bytes | bytearray) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = None
    for i, value in enumerate([*row, 0]):
        if value and start is None:
            start = i
        elif not value and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


def _draw_authority(pdf: FPDF, authority: Authority, issued_on: date) -> None:
    """The authority and the date, with a dashed circle marking where the seal goes."""
    pdf.set_draw_color(*SEAL_COLOR)
    pdf.set_line_width(0.5)
    pdf.set_dash_pattern(dash=1.5, gap=1.2)
    pdf.circle(SEAL_X, SEAL_Y, SEAL_R)
    pdf.set_dash_pattern()
    pdf.set_text_color(*TEXT_COLOR)
    size, lines = _seal_lines(pdf, authority.name)
    top = SEAL_Y - (6 + 7 * len(lines)) / 2
    pdf.set_font(FONT_FAMILY, "", 11)
    pdf.set_xy(SEAL_X - 45, top)
    pdf.cell(90, 6, _("登记管理机关"), align="C")
    pdf.set_font(FONT_FAMILY, "B", size)
    for i, line in enumerate(lines):
        pdf.set_xy(SEAL_X - 45, top + 6 + i * 7)
        pdf.cell(90, 7, line, align="C")
    pdf.set_font(FONT_FAMILY, "", 12)
    pdf.set_xy(SEAL_X - 45, SEAL_Y + SEAL_R + 3)
    pdf.cell(90, 7, _("发证日期：%(day)s") % {"day": chinese_date(issued_on)}, align="C")


def _seal_lines(pdf: FPDF, authority_name: str) -> tuple[float, list[str]]:
    """「日照市民政局（印）」 on one line inside the circle when it fits at 12 pt or more, else
    the name and 「（印）」 on two lines, shrunk as needed."""
    room = 2 * SEAL_R - 2
    one_line = _("%(authority)s（印）") % {"authority": authority_name}
    for size in (13.0, 12.5, 12.0):
        if _width(pdf, one_line, size) <= room:
            return size, [one_line]
    size = 13.0
    while size > 8 and _width(pdf, authority_name, size) > room - 2:
        size -= 0.5
    return size, [authority_name, _("（印）")]


def _width(pdf: FPDF, text: str, size: float) -> float:
    pdf.set_font(FONT_FAMILY, "B", size)
    return float(pdf.get_string_width(text))
