"""Pure rules of principal candidates: eligibility (TT-2, TT-3, RG-4, RG-11). Plain values in,
findings out; no ORM, no request.

Reading of "年龄不超过70周岁" (TT-2, TT-3): age is counted in full years (周岁) on the election
date; a candidate is eligible while that count is at most 70, i.e. up to and including the day
before the 71st birthday. On the 71st birthday the candidate "exceeds 70 full years". A person
born on 29 February reaches a new year of age on 1 March in common years.

Severity of each finding:
- ``blocking``: the candidate may not be elected (age over the limit, a retired cadre's second
  social group or pay, a serving state functionary as foundation officer, a legal representative
  of another social group);
- ``needs_exception``: allowed only with the exception TT-2 provides (a 2/3 vote of the general
  assembly and the authority's approval), e.g. a third consecutive term in the same post;
- ``info``: worth the reviewers' attention, no effect on eligibility."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext, gettext_noop

from socorg.core.rule_defaults import national_default
from socorg.registry.models import OrgType, Post


class Severity(StrEnum):
    BLOCKING = "blocking"
    NEEDS_EXCEPTION = "needs_exception"
    INFO = "info"


# Posts held by foundation officers (基金会 §23: 理事长、副理事长、秘书长).
OFFICER_POSTS = frozenset({Post.CHAIR, Post.VICE_CHAIR, Post.SECRETARY_GENERAL})
# Posts that sit on a foundation's board (RG-11).
BOARD_POSTS = frozenset({Post.CHAIR, Post.VICE_CHAIR, Post.DIRECTOR})


@dataclass(frozen=True)
class Finding:
    """One finding. ``text`` is the catalogue's message (marked with ``gettext_noop``) and
    ``params`` its values: a stored finding reads in the language of the page that shows it
    (:func:`finding_message`)."""

    rule_id: str
    severity: Severity
    text: str
    params: dict[str, str | int] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _render(self.text, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": str(self.severity),
            "message": self.message,
            "text": self.text,
            "params": dict(self.params),
        }


def _render(text: str, params: dict[str, Any]) -> str:
    return gettext(text) % params if params else gettext(text)


def finding_message(finding: Mapping[str, Any]) -> str:
    """The message of a stored finding (``Finding.as_dict``) in the current language; a finding
    stored before findings kept their catalogue text reads as stored."""
    text, params = finding.get("text"), finding.get("params")
    if isinstance(text, str) and text:
        return _render(text, params if isinstance(params, dict) else {})
    return str(finding.get("message", ""))


@dataclass(frozen=True)
class Limits:
    """The numbers of TT-2, TT-3 and RG-11: the rule parameters in force (the caller reads them
    with ``param``); :meth:`national` gives the national defaults of the parameter table."""

    age_limit: int
    max_consecutive_terms: int
    cadre_age_limit: int
    cadre_max_terms: int
    cadre_max_social_groups: int
    board_min: int
    board_max: int
    paid_board_max_ratio: tuple[int, int]

    @classmethod
    def national(cls) -> Limits:
        ratio = national_default("RG-11.paid_board_max_ratio")
        return cls(
            age_limit=national_default("TT-2.age_limit"),
            max_consecutive_terms=national_default("TT-2.max_consecutive_terms"),
            cadre_age_limit=national_default("TT-3.age_limit"),
            cadre_max_terms=national_default("TT-3.max_terms"),
            cadre_max_social_groups=national_default("TT-3.max_social_groups"),
            board_min=national_default("RG-11.board_min"),
            board_max=national_default("RG-11.board_max"),
            paid_board_max_ratio=(int(ratio[0]), int(ratio[1])),
        )


@dataclass(frozen=True)
class CandidateFacts:
    """What the rules need to know about one candidate for one post.

    ``prior_consecutive_terms``: terms immediately before the election in which the person held
    the same post in the same organization. ``other_social_groups``: names of other social groups
    in which the person currently holds a post; ``legal_representative_of``: names of other
    social groups of which the person is the legal representative."""

    birth_date: date
    election_on: date
    post: str
    org_type: str
    prior_consecutive_terms: int = 0
    is_legal_representative: bool = False
    is_paid: bool = False
    is_retired_cadre: bool = False
    is_state_functionary: bool = False
    other_social_groups: tuple[str, ...] = field(default_factory=tuple)
    legal_representative_of: tuple[str, ...] = field(default_factory=tuple)
    # PN-3: the revocations that bar the person from principal posts on the election date.
    restrictions: tuple[str, ...] = field(default_factory=tuple)


def age_on(birth_date: date, on: date) -> int:
    """Full years of age (周岁) on ``on``."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def candidate_findings(facts: CandidateFacts, limits: Limits | None = None) -> list[Finding]:
    """Every finding of one candidate, blocking ones first (national limits by default)."""
    limits = limits or Limits.national()
    findings = [
        *_age_findings(facts, limits),
        *_term_findings(facts, limits),
        *_cadre_findings(facts, limits),
        *_functionary_findings(facts),
        *_legal_representative_findings(facts),
        *_restriction_findings(facts),
    ]
    order = {Severity.BLOCKING: 0, Severity.NEEDS_EXCEPTION: 1, Severity.INFO: 2}
    return sorted(findings, key=lambda f: order[f.severity])


