"""Writes of the liaison roster and its training: designating a department's liaison officer
and ending a service, a training session, its attendance and its materials. Each write is
one transaction with its audit row; bad input is refused with Chinese messages and nothing
written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core.access import require_perm
from socorg.core.attachments import attachment_store
from socorg.core.audit import audit_record
from socorg.core.models import Attachment, Jurisdiction, Role, User
from socorg.party import access
from socorg.party.models import LiaisonOfficer, LiaisonTraining, TrainingAttendance
from socorg.party.rules import liaisons as rules

# What a session's materials may be: documents and slides exported as PDF, Word, Excel.
MATERIAL_KINDS = {"pdf", "docx", "xlsx"}
MAX_ATTENDEES = 500


@dataclass(frozen=True)
class LiaisonInput:
    name: str
    phone: str
    starts_on: date
    position: str = ""
    email: str = ""
    username: str = ""  # the account the liaison signs in with (optional)


def _clean(row: LiaisonOfficer | LiaisonTraining, errors: dict[str, list[str]]) -> None:
    try:
        row.full_clean(exclude=["department", "jurisdiction", "user"], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _account(department_id: int, username: str, errors: dict[str, list[str]]) -> User | None:
    """The liaison's account: an existing department-liaison account of this department that
    is not serving as a current liaison already."""
    if not username:
        return None
    user = User.objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        errors["username"] = [_("未找到该账号，请核对用户名；也可以先不填。")]
    elif user.role != Role.DEPARTMENT_LIAISON or user.department_id != department_id:
        errors["username"] = [
            _("该账号不是本部门的“部门联络员”账号，请联系系统管理员设置角色和部门。")
        ]
    elif LiaisonOfficer.objects.filter(user=user, ends_on__isnull=True).exists():
        errors["username"] = [_("该账号已是在任联络员，不能重复登记。")]
    return user


def liaison_designate(*, actor: User, department_code: str, data: LiaisonInput) -> LiaisonOfficer:
    """A department's new liaison officer, serving from ``data.starts_on``."""
    require_perm(actor, "liaison.manage")
    department = access.access_department(actor, department_code)
    errors: dict[str, list[str]] = {}
    phone = rules.phone_normalize(data.phone)
    if not rules.phone_valid(phone):
        errors["phone"] = [_("请填写 11 位手机号码，或带区号的固定电话（如 0633-8771234）。")]
    if data.starts_on > timezone.localdate() + timedelta(days=366):
        errors["starts_on"] = [_("任职起始日期不能晚于一年以后。")]
    with transaction.atomic():
        user = _account(department.pk, data.username.strip(), errors)
        liaison = LiaisonOfficer(
            department=department,
            name=data.name.strip(),
            position=data.position.strip(),
            phone=phone,
            email=data.email.strip(),
            user=user,
            starts_on=data.starts_on,
            created_by=actor,
        )
        _clean(liaison, errors)
        liaison.save(force_insert=True)
        audit_record(
            actor=actor,
            action="liaison.designate",
            obj=liaison,
            after={
                "department": department.code,
                "name": liaison.name,
                "starts_on": str(liaison.starts_on),
                "user": user.username if user else "",
            },
        )
    return liaison


def liaison_end(*, actor: User, pk: int | str, ends_on: date, reason: str) -> LiaisonOfficer:
    """End a liaison's service on ``ends_on`` (on or after the start, not in the future)."""
    reason = reason.strip()
    with transaction.atomic():
        liaison = access.access_liaison(actor, pk, write=True)
        liaison = LiaisonOfficer.objects.select_for_update().get(pk=liaison.pk)
        errors: dict[str, list[str]] = {}
        if liaison.ends_on is not None:
            errors["ends_on"] = [_("该联络员已于 %(day)s 离任。") % {"day": liaison.ends_on}]
        elif ends_on < liaison.starts_on:
            errors["ends_on"] = [_("离任日期不能早于任职起始日期。")]
        elif ends_on > timezone.localdate():
            errors["ends_on"] = [_("离任日期不能晚于今天。")]
        if not reason:
            errors["reason"] = [_("请填写离任原因（如：工作调动）。")]
        elif len(reason) > 200:
            errors["reason"] = [_("离任原因不能超过 200 个字。")]
        if errors:
            raise ValidationError(errors)
        liaison.ends_on, liaison.end_reason = ends_on, reason
        liaison.save(update_fields=["ends_on", "end_reason"])
        audit_record(
            actor=actor,
            action="liaison.end",
            obj=liaison,
            before={"ends_on": None},
            after={"ends_on": str(ends_on), "reason": reason},
        )
    return liaison


