"""Synthetic people: Chinese names and valid resident ID numbers (GB 11643).

Pure functions. ``id_number(index)`` is injective over ``range(ID_CAPACITY)``: the index is
scrambled by a multiplier coprime to the capacity and then read as (place lineage, birth date,
sequence), so consecutive indexes give people of different ages and places, never the same
number twice."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from random import Random

# Resident ID areas. A number keeps the area code of the office that issued it; the demo gives
# each person the code in force in their birth year (any code GB/T 2260 ever had is valid,
# ``registry.rules.id_number_problem``), so each lineage lists its successive codes with the
# years they were valid: (code, first year, last year).
_LINEAGES: tuple[tuple[tuple[str, int, int], ...], ...] = (
    (("372825", 0, 1985), ("372802", 1985, 1989), ("371100", 1989, 1992), ("371102", 1992, 9999)),
    (("372229", 0, 1983), ("370729", 1983, 1992), ("371121", 1992, 9999)),
    (("372826", 0, 1992), ("371122", 1992, 9999)),
    (("372824", 0, 1994), ("371327", 1994, 9999)),
)
BIRTH_FIRST = date(1957, 1, 1)
BIRTH_DAYS = (date(1996, 12, 31) - BIRTH_FIRST).days + 1
ID_CAPACITY = len(_LINEAGES) * BIRTH_DAYS * 1000
_SCRAMBLE = 1_000_000_007  # a prime that does not divide ID_CAPACITY
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def _area(lineage: int, year: int) -> str:
    return next(code for code, first, last in _LINEAGES[lineage] if first <= year <= last)


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
    "魏薛叶阎潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹易常"
    "武乔贺赖文厉牟庄鞠相卜"
)
_COMMON_SURNAMES = "王李张刘陈杨赵黄周吴徐孙丁秦厉"
MALE_GIVEN = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁凯峰建国志宏海东林兵成文俊浩宇晨亮春晓新军庆德福兴"
)
FEMALE_GIVEN = "芳娜敏静丽艳娟霞燕玲婷雪慧琳颖倩洁红梅兰英华云萍莉晶秀月玉凤琴蕾蓉佳欣悦彤雅"


def check_digit(first17: str) -> str:
    """GB 11643 check character of the first 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _decode(index: int) -> tuple[int, int, int]:
    """(lineage, day offset, sequence) of the ``index``-th synthetic person."""
    if not 0 <= index < ID_CAPACITY:
        raise ValueError(f"person index {index} out of range")
    n = (index * _SCRAMBLE) % ID_CAPACITY
    return n // 1000 // BIRTH_DAYS, n // 1000 % BIRTH_DAYS, n % 1000


_BIRTHS = tuple(BIRTH_FIRST + timedelta(days=d) for d in range(BIRTH_DAYS))
_SEQ_TEXT = tuple(f"{seq:03d}" for seq in range(1000))
_SEQ_SUMS = tuple(
    sum(int(c) * w for c, w in zip(text, _WEIGHTS[14:], strict=True)) for text in _SEQ_TEXT
)


@cache
def _prefixes() -> tuple[tuple[tuple[str, int], ...], ...]:
    """Each lineage's 14-digit prefixes (area + birth date) with their weighted digit sums, so
    that a number's check character is two look-ups (the scale generator makes millions)."""
    return tuple(
        tuple(_with_sum(f"{_area(lineage, born.year)}{born:%Y%m%d}") for born in _BIRTHS)
        for lineage in range(len(_LINEAGES))
    )


def _with_sum(prefix: str) -> tuple[str, int]:
    return prefix, sum(int(c) * w for c, w in zip(prefix, _WEIGHTS[:14], strict=True))


def birth_date(index: int) -> date:
    return _BIRTHS[_decode(index)[1]]


def id_number(index: int) -> str:
    lineage, day, seq = _decode(index)
    prefix, weighted = _prefixes()[lineage][day]
    return prefix + _SEQ_TEXT[seq] + _CHECK[(weighted + _SEQ_SUMS[seq]) % 11]


def identity(index: int) -> tuple[str, date, str]:
    """(resident ID number, birth date, sex) of the ``index``-th person in one decoding."""
    lineage, day, seq = _decode(index)
    prefix, weighted = _prefixes()[lineage][day]
    number = prefix + _SEQ_TEXT[seq] + _CHECK[(weighted + _SEQ_SUMS[seq]) % 11]
    return number, _BIRTHS[day], "M" if seq % 2 else "F"


def sex_of(index: int) -> str:
    """'M' or 'F' as GB 11643 encodes it: the sequence's parity."""
    return "M" if _decode(index)[2] % 2 else "F"


def person_name(rng: Random, sex: str) -> str:
    surname = rng.choice(_COMMON_SURNAMES) if rng.random() < 0.45 else rng.choice(SURNAMES)
    pool = MALE_GIVEN if sex == "M" else FEMALE_GIVEN
    given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
    return surname + given
