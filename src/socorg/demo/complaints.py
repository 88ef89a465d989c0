"""The demo's complaints and tips: three dozen complaints about organizations of 日照市, in
every state of the process, filed on the web and taken from the 12345 hotline and referrals,
routed through the responsibility map, verified by the department that answers for each (the
education bureau's liaison of the cast, or the bureau's enforcement officer where no
department does), answered and closed. Some were found verified within the last 12 months
(they raise the draw's risk weight, RI-3), two more than a year ago.

Deterministic: the same organizations, texts and tracking codes on every load; the dates count
back from the day of the load."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from socorg.core import calendar
from socorg.core.models import Deadline, User
from socorg.core.workflow import Process, fire, get_process
from socorg.registry.access import scope_organizations
from socorg.registry.models import Organization, OrgStatus
from socorg.supervision.models import Complaint, ComplaintSource
from socorg.supervision.rules.complaints import TRACKING_ALPHABET, TRACKING_LENGTH
from socorg.supervision.selectors.complaints import responsible_department
from socorg.supervision.services.complaints import (
    ComplaintInput,
    complaint_file_public,
    complaint_intake,
)

EDU = "EDU"


@dataclass(frozen=True)
class Story:
    subject: str
    content: str
    findings_true: str
    findings_false: str
    reply_true: str
    reply_false: str


STORIES = (
    Story(
        "违规收取会费",
        "该组织在会员大会未通过的情况下提高会费标准，并强制会员缴纳，未开具票据。",
        "经查，该组织2025年调整会费标准未经会员大会表决，部分会费未开具票据，已责令限期整改。",
        "经查，会费标准经会员大会表决通过，票据开具齐全，未发现违规情形。",
        "您反映的问题经核查属实，已责令该组织限期整改，整改情况将纳入年度检查。",
        "经核查，该组织会费标准经会员大会依法表决，票据齐全，未发现您反映的问题。感谢您的监督。",
    ),
    Story(
        "以培训名义违规收费",
        "以举办培训班为名向会员单位摊派费用，培训内容与收费明显不符。",
        "经查，该组织举办的培训班收费标准未公示，存在摊派情形，已责令退还并整改。",
        "经查，培训班为自愿报名，收费标准已公示，未发现摊派行为。",
        "您反映的问题经核查属实，已责令该组织退还违规收取的费用并整改。",
        "经核查，培训为自愿参加，收费已公示，未发现违规摊派。感谢您的监督。",
    ),
    Story(
        "住所无法联系",
        "按登记的住所多次上门，均无人办公，电话无人接听。",
        "经实地核查，该组织已不在登记住所办公，已通知其限期办理住所变更登记。",
        "经实地核查，该组织在登记住所正常办公，已提醒其更新联系电话。",
        "您反映的问题经核查属实，已责令该组织限期办理住所变更登记。",
        "经实地核查，该组织在登记住所正常办公。感谢您的监督。",
    ),
    Story(
        "超出业务范围开展活动",
        "以组织名义承接商业演出和广告业务，与登记的业务范围不符。",
        "经查，该组织承接商业演出确超出章程规定的业务范围，已责令停止并整改。",
        "经查，相关活动为会员单位自行开展，与该组织无关。",
        "您反映的问题经核查属实，已责令该组织停止超范围活动并整改。",
        "经核查，相关活动并非该组织开展，未发现超范围活动。感谢您的监督。",
    ),
    Story(
        "负责人违规兼职取酬",
        "秘书长同时在会员企业任职并领取报酬，存在利益输送。",
        "经查，该组织秘书长在会员企业兼职领取报酬，违反章程规定，已责令纠正。",
        "经查，秘书长已于去年辞去企业职务，现未在会员企业兼职。",
        "您反映的问题经核查属实，已责令该组织纠正负责人违规兼职取酬问题。",
        "经核查，未发现负责人违规兼职取酬情形。感谢您的监督。",
    ),
    Story(
        "财务管理不规范",
        "收支未入账，账外设立个人账户收取赞助款。",
        "经查，该组织存在以个人账户收取赞助款的情形，已责令纳入单位账户核算并整改。",
        "经查，赞助款均已纳入单位账户核算，未发现账外收支。",
        "您反映的问题经核查属实，已责令该组织规范财务管理并整改。",
        "经核查，该组织收支均已入账，未发现账外收支。感谢您的监督。",
    ),
)

# (state, how many, the verification result where there is one, days ago it was received)
PLAN: tuple[tuple[str, int, str, int], ...] = (
    ("received", 5, "", 1),
    ("triaged", 4, "", 3),
    ("routed", 8, "", 10),
    ("concluded", 3, "verified", 30),
    ("concluded", 2, "not_verified", 35),
    ("replied", 3, "verified", 60),
    ("replied", 2, "not_verified", 70),
    ("closed", 4, "verified", 120),
    ("closed", 2, "verified", 420),  # verified more than 12 months ago
    ("closed", 2, "not_verified", 150),
    ("dismissed", 2, "", 20),
)
SOURCES = (
    ComplaintSource.WEB,
    ComplaintSource.HOTLINE_12345,
    ComplaintSource.WEB,
    ComplaintSource.REFERRAL,
    ComplaintSource.WEB,
    ComplaintSource.VISIT,
)
NAMES = ("张先生", "", "王女士", "", "刘先生", "", "")


def demo_tracking_code(index: int) -> str:
    """A fixed code per demo complaint (a real one is random: ``rules.tracking_code_new``)."""
    digest = hashlib.sha256(f"socorg-demo-complaint-{index}".encode()).digest()
    return "".join(TRACKING_ALPHABET[b % len(TRACKING_ALPHABET)] for b in digest[:TRACKING_LENGTH])


def _organizations(
    officer: User, count_edu: int, count_other: int
) -> tuple[list[Organization], list[Organization]]:
    """Registered organizations of the city whose complaints the education bureau verifies,
    and others (another department, or none: the bureau itself), in a fixed order."""
    edu: list[Organization] = []
    other: list[Organization] = []
    rows = (
        scope_organizations(officer)
        .filter(status=OrgStatus.REGISTERED)
        .select_related("supervisory_unit", "industry_regulator")
        .order_by("pk")
    )
    for org in rows[:600]:
        department = responsible_department(org)
        bucket = edu if department is not None and department.code == EDU else other
        if len(bucket) < (count_edu if bucket is edu else count_other):
            bucket.append(org)
        if len(edu) >= count_edu and len(other) >= count_other:
            break
    return edu, other


def ensure_demo_complaints() -> int:
    """The demo complaints unless there are complaints already; returns how many were made."""
    officer = User.objects.filter(username="enforcement_officer").first()
    liaison = User.objects.filter(username="edu_liaison").first()
    if officer is None or liaison is None or Complaint.objects.exists():
        return 0
    total = sum(count for _state, count, _result, _days in PLAN)
    edu, other = _organizations(officer, total, 8)
    process = get_process("complaint")
    today = timezone.localdate()
    index = 0
    for state, count, result, days in PLAN:
        for _ in range(count):
            # Those that reach a verification go to the education bureau (its liaison is in
            # the cast); the rest are spread over other departments too.
            orgs = edu if state not in ("received", "triaged", "routed") or index % 2 else other
            org = (orgs or edu)[index % len(orgs or edu)]
            story = STORIES[index % len(STORIES)]
            complaint = _file(index, org, story, officer)
            _advance(process, complaint, state, result, story, officer, liaison)
            _date(complaint, today - timedelta(days=days + index % 3))
            index += 1
    index += _returned(index, edu, officer, liaison, process)
    return index


def _returned(
    index: int, edu: list[Organization], officer: User, liaison: User, process: Process
) -> int:
    """One complaint the education bureau returned as not its responsibility: back with its
    handler, who now routes it by hand (to another department or the bureau itself)."""
    if not edu:
        return 0
    story = STORIES[index % len(STORIES)]
    complaint = _file(index, edu[index % len(edu)], story, officer)
    fire(process=process, key=complaint.pk, action="triage", actor=officer)
    fire(process=process, key=complaint.pk, action="route", actor=officer)
    fire(
        process=process,
        key=complaint.pk,
        action="return",
        actor=liaison,
        comment="经核，被投诉事项系该组织承接的文化演出活动，不属本局监管职责，请改派文化和旅游部门核查。",
    )
    _date(complaint, timezone.localdate() - timedelta(days=4))
    return 1


def _file(index: int, org: Organization, story: Story, officer: User) -> Complaint:
    source = SOURCES[index % len(SOURCES)]
    name = NAMES[index % len(NAMES)]
    data = ComplaintInput(
        organization=org.uscc or org.name,
        subject=story.subject,
        content=story.content,
        name=name,
        phone=f"1380633{index:04d}" if name else "",
        source=source,
        source_reference=f"12345-2026-{index:05d}"
        if source == ComplaintSource.HOTLINE_12345
        else "",
    )
    if source == ComplaintSource.WEB:
        complaint = complaint_file_public(data=data)
    else:
        complaint = complaint_intake(actor=officer, data=data)
    Complaint.objects.filter(pk=complaint.pk).update(tracking_code=demo_tracking_code(index))
    complaint.tracking_code = demo_tracking_code(index)
    return complaint


def _advance(
    process: Process,
    complaint: Complaint,
    state: str,
    result: str,
    story: Story,
    officer: User,
    liaison: User,
) -> None:
    steps: list[tuple[User, str, str]] = []
    if state == "dismissed":
        steps = [
            (
                officer,
                "dismiss",
                "经核实，所反映事项不属于社会组织登记管理机关职责范围，已告知向有关部门反映。",
            )
        ]
    order = ("triaged", "routed", "concluded", "replied", "closed")
    reached = order[: order.index(state) + 1] if state in order else ()
    verified = result == "verified"
    for step in reached:
        if step == "triaged":
            steps.append((officer, "triage", ""))
        elif step == "routed":
            steps.append((officer, "route", ""))
        elif step == "concluded":
            # The verifier is known once the complaint is routed: see below.
            steps.append(
                (
                    liaison,
                    "confirm" if verified else "refute",
                    story.findings_true if verified else story.findings_false,
                )
            )
        elif step == "replied":
            steps.append((officer, "reply", story.reply_true if verified else story.reply_false))
        elif step == "closed":
            steps.append((officer, "close", ""))
    for actor, action, comment in steps:
        if action in ("confirm", "refute") and not _routed_to_edu(complaint):
            actor = officer  # no department answers for it: the bureau verifies itself
        fire(process=process, key=complaint.pk, action=action, actor=actor, comment=comment)


def _routed_to_edu(complaint: Complaint) -> bool:
    department = (
        Complaint.objects.filter(pk=complaint.pk).values_list("department__code", flat=True).first()
    )
    return department == EDU


# Days after receipt at which each step happened (never later than today).
STEP_DAYS = {
    "received_on": 0,
    "triaged_on": 1,
    "routed_on": 2,
    "concluded_on": 10,
    "replied_on": 12,
    "closed_on": 13,
}


def _date(complaint: Complaint, received_on: date) -> None:
    """The steps dated back from today, in order; a running verification clock restarted on
    the day the complaint was routed."""
    row = Complaint.objects.get(pk=complaint.pk)
    today = timezone.localdate()
    values = {
        name: min(today, received_on + timedelta(days=offset))
        for name, offset in STEP_DAYS.items()
        if getattr(row, name) is not None
    }
    Complaint.objects.filter(pk=row.pk).update(**values)
    routed_on = values.get("routed_on")
    if routed_on is None:
        return
    for deadline in Deadline.objects.filter(process="complaint", object_id=str(row.pk)):
        deadline.started_on = routed_on
        deadline.due_on = calendar.due_date(routed_on, deadline.days, deadline.unit)
        deadline.save(update_fields=["started_on", "due_on"])
