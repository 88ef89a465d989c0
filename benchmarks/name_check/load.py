"""Load a synthetic national register for the name-check benchmark (PostgreSQL, COPY).

Jurisdictions: 山东省 › 日照市 and its four counties (real codes), plus 30 synthetic provinces ×
10 cities × 10 counties. Organizations: the ``existing_name`` of every labelled pair, then
synthetic names "region + 字号 + trade + form" up to ``--orgs`` in total: 20,000 under the
日照市 authority, 5,000 under each 日照 county, the rest spread over the other 3,300
authorities. Synthetic names that the rule finds confusable (any kind, reordered words and
abbreviations included) with a labelled name of the same authority are skipped, so a pair
labelled ``clean`` is clean against the whole register. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from benchmarks.name_check import pairs as labelled
from socorg.core.models import Jurisdiction, JurisdictionLevel
from socorg.registry.rules import names as nr
from socorg.registry.rules.organizations import make_uscc

PROVINCE_CODES = (
    11,
    12,
    13,
    14,
    15,
    21,
    22,
    23,
    31,
    32,
    33,
    34,
    35,
    36,
    41,
    42,
    43,
    44,
    45,
    46,
    50,
    51,
    52,
    53,
    54,
    61,
    62,
    63,
    64,
    65,
)
RIZHAO = (
    ("370000", "山东省", JurisdictionLevel.PROVINCE, None),
    ("371100", "日照市", JurisdictionLevel.CITY, "370000"),
    ("371102", "东港区", JurisdictionLevel.COUNTY, "371100"),
    ("371103", "岚山区", JurisdictionLevel.COUNTY, "371100"),
    ("371121", "五莲县", JurisdictionLevel.COUNTY, "371100"),
    ("371122", "莒县", JurisdictionLevel.COUNTY, "371100"),
)
PLACE_CHARS = (
    "安平阳泉山河湖林江宁康福兴华东西南北清丰盛昌隆永顺和祥瑞德仁义礼信武文明光远长新"
    "桂梧柳桐松柏杨槐枫榆云雷霞峰岭岗峪川溪源池潭洲沙城关堡营屯寨庄集桥渡口泰嘉荣昆仑"
)
BRAND_CHARS = (
    "鸿泰嘉禾瑞丰恒达宏盛鼎鑫汇通锦程金诺银河宝源万众千禧百川天成地利润泽浩然俊杰凯旋骏驰"
    "蔚然皓月璟宸沐晨弘毅卓越至诚信义睿智优品佳园聚力协同合众永兴益民惠农富邦广厦龙腾凤鸣"
)
GROUP_FORMS = ("协会", "协会", "学会", "商会", "研究会", "联合会", "促进会")
AGENCY_FORMS = ("服务中心", "中心", "学校", "培训学校", "幼儿园", "养老院", "研究院", "服务社")
TYPE_CODES = {"social_group": "1", "social_service_agency": "2", "foundation": "3"}
ORG_COLUMNS = (
    "uscc", "name", "region_name", "core_name", "org_form", "org_type", "level", "management_mode",
    "category", "purpose", "business_scope", "domicile", "contact_person", "contact_phone",
    "legal_representative", "established_on", "status", "removed_on", "created_at", "updated_at",
    "jurisdiction_id",
)  # fmt: skip
COPY_ORGS = "COPY registry_organization (" + ", ".join(ORG_COLUMNS) + ") FROM STDIN"


@dataclass(frozen=True)
class Authority:
    code: str
    level: str  # city | county
    jurisdiction_id: int
    regions: tuple[str, ...]  # ways the region is written in names
    region_names: frozenset[str]  # region names known to the parser in this city


def load_jurisdictions(rng: random.Random) -> list[Authority]:
    """Create the jurisdictions; return the registration authorities (cities and counties)."""
    ids: dict[str, Jurisdiction] = {}

    def add(code: str, name: str, level: str, parent: str | None) -> None:
        up = ids.get(parent) if parent else None
        path = (up.path if up else "/") + code + "/"
        ids[code] = Jurisdiction.objects.create(
            code=code, name=name, level=level, parent=up, path=path
        )

    for row in RIZHAO:
        add(*row)
    used: set[str] = {"日照", "东港", "岚山", "五莲", "山东"}
    for p in PROVINCE_CODES:
        add(f"{p}0000", _place(rng, used) + "省", JurisdictionLevel.PROVINCE, None)
        for c in range(1, 11):
            city = f"{p}{c:02d}00"
            add(city, _place(rng, used) + "市", JurisdictionLevel.CITY, f"{p}0000")
            for k in range(1, 11):
                suffix = "区" if k <= 3 else "县"
                add(
                    f"{p}{c:02d}{k:02d}", _place(rng, used) + suffix, JurisdictionLevel.COUNTY, city
                )
    return _authorities(ids)


def _place(rng: random.Random, used: set[str]) -> str:
    while (name := "".join(rng.sample(PLACE_CHARS, 2))) in used:
        pass
    used.add(name)
    return name


def _authorities(ids: dict[str, Jurisdiction]) -> list[Authority]:
    by_city: dict[str, list[Jurisdiction]] = {}
    for j in ids.values():
        if j.level != JurisdictionLevel.PROVINCE:
            by_city.setdefault(j.code[:4], []).append(j)
    out = []
    for j in ids.values():
        if j.level == JurisdictionLevel.PROVINCE:
            continue
        province = ids[j.code[:2] + "0000"]
        city = ids[j.code[:4] + "00"]
        known = frozenset({province.name} | {x.name for x in by_city[j.code[:4]]})
        if j.level == JurisdictionLevel.CITY:
            regions: tuple[str, ...] = (city.name, city.name, province.name + city.name)
        else:
            regions = (city.name + j.name, j.name)
        out.append(
            Authority(
                j.code,
                "city" if j.level == JurisdictionLevel.CITY else "county",
                j.pk,
                regions,
                known,
            )
        )
    return out


@dataclass
class OrgRow:
    name: str
    org_type: str
    authority: Authority
    status: str = "registered"
    removed_on: date | None = None


def labelled_rows(by_code: dict[str, Authority]) -> list[OrgRow]:
    with labelled.PAIRS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    seen: dict[str, OrgRow] = {}
    for r in rows:
        seen.setdefault(
            r["existing_name"],
            OrgRow(r["existing_name"], r["type"], by_code[r["existing_jurisdiction"]]),
        )
    return list(seen.values())


class Labelled:
    """The labelled names (registered and proposed) by authority, to keep synthetic names clear
    of them: a synthetic name that the rule finds confusable with a labelled one (RG-15, all
    kinds) is skipped. Candidates are those sharing the pinyin key in a form group, the bag of
    words, the abbreviation or the short name; the rule's ``confusion`` decides."""

    def __init__(self, by_code: dict[str, Authority]) -> None:
        with labelled.PAIRS_CSV.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.pinyin: set[tuple[str, str, str]] = set()
        self.by_key: dict[tuple[str, str, str], list[nr.NameKeys]] = {}
        for r in rows:
            for name, code in (
                (r["existing_name"], r["existing_jurisdiction"]),
                (r["proposed_name"], r["proposed_jurisdiction"]),
            ):
                self._add(name, by_code[code])

    def _add(self, name: str, authority: Authority) -> None:
        keys = nr.name_keys(name, authority.region_names)
        self.pinyin.add((authority.code, keys.form_group, keys.pinyin_key))
        for kind, value in self._keys(keys):
            self.by_key.setdefault((authority.code, kind, value), []).append(keys)
        if not keys.org_form:  # a short name meets the short key of a full one
            self.by_key.setdefault((authority.code, "short", keys.core), []).append(keys)

    @staticmethod
    def _keys(keys: nr.NameKeys) -> list[tuple[str, str]]:
        found = [("bag", keys.bag_key), ("abbreviation", keys.abbreviation_key)]
        return found + ([("short", keys.short_key)] if keys.short_key else [])

    def blocks(self, name: str, authority: Authority) -> bool:
        keys = nr.name_keys(name, authority.region_names)
        if (authority.code, keys.form_group, keys.pinyin_key) in self.pinyin:
            return True
        for kind, value in self._keys(keys):
            for other in self.by_key.get((authority.code, kind, value), ()):
                if nr.confusion(keys, other) or nr.confusion(other, keys):
                    return True
        return False


