"""Reads of the party-building brand 日出初光 暖益港城: staff pages through ``party.access``,
and the showcase — what the brand shows the public — as one selector the portal can read
(``brand_showcase``): only current members in good standing and activities that took place,
never who entered them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from socorg.core.models import User
from socorg.party import access
from socorg.party.models import ActivityState, BrandActivity, BrandMember, BrandProgram
from socorg.registry import access as registry_access
from socorg.registry.models import Organization, OrgStatus


def program_rows(user: User) -> QuerySet[BrandProgram]:
    today = timezone.localdate()
    return (
        access.scope_brand_programs(user)
        .annotate(
            member_count=Count(
                "members",
                filter=Q(members__left_on__isnull=True) | Q(members__left_on__gte=today),
                distinct=True,
            ),
            activity_count=Count("activities", distinct=True),
        )
        .order_by("-launched_on", "pk")
    )


@dataclass(frozen=True)
class ProgramDetail:
    program: BrandProgram
    members: list[BrandMember]
    activities: list[Any]  # annotated with ``organization_count``
    # Member organizations not visible to the caller are counted, not named.
    hidden_members: int


def _current_members(program: BrandProgram, on: date) -> QuerySet[BrandMember]:
    return program.members.filter(joined_on__lte=on).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=on)
    )


def program_detail(user: User, pk: int | str) -> ProgramDetail:
    program = access.access_brand_program(user, pk)
    visible = registry_access.scope_organizations(user)
    members = _current_members(program, timezone.localdate()).select_related(
        "organization", "organization__jurisdiction"
    )
    shown = list(members.filter(organization__in=visible).order_by("joined_on", "pk"))
    activities = list(
        program.activities.annotate(organization_count=Count("organizations")).order_by(
            "-starts_on", "-pk"
        )
    )
    return ProgramDetail(program, shown, activities, members.count() - len(shown))


def member_choices(program: BrandProgram, on: date) -> list[tuple[int, str]]:
    """The organizations an activity starting ``on`` may have as participants."""
    rows = (
        _current_members(program, on)
        .select_related("organization")
        .order_by("organization__name")
        .values_list("organization_id", "organization__name")
    )
    return list(rows)


@dataclass(frozen=True)
class ActivityDetail:
    activity: BrandActivity
    organizations: list[Organization]


def activity_detail(user: User, pk: int | str) -> ActivityDetail:
    activity = access.access_brand_activity(user, pk)
    orgs = list(activity.organizations.select_related("jurisdiction").order_by("name"))
    return ActivityDetail(activity, orgs)


# --- the showcase (published data) ------------------------------------------------------------


@dataclass(frozen=True)
class ShowcaseMember:
    name: str
    uscc: str
    org_type: str
    joined_on: date
    role: str


@dataclass(frozen=True)
class ShowcaseActivity:
    title: str
    starts_on: date
    ends_on: date
    venue: str
    description: str
    participants: int
    organizations: list[str]


@dataclass(frozen=True)
class Showcase:
    code: str
    name: str
    slogan: str
    description: str
    launched_on: date
    members: list[ShowcaseMember]
    activities: list[ShowcaseActivity]
    participants: int  # people reached by the activities held, in total

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def activity_count(self) -> int:
        return len(self.activities)


def brand_showcase(code: str, *, on: date | None = None) -> Showcase | None:
    """The brand as the public sees it: the program, its current members that are registered
    organizations, and its activities that took place (newest first), with the people they
    reached. Nothing a member of the public may not read: no staff, no plans, no cancellations.
    Unscoped on purpose (published data); staff pages reach it through ``showcase_for``."""
    program = BrandProgram.objects.filter(code=code).first()
    if program is None:
        return None
    return _showcase(program, on or timezone.localdate())


def showcase_for(user: User, pk: int | str) -> Showcase:
    """The showcase of a program the staff member may see (what the portal will publish)."""
    return _showcase(access.access_brand_program(user, pk), timezone.localdate())


def _showcase(program: BrandProgram, on: date) -> Showcase:
    members = (
        _current_members(program, on)
        .filter(organization__status=OrgStatus.REGISTERED)
        .select_related("organization")
        .order_by("joined_on", "organization__name")
    )
    held = program.activities.filter(state=ActivityState.HELD).order_by("-starts_on", "-pk")
    held = held.prefetch_related(
        Prefetch("organizations", queryset=Organization.objects.order_by("name").only("name"))
    )
    activities = [
        ShowcaseActivity(
            title=a.title,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            venue=a.venue,
            description=a.description,
            participants=a.participants or 0,
            organizations=[o.name for o in a.organizations.all()],
        )
        for a in held
    ]
    total = held.aggregate(n=Sum("participants"))["n"] or 0
    return Showcase(
        code=program.code,
        name=program.name,
        slogan=program.slogan,
        description=program.description,
        launched_on=program.launched_on,
        members=[_member(m) for m in members],
        activities=activities,
        participants=total,
    )


def _member(member: BrandMember) -> ShowcaseMember:
    org: Any = member.organization
    return ShowcaseMember(
        name=org.name,
        uscc=org.uscc,
        org_type=str(org.get_org_type_display()),
        joined_on=member.joined_on,
        role=member.role,
    )