def _age_findings(facts: CandidateFacts, limits: Limits) -> list[Finding]:
    """TT-2 (all principals) and TT-3 (retired cadres): at most ``age_limit`` full years on the
    election date."""
    age = age_on(facts.birth_date, facts.election_on)
    limit = limits.cadre_age_limit if facts.is_retired_cadre else limits.age_limit
    if age <= limit:
        return []
    rule = "TT-3" if facts.is_retired_cadre else "TT-2"
    return [
        Finding(
            rule,
            Severity.BLOCKING,
            gettext_noop("选举日（%(on)s）年满%(age)s周岁，超过%(limit)s周岁的任职年龄上限。"),
            {"on": f"{facts.election_on:%Y-%m-%d}", "age": age, "limit": limit},
        )
    ]


def _term_findings(facts: CandidateFacts, limits: Limits) -> list[Finding]:
    """TT-2: at most two consecutive terms in the same post; a further term needs the exception
    (2/3 vote and approval). TT-3: a retired cadre may not exceed two terms at all."""
    served = facts.prior_consecutive_terms
    if facts.is_retired_cadre and served >= limits.cadre_max_terms:
        return [
            Finding(
                "TT-3",
                Severity.BLOCKING,
                gettext_noop(
                    "退（离）休领导干部已在该职务连任%(served)s届，任职不得超过%(max)s届。"
                ),
                {"served": served, "max": limits.cadre_max_terms},
            )
        ]
    if served >= limits.max_consecutive_terms:
        return [
            Finding(
                "TT-2",
                Severity.NEEDS_EXCEPTION,
                gettext_noop(
                    "已在该职务连续任职%(served)s届，"
                    "再次当选须经会员（代表）大会2/3以上表决通过并报批。"
                ),
                {"served": served},
            )
        ]
    return []


def _cadre_findings(facts: CandidateFacts, limits: Limits) -> list[Finding]:
    """TT-3: a retired leading cadre holds a post in one social group only, is unpaid and is
    generally not the legal representative."""
    if not facts.is_retired_cadre:
        return []
    findings = [
        Finding(
            "TT-3",
            Severity.INFO,
            gettext_noop("退（离）休领导干部兼职须按干部管理权限事先审批或备案。"),
        )
    ]
    if facts.org_type == OrgType.SOCIAL_GROUP and len(facts.other_social_groups) >= (
        limits.cadre_max_social_groups
    ):
        groups = "、".join(facts.other_social_groups)
        findings.append(
            Finding(
                "TT-3",
                Severity.BLOCKING,
                gettext_noop("退（离）休领导干部只能在1个社会团体兼职，已在%(groups)s任职。"),
                {"groups": groups},
            )
        )
    if facts.is_paid:
        findings.append(
            Finding(
                "TT-3",
                Severity.BLOCKING,
                gettext_noop("退（离）休领导干部在社会组织兼职不得领取报酬。"),
            )
        )
    if facts.is_legal_representative:
        findings.append(
            Finding(
                "TT-3",
                Severity.NEEDS_EXCEPTION,
                gettext_noop("退（离）休领导干部一般不得担任法定代表人，确需担任的须经批准。"),
            )
        )
    return findings


