"""Pure rules of the registry: credit codes (ID-*), resident ID numbers (GB 11643), branches
(RG-5) and the length of terms (TT-1, RG-11).

No ORM, no request: plain values in, plain values out. Messages go through the catalogue
(Chinese first, English on English pages)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

# ID-2: the alphabet of credit codes (no I, O, Z, S, V).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# ID-3: weights 3^(i-1) mod 31 for positions 1-17.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# ID-4: weights of the embedded organization code (GB 11714).
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# ID-5: civil affairs is authority 5; type codes by organization type.
CIVIL_AFFAIRS_AUTHORITY = "5"
TYPE_CODES = {
    "social_group": "1",
    "social_service_agency": "2",
    "foundation": "3",
    "community_organization": "9",
}
TYPE_NAMES = {
    "1": gettext_lazy("社会团体"),
    "2": gettext_lazy("民办非企业单位（社会服务机构）"),
    "3": gettext_lazy("基金会"),
    "9": gettext_lazy("其他"),
}


def uscc_check_char(first17: str) -> str:
    """ID-3: C18 = 31 - (sum mod 31); 31 -> 0."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """ID-4: C9 = 11 - (sum mod 11); 10 -> X, 11 -> 0."""
    total = sum(
        ORG_CODE_ALPHABET.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalize_uscc(value: str) -> str:
    return value.strip().upper().replace(" ", "").replace("-", "")


def uscc_problem(value: str) -> str | None:
    """Why ``value`` is not a valid credit code (ID-1..ID-4), or None.

    Both check characters are checked, each on its own: the organization code's (ID-4, GB
    11714, position 17) and the credit code's (ID-3, position 18, with python-stdnum). A code
    whose 18th character is right is still refused when its embedded organization code is not
    (``51371100MJ0000010Y``). A wrong check character names the expected one."""
    code = normalize_uscc(value)
    if len(code) != 18:
        return _("统一社会信用代码应为18位，当前为%(n)s位。") % {"n": len(code)}
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        return _("统一社会信用代码含有不允许的字符“%(c)s”（不使用 I、O、Z、S、V）。") % {
            "c": bad[0]
        }
    if not code[:8].isdigit():
        return _("统一社会信用代码第1-8位（登记管理部门、机构类别和行政区划代码）应为数字。")
    if problem := org_code_problem(code[8:17]):
        return problem
    try:
        uscc.validate(code)
    except InvalidChecksum:
        return _("统一社会信用代码校验位错误：第18位应为“%(expected)s”，而不是“%(c)s”。") % {
            "expected": uscc_check_char(code[:17]),
            "c": code[17],
        }
    except ValidationError:
        return _("统一社会信用代码格式不正确。")
    return None


def org_code_problem(org_code: str) -> str | None:
    """ID-4: why the organization code embedded at positions 9-17 of a credit code fails its
    GB 11714 check character, or None."""
    expected = org_code_check_char(org_code[:8])
    if org_code[8] == expected:
        return None
    return _(
        "统一社会信用代码中的组织机构代码（第9-17位）“%(code)s”校验位错误："
        "第17位应为“%(expected)s”，而不是“%(c)s”。"
    ) % {"code": org_code, "expected": expected, "c": org_code[8]}


def uscc_record_mismatch(value: str, *, org_type: str, area_code: str | None = None) -> str | None:
    """ID-5: the authority digit must be civil affairs (5) and the type digit must match."""
    code = normalize_uscc(value)
    if code[0] != CIVIL_AFFAIRS_AUTHORITY:
        return _("统一社会信用代码第1位应为“5”（民政部门登记），当前为“%(c)s”。") % {"c": code[0]}
    expected = TYPE_CODES.get(org_type)
    if expected and code[1] != expected:
        return _("统一社会信用代码第2位“%(c)s”与组织类型不符：%(type)s应为“%(expected)s”。") % {
            "c": code[1],
            "type": TYPE_NAMES[expected],
            "expected": expected,
        }
    if area_code and code[2:8] != area_code:
        return _("统一社会信用代码第3-8位“%(c)s”与登记机关区划代码“%(area)s”不符。") % {
            "c": code[2:8],
            "area": area_code,
        }
    return None


# --- Dates of a record -----------------------------------------------------------------------

# No organization of the register was established before this day; a certificate is valid for
# a few years, never for a century.
EARLIEST_ESTABLISHMENT = date(1900, 1, 1)
CERTIFICATE_MAX_YEARS = 50


def record_date_problems(
    *,
    established_on: date | None,
    removed_on: date | None = None,
    certificate_valid_until: date | None = None,
    today: date,
) -> dict[str, str]:
    """Why the dates of a record cannot be true, by field: established in the future or before
    ``EARLIEST_ESTABLISHMENT``, removed before it was established or in the future, a
    certificate valid before the establishment or for more than ``CERTIFICATE_MAX_YEARS``."""
    problems: dict[str, str] = {}
    if established_on is None:
        return problems
    if established_on > today:
        problems["established_on"] = _("成立日期不能晚于今天（%(d)s）。") % {
            "d": f"{today:%Y-%m-%d}"
        }
    elif established_on < EARLIEST_ESTABLISHMENT:
        problems["established_on"] = _("成立日期不能早于%(d)s。") % {
            "d": f"{EARLIEST_ESTABLISHMENT:%Y-%m-%d}"
        }
    if removed_on is not None and removed_on < established_on:
        problems["removed_on"] = _("注销/撤销日期不能早于成立日期。")
    elif removed_on is not None and removed_on > today:
        problems["removed_on"] = _("注销/撤销日期不能晚于今天（%(d)s）。") % {
            "d": f"{today:%Y-%m-%d}"
        }
    if certificate_valid_until is not None and certificate_valid_until < established_on:
        problems["certificate_valid_until"] = _("证书有效期不能早于成立日期。")
    elif certificate_valid_until is not None and certificate_valid_until > anniversary(
        today, CERTIFICATE_MAX_YEARS
    ):
        problems["certificate_valid_until"] = _("证书有效期不能超过%(n)s年。") % {
            "n": CERTIFICATE_MAX_YEARS
        }
    return problems


def make_uscc(*, org_type: str, area_code: str, serial: str) -> str:
    """Assemble a valid credit code from its parts; ``serial`` is the first 8 characters of
    the organization code (credit-code characters only), whose check character (ID-4) and the
    code's own (ID-3) are computed."""
    org8 = serial.upper().rjust(8, "0")
    if len(org8) != 8 or any(c not in USCC_ALPHABET for c in org8):
        raise ValueError(f"organization code serial {serial!r}: 8 credit-code characters")
    org_code = org8 + org_code_check_char(org8)
    first17 = CIVIL_AFFAIRS_AUTHORITY + TYPE_CODES[org_type] + area_code + org_code
    return first17 + uscc_check_char(first17)