@dataclass(frozen=True)
class TrainingInput:
    held_on: date
    topic: str
    venue: str = ""
    lecturer: str = ""
    summary: str = ""


def training_create(*, actor: User, data: TrainingInput) -> LiaisonTraining:
    """A session organized by the actor's authority (their jurisdiction)."""
    require_perm(actor, "liaison.train")
    errors: dict[str, list[str]] = {}
    area = Jurisdiction.objects.filter(pk=actor.jurisdiction_id or 0).first()
    if area is None:
        errors["__all__"] = [_("您的账号没有管辖区划，不能组织培训。")]
    with transaction.atomic():
        training = LiaisonTraining(
            jurisdiction=area,
            held_on=data.held_on,
            topic=data.topic.strip(),
            venue=data.venue.strip(),
            lecturer=data.lecturer.strip(),
            summary=data.summary.strip(),
            created_by=actor,
        )
        _clean(training, errors)
        training.save(force_insert=True)
        audit_record(
            actor=actor,
            action="liaison_training.create",
            obj=training,
            after={"held_on": str(training.held_on), "topic": training.topic},
        )
    return training


def training_attendance_record(
    *, actor: User, pk: int | str, liaison_ids: Sequence[int]
) -> list[TrainingAttendance]:
    """Record that the liaisons ``liaison_ids`` attended the session. All or none: every one
    must be a liaison the actor sees, serving on the session's day, and not yet recorded; the
    session must have taken place."""
    ids = sorted(set(liaison_ids))
    with transaction.atomic():
        training = access.access_training(actor, pk, write=True)
        _check_attendance(actor, training, ids)
        liaisons = access.scope_liaisons(actor).filter(pk__in=ids).order_by("pk")
        rows = TrainingAttendance.objects.bulk_create(
            [
                TrainingAttendance(
                    training=training, liaison=x, department_id=x.department_id, recorded_by=actor
                )
                for x in liaisons
            ]
        )
        audit_record(
            actor=actor,
            action="liaison_training.attendance",
            obj=training,
            after={"liaisons": ids, "departments": sorted({r.department_id for r in rows})},
        )
    return rows


def _check_attendance(actor: User, training: LiaisonTraining, ids: list[int]) -> None:
    if training.held_on > timezone.localdate():
        raise ValidationError(
            _("培训尚未举行（%(day)s），不能登记签到。") % {"day": training.held_on}
        )
    if not ids:
        raise ValidationError({"liaisons": [_("请至少选择一名参加培训的联络员。")]})
    if len(ids) > MAX_ATTENDEES:
        raise ValidationError({"liaisons": [_("一次最多登记 %(n)s 人。") % {"n": MAX_ATTENDEES}]})
    found = {x.pk: x for x in access.scope_liaisons(actor).filter(pk__in=ids)}
    if missing := [i for i in ids if i not in found]:
        raise ValidationError(
            {"liaisons": [_("有 %(n)s 名联络员不在您的管理范围内或不存在。") % {"n": len(missing)}]}
        )
    off_duty = [
        x.name
        for x in found.values()
        if not rules.serving_on(x.starts_on, x.ends_on, training.held_on)
    ]
    if off_duty:
        raise ValidationError(
            {
                "liaisons": [
                    _("以下人员在培训当日不是在任联络员：%(names)s。")
                    % {"names": "、".join(sorted(off_duty))}
                ]
            }
        )
    recorded = TrainingAttendance.objects.filter(training=training, liaison_id__in=ids)
    if names := sorted(recorded.values_list("liaison__name", flat=True)):
        raise ValidationError(
            {"liaisons": [_("以下人员已登记过签到：%(names)s。") % {"names": "、".join(names)}]}
        )


def training_material_add(*, actor: User, pk: int | str, upload: UploadedFile) -> Attachment:
    """A material of the session (PDF, Word or Excel), checked and stored by
    ``core.attachments`` (type, content, size, the owner's quota); audited there."""
    training = access.access_training(actor, pk, write=True)
    return attachment_store(
        actor=actor,
        upload=upload,
        owner_type=access.TRAINING_OWNER,
        owner_id=training.pk,
        allowed=MATERIAL_KINDS,
    )
