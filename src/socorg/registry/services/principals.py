"""Principals (负责人) as data: filing the holders of posts in the current term."""

from __future__ import annotations

from django.utils import timezone

from socorg.core.audit import audit_record
from socorg.core.models import User
from socorg.core.representations import touch
from socorg.registry.models import (
    EventKind,
    EventReason,
    Organization,
    OrganizationEvent,
    Principal,
    Term,
)
from socorg.registry.services.organizations import person_find_or_create


def principals_file(
    *,
    actor: User,
    organization: Organization,
    principals: list[dict[str, str]],
    application_id: int,
) -> list[Principal]:
    """Record approved principals (负责人备案) in the current term: each filed post's holder is
    replaced from today, with a public ``principals_filed`` event; a new legal representative
    also changes the record (RG-4 was checked when the application was submitted)."""
    today = timezone.localdate()
    term = Term.objects.filter(organization=organization).order_by("-number").first()
    posts = {row["post"] for row in principals}
    Principal.objects.filter(
        organization=organization, post__in=posts, ends_on__isnull=True
    ).update(ends_on=today)
    touch(Organization, [organization.pk])
    created = []
    for row in principals:
        person = person_find_or_create(name=row["name"], id_number=row["id_number"])
        created.append(
            Principal.objects.create(
                organization=organization,
                term=term,
                person=person,
                post=row["post"],
                starts_on=today,
            )
        )
    OrganizationEvent.objects.create(
        organization=organization,
        kind=EventKind.PRINCIPALS_FILED,
        reason=EventReason.APPLICATION,
        occurred_on=today,
        details={
            "application": application_id,
            "principals": [{"name": r["name"], "post": r["post"]} for r in principals],
        },
    )
    audit_record(
        actor=actor,
        action="organization.principals_file",
        obj=organization,
        after={"principals": [{"name": r["name"], "post": r["post"]} for r in principals]},
    )
    return created
