"""Registration certificates: a real PDF whose Chinese text is embedded and extractable, whose
QR code leads to the public profile, numbered per registration authority in the issuing
transaction, rendered after it commits, stored as the organization's attachment with its
SHA-256 and audited.

The PDF is checked with poppler (``pdftotext``, ``pdffonts``, ``pdftoppm``, Debian package
poppler-utils) and the QR code decoded with zxing-cpp, independently of the code that drew it."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from PIL import Image

from socorg.core.attachments import attachment_open
from socorg.core.audit import verify_chain
from socorg.core.models import (
    Attachment,
    AuditLog,
    Counter,
    Department,
    Jurisdiction,
    JurisdictionLevel,
)
from socorg.registration import certificates as c
from socorg.registration.services.certificates import (
    ISSUE_ACTION,
    STORE_ACTION,
    certificate_issue,
)
from socorg.registry.models import Level, ManagementMode, Organization, OrgStatus, OrgType
from tests import factories as f

ISSUED_ON = date(2026, 11, 26)
SCOPE = "开展教育理论研究和学术交流；组织教育教学改革实验；举办教师培训和专业研讨活动；承办政府部门委托的教育评估、咨询服务。"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} (Debian package poppler-utils) is needed to check certificates"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def qr_texts(pdf: bytes) -> list[str]:
    """Rasterize the page (150 dpi) and decode every QR code on it."""
    result = subprocess.run(
        [tool("pdftoppm"), "-png", "-r", "150", "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    image = Image.open(io.BytesIO(result.stdout))
    return [code.text for code in zxingcpp.read_barcodes(image)]


# --- rendering (no database: the organization is built in memory) -----------------------------


def city_org(**over: object) -> Organization:
    rizhao = Jurisdiction(pk=1, code="371100", name="日照市", level=JurisdictionLevel.CITY)
    edu = Department(pk=1, code="EDU", name="日照市教育局", kind="government", jurisdiction=rizhao)
    values: dict[str, object] = {
        "pk": 7,
        "uscc": "51371100MJD000011J",
        "name": "日照市教育学会",
        "org_type": OrgType.SOCIAL_GROUP,
        "level": Level.CITY,
        "jurisdiction": rizhao,
        "management_mode": ManagementMode.DUAL_MANAGEMENT,
        "supervisory_unit": edu,
        "business_scope": SCOPE,
        "domicile": "日照市东港区烟台路59号",
        "legal_representative": "王建国",
        "registered_funds": Decimal("30000.00"),
        "established_on": date(2015, 6, 1),
        "certificate_valid_until": date(2031, 11, 25),
    }
    values.update(over)
    return Organization(**values)


def district_foundation() -> Organization:
    """A direct-registration foundation of 东港区 with a business scope far too long for the
    page."""
    org = city_org(
        uscc="53371102MJD00002X1",
        name="日照市东港区阳光助学公益基金会",
        org_type=OrgType.FOUNDATION,
        level=Level.COUNTY,
        management_mode=ManagementMode.DIRECT_REGISTRATION,
        supervisory_unit=None,
        business_scope=SCOPE * 12,
        registered_funds=Decimal("2012345.50"),
        certificate_valid_until=None,
    )
    org.jurisdiction = Jurisdiction(
        pk=2, code="371102", name="东港区", level=JurisdictionLevel.COUNTY, parent=org.jurisdiction
    )
    return org


@pytest.fixture(scope="module")
def social_group_pdf() -> bytes:
    return c.certificate_render(organization=city_org(), issued_on=ISSUED_ON, serial=123)


def test_certificate_is_a_pdf_whose_chinese_text_can_be_extracted(social_group_pdf) -> None:
    assert social_group_pdf.startswith(b"%PDF-")
    text = pdf_text(social_group_pdf)
    for expected in (
        "社会团体法人登记证书",
        "日照市教育学会",
        "51371100MJD000011J",
        "日民证字第000123号",
        "王建国",
        "日照市东港区烟台路59号",
        "日照市教育局",  # the supervisory unit, printed under dual management
        "人民币3万元",
        "自2026年11月26日至2031年11月25日",
        "日照市民政局（印）",
        "发证日期：2026年11月26日",
    ):
        assert expected in text


def test_certificate_embeds_the_subset_of_its_chinese_font(social_group_pdf) -> None:
    result = subprocess.run(
        [tool("pdffonts"), "-"], input=social_group_pdf, capture_output=True, check=True
    )
    fonts = result.stdout.decode().splitlines()[2:]
    assert len(fonts) == 2  # regular and bold
    for row in fonts:
        assert "NotoSerifCJKSC" in row and "CID Type 0C" in row
        embedded, subset, unicode_map = row.split()[-5:-2]
        assert (embedded, subset, unicode_map) == ("yes", "yes", "yes")


def test_certificate_qr_code_leads_to_the_public_profile(social_group_pdf, settings) -> None:
    url = f"{settings.SOCORG_PUBLIC_BASE_URL}/public/organizations/51371100MJD000011J/"
    assert qr_texts(social_group_pdf) == [url]
    assert f"/URI ({url})".encode() in social_group_pdf  # and the code is a link


def test_public_profile_url_follows_the_setting(settings) -> None:
    settings.SOCORG_PUBLIC_BASE_URL = "https://shzz.rizhao.gov.cn/"
    assert (
        c.public_profile_url("51371100MJD000011J")
        == "https://shzz.rizhao.gov.cn/public/organizations/51371100MJD000011J/"
    )


def test_certificate_is_the_same_bytes_for_the_same_content(social_group_pdf) -> None:
    again = c.certificate_render(organization=city_org(), issued_on=ISSUED_ON, serial=123)
    assert hashlib.sha256(again).digest() == hashlib.sha256(social_group_pdf).digest()


def test_district_foundation_certificate_names_its_own_authority_and_funds() -> None:
    pdf = c.certificate_render(organization=district_foundation(), issued_on=ISSUED_ON, serial=1)
    text = pdf_text(pdf)
    assert "基金会法人登记证书" in text
    assert "日东民证字第000001号" in text
    assert "日照市东港区民政局" in text
    assert "人民币2,012,345.50元" in text
    assert "长期" in text
    assert "业务主管单位" not in text.replace(" ", "")  # direct registration
    assert "详见章程" in text  # the scope did not fit and refers to the charter
    assert len(qr_texts(pdf)) == 1  # the long scope did not run over the QR code


@pytest.mark.parametrize(
    ("org_type", "title"),
    [
        (OrgType.SOCIAL_GROUP, "社会团体法人登记证书"),
        (OrgType.SOCIAL_SERVICE_AGENCY, "民办非企业单位（社会服务机构）登记证书"),
        (OrgType.FOUNDATION, "基金会法人登记证书"),
    ],
)
def test_certificate_title_follows_the_organization_type(org_type, title) -> None:
    assert c.certificate_title(org_type) == title


def test_community_organizations_are_filed_and_get_no_certificate() -> None:
    with pytest.raises(ValidationError, match="备案"):
        c.certificate_title(OrgType.COMMUNITY_ORGANIZATION)
    with pytest.raises(ValidationError, match="备案"):
        c.certificate_render(
            organization=city_org(org_type=OrgType.COMMUNITY_ORGANIZATION, uscc=None),
            issued_on=ISSUED_ON,
            serial=1,
        )


def test_funds_are_named_per_type_and_shown_in_wan_when_round() -> None:
    rows = dict(c.certificate_fields(city_org(org_type=OrgType.SOCIAL_SERVICE_AGENCY), ISSUED_ON))
    assert rows["开办资金"] == "人民币3万元"
    rows = dict(c.certificate_fields(city_org(registered_funds=Decimal("12345")), ISSUED_ON))
    assert rows["注册资金"] == "人民币12,345.00元"


def test_missing_font_is_a_clear_configuration_error(settings, tmp_path) -> None:
    settings.SOCORG_FONT_DIRS = [str(tmp_path)]
    with pytest.raises(ImproperlyConfigured, match="fonts-noto-cjk"):
        c.certificate_render(organization=city_org(), issued_on=ISSUED_ON, serial=1)


# --- issuing --------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_certificate_issue_stores_the_pdf_for_the_organization_and_audits_it(
    city, division_head, media_root, issue_certificate
) -> None:
    org = city.edu_org
    attachment = issue_certificate(division_head, org)

    with attachment.file.open("rb") as fh:
        content = fh.read()
    assert content.startswith(b"%PDF-")
    assert (attachment.owner_type, attachment.owner_id) == ("registry.organization", str(org.pk))
    assert attachment.content_type == "application/pdf"
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)
    assert "日民证字第000001号" in attachment.original_name
    assert org.name in pdf_text(content) and org.uscc in pdf_text(content)

    entry = AuditLog.objects.get(action=ISSUE_ACTION)
    assert (entry.object_type, entry.object_id) == ("registration.certificate", "371100-000001")
    assert entry.actor == division_head
    assert entry.after["number"] == "日民证字第000001号"
    assert entry.after["uscc"] == org.uscc
    stored = AuditLog.objects.get(action=STORE_ACTION)
    assert (stored.object_type, stored.object_id) == (entry.object_type, entry.object_id)
    assert stored.after["sha256"] == attachment.sha256
    assert stored.after["attachment"] == attachment.pk
    assert AuditLog.objects.filter(action="attachment.store", object_id=str(attachment.pk)).exists()
    assert verify_chain().ok


def test_certificate_is_numbered_in_the_issuing_transaction_and_rendered_after_it_commits(
    city, division_head, media_root, django_capture_on_commit_callbacks
) -> None:
    """Nothing the issuing transaction holds (the number's counter row, the audit chain) waits
    for the PDF: the number and the issue record are written in it, the file after it."""
    with django_capture_on_commit_callbacks() as after_commit:
        issued = certificate_issue(actor=division_head, organization=city.edu_org)
        assert issued.number == "日民证字第000001号"
        assert AuditLog.objects.filter(action=ISSUE_ACTION).count() == 1
        assert not Attachment.objects.exists()
    assert len(after_commit) == 1
    after_commit[0]()
    assert Attachment.objects.get().original_name.endswith("（日民证字第000001号）.pdf")


def test_missing_font_refuses_the_issue_before_anything_is_written(
    city, division_head, settings, tmp_path, media_root
) -> None:
    settings.SOCORG_FONT_DIRS = [str(tmp_path)]
    with pytest.raises(ImproperlyConfigured, match="fonts-noto-cjk"):
        certificate_issue(actor=division_head, organization=city.edu_org)
    assert not AuditLog.objects.exists()
    assert not Counter.objects.exists()


def test_certificate_numbers_run_per_registration_authority(
    city, city_registrar, media_root, issue_certificate
) -> None:
    def number(org: Organization) -> str:
        issue_certificate(city_registrar, org)
        return AuditLog.objects.filter(action=ISSUE_ACTION).latest("seq").after["number"]

    assert number(city.edu_org) == "日民证字第000001号"
    assert number(city.edu_org) == "日民证字第000002号"  # a reissue takes a new number
    assert number(city.donggang_org) == "日东民证字第000001号"  # 东港区民政局 counts its own


def test_issued_certificate_opens_only_for_users_who_see_the_organization(
    city, division_head, edu_liaison, lanshan_registrar, media_root, issue_certificate
) -> None:
    attachment = issue_certificate(division_head, city.edu_org)
    for user in (division_head, edu_liaison):
        opened, stream = attachment_open(user=user, pk=attachment.pk)
        with stream:
            assert hashlib.sha256(stream.read()).hexdigest() == opened.sha256
    with pytest.raises(Http404):
        attachment_open(user=lanshan_registrar, pk=attachment.pk)


def test_certificate_issue_needs_the_right_and_the_organization_in_scope(
    city, edu_liaison, lanshan_registrar, org_account, media_root
) -> None:
    for outsider in (edu_liaison, org_account):
        with pytest.raises(PermissionDenied):
            certificate_issue(actor=outsider, organization=city.edu_org)
    with pytest.raises(Http404):
        certificate_issue(actor=lanshan_registrar, organization=city.edu_org)
    assert not Attachment.objects.exists()
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize(
    ("org_type", "status", "message"),
    [
        (OrgType.COMMUNITY_ORGANIZATION, OrgStatus.FILED, "备案"),
        (OrgType.SOCIAL_GROUP, OrgStatus.DEREGISTERED, "已注销或撤销"),
        (OrgType.FOUNDATION, OrgStatus.REVOKED, "已注销或撤销"),
    ],
)
def test_no_certificate_for_filed_or_removed_organizations(
    city, city_registrar, media_root, org_type, status, message
) -> None:
    org = f.organization(where=city.city, org_type=org_type, status=status)
    with pytest.raises(ValidationError, match=message):
        certificate_issue(actor=city_registrar, organization=org)
    assert not Attachment.objects.exists()
    assert not AuditLog.objects.exists()
    assert not (media_root.exists() and any(media_root.rglob("*.pdf")))
