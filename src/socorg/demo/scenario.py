"""The seed city's figures, and the plan that reproduces them.

日照市 (seed ``000_5cd05a2b77734340``): 2,233 registered organizations today, 1,128 of them
registered with the city; since 2020, 315 deregistered and 89 revoked (city: 203 and 55);
4,038 filed community organizations; 365 preschools; 169 organizations in the civil-affairs
field under 市民政局; 122 public-welfare organizations; 56 municipal departments responsible
for the party building of 1,221 city organizations under the February 2022 joint document.

Why 1,221 and not 1,128: the document mapped the city organizations that existed on
2022-02-15. Of the 1,128 registered today, 95 were registered after that day (no manager yet;
the coverage report shows them), so 1,033 were mapped; the other 188 mapped organizations were
deregistered or revoked later (their responsibility ends on the removal date). The remaining 70
of the city's 258 removals happened between 2020-01-01 and 2022-02-14, before the document.

``plan_slots`` is pure: a fixed seed gives the same organizations, names and dates every run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from socorg.demo import catalogue as cat
from socorg.demo.reference import CITY_CODE, COUNTIES, STREETS, ZONES

SEED = 20220215
AS_OF = date(2026, 11, 1)
REFORM_DAY = date(2022, 2, 15)
DOCUMENT_ISSUED = date(2022, 2, 10)
REMOVALS_FROM = date(2020, 1, 1)
REMOVALS_TO = date(2026, 10, 31)

# Registered today, by kind: (city, county).
REGISTERED: dict[str, tuple[int, int]] = {
    "sg_dual": (250, 540), "sg_civil": (20, 0), "sg_business": (90, 200), "sg_chamber": (25, 0),
    "sg_tech": (20, 8), "sg_welfare": (15, 25), "sg_community": (0, 25),
    "kindergarten": (150, 215), "training_edu": (80, 22), "training_job": (30, 8),
    "civil_agency": (149, 20), "welfare_agency": (40, 18), "hospital": (45, 0),
    "culture_agency": (40, 0), "sports_agency": (35, 0), "science_agency": (30, 0),
    "legal_agency": (15, 0), "other_agency": (44, 7),
    "foundation_theme": (32, 11), "foundation_welfare": (18, 6),
}  # fmt: skip
# Deregistered or revoked since 2020, by kind: (city, county).
REMOVED: dict[str, tuple[int, int]] = {
    "sg_dual": (40, 60), "sg_business": (50, 30), "sg_chamber": (5, 0), "sg_tech": (5, 0),
    "training_edu": (50, 12), "training_job": (15, 8), "kindergarten": (45, 30),
    "civil_agency": (15, 6), "hospital": (8, 0), "culture_agency": (10, 0),
    "sports_agency": (10, 0), "science_agency": (5, 0),
}  # fmt: skip
DEREGISTERED = {"city": 203, "county": 112}
REVOKED = {"city": 55, "county": 34}
# City removals before the 2022 document, by status.
CITY_REMOVED_BEFORE_REFORM = {"deregistered": 58, "revoked": 12}
CITY_NEW_SINCE_REFORM = 95
PRE_REVIEWED_CIVIL = 69
COUNTY_WEIGHTS = {"371102": 350, "371103": 240, "371121": 215, "371122": 300}
COMMUNITY_BY_AREA = {
    "371102": 1250, "371103": 760, "371121": 640, "371122": 1100,
    "371171": 120, "371172": 100, "371173": 68,
}  # fmt: skip
ZONE_SHARE = 0.3  # of city-registered social service agencies, located in a functional zone

# The figures the loaded scenario must show (tests and the summary check them).
EXPECTED = {
    "registered": 2233,
    "registered_city": 1128,
    "deregistered": 315,
    "revoked": 89,
    "deregistered_city": 203,
    "revoked_city": 55,
    "filed_community": 4038,
    "government_departments": 56,
    "industry_party_committees": 12,
    "mapped_city_organizations": 1221,
    "preschools": 365,
    "civil_affairs_field": 169,
    "public_welfare": 122,
    "pre_reviewed_by_divisions": PRE_REVIEWED_CIVIL,
    "joint_document_issuers": 6,  # 6部门联合发文 (the responsibility document)
    "party_instructors": 19,  # 选派19名业务科室党员兼任……党建工作指导员
    "instructed_organizations": 69,  # ……兼任69家所属社会组织党建工作指导员
}
# Organizations the demo cast and the tests rely on.
DEMO_ORGANIZATION = ("sg_business", "物流", "协会")  # 日照市物流协会, the org_demo account
EDUCATION_SOCIETY = ("sg_dual", "教育", "学会")  # 日照市教育学会, under 市教育局


@dataclass
class Slot:
    """One organization to create: who registers it, its name parts and its fate."""

    kind: cat.Kind
    level: str  # city / county
    authority: str  # area code of the registering authority (ID-1)
    jurisdiction: str  # area code where it sits
    region: str
    core: str
    form: str
    category: str
    supervisor: str | None
    regulator: str | None
    removed: bool
    anchor: bool = False  # must stay registered and mapped (department coverage)
    status: str = "registered"
    established: date = AS_OF
    removed_on: date | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.region}{self.core}{self.form}"

    @property
    def mapped(self) -> bool:
        """Existed on the reform day and registered with the city (the 2022 document)."""
        return (
            self.level == "city"
            and self.established < REFORM_DAY
            and (self.removed_on is None or self.removed_on >= REFORM_DAY)
        )


def random_day(rng: Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Namer:
    """Draws unique names per registering authority (RG-15): a social group's core name and an
    agency's or foundation's 字号 are never used twice within one authority."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.used: dict[str, set[str]] = defaultdict(set)
        self.names: dict[str, set[str]] = defaultdict(set)
        self.brands = cat.brands()
        self.pools: dict[tuple[str, str], list[tuple[str | None, str, str, str]]] = {}

    def social_group(
        self, kind: str, authority: str, city: bool
    ) -> tuple[str | None, str, str, str]:
        pool = self._pool(kind, authority, city)
        while pool:
            dept, core, form, category = pool.pop()
            if "sg:" + core not in self.used[authority]:
                self.used[authority].add("sg:" + core)
                return dept, core, form, category
        raise RuntimeError(f"name pool {kind} exhausted for {authority}")

    def brand(self, authority: str) -> str:
        """An unused 字号; the curated ones come up more often than the generated ones."""
        used = self.used[authority]
        curated = len(cat.CURATED_BRANDS)
        while True:
            pick = self.rng.randrange(curated if self.rng.random() < 0.3 else len(self.brands))
            if "brand:" + self.brands[pick] not in used:
                used.add("brand:" + self.brands[pick])
                return self.brands[pick]

    def _pool(
        self, kind: str, authority: str, city: bool
    ) -> list[tuple[str | None, str, str, str]]:
        key = (kind, authority)
        if key not in self.pools:
            items = _social_group_items(kind, city)
            self.rng.shuffle(items)
            if kind == "sg_dual" and city:
                items = _anchors_last(items)
            forced = {
                DEMO_ORGANIZATION[0]: DEMO_ORGANIZATION,
                EDUCATION_SOCIETY[0]: EDUCATION_SOCIETY,
            }
            if city and kind in forced:
                _, core, form = forced[kind]
                items.sort(key=lambda it: (it[1], it[2]) == (core, form))
            self.pools[key] = items  # popped from the end
        return self.pools[key]