def synthetic_rows(
    authorities: list[Authority], total: int, rng: random.Random, blocked: Labelled
) -> Iterator[OrgRow]:
    rizhao = {"371100": 20_000, "371102": 5_000, "371103": 5_000, "371121": 5_000, "371122": 5_000}
    others = [a for a in authorities if a.code not in rizhao]
    rest = total - sum(rizhao.values())
    weights = [3 if a.level == "city" else 1 for a in others]
    counts = dict(rizhao)
    for a, n in zip(others, _spread(rest, weights, rng), strict=True):
        counts[a.code] = n
    fields = labelled.GROUP_FIELDS + labelled.AGENCY_FIELDS
    for a in authorities:
        names: set[str] = set()
        while len(names) < counts[a.code]:
            row = _synthetic(a, rng, fields)
            if row.name in names or (a.code in rizhao and blocked.blocks(row.name, a)):
                continue
            names.add(row.name)
            yield row


def _spread(total: int, weights: list[int], rng: random.Random) -> list[int]:
    unit = total / sum(weights)
    counts = [int(w * unit) for w in weights]
    for i in rng.sample(range(len(counts)), total - sum(counts)):
        counts[i] += 1
    return counts


def _synthetic(a: Authority, rng: random.Random, fields: tuple[str, ...]) -> OrgRow:
    brand = "".join(rng.sample(BRAND_CHARS, 2))
    roll = rng.random()
    if roll < 0.05:
        org_type, form = "foundation", "基金会"
    elif roll < 0.40:
        org_type, form = "social_service_agency", rng.choice(AGENCY_FORMS)
    else:
        org_type, form = "social_group", rng.choice(GROUP_FORMS)
    row = OrgRow(rng.choice(a.regions) + brand + rng.choice(fields) + form, org_type, a)
    status = rng.random()
    if status < 0.05:
        row.status = rng.choice(["deregistered", "revoked"])
        row.removed_on = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
    elif status < 0.07:
        row.status = "suspended"
    return row


