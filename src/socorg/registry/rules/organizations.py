"""Pure rules of the registry: credit codes (ID-*), resident ID numbers, branches (RG-5).

No ORM, no request: plain values in, plain values out. Messages are in Chinese for clerks."""

from __future__ import annotations

from datetime import date

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
TYPE_NAMES = {"1": "社会团体", "2": "民办非企业单位（社会服务机构）", "3": "基金会", "9": "其他"}


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
    """Why ``value`` is not a valid credit code (ID-1..ID-4), or None. Validated with
    python-stdnum; a wrong check character names the expected one."""
    code = normalize_uscc(value)
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位。"
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用 I、O、Z、S、V）。"
    try:
        uscc.validate(code)
    except InvalidChecksum:
        embedded = code[8:17]
        if org_code_check_char(embedded[:8]) != embedded[8]:
            return f"组织机构代码部分（第9-17位）校验位错误，应为“{org_code_check_char(embedded[:8])}”。"
        return f"统一社会信用代码校验位错误：第18位应为“{uscc_check_char(code[:17])}”，而不是“{code[17]}”。"
    except ValidationError:
        return "统一社会信用代码格式不正确。"
    return None


def uscc_record_mismatch(value: str, *, org_type: str, area_code: str | None = None) -> str | None:
    """ID-5: the authority digit must be civil affairs (5) and the type digit must match."""
    code = normalize_uscc(value)
    if code[0] != CIVIL_AFFAIRS_AUTHORITY:
        return f"统一社会信用代码第1位应为“5”（民政部门登记），当前为“{code[0]}”。"
    expected = TYPE_CODES.get(org_type)
    if expected and code[1] != expected:
        return f"统一社会信用代码第2位“{code[1]}”与组织类型不符：{TYPE_NAMES[expected]}应为“{expected}”。"
    if area_code and code[2:8] != area_code:
        return f"统一社会信用代码第3-8位“{code[2:8]}”与登记机关区划代码“{area_code}”不符。"
    return None


def make_uscc(*, org_type: str, area_code: str, serial: str) -> str:
    """Assemble a valid credit code from its parts; ``serial`` is the first 8 characters of
    the organization code."""
    org8 = serial.upper().rjust(8, "0")
    org_code = org8 + org_code_check_char(org8)
    first17 = CIVIL_AFFAIRS_AUTHORITY + TYPE_CODES[org_type] + area_code + org_code
    return first17 + uscc_check_char(first17)


def id_number_problem(value: str) -> str | None:
    number = value.strip().upper()
    if len(number) != 18:
        return f"身份证号应为18位，当前为{len(number)}位。"
    try:
        ric.validate(number)
    except InvalidChecksum:
        return "身份证号校验位错误。"
    except ValidationError:
        return "身份证号格式或出生日期不正确。"
    return None


def birth_date_from_id(value: str) -> date:
    return ric.get_birth_date(value)


def sex_from_id(value: str) -> str:
    return "M" if int(value[16]) % 2 else "F"


def branch_problem(*, parent_type: str, kind: str) -> str | None:
    """RG-5: social service agencies may not set up branches (民非 §13); foundations and social
    groups may (social groups not regional ones, checked on the name)."""
    if parent_type == "social_service_agency":
        return "社会服务机构（民办非企业单位）不得设立分支机构。（RG-5）"
    if parent_type == "community_organization":
        return "社区社会组织不得设立分支机构或代表机构。"
    return None