def _social_group_items(kind: str, city: bool) -> list[tuple[str | None, str, str, str]]:
    if kind == "sg_dual":
        items = cat.name_table(cat.DUAL_SOCIAL_GROUPS)
        return [it for it in items if it[0] != "MZJ"] if city else list(items)
    if kind == "sg_civil":
        return [it for it in cat.name_table(cat.DUAL_SOCIAL_GROUPS) if it[0] == "MZJ"]
    if kind == "sg_business":
        return list(cat.name_table(cat.BUSINESS_ASSOCIATIONS))
    if kind == "sg_tech":
        return list(cat.name_table(cat.TECH_ASSOCIATIONS))
    if kind == "sg_chamber":
        return [("GSL", place, "商会", "business_services") for place in cat.CHAMBER_PLACES]
    words = cat.WELFARE_ASSOCIATIONS if kind == "sg_welfare" else cat.COMMUNITY_SERVICE_ASSOCIATIONS
    dept = "MZJ" if kind == "sg_welfare" else None
    category = "social_services" if kind == "sg_welfare" else "other"  # 城乡社区服务类
    return [(dept, *cat.split_form(w), category) for w in words]


def _anchors_last(
    items: list[tuple[str | None, str, str, str]],
) -> list[tuple[str | None, str, str, str]]:
    """Move one name per department to the end of the pool, so they are drawn first: every one
    of the 56 departments then has at least one organization."""
    seen: set[str | None] = set()
    anchors: list[tuple[str | None, str, str, str]] = []
    rest: list[tuple[str | None, str, str, str]] = []
    for it in items:
        (rest if it[0] in seen else anchors).append(it)
        seen.add(it[0])
    return rest + anchors[::-1]


