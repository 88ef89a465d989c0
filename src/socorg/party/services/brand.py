"""Writes of the party-building brand 日出初光 暖益港城: member organizations joining, and
activities planned with their participating members, then reported held (with the people
reached) or cancelled through the workflow engine (``processes.BRAND_ACTIVITY``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socorg.core import workflow
from socorg.core.audit import audit_record
from socorg.core.models import User
from socorg.party import access
from socorg.party.models import BrandActivity, BrandMember, BrandProgram
from socorg.party.models.brand import PARTICIPANTS_MAX
from socorg.registry import access as registry_access
from socorg.registry.models import Organization, OrgStatus

MAX_ACTIVITY_ORGANIZATIONS = 200


def _organization(actor: User, key: str) -> Organization:
    key = key.strip()
    org = (
        registry_access.scope_organizations(actor).filter(Q(uscc=key.upper()) | Q(name=key)).first()
        if key
        else None
    )
    if org is None:
        raise ValidationError(
            {"organization": [_("未找到该社会组织，请填写统一社会信用代码或登记证书上的全称。")]}
        )
    if org.status != OrgStatus.REGISTERED:
        raise ValidationError(
            {"organization": [_("%(name)s 当前不是登记状态，不能加入品牌。") % {"name": org.name}]}
        )
    return org


def brand_member_add(
    *, actor: User, program: int | str, organization: str, joined_on: date, role: str = ""
) -> BrandMember:
    """An organization in the actor's scope joins the program."""
    with transaction.atomic():
        found = access.access_brand_program(actor, program, write=True)
        org = _organization(actor, organization)
        if BrandMember.objects.filter(
            program=found, organization=org, left_on__isnull=True
        ).exists():
            raise ValidationError({"organization": [_("该组织已是品牌成员组织。")]})
        if joined_on > timezone.localdate():
            raise ValidationError({"joined_on": [_("加入日期不能晚于今天。")]})
        if joined_on < found.launched_on:
            raise ValidationError(
                {
                    "joined_on": [
                        _("加入日期不能早于品牌创建日期（%(day)s）。") % {"day": found.launched_on}
                    ]
                }
            )
        member = BrandMember(
            program=found,
            organization=org,
            joined_on=joined_on,
            role=role.strip(),
            created_by=actor,
        )
        member.full_clean(exclude=["program", "organization"], validate_constraints=False)
        member.save(force_insert=True)
        audit_record(
            actor=actor,
            action="brand.member_add",
            obj=member,
            after={"program": found.code, "organization": org.uscc, "joined_on": str(joined_on)},
        )
    return member


@dataclass(frozen=True)
class ActivityInput:
    title: str
    starts_on: date
    ends_on: date
    venue: str = ""
    description: str = ""


def _members_on(program: BrandProgram, ids: list[int], day: date) -> list[int]:
    """Of ``ids``, the organizations that were members of the program on ``day``."""
    return list(
        BrandMember.objects.filter(program=program, organization_id__in=ids, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .values_list("organization_id", flat=True)
    )


def brand_activity_plan(
    *, actor: User, program: int | str, data: ActivityInput, organization_ids: Sequence[int]
) -> BrandActivity:
    """A planned activity of the program, with its participating member organizations (each
    a member on the activity's first day)."""
    ids = sorted(set(organization_ids))
    with transaction.atomic():
        found = access.access_brand_program(actor, program, write=True)
        errors: dict[str, list[str]] = {}
        if not ids:
            errors["organizations"] = [_("请至少选择一家参与的成员组织。")]
        elif len(ids) > MAX_ACTIVITY_ORGANIZATIONS:
            errors["organizations"] = [
                _("参与组织过多（最多 %(n)s 家）。") % {"n": MAX_ACTIVITY_ORGANIZATIONS}
            ]
        elif len(_members_on(found, ids, data.starts_on)) != len(ids):
            errors["organizations"] = [_("参与组织须为活动开始当日的品牌成员组织。")]
        if data.ends_on < data.starts_on:
            errors["ends_on"] = [_("结束日期不能早于开始日期。")]
        activity = BrandActivity(
            program=found,
            title=data.title.strip(),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            venue=data.venue.strip(),
            description=data.description.strip(),
            created_by=actor,
        )
        try:
            activity.full_clean(exclude=["program"], validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        activity.save(force_insert=True)
        activity.organizations.set(ids)
        workflow.start(process=workflow.get_process("brand_activity"), obj=activity)
        audit_record(
            actor=actor,
            action="brand.activity_plan",
            obj=activity,
            after={"program": found.code, "title": activity.title, "organizations": ids},
        )
    return activity


def brand_activity_report_held(
    *, actor: User, pk: int | str, participants: int, volunteers: int | None, comment: str = ""
) -> BrandActivity:
    """Record the people the activity reached, then fire ``hold`` (its guard checks the day
    and the figure); both in one transaction, so a refused report leaves no figure behind."""
    with transaction.atomic():
        activity = access.access_brand_activity(actor, pk, write=True)
        if not 1 <= participants <= PARTICIPANTS_MAX:
            raise ValidationError(
                {"participants": [_("参与人次须在 1 到 %(n)s 之间。") % {"n": PARTICIPANTS_MAX}]}
            )
        if volunteers is not None and not 0 <= volunteers <= PARTICIPANTS_MAX:
            raise ValidationError({"volunteers": [_("志愿者人数不正确。")]})
        BrandActivity.objects.filter(pk=activity.pk).update(
            participants=participants, volunteers=volunteers
        )
        workflow.fire(
            process=workflow.get_process("brand_activity"),
            key=activity.pk,
            action="hold",
            actor=actor,
            comment=comment,
            expected_state=activity.state,
        )
        activity.refresh_from_db()
    return activity
