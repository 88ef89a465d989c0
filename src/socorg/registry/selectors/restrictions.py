"""Reads of the restricted-persons list (PN-3) for principal vetting and the case page."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from socorg.registry.models import Organization, Person, RestrictedPerson


def restrictions_in_force(person: Person | None, on: date) -> list[RestrictedPerson]:
    """The restrictions of ``person`` in force on ``on`` (an election date)."""
    if person is None or person.pk is None:
        return []
    rows = RestrictedPerson.objects.filter(person=person, starts_on__lte=on, ends_on__gte=on)
    return list(rows.select_related("organization").order_by("starts_on", "id"))


def restriction_text(row: RestrictedPerson) -> str:
    """“日照市某协会（撤销登记决定书 日民罚〔2026〕1号，2026年12月3日起至2031年12月3日）”."""
    return _("%(org)s被撤销登记（%(number)s，限制至%(ends)s）") % {
        "org": row.organization.name,
        "number": row.decision_number or _("无文号"),
        "ends": f"{row.ends_on.year}年{row.ends_on.month}月{row.ends_on.day}日",
    }


def restricted_persons_of(organization: Organization) -> list[RestrictedPerson]:
    rows = RestrictedPerson.objects.filter(organization=organization)
    return list(rows.select_related("person").order_by("-was_legal_representative", "id"))
