"""Writes of complaints and tips: the public filing (anonymous allowed, with attachments), the
staff intake (12345 hotline, referrals, visits and letters), and the audited read of the
complainant's identity. State changes after intake go through the workflow engine
(``processes.COMPLAINT``); routing to a department other than the one the map names is
the handler's choice recorded here before the engine's ``route``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from socorg.core import workflow
from socorg.core.access import require_perm
from socorg.core.attachments import attachment_check, attachment_store_public
from socorg.core.audit import audit_record
from socorg.core.models import Department, User
from socorg.registry.access import scope_organizations
from socorg.supervision import access
from socorg.supervision.models import (
    ComplainantIdentity,
    Complaint,
    ComplaintSource,
    ComplaintState,
)
from socorg.supervision.rules import complaints as rules
from socorg.supervision.selectors.complaints import organization_named, responsible_department

# What a complainant may attach: photos and PDF documents.
ATTACHMENT_KINDS = {"pdf", "png", "jpeg"}
MAX_ATTACHMENTS = 5


@dataclass(frozen=True)
class ComplaintInput:
    """What a complaint says and who says it (every identity field optional)."""

    organization: str  # credit code or exact full name
    subject: str
    content: str
    name: str = ""
    phone: str = ""
    id_number: str = ""
    source: str = ComplaintSource.WEB
    source_reference: str = ""


def _identity_errors(data: ComplaintInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    phone = data.phone.strip()
    if phone and not all(ch.isdigit() or ch in "-+ " for ch in phone):
        errors["phone"] = [_("联系电话只能包含数字、空格、“-”和“+”。")]
    id_number = data.id_number.strip().upper()
    if id_number and not ric.is_valid(id_number):
        errors["id_number"] = [_("身份证号码格式或校验位不正确，请核对；也可以不填。")]
    return errors


def _build(data: ComplaintInput, actor: User | None) -> tuple[Complaint, ComplainantIdentity]:
    """The complaint and identity rows, validated (``ValidationError`` with Chinese messages
    per field), not yet saved."""
    errors = _identity_errors(data)
    organization = organization_named(data.organization)
    if organization is None:
        errors["organization"] = [
            _("未找到该社会组织，请填写准确的统一社会信用代码或登记证书上的全称。")
        ]
    elif actor is not None and not scope_organizations(actor).filter(pk=organization.pk).exists():
        # Outside the staff member's scope it does not exist for them.
        raise Http404(_("未找到该社会组织。"))
    complaint = Complaint(
        tracking_code=rules.tracking_code_new(),
        organization=organization,
        source=data.source,
        source_reference=data.source_reference.strip(),
        subject=data.subject.strip(),
        content=data.content.strip(),
        received_on=timezone.localdate(),
        created_by=actor,
        handler=actor,
    )
    identity = ComplainantIdentity(
        name=data.name.strip(), phone=data.phone.strip(), id_number=data.id_number.strip().upper()
    )
    for row, exclude in ((complaint, ["organization"]), (identity, ["complaint"])):
        try:
            row.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return complaint, identity


def _save(complaint: Complaint, identity: ComplainantIdentity) -> None:
    """Saved with a fresh tracking code should the random one be taken (practically never)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                complaint.save(force_insert=True)
        except IntegrityError:
            complaint.pk = None
            complaint.tracking_code = rules.tracking_code_new()
            continue
        identity.complaint = complaint
        identity.save(force_insert=True)
        workflow.start(process=workflow.get_process("complaint"), obj=complaint)
        return
    raise IntegrityError("no free tracking code")  # pragma: no cover