# --- Resident identity numbers (GB 11643) ----------------------------------------------------

ID_NUMBER_EARLIEST_BIRTH = date(1900, 1, 1)


def id_number_problem(value: str, *, today: date | None = None) -> str | None:
    """Why ``value`` is not a valid resident identity number (GB 11643), or None.

    Checked: 18 characters (17 digits and a digit or X), a region code that GB/T 2260 has
    known in any period, a real date of birth not after ``today`` (and not before 1900), and
    the check character (python-stdnum). The region code is where the number was issued, not
    where or when the person was born: a 东港区 number (371102, a code since 1992) of someone
    born in 1980 is valid."""
    number = value.strip().upper()
    if len(number) != 18:
        return _("身份证号应为18位，当前为%(n)s位。") % {"n": len(number)}
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return _("身份证号前17位应为数字，第18位为数字或X。")
    if id_region(number) is None:
        return _("身份证号前6位“%(c)s”不是有效的行政区划代码。") % {"c": number[:6]}
    try:
        born = ric.get_birth_date(number)
    except ValidationError:
        return _("身份证号第7-14位“%(c)s”不是有效的出生日期。") % {"c": number[6:14]}
    if not ID_NUMBER_EARLIEST_BIRTH <= born <= (today or date.today()):
        return _("身份证号中的出生日期%(d)s不合理。") % {"d": f"{born:%Y-%m-%d}"}
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        return _("身份证号校验位错误：第18位应为“%(expected)s”，而不是“%(c)s”。") % {
            "expected": expected,
            "c": number[17],
        }
    return None


def id_region(number: str) -> str | None:
    """The region a resident identity number was issued in (its GB/T 2260 code, in force in any
    period), or None when the code was never a county-level region."""
    found = numdb.get("cn/loc").info(number[:6])
    counties = [props["county"] for _part, props in found if "county" in props]
    if not counties:
        return None
    # Names carry their periods ("[1992-]东港区"); several periods are comma-separated.
    return re.sub(r"\[[^\]]*\]", "", counties[-1].split(",")[-1])


def birth_date_from_id(value: str) -> date:
    return ric.get_birth_date(value)


def sex_from_id(value: str) -> str:
    return "M" if int(value[16]) % 2 else "F"


