"""The demo's party building: the 两新工委 and the 12 industry party committees as bodies, each
city organization's affiliation with its history (the 2022 adjustment of the 12 committees,
issued as the joint document of 6 departments, moved the organizations from the 两新工委 to
their sector's committee), the party figures the annual reports answered, and branches —
independent and joint (联合党支部) — for the organizations that reported one.

A few organizations that reported at least three full-time party members are left without a
branch record: they are the 应建未建 cases (PB-1). Every figure the pages show is computed from
these rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from random import Random

from socorg.core.models import Department
from socorg.demo.people import person_name
from socorg.demo.reference import INDUSTRY_PARTY_COMMITTEES, RESPONSIBILITY_DOCUMENT_NUMBER
from socorg.demo.scenario import AS_OF, REFORM_DAY
from socorg.party.models import (
    AffiliationReason,
    BodyKind,
    BranchKind,
    FiguresSource,
    PartyAffiliation,
    PartyBody,
    PartyBranch,
    PartyBranchMember,
    PartyFigures,
)
from socorg.registry.models import Level, Organization, OrgType, SourceDocument
from socorg.supervision.models import AnnualReport

SEED = 20220215
NEW_SECTORS = "LXGW"
FIRST_AFFILIATION = date(2018, 1, 1)  # the 两新工委's first roster of organizations
UNBUILT_CASES = 14  # organizations with ≥ 3 full-time party members left without a branch
JOINT_SIZE = (3, 6)
BATCH = 1000


def ensure_demo_party_bodies() -> int:
    """Bodies, affiliations, figures and branches unless they exist; returns rows added."""
    if PartyBody.objects.exists():
        return 0
    depts = {d.code: d for d in Department.objects.all()}
    if NEW_SECTORS not in depts:
        return 0
    bodies = _bodies(depts)
    rng = Random(SEED)
    added = len(bodies)
    added += _affiliations(bodies, depts)
    figures = _figures()
    added += len(figures)
    added += _branches(rng, figures, bodies)
    return added


def _bodies(depts: dict[str, Department]) -> dict[str, PartyBody]:
    top = PartyBody.objects.create(
        department=depts[NEW_SECTORS], kind=BodyKind.NEW_SECTORS_PARTY_COMMITTEE
    )
    bodies = {NEW_SECTORS: top}
    for code, _name, sector in INDUSTRY_PARTY_COMMITTEES:
        bodies[code] = PartyBody.objects.create(
            department=depts[code],
            kind=BodyKind.INDUSTRY_PARTY_COMMITTEE,
            parent=top,
            sector_department=depts.get(sector),
        )
    return bodies


def _affiliations(bodies: dict[str, PartyBody], depts: dict[str, Department]) -> int:
    """City organizations: under the 两新工委 from 2018 (or their founding); the 2022 document
    moved those of the 12 sectors to their committee; those founded since went straight there."""
    doc = SourceDocument.objects.filter(number=RESPONSIBILITY_DOCUMENT_NUMBER).first()
    committee_of_sector = {
        depts[sector].pk: bodies[code]
        for code, _n, sector in INDUSTRY_PARTY_COMMITTEES
        if sector in depts
    }
    top = bodies[NEW_SECTORS]
    rows: list[PartyAffiliation] = []
    orgs = (
        Organization.objects.filter(level=Level.CITY)
        .exclude(org_type=OrgType.COMMUNITY_ORGANIZATION)
        .only("pk", "established_on", "removed_on", "supervisory_unit_id", "industry_regulator_id")
    )
    for org in orgs.iterator(chunk_size=BATCH):
        sector = org.supervisory_unit_id or org.industry_regulator_id
        committee = committee_of_sector.get(sector or 0)
        start = max(org.established_on, FIRST_AFFILIATION)
        if org.removed_on and org.removed_on <= start:
            continue
        if start >= REFORM_DAY:
            rows.append(
                _row(org.pk, committee or top, None, start, AffiliationReason.INITIAL, None)
            )
            continue
        rows.append(_row(org.pk, top, None, start, AffiliationReason.INITIAL, None))
        if (
            committee is not None
            and doc is not None
            and not (org.removed_on and org.removed_on <= REFORM_DAY)
        ):
            rows.append(_row(org.pk, committee, top, REFORM_DAY, AffiliationReason.ADJUSTMENT, doc))
    PartyAffiliation.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _row(
    org_id: int,
    body: PartyBody,
    previous: PartyBody | None,
    on: date,
    reason: str,
    doc: SourceDocument | None,
) -> PartyAffiliation:
    return PartyAffiliation(
        organization_id=org_id,
        body=body,
        previous_body=previous,
        changed_on=on,
        reason=reason,
        source_document=doc,
    )


def _figures() -> dict[int, PartyFigures]:
    """Every filed report's party-building answers; returns each organization's latest."""
    rows: list[PartyFigures] = []
    latest: dict[int, PartyFigures] = {}
    reports = (
        AnnualReport.objects.exclude(submitted_on=None)
        .order_by("organization_id", "year")
        .values_list("pk", "organization_id", "year", "data", "submitted_on")
    )
    for pk, org_id, year, data, submitted_on in reports.iterator(chunk_size=BATCH):
        if "party_branch" not in data or submitted_on is None:
            continue
        figures = PartyFigures(
            organization_id=org_id,
            year=year,
            party_members=int(data.get("party_members") or 0),
            full_time_party_members=int(data.get("full_time_party_members") or 0),
            branch_answer=data.get("party_branch") or "",
            has_instructor=bool(data.get("has_instructor")),
            source=FiguresSource.ANNUAL_REPORT,
            annual_report_id=pk,
            reported_on=submitted_on,
        )
        rows.append(figures)
        latest[org_id] = figures
    PartyFigures.objects.bulk_create(rows, batch_size=BATCH)
    return latest


def _branches(rng: Random, latest: dict[int, PartyFigures], bodies: dict[str, PartyBody]) -> int:
    """An independent branch for each organization that reported one, joint branches of 3–6
    for those that reported joint, grouped by committee; UNBUILT_CASES of those with ≥ 3
    full-time party members stay without a branch."""
    orgs = {
        o.pk: o
        for o in Organization.objects.filter(pk__in=list(latest)).only(
            "pk", "name", "established_on", "removed_on"
        )
    }
    current = dict(
        PartyAffiliation.objects.order_by("organization_id", "changed_on", "id").values_list(
            "organization_id", "body_id"
        )
    )
    by_pk = {b.pk: b for b in bodies.values()}
    eligible = sorted(
        pk
        for pk, f in latest.items()
        if f.branch_answer != "none" and f.full_time_party_members >= 3
    )
    unbuilt = set(rng.sample(eligible, min(UNBUILT_CASES, len(eligible))))
    independent = sorted(
        pk for pk, f in latest.items() if f.branch_answer == "independent" and pk not in unbuilt
    )
    joint = sorted(
        pk for pk, f in latest.items() if f.branch_answer == "joint" and pk not in unbuilt
    )
    count = 0
    for pk in independent:
        org, f = orgs[pk], latest[pk]
        body = by_pk.get(current.get(pk, 0))
        branch = _branch(
            rng,
            f"中共{org.name}支部委员会",
            BranchKind.INDEPENDENT,
            [org],
            body,
            f.party_members,
            f.full_time_party_members,
        )
        count += 1 + _members(branch, [org])
    groups: dict[int, list[int]] = defaultdict(list)
    for pk in joint:
        groups[current.get(pk, 0)].append(pk)
    serial = 0
    for body_id, members in sorted(groups.items()):
        rng.shuffle(members)
        while members:
            size = rng.randint(*JOINT_SIZE)
            chunk, members = members[:size], members[size:]
            if len(chunk) < 2:
                continue
            serial += 1
            group = [orgs[pk] for pk in chunk]
            body = by_pk.get(body_id)
            label = body.department.short_name if body else "日照市社会组织"
            total = sum(latest[pk].party_members for pk in chunk)
            full = sum(latest[pk].full_time_party_members for pk in chunk)
            name = f"中共{label}社会组织第{serial}联合支部委员会"
            branch = _branch(rng, name, BranchKind.JOINT, group, body, total, full)
            count += 1 + _members(branch, group)
    return count


def _branch(
    rng: Random,
    name: str,
    kind: str,
    orgs: list[Organization],
    body: PartyBody | None,
    total: int,
    full_time: int,
) -> PartyBranch:
    """Founded between the latest founding of its organizations and 2025, more of them lately,
    so coverage grows year by year; elected on founding, 换届 every 3 years."""
    earliest = max(max(o.established_on for o in orgs) + timedelta(days=90), date(2016, 1, 1))
    latest = date(2025, 10, 31)
    if earliest >= latest:
        founded = latest
    else:
        span = (latest - earliest).days
        founded = earliest + timedelta(days=int(span * rng.random() ** 0.6))
    elected = founded
    while elected + timedelta(days=3 * 365) <= AS_OF:
        elected += timedelta(days=3 * 365)
    removed = [o.removed_on for o in orgs if o.removed_on]
    dissolved = max(removed) if kind == BranchKind.INDEPENDENT and removed else None
    return PartyBranch.objects.create(
        name=name[:120],
        kind=kind,
        body=body,
        secretary=person_name(rng, rng.choice("MF")),
        founded_on=founded,
        members_total=total,
        members_full_time=min(full_time, total),
        elected_on=elected,
        next_election_on=elected + timedelta(days=3 * 365),
        dissolved_on=dissolved if dissolved and dissolved > founded else None,
    )


def _members(branch: PartyBranch, orgs: list[Organization]) -> int:
    rows = [
        PartyBranchMember(
            branch=branch, organization=o, joined_on=branch.founded_on, left_on=o.removed_on
        )
        for o in orgs
    ]
    PartyBranchMember.objects.bulk_create(rows)
    return len(rows)