def complaint_file_public(
    *, data: ComplaintInput, uploads: Sequence[UploadedFile] = ()
) -> Complaint:
    """A member of the public files a complaint (anonymous allowed) on the web. Every file is
    checked (type, content, size) before anything is written; a refusal writes nothing."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": [_("最多上传 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS}]}
        )
    data = ComplaintInput(**{**data.__dict__, "source": ComplaintSource.WEB})
    complaint, identity = _build(data, None)
    for upload in uploads:
        try:
            attachment_check(upload=upload, allowed=ATTACHMENT_KINDS)
        except ValidationError as exc:
            name = upload.name or ""
            raise ValidationError(
                {"attachments": [f"{name}：{message}" for message in exc.messages]}
            ) from exc
    with transaction.atomic():
        _save(complaint, identity)
        for upload in uploads:
            attachment_store_public(
                upload=upload,
                owner_type=access.COMPLAINT_OWNER,
                owner_id=complaint.pk,
                allowed=ATTACHMENT_KINDS,
            )
        audit_record(
            actor=None,
            action="complaint.file",
            obj=complaint,
            after={"source": complaint.source, "organization": complaint.organization_id},
        )
    return complaint


def complaint_intake(*, actor: User, data: ComplaintInput) -> Complaint:
    """Staff take a complaint in from the 12345 hotline, a referral, a visit or a letter; the
    staff member who takes it in handles it."""
    require_perm(actor, "complaint.intake")
    complaint, identity = _build(data, actor)
    if data.source == ComplaintSource.WEB:
        raise ValidationError(
            {"source": [_("请选择投诉举报的来源（12345热线、转办件或来访来信）。")]}
        )
    with transaction.atomic():
        _save(complaint, identity)
        audit_record(
            actor=actor,
            action="complaint.intake",
            obj=complaint,
            after={
                "source": complaint.source,
                "source_reference": complaint.source_reference,
                "organization": complaint.organization_id,
            },
        )
    return complaint


def complainant_identity_read(*, actor: User, complaint: Complaint) -> ComplainantIdentity:
    """The complainant's identity for an assigned handler; every read writes an audit row.
    Anyone else is refused (and nothing is read)."""
    if not access.may_read_identity(actor, complaint):
        raise PermissionDenied(_("投诉人信息仅限该件的承办人和核查部门联络员查看。"))
    with transaction.atomic():
        identity = ComplainantIdentity.objects.filter(complaint=complaint).first()
        audit_record(
            actor=actor,
            action="complaint.identity_read",
            obj=complaint,
            after={"anonymous": identity is None or identity.is_anonymous},
        )
    return identity or ComplainantIdentity(complaint=complaint)


# The routing choice that sends a complaint to no department: the bureau verifies it itself.
BUREAU_ITSELF = "bureau"


def complaint_route(
    *, actor: User, complaint_id: int, choice: str, comment: str, expected_state: str
) -> Complaint:
    """转办. ``choice`` empty: the department the responsibility map names. Otherwise a
    department's id, or ``BUREAU_ITSELF``; a choice other than the map's is 人工改派 and needs
    the reason in ``comment``. The engine's guard refuses the department that returned it."""
    complaint = access.access_complaint(actor, complaint_id)
    choice = (choice or "").strip()
    suggested = responsible_department(complaint.organization)
    department: Department | None
    if not choice:
        department = suggested
    elif choice == BUREAU_ITSELF:
        department = None
    else:
        department = (
            Department.objects.filter(pk=int(choice)).first()
            if choice.isdigit() and len(choice) < 10
            else None
        )
        if department is None:
            raise ValidationError({"department": [_("请选择有效的核查部门。")]})
    by_hand = (department.pk if department else None) != (suggested.pk if suggested else None)
    if by_hand and not comment.strip():
        raise workflow.ActionRefused(_("改派至职责清单以外的核查部门时，请在意见中写明改派理由。"))
    with transaction.atomic():
        updated = Complaint.objects.filter(pk=complaint.pk, state=ComplaintState.TRIAGED).update(
            department=department if by_hand else None, routed_by_hand=by_hand
        )
        if not updated:
            raise workflow.StaleState(
                _("该投诉举报已被他人处理，当前状态为“%(state)s”，请刷新后查看。")
                % {"state": complaint.get_state_display()}
            )
        workflow.fire(
            process=workflow.get_process("complaint"),
            key=complaint.pk,
            action="route",
            actor=actor,
            comment=comment,
            expected_state=expected_state,
        )
        if by_hand:
            audit_record(
                actor=actor,
                action="complaint.route_by_hand",
                obj=complaint,
                before={"suggested": suggested.pk if suggested else None},
                after={"department": department.pk if department else None},
            )
    complaint.refresh_from_db()
    return complaint
