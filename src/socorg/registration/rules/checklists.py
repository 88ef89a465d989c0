"""The materials each kind of application needs, per organization type (申请材料清单).

Pure data: a checklist is a tuple of ``Material`` (key, label, whether required, accepted file
kinds). Uploads are type- and size-checked against the material's kinds by
``core.attachments.attachment_store``; an application is complete when every required material
has at least one file."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from socorg.registration.models import ApplicationKind as K
from socorg.registry.models import OrgType

DOCS = frozenset({"pdf", "docx", "jpeg", "png"})
PDF_ONLY = frozenset({"pdf"})


@dataclass(frozen=True)
class Material:
    key: str
    label: StrOrPromise
    required: bool = True
    kinds: frozenset[str] = DOCS


APPLICATION_FORM = Material("application_form", _("登记申请书"), kinds=PDF_ONLY)
CHARTER = Material("charter", _("章程草案"))
DOMICILE_PROOF = Material("domicile_proof", _("住所使用权证明"))
FUNDS_PROOF = Material("funds_proof", _("验资报告或资金证明"), kinds=PDF_ONLY)
PRINCIPALS = Material("principals", _("拟任负责人基本情况及身份证明"))
SUPERVISORY_CONSENT = Material(
    "supervisory_consent", _("业务主管单位审查同意文件"), required=False, kinds=PDF_ONLY
)
MEMBERS = Material("members", _("会员名册"), kinds=frozenset({"xlsx", "pdf"}))
DONATION_PROOF = Material("donation_proof", _("原始基金捐赠证明"), kinds=PDF_ONLY)
RESOLUTION = Material("resolution", _("会员（代表）大会或理事会决议"), kinds=PDF_ONLY)
LIQUIDATION_REPORT = Material("liquidation_report", _("清算报告"), kinds=PDF_ONLY)
CERTIFICATE_ORIGINAL = Material("certificate_original", _("登记证书正副本（扫描件）"))
NAME_FORM = Material("name_form", _("名称预先核准申请表"), kinds=PDF_ONLY)
DEPARTING_AUDIT = Material(
    "departing_audit",
    _("原法定代表人离任财务审计报告（变更法定代表人时必交）"),
    required=False,
    kinds=PDF_ONLY,
)
PRINCIPAL_FORM = Material("principal_form", _("负责人备案表"), kinds=PDF_ONLY)

_ESTABLISHMENT_COMMON = (APPLICATION_FORM, CHARTER, DOMICILE_PROOF, FUNDS_PROOF, PRINCIPALS)

CHECKLISTS: dict[tuple[str, str], tuple[Material, ...]] = {
    (K.ESTABLISHMENT, OrgType.SOCIAL_GROUP): (*_ESTABLISHMENT_COMMON, MEMBERS),
    (K.ESTABLISHMENT, OrgType.SOCIAL_SERVICE_AGENCY): _ESTABLISHMENT_COMMON,
    (K.ESTABLISHMENT, OrgType.FOUNDATION): (*_ESTABLISHMENT_COMMON, DONATION_PROOF),
}
DEFAULTS: dict[str, tuple[Material, ...]] = {
    K.NAME_RESERVATION: (NAME_FORM,),
    K.ESTABLISHMENT: _ESTABLISHMENT_COMMON,
    K.CHANGE: (APPLICATION_FORM, RESOLUTION, DEPARTING_AUDIT),
    K.DEREGISTRATION: (APPLICATION_FORM, RESOLUTION, LIQUIDATION_REPORT, CERTIFICATE_ORIGINAL),
    K.BRANCH_ESTABLISHMENT: (APPLICATION_FORM, RESOLUTION, DOMICILE_PROOF),
    K.BRANCH_CHANGE: (APPLICATION_FORM, RESOLUTION),
    K.BRANCH_DEREGISTRATION: (APPLICATION_FORM, RESOLUTION),
    K.CHARTER_APPROVAL: (CHARTER, RESOLUTION),
    K.PRINCIPAL_FILING: (PRINCIPAL_FORM, RESOLUTION),
}


def checklist(kind: str, org_type: str, *, dual_management: bool = False) -> tuple[Material, ...]:
    """The materials of ``kind`` for ``org_type``; dual management adds the supervisory unit's
    consent document (optional: the unit also consents online in the joint review)."""
    items = CHECKLISTS.get((kind, org_type)) or DEFAULTS.get(kind, ())
    if dual_management and kind == K.ESTABLISHMENT:
        items = (*items, SUPERVISORY_CONSENT)
    return items


def material(kind: str, org_type: str, key: str) -> Material | None:
    for item in checklist(kind, org_type, dual_management=True):
        if item.key == key:
            return item
    return None


def missing_materials(
    kind: str, org_type: str, uploaded: set[str], *, dual_management: bool = False
) -> list[Material]:
    """Required materials with no file yet."""
    return [
        m
        for m in checklist(kind, org_type, dual_management=dual_management)
        if m.required and m.key not in uploaded
    ]
