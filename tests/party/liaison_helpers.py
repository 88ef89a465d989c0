"""Builders of the liaison and brand tests: a second government department (市卫生健康委员会)
beside the city's 市教育局, each with an organization and a liaison account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socorg.core.models import Department, DepartmentKind, Role, User
from socorg.party.models import LiaisonOfficer, LiaisonTraining, TrainingAttendance
from socorg.registry.models import Organization
from tests import factories as f


@dataclass
class Health:
    department: Department
    organization: Organization
    liaison: User


def health_department(city) -> Health:
    dept = f.department(
        "WJW",
        "日照市卫生健康委员会",
        DepartmentKind.GOVERNMENT,
        city.city,
        is_supervisory_unit=True,
    )
    org = f.organization(where=city.city, name="日照市医学会", supervisory_unit=dept)
    user = f.user("health_liaison", Role.DEPARTMENT_LIAISON, department=dept)
    return Health(dept, org, user)


def serving(
    department: Department,
    name: str,
    *,
    starts_on: date = date(2024, 1, 1),
    ends_on: date | None = None,
    user: User | None = None,
) -> LiaisonOfficer:
    return LiaisonOfficer.objects.create(
        department=department,
        name=name,
        phone="13806331234",
        starts_on=starts_on,
        ends_on=ends_on,
        user=user,
    )


def session(city, held_on: date, topic: str = "社会组织登记管理政策解读") -> LiaisonTraining:
    return LiaisonTraining.objects.create(jurisdiction=city.city, held_on=held_on, topic=topic)


def attended(training: LiaisonTraining, liaison: LiaisonOfficer) -> TrainingAttendance:
    return TrainingAttendance.objects.create(
        training=training, liaison=liaison, department=liaison.department
    )