def _functionary_findings(facts: CandidateFacts) -> list[Finding]:
    """TT-3 (基金会 §23): serving state functionaries may not be foundation officers."""
    if not (
        facts.is_state_functionary
        and facts.org_type == OrgType.FOUNDATION
        and facts.post in OFFICER_POSTS
    ):
        return []
    return [
        Finding(
            "TT-3",
            Severity.BLOCKING,
            gettext_noop(
                "现职国家工作人员不得兼任基金会理事长、副理事长或秘书长。"
                "（基金会管理条例第二十三条）"
            ),
        )
    ]


def _legal_representative_findings(facts: CandidateFacts) -> list[Finding]:
    """RG-4: the legal representative of a social group may not be legal representative of
    another social group."""
    if not (
        facts.is_legal_representative
        and facts.org_type == OrgType.SOCIAL_GROUP
        and facts.legal_representative_of
    ):
        return []
    groups = "、".join(facts.legal_representative_of)
    return [
        Finding(
            "RG-4",
            Severity.BLOCKING,
            gettext_noop("已担任%(groups)s的法定代表人，不得同时担任其他社会团体的法定代表人。"),
            {"groups": groups},
        )
    ]


def _restriction_findings(facts: CandidateFacts) -> list[Finding]:
    """PN-3: the legal representative and principals of an organization whose registration was
    revoked may not hold a principal post for the period the rule parameter sets."""
    if not facts.restrictions:
        return []
    return [
        Finding(
            "PN-3",
            Severity.BLOCKING,
            gettext_noop("曾任%(revocations)s的负责人，限制期内不得担任社会组织负责人。"),
            {"revocations": "；".join(facts.restrictions)},
        )
    ]


@dataclass(frozen=True)
class SlateMember:
    post: str
    is_legal_representative: bool
    is_paid: bool


def slate_findings(
    org_type: str, slate: list[SlateMember], limits: Limits | None = None
) -> list[Finding]:
    """Findings on the slate as a whole: one legal representative (RG-4); for a foundation whose
    slate lists its directors, board size 5–25 and paid members at most 1/3 (RG-11)."""
    limits = limits or Limits.national()
    findings: list[Finding] = []
    legal = sum(1 for m in slate if m.is_legal_representative)
    if legal != 1:
        findings.append(
            Finding(
                "RG-4",
                Severity.INFO,
                gettext_noop("候选人中拟任法定代表人%(n)s人，换届时须恰好1人。"),
                {"n": legal},
            )
        )
    if org_type == OrgType.FOUNDATION and any(m.post == Post.DIRECTOR for m in slate):
        findings.extend(_board_findings([m for m in slate if m.post in BOARD_POSTS], limits))
    return findings


def _board_findings(board: list[SlateMember], limits: Limits) -> list[Finding]:
    findings: list[Finding] = []
    size = len(board)
    if not limits.board_min <= size <= limits.board_max:
        findings.append(
            Finding(
                "RG-11",
                Severity.BLOCKING,
                gettext_noop("基金会理事会应为%(min)s至%(max)s人，候选理事%(size)s人。"),
                {"min": limits.board_min, "max": limits.board_max, "size": size},
            )
        )
    paid = sum(1 for m in board if m.is_paid)
    num, den = limits.paid_board_max_ratio
    if paid * den > size * num:
        findings.append(
            Finding(
                "RG-11",
                Severity.BLOCKING,
                gettext_noop(
                    "在基金会领取报酬的理事不得超过理事总人数的%(num)s/%(den)s（%(paid)s/%(size)s）。"
                ),
                {"num": num, "den": den, "paid": paid, "size": size},
            )
        )
    return findings


def worst(findings: list[Finding] | list[dict[str, str]]) -> str:
    """The most severe severity among ``findings`` ('' when there are none)."""
    values = {str(f["severity"] if isinstance(f, dict) else f.severity) for f in findings}
    for level in (Severity.BLOCKING, Severity.NEEDS_EXCEPTION, Severity.INFO):
        if level in values:
            return str(level)
    return ""