def plan_slots(rng: Random) -> list[Slot]:
    """Every registered, deregistered and revoked organization of the scenario (not the
    community organizations), with names, supervision, status and dates."""
    namer = Namer(rng)
    slots: list[Slot] = []
    for removed, table in ((False, REGISTERED), (True, REMOVED)):
        for kind_key, (city_n, county_n) in table.items():
            kind = cat.KINDS[kind_key]
            slots += [_slot(rng, namer, kind, CITY_CODE, removed) for _ in range(city_n)]
            for _ in range(county_n):
                county = rng.choices(list(COUNTY_WEIGHTS), weights=list(COUNTY_WEIGHTS.values()))[0]
                slots.append(_slot(rng, namer, kind, county, removed))
    _mark_anchors(slots)
    _assign_removals(rng, slots)
    _assign_establishment(rng, slots)
    return slots


def _slot(rng: Random, namer: Namer, kind: cat.Kind, authority: str, removed: bool) -> Slot:
    city = authority == CITY_CODE
    region = "日照市" if city else _COUNTY_NAMES[authority]
    jurisdiction = authority
    if kind.org_type == cat.SG:
        dept, core, form, category = namer.social_group(kind.key, authority, city)
    else:
        dept, core, form, category = _agency_name(rng, namer, kind, authority)
        if city and kind.org_type == cat.SSA and rng.random() < ZONE_SHARE:
            zone = rng.choice(ZONES)
            jurisdiction, region = zone.code, zone.name
    supervisor, regulator = _departments(kind, dept) if city else (None, None)
    slot = Slot(
        kind,
        "city" if city else "county",
        authority,
        jurisdiction,
        region,
        core,
        form,
        category,
        supervisor,
        regulator,
        removed,
    )
    namer.names[authority].add(slot.name)
    return slot


def _agency_name(
    rng: Random, namer: Namer, kind: cat.Kind, authority: str
) -> tuple[str | None, str, str, str]:
    if kind.key == "foundation_theme":
        themes = [t for t in cat.THEMED_FOUNDATIONS if "sg:f" + t not in namer.used[authority]]
        theme = rng.choice(themes)
        namer.used[authority].add("sg:f" + theme)
        supervisor, category = cat.THEMED_FOUNDATIONS[theme]
        return supervisor, theme, "基金会", category
    index = rng.randrange(len(kind.templates))
    template = kind.templates[index]
    dept = cat.agency_department(kind, index)
    return dept, namer.brand(authority) + template.industry, template.form, kind.category


def _departments(kind: cat.Kind, dept: str | None) -> tuple[str | None, str | None]:
    """(supervisory unit, industry regulator) of a city organization."""
    if kind.mode == cat.DUAL:
        return dept, (kind.regulators[0] if kind.regulators else None)
    return None, dept


_COUNTY_NAMES = {c.code: c.name for c in COUNTIES}


def _mark_anchors(slots: list[Slot]) -> None:
    """The first registered city organization of each department stays mapped (and so do the
    two organizations the demo cast uses)."""
    seen: set[str] = set()
    named = {DEMO_ORGANIZATION[1:], EDUCATION_SOCIETY[1:]}
    for s in slots:
        if s.level != "city" or s.removed:
            continue
        dept = s.supervisor or s.regulator
        if (dept and dept not in seen) or (s.kind.org_type == cat.SG and (s.core, s.form) in named):
            s.anchor = True
        if dept:
            seen.add(dept)