def copy_organizations(rows: Iterator[OrgRow], rng: random.Random, batch: int = 50_000) -> int:
    now = timezone.now()
    serial = 0
    buffer: list[tuple[object, ...]] = []
    for row in rows:
        serial += 1
        a = row.authority
        uscc = make_uscc(org_type=row.org_type, area_code=a.code, serial=f"B{serial:07d}")
        established = date(1995, 1, 1) + timedelta(days=rng.randrange(10_000))
        buffer.append(
            (
                uscc,
                row.name,
                "",
                "",
                "",
                row.org_type,
                a.level,
                "direct_registration",
                "other",
                "",
                "",
                "",
                "",
                "",
                "",
                established,
                row.status,
                row.removed_on,
                now,
                now,
                a.jurisdiction_id,
            )
        )
        if len(buffer) >= batch:
            _copy(buffer)
            buffer = []
    _copy(buffer)
    return serial


def _copy(rows: list[tuple[object, ...]]) -> None:
    with connection.cursor() as cursor, cursor.copy(COPY_ORGS) as copy:
        for r in rows:
            copy.write_row(r)


def load(total: int, seed: int = 2026) -> int:
    """Load ``total`` organizations into an empty register; return how many were written."""
    rng = random.Random(seed)
    with transaction.atomic():
        authorities = load_jurisdictions(rng)
        by_code = {a.code: a for a in authorities}
        first = labelled_rows(by_code)
        blocked = Labelled(by_code)

        def all_rows() -> Iterator[OrgRow]:
            yield from first
            yield from synthetic_rows(authorities, total - len(first), rng, blocked)

        return copy_organizations(all_rows(), rng)