# --- Branches (RG-5) -------------------------------------------------------------------------

# A region named by its suffix (东港区, 莒县, 青岛市, 石臼街道 …), and words that end like one
# but are not a region (社区, 园区, 超市 …) or are followed by what makes them a word (市场,
# 区域, 区块链, 县级).
_REGION = re.compile(
    r"[\u4e00-\u9fff]{1,6}?(?:自治区|自治州|自治县|特别行政区|街道|省|市|区|县)(?![场民域级块间政内外])"
)
_NOT_REGIONS = frozenset(
    {"城区", "社区", "园区", "景区", "街区", "小区", "校区", "学区", "厂区", "展区", "专区", "营区",
     "病区", "灾区", "老城区", "新城区", "开发区", "示范区", "保护区", "试验区", "功能区",
     "旅游区", "风景区", "中心区", "商业区", "居住区", "生活区", "工业区", "农业区", "城市", "都市",
     "超市", "夜市", "门市", "股市", "上市", "城乡", "城镇", "乡镇"}
)  # fmt: skip
# Short region names (东港 for 东港区) are recognised from this length on (莒县 is never 莒).
_MIN_SHORT_REGION = 2


def branch_region(name: str, *, parent_name: str = "", regions: Iterable[str] = ()) -> str | None:
    """RG-5: the region a branch's name gives it, beyond its parent's own (None if none).

    A branch is named after its parent (日照市物流协会冷链专业委员会); what follows the parent's
    name must not be a region (日照市物流协会东港区分会). ``regions`` are known region names
    (日照市, 东港区 …), also recognised without their suffix (东港分会); others are recognised
    by their suffix (青岛市, 石臼街道) at the start of what follows the parent's name."""
    rest = name[len(parent_name) :] if parent_name and name.startswith(parent_name) else name
    for region in sorted(set(regions), key=len, reverse=True):
        short = _short_region(region)
        for text in dict.fromkeys((region, short)):
            if text and text in rest and text not in parent_name:
                return region
    match = _REGION.match(rest)
    if match and match.group() not in _NOT_REGIONS and match.group() not in parent_name:
        if not any(word in match.group() for word in _NOT_REGIONS):
            return match.group()
    return None


def _short_region(region: str) -> str:
    for suffix in (
        "自治区",
        "自治州",
        "自治县",
        "街道",
        "省",
        "市",
        "区",
        "县",
        "旗",
        "盟",
        "镇",
        "乡",
    ):
        if region.endswith(suffix) and len(region) - len(suffix) >= _MIN_SHORT_REGION:
            return region[: -len(suffix)]
    return region


def branch_problem(
    *,
    parent_type: str,
    kind: str,
    name: str = "",
    parent_name: str = "",
    regions: Iterable[str] = (),
) -> str | None:
    """RG-5: social service agencies may not set up branches (民非 §13); social groups may not
    set up regional branches (社团 §17), judged on the branch's name (:func:`branch_region`);
    foundations may set up branches. Representative offices are not branches."""
    if parent_type == "social_service_agency":
        return _("社会服务机构（民办非企业单位）不得设立分支机构。")
    if parent_type == "community_organization":
        return _("社区社会组织不得设立分支机构或代表机构。")
    if parent_type == "social_group" and kind == "branch" and name:
        region = branch_region(name, parent_name=parent_name, regions=regions)
        if region:
            return _(
                "社会团体不得设立地域性分支机构：“%(name)s”以地域“%(region)s”命名。"
                "分支机构应按业务范围或会员组成设立。"
            ) % {"name": name, "region": region}
    return None


# --- Terms (TT-1, RG-11) ----------------------------------------------------------------------


def anniversary(day: date, years: int) -> date:
    """``day`` moved by ``years`` years. The anniversary of 29 February in a common year is
    1 March, as a person born on 29 February reaches a new year of age (周岁) on 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return date(day.year + years, 3, 1)


def term_end(starts_on: date, years: int) -> date:
    """TT-1 / RG-11: the last day of a term of ``years`` years that starts on ``starts_on``: the
    day before its anniversary (1 July 2026 → 30 June 2031; 29 February 2028 → 28 February
    2033, the anniversary being 1 March)."""
    return anniversary(starts_on, years) - timedelta(days=1)


def term_years(org_type: str, *, term_years: int, foundation_max_years: int) -> int:
    """TT-1: a term lasts ``term_years`` (the parameter TT-1.term_years); a foundation's board
    at most RG-11's ``foundation_max_years``."""
    if org_type == "foundation":
        return min(term_years, foundation_max_years)
    return term_years
