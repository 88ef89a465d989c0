"""Demo registration applications, so that each face of 登记审批 shows work after
``socorg demo load``: a founder's draft, one awaiting acceptance by the approval clerk and one
in joint review with opinions pending for 市教育局, 两新工委 and the registration division.

Written through the registration services and the workflow engine, like real applications.
Idempotent: nothing is added when the founder already has applications."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from socorg.core.models import User
from socorg.core.workflow import fire
from socorg.demo import people
from socorg.registration.access import scope_applications
from socorg.registration.models import Application
from socorg.registration.processes import APPLICATION
from socorg.registration.selectors import applications as selectors
from socorg.registration.services import applications as services

FOUNDER = "founder_demo"


def _id(n: int) -> str:
    """A valid resident ID number far from those of the scenario's people."""
    return people.id_number(people.ID_CAPACITY - n)


# A minimal valid PDF standing in for each required material.
_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _data(name: str, lead: tuple[str, str], secretary: tuple[str, str]) -> dict[str, Any]:
    return {
        "name": name,
        "category": "science",
        "direct_category": "科技类",
        "industry_regulator": "EDU",
        "purpose": "普及科学知识，促进青少年科技创新",
        "business_scope": "科普活动、培训交流、咨询服务",
        "domicile": "日照市东港区海曲中路88号",
        "registered_funds": "50000",
        "individual_members": 80,
        "legal_representative": lead[0],
        "legal_representative_id": lead[1],
        "principals": [
            {"name": lead[0], "id_number": lead[1], "post": "chair"},
            {"name": secretary[0], "id_number": secretary[1], "post": "secretary_general"},
        ],
        "contact_person": secretary[0],
        "contact_phone": "0633-8801234",
    }


PLANS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("draft", _data("日照市青少年航模运动协会", ("林海燕", _id(1)), ("高建", _id(2)))),
    ("submitted", _data("日照市科普志愿服务协会", ("宋立新", _id(3)), ("唐悦", _id(4)))),
    ("joint_review", _data("日照市青少年科技创新促进会", ("林海燕", _id(1)), ("孟晨", _id(5)))),
)  # fmt: skip


def _materials(founder: User, app: Application) -> None:
    for row in selectors.material_rows(app):
        if row.material.required:
            upload = SimpleUploadedFile(f"{row.material.label}.pdf", _PDF, "application/pdf")
            services.material_upload(
                actor=founder, application=app, key=row.material.key, upload=upload
            )


def ensure_demo_applications() -> int:
    """Create the demo applications unless the founder has some. Returns how many were made."""
    founder = User.objects.filter(username=FOUNDER).first()
    clerk = User.objects.filter(username="approval_clerk").first()
    if founder is None or clerk is None or scope_applications(founder).exists():
        return 0
    for state, data in PLANS:
        app = services.application_create(
            actor=founder,
            kind="establishment",
            org_type="social_group",
            jurisdiction_code="371100",
            data=data,
        )
        if state == "draft":
            continue
        _materials(founder, app)
        fire(process=APPLICATION, key=app.pk, action="submit", actor=founder)
        if state == "joint_review":
            fire(process=APPLICATION, key=app.pk, action="accept", actor=clerk)
    return len(PLANS)