def _assign_removals(rng: Random, slots: list[Slot]) -> None:
    for level in ("city", "county"):
        removed = [s for s in slots if s.removed and s.level == level]
        rng.shuffle(removed)
        removed.sort(key=lambda s: s.kind.org_type != cat.SG)  # revocations hit dormant groups
        revoked, deregistered = removed[: REVOKED[level]], removed[REVOKED[level] :]
        assert len(deregistered) == DEREGISTERED[level], (level, len(deregistered))
        for status, group in (("revoked", revoked), ("deregistered", deregistered)):
            early = CITY_REMOVED_BEFORE_REFORM[status] if level == "city" else 0
            for i, s in enumerate(group):
                s.status = status
                if level == "city" and i < early:
                    s.removed_on = random_day(rng, REMOVALS_FROM, REFORM_DAY - timedelta(days=1))
                elif level == "city":
                    s.removed_on = random_day(rng, REFORM_DAY, REMOVALS_TO)
                else:
                    s.removed_on = random_day(rng, REMOVALS_FROM, REMOVALS_TO)


def _assign_establishment(rng: Random, slots: list[Slot]) -> None:
    candidates = [s for s in slots if s.level == "city" and not s.removed and not s.anchor]
    new = set(map(id, rng.sample(candidates, CITY_NEW_SINCE_REFORM)))
    for s in slots:
        if s.removed_on:
            latest = min(s.removed_on - timedelta(days=730), REFORM_DAY - timedelta(days=1))
            s.established = random_day(rng, date(1995, 1, 1), latest)
        elif id(s) in new or (s.level == "county" and rng.random() < 0.12):
            s.established = random_day(
                rng, REFORM_DAY + timedelta(days=1), AS_OF - timedelta(days=10)
            )
        else:
            s.established = _historic_day(rng, s.kind.key)


def _historic_day(rng: Random, kind: str) -> date:
    """A day before the reform: some organizations go back to the 1980s and 1990s."""
    r = rng.random()
    if kind in {"kindergarten", "training_edu", "training_job"} or r >= 0.35:
        first = date(2010, 1, 1)
    elif r < 0.1:
        first = date(1985, 1, 1)
    else:
        first = date(2000, 1, 1)
    return random_day(rng, first, REFORM_DAY - timedelta(days=1))


@dataclass(frozen=True)
class CommunitySlot:
    street: str  # area code
    street_name: str
    county_name: str
    community: str
    activity: str
    category: str
    established: date

    @property
    def name(self) -> str:
        return f"{self.street_name}{self.community}{self.activity}"


def plan_community(rng: Random) -> list[CommunitySlot]:
    """The 4,038 filed community organizations, spread over the streets and townships."""
    out: list[CommunitySlot] = []
    parents = {a.code: a.name for a in (*COUNTIES, *ZONES)}
    for parent, total in COMMUNITY_BY_AREA.items():
        streets = [s for s in STREETS if s.parent == parent]
        weights = [2 if s.name.endswith("街道") else 1 for s in streets]
        for street, n in zip(streets, _split(total, weights), strict=True):
            out += _street_community(rng, street.code, street.name, parents[parent], n)
    return out


def _split(total: int, weights: list[int]) -> list[int]:
    """Largest-remainder split of ``total`` by ``weights``."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[
        : total - sum(parts)
    ]:
        parts[i] += 1
    return parts


def _street_community(
    rng: Random, code: str, name: str, county: str, n: int
) -> list[CommunitySlot]:
    urban = name.endswith("街道")
    places = list(cat.URBAN_COMMUNITIES if urban else cat.villages())
    rng.shuffle(places)
    places = [p + ("社区" if urban else "村") for p in places[:30]]
    pairs = [(p, a) for p in places for a in cat.COMMUNITY_ACTIVITIES]
    chosen = rng.sample(pairs, n)
    return [
        CommunitySlot(
            code,
            name,
            county,
            place,
            activity,
            category,
            random_day(rng, date(2012, 1, 1), AS_OF - timedelta(days=10)),
        )
        for place, (activity, category) in chosen
    ]
