"""The restricted-persons list (PN-3): when an organization's registration is revoked, its
legal representative and responsible principals may not hold principal posts for the period
the rule parameter sets. Written inside the revoking transaction (supervision's penalty
decision); principal vetting reads it (``registry.selectors.restrictions``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from socorg.core.audit import audit_record
from socorg.core.models import User
from socorg.core.params import param
from socorg.registry.models import Organization, Principal, RestrictedPerson


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def restricted_persons_add(
    *,
    actor: User,
    organization: Organization,
    reason: str,
    decision_number: str,
    on: date,
) -> list[RestrictedPerson]:
    """Adds the principals in office on ``on`` (the legal representative among them) to the
    list for PN-3's period from ``on``. Runs inside the caller's transaction; audited."""
    years = int(param("PN-3.restriction_years", on=on, jurisdiction=organization.jurisdiction))
    ends_on = _years_later(on, years)
    principals = (
        Principal.objects.filter(organization=organization, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("person")
        .order_by("-is_legal_representative", "id")
    )
    added: list[RestrictedPerson] = []
    seen: set[int] = set()
    for principal in principals:
        if principal.person_id in seen:
            continue
        seen.add(principal.person_id)
        row, created = RestrictedPerson.objects.get_or_create(
            person_id=principal.person_id,
            organization=organization,
            decision_number=decision_number,
            defaults={
                "post": principal.post,
                "was_legal_representative": principal.is_legal_representative,
                "reason": reason,
                "starts_on": on,
                "ends_on": ends_on,
            },
        )
        if created:
            added.append(row)
    audit_record(
        actor=actor,
        action="restricted_person.add",
        obj=organization,
        after={
            "decision_number": decision_number,
            "persons": [row.person_id for row in added],
            "ends_on": ends_on.isoformat(),
        },
    )
    return added
