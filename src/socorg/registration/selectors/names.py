"""The name check (名称查重): a public service that says whether a proposed name may be used.

``name_check`` parses the name (RG-15), checks its shape (RG-2, RG-13, RG-15) and looks for
duplicate or confusable names under the same registration authority in the name index
(``NameKey``): one query of indexed equalities on (authority, key) — pinyin, sound, bag of words,
abbreviation, and short name for a name without a form — never a fuzzy scan, then compares the
rows found by their stored keys. The index is the registry's (``registry.services.names``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop

from socorg.core.db import CompiledQuery
from socorg.core.models import JurisdictionLevel
from socorg.core.params import missing_parameter, param_values_for_code
from socorg.core.ratelimit import window_throttled
from socorg.registry.models import NameKey, NameKeyKind, OrgStatus, OrgType
from socorg.registry.rules import names as nr
from socorg.registry.rules.names import JurisdictionRow, region_names
from socorg.registry.selectors.names import jurisdiction_rows as _jurisdiction_rows

ACTIVE_STATUSES = (OrgStatus.REGISTERED, OrgStatus.SUSPENDED)
REMOVED_STATUSES = (OrgStatus.DEREGISTERED, OrgStatus.REVOKED)
REUSE_REMOVED = "RG-13.name_reuse_block_years.removed"
REUSE_CHANGED = "RG-13.name_reuse_block_years.changed"
# Public endpoint: checks allowed per client address and window (seconds).
RATE_LIMIT = getattr(settings, "SOCORG_NAME_CHECK_RATE", (30, 60))


class Verdict(models.TextChoices):
    OK = "ok", _lazy("可以使用")
    CONFLICT = "conflict", _lazy("重名或近似")
    INVALID = "invalid", _lazy("名称不规范")


@dataclass(frozen=True)
class NameHit:
    rule: str
    kind: str
    name: str
    uscc: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "name": self.name,
            "uscc": self.uscc,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class NameCheckResult:
    verdict: str
    normalized: str
    parts: nr.NameParts
    hits: tuple[NameHit, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "normalized": self.normalized,
            "parts": self.parts.as_dict(),
            "hits": [h.as_dict() for h in self.hits],
        }


@dataclass(frozen=True)
class Authority:
    """A registration authority: the jurisdiction whose bureau registers, at a level, with
    the region names a name under it may carry (``allowed``) or be parsed with (``regions``)."""

    code: str
    level: str
    jurisdiction_code: str
    name: str
    regions: frozenset[str]
    allowed: frozenset[str]


# --- regions and authority -------------------------------------------------------------------


def make_authority(rows: Iterable[JurisdictionRow], jurisdiction_code: str) -> Authority | None:
    """The authority a name proposed in ``jurisdiction_code`` is registered with: the county of
    a street, else the jurisdiction itself (None when it is unknown)."""
    code = jurisdiction_code[:6]
    rows = list(rows)
    own = next((r for r in rows if r[0] == code), None)
    if own is None:
        return None
    level = {JurisdictionLevel.PROVINCE: "province", JurisdictionLevel.CITY: "city"}.get(
        JurisdictionLevel(own[2]), "county"
    )
    path_codes = {code[:2] + "0000", code[:4] + "00", code}
    return Authority(
        code=nr.authority_code(level, code),
        level=level,
        jurisdiction_code=code,
        name=own[1],
        regions=region_names(rows, code),
        allowed=frozenset(name for c, name, _level in rows if c in path_codes),
    )


def authority_for(jurisdiction_code: str) -> Authority:
    authority = make_authority(_jurisdiction_rows(jurisdiction_code), jurisdiction_code)
    if authority is None:
        raise ValidationError({"jurisdiction": [_("未知的行政区划代码。")]})
    return authority


# --- parameters ------------------------------------------------------------------------------


class _Params:
    """RG-13 numbers, read from the rule parameters (all of them in one query) only when a check
    needs them: a foundation's name, or a foundation's removed or former name."""

    KEYS = ("RG-13.core_name_min_chars", REUSE_REMOVED, REUSE_CHANGED)

    def __init__(self, on: date, jurisdiction_code: str) -> None:
        self.on, self.jurisdiction_code = on, jurisdiction_code
        self.values: dict[str, int] | None = None

    def value(self, key: str) -> int:
        if self.values is None:
            found = param_values_for_code(self.KEYS, on=self.on, code=self.jurisdiction_code)
            self.values = {k: int(v.value) for k, v in found.items()}
        if key not in self.values:
            raise missing_parameter(key, self.on)
        return self.values[key]

    def blocked(self, key: str, ended_on: date | None) -> bool:
        return nr.reuse_blocked(ended_on, self.value(key), self.on)


# --- shape -----------------------------------------------------------------------------------


def _shape_hits(
    name: str,
    parts: nr.NameParts,
    org_type: str,
    authority: Authority,
    params: _Params,
) -> list[NameHit]:
    """RG-2, RG-13, RG-15: what is wrong with the name itself."""
    hits: list[NameHit] = []

    def add(rule: str, kind: str, reason: str) -> None:
        hits.append(NameHit(rule=rule, kind=kind, name=name, uscc=None, reason=reason))

    for word in nr.forbidden_national_words(name, authority.level):
        add(
            "RG-2",
            "national_word",
            _("地方性社会组织的名称不得冠以“%(word)s”字样。") % {"word": word},
        )
    if not parts.org_form:
        add("RG-15", "no_form", _("名称中没有可识别的组织形式（如协会、中心、基金会）。"))
    elif not nr.form_fits_type(parts.org_form, org_type):
        add(
            "RG-15",
            "form_mismatch",
            _("组织形式“%(form)s”不适用于%(type)s。")
            % {"form": parts.org_form, "type": nr.TYPE_LABELS[org_type]},
        )
    if org_type == OrgType.FOUNDATION:
        min_chars = params.value("RG-13.core_name_min_chars")
        if len(parts.core) < min_chars:
            message = _("基金会名称的字号不得少于%(n)s个字。") % {"n": min_chars}
            add("RG-13", "core_too_short", message)
    elif not parts.core:
        add("RG-15", "no_core", _("名称中缺少字号或行业表述。"))
    _region_hit(parts, authority, add)
    return hits


def _region_hit(
    parts: nr.NameParts,
    authority: Authority,
    add: Callable[[str, str, str], None],
) -> None:
    own = authority.name
    problem = nr.region_problem(parts.segments, own=own, allowed=authority.allowed)
    if problem is None:
        return
    kind, region = problem
    messages = {
        "no_region": _("名称应冠以所在行政区划名称（如“%(own)s”）。"),
        "region_outside": _("名称中的行政区划“%(region)s”不在登记管理机关（%(own)s）的辖区内。"),
        "region_not_own": _(
            "名称中的行政区划应为登记管理机关所在的“%(own)s”，而不是“%(region)s”。"
        ),
    }
    add("RG-15", kind, messages[kind] % {"own": own, "region": region})


# --- look-alikes -----------------------------------------------------------------------------

KIND_REASONS = {
    "exact": gettext_noop("与“%(name)s”重名。"),
    "traditional": gettext_noop("与“%(name)s”仅有繁简体或异体字的差别。"),
    "region": gettext_noop("与“%(name)s”字号和组织形式相同，仅行政区划的写法不同。"),
    "form": gettext_noop("与“%(name)s”字号相同，组织形式“%(form)s”与“%(other)s”易混淆。"),
    "filler": gettext_noop("与“%(name)s”的字号仅相差虚词或通用词（如“服务”“发展”“的”）。"),
    "homophone": gettext_noop("与“%(name)s”的字号读音相同（同音字）。"),
    "reordered": gettext_noop("与“%(name)s”的字号用词相同，仅词序不同。"),
    "abbreviation": gettext_noop(
        "与“%(name)s”互为简称和全称（如“电商”与“电子商务”，“摄协”与“摄影家协会”）。"
    ),
}
KIND_ORDER = list(KIND_REASONS)


class LookalikeRow(NamedTuple):
    """A row of the name index found by the look-alike query, with its organization's columns
    (None for a reserved name)."""

    kind: str
    name: str
    name_normalized: str
    core_key: str
    pinyin_key: str
    sound_key: str
    form_group: str
    bag_key: str
    abbreviation_key: str
    short_key: str
    words: str
    ends_on: date | None
    organization_id: int | None
    org_name: str | None
    uscc: str | None
    org_type: str | None
    status: str | None
    removed_on: date | None

    def keys(self) -> nr.NameKeys:
        """The stored comparison keys: the registered name is not parsed again."""
        return nr.NameKeys(
            name=self.name,
            normalized=self.name_normalized,
            form_group=self.form_group,
            core_key=self.core_key,
            pinyin_key=self.pinyin_key,
            sound_key=self.sound_key,
            bag_key=self.bag_key,
            abbreviation_key=self.abbreviation_key,
            short_key=self.short_key,
            encoded_words=self.words,
        )


LOOKALIKE_COLUMNS = (
    "kind",
    "name",
    "name_normalized",
    "core_key",
    "pinyin_key",
    "sound_key",
    "form_group",
    "bag_key",
    "abbreviation_key",
    "short_key",
    "words",
    "ends_on",
    "organization_id",
    "organization__name",
    "organization__uscc",
    "organization__org_type",
    "organization__status",
    "organization__removed_on",
)


def _row_hit(row: LookalikeRow, kind: str, similar: str, reuse: _Params) -> NameHit | None:
    """The hit a look-alike row gives (RG-15 for names in use or reserved, RG-13 for
    foundation names that may not be reused yet), or None when the row does not block."""
    if row.organization_id is None:
        reason = similar + _("该名称已被正在办理的登记申请预留。")
        return NameHit("RG-15", kind, row.name, None, reason)
    foundation = row.org_type == OrgType.FOUNDATION
    if row.kind == NameKeyKind.FORMER:
        key = REUSE_CHANGED
        if not (foundation and reuse.blocked(key, row.ends_on)):
            return None
        reason = _("该名称为基金会“%(now)s”于%(day)s变更前的名称，变更后%(n)s年内不得使用。")
        values = {"now": row.org_name, "day": row.ends_on, "n": reuse.value(key)}
        return NameHit("RG-13", kind, row.name, row.uscc, similar + reason % values)
    if row.status in ACTIVE_STATUSES:
        reason = _("同一登记管理机关内不得重名或使用近似名称。")
        return NameHit("RG-15", kind, row.name, row.uscc, similar + reason)
    key = REUSE_REMOVED
    if not (foundation and row.status in REMOVED_STATUSES and reuse.blocked(key, row.removed_on)):
        return None
    reason = _("该基金会已于%(day)s注销或撤销，%(n)s年内其名称不得使用。")
    values = {"day": row.removed_on, "n": reuse.value(key)}
    return NameHit("RG-13", kind, row.name, row.uscc, similar + reason % values)


def lookalike_rows(
    authority_code: str, keys: nr.NameKeys, exclude_organization: int | None = None
) -> list[LookalikeRow]:
    """The rows of ``lookalike_query``, from its SQL compiled once (a check on the public
    endpoint spends more CPU compiling the query than the database spends answering it)."""
    values = _lookalike_values(authority_code, keys, exclude_organization)
    return [LookalikeRow._make(row) for row in _LOOKALIKE.rows(**values)]


def lookalike_query(
    authority_code: str, keys: nr.NameKeys, exclude_organization: int | None = None
) -> QuerySet[NameKey, tuple[Any, ...]]:
    """The index rows of ``authority_code`` that share a key with ``keys`` (RG-15): one query,
    four indexed equalities on (authority, key) — pinyin, sound, bag of words, abbreviation —
    and a fifth for a name without a form, which may be an organization's short name (科协),
    reading only the columns the comparison and the hit need."""
    return _lookalike_queryset(**_lookalike_values(authority_code, keys, exclude_organization))


def _lookalike_values(
    authority_code: str, keys: nr.NameKeys, exclude_organization: int | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "authority": authority_code,
        "pinyin": keys.pinyin_key,
        "sound": keys.sound_key,
        "bag": keys.bag_key,
        "abbreviation": keys.abbreviation_key,
    }
    if not keys.org_form:
        values["short"] = keys.core
    if exclude_organization is not None:
        values["exclude"] = exclude_organization
    return values


def _lookalike_queryset(
    *,
    authority: str,
    pinyin: str,
    sound: str,
    bag: str,
    abbreviation: str,
    short: str | None = None,
    exclude: int | None = None,
) -> QuerySet[NameKey, tuple[Any, ...]]:
    shared = (
        Q(pinyin_key=pinyin)
        | Q(sound_key=sound)
        | Q(bag_key=bag)
        | Q(abbreviation_key=abbreviation)
    )
    if short is not None:
        shared |= Q(short_key=short)
    rows = NameKey.objects.filter(shared, authority_code=authority)
    if exclude is not None:
        rows = rows.exclude(organization_id=exclude)
    return rows.order_by("id").values_list(*LOOKALIKE_COLUMNS)[:200]


_LOOKALIKE = CompiledQuery(_lookalike_queryset)


def _conflict_hits(
    keys: nr.NameKeys,
    authority: Authority,
    params: _Params,
    exclude_organization: int | None,
) -> list[NameHit]:
    """RG-13, RG-15: names in use (or not yet reusable) that look like the proposal."""
    hits: list[NameHit] = []
    for row in lookalike_rows(authority.code, keys, exclude_organization):
        stored = row.keys()
        kind = nr.confusion(keys, stored)
        if kind is None:
            continue
        values = {"name": row.name, "form": keys.org_form, "other": stored.org_form}
        hit = _row_hit(row, kind, _(KIND_REASONS[kind]) % values, params)
        if hit is not None:
            hits.append(hit)
    return sorted(hits, key=lambda h: KIND_ORDER.index(h.kind))


# --- the check -------------------------------------------------------------------------------


def name_check(
    *,
    name: str,
    org_type: str,
    jurisdiction_code: str,
    on: date | None = None,
    exclude_organization: int | None = None,
) -> NameCheckResult:
    """Check a proposed name (RG-2, RG-13, RG-15). ``exclude_organization`` leaves out the
    applicant's own names (a change of name). Raises ``ValidationError`` for an unknown type
    or jurisdiction."""
    if org_type not in nr.FORMS_BY_TYPE:
        raise ValidationError({"type": [_("未知的社会组织类型。")]})
    if not nr.normalize(name or ""):
        raise ValidationError({"name": [_("请输入拟用名称。")]})
    authority = authority_for(jurisdiction_code)
    parts = nr.parse_name(name, authority.regions)
    keys = nr.keys_of(name, parts)
    params = _Params(on or timezone.localdate(), authority.jurisdiction_code)
    invalid = _shape_hits(name, parts, org_type, authority, params)
    conflicts = _conflict_hits(keys, authority, params, exclude_organization) if parts.core else []
    verdict = Verdict.INVALID if invalid else Verdict.CONFLICT if conflicts else Verdict.OK
    return NameCheckResult(str(verdict), nr.normalize(name), parts, tuple(invalid + conflicts))


# --- rate limit ------------------------------------------------------------------------------


def name_check_throttled(client: str) -> bool:
    """True when ``client`` (an IP address) has used up its checks in the current window.
    (``core.ratelimit``)."""
    limit, window = RATE_LIMIT
    return window_throttled("name-check", client, limit, window)
