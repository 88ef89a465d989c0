"""Pure rules of names: shape (RG-2, RG-13, RG-15) and comparison keys."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from socorg.registry.rules import names as nr

REGIONS = frozenset({"山东省", "日照市", "东港区", "岚山区", "五莲县", "莒县"})

# Names as people type them: CJK, ASCII and full-width letters and digits, spaces, punctuation.
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
FULL_WIDTH = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)
ASCII = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
NOISE = st.sampled_from(list(" \u3000\t·・、，。（）()《》“”\"'-—_/!！?？:：;；【】[]"))
TEXT = st.text(st.one_of(CJK, FULL_WIDTH, ASCII, NOISE), max_size=30)
NAMES = st.sampled_from(
    [
        "日照市东港区书法家协会",
        "日照市养老服务协会",
        "日照市教育学会",
        "五莲县茶叶商会",
        "日照市阳光养老服务中心",
        "日照市慈善基金会",
        "莒县RIZHAO2024俱乐部",
    ]
)


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in text)


@given(TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = nr.normalize(text)
    assert nr.normalize(once) == once


@given(ASCII.filter(str.isalnum).map(lambda c: c * 3), NAMES)
def test_full_width_variants_normalize_to_the_same(ascii_word: str, name: str) -> None:
    half = name[:3] + ascii_word + name[3:]
    assert nr.normalize(to_full_width(half)) == nr.normalize(half)


@given(NAMES, st.lists(st.tuples(st.integers(0, 40), NOISE), max_size=6))
def test_spaces_and_punctuation_never_change_the_keys(
    name: str, inserts: list[tuple[int, str]]
) -> None:
    noisy = name
    for position, mark in inserts:
        noisy = noisy[:position] + mark + noisy[position:]
    assert nr.parse_name(noisy, REGIONS) == nr.parse_name(name, REGIONS)
    assert nr.confusion_kind(noisy, name, REGIONS) == "exact"


def test_normalize_folds_width_case_and_traditional_characters() -> None:
    assert nr.normalize("日照市 書法家協會（ＲＺ）") == "日照市书法家协会RZ"
    assert unicodedata.is_normalized("NFKC", nr.normalize("ｒｉｚｈａｏ"))


def test_parse_name_splits_region_core_and_form_rg15() -> None:
    parts = nr.parse_name("日照市东港区书法家协会", REGIONS)
    assert (parts.region, parts.core, parts.org_form) == ("日照市东港区", "书法家", "协会")
    assert parts.segments == ("日照市", "东港区")


def test_parse_name_knows_short_region_names_but_not_one_character_ones() -> None:
    assert nr.parse_name("日照书法家协会", REGIONS).segments == ("日照市",)
    assert nr.parse_name("莒县茶叶商会", REGIONS).segments == ("莒县",)
    assert nr.parse_name("莒茶叶商会", REGIONS).segments == ()


def test_parse_name_recognises_unknown_regions_by_suffix_only_at_the_start() -> None:
    assert nr.parse_name("青岛市摄影协会", REGIONS).segments == ("青岛市",)
    parts = nr.parse_name("日照市农贸市场协会", REGIONS)
    assert (parts.segments, parts.core) == (("日照市",), "农贸市场")
    assert nr.parse_name("日照市城市规划学会", REGIONS).core == "城市规划"


def test_longest_form_wins() -> None:
    assert nr.parse_name("日照市阳光养老服务中心", REGIONS).org_form == "服务中心"
    assert nr.parse_name("日照市海洋研究会", REGIONS).org_form == "研究会"
    assert nr.parse_name("日照市阳光", REGIONS).org_form == ""


def test_form_fits_type() -> None:
    assert nr.form_fits_type("协会", "social_group")
    assert not nr.form_fits_type("基金会", "social_group")
    assert nr.form_fits_type("基金会", "foundation")
    assert nr.form_fits_type("幼儿园", "social_service_agency")
    assert not nr.form_fits_type("幼儿园", "foundation")
    assert nr.form_fits_type("俱乐部", "social_group") and nr.form_fits_type(
        "俱乐部", "social_service_agency"
    )


def test_forbidden_national_words_rg2() -> None:
    assert nr.forbidden_national_words("日照市中华文化促进会", "city") == ["中华"]
    assert nr.forbidden_national_words("日照市中國象棋協會", "county") == ["中国"]
    assert nr.forbidden_national_words("中国书法家协会", "national") == []
    assert nr.forbidden_national_words("日照市书法家协会", "city") == []


def test_core_key_drops_fillers_and_pinyin_key_joins_homophones() -> None:
    key = nr.core_key(nr.parse_name("日照市养老服务发展协会", REGIONS))
    assert key == "养老"
    assert nr.pinyin_key("物流") == nr.pinyin_key("物留") == "wu liu"
    assert nr.core_key(nr.NameParts(region="", core="的", org_form="")) == "的"
    school = nr.parse_name("日照市蓝天艺术培训学校", REGIONS)
    assert nr.form_descriptor(school.org_form) == "培训"
    assert nr.core_key(school) == nr.core_key(nr.parse_name("日照市蓝天艺术培训行业学校", REGIONS))


def test_equivalent_forms_group_confusable_forms() -> None:
    assert set(nr.equivalent_forms("协会")) >= {"协会", "联合会", "促进会", "商会"}
    assert nr.equivalent_forms("学会") == ("学会", "研究会")
    assert nr.equivalent_forms("基金会") == ("基金会",)
    assert nr.form_group("协会") != nr.form_group("学会")


def test_confusion_kinds_rg15() -> None:
    existing = "日照市物流协会"
    cases = {
        "日照市物流协会": "exact",
        "日照市 物流協會": "traditional",
        "日照物流协会": "region",
        "日照市物流促进会": "form",
        "日照市物流服务协会": "filler",
        "日照市物留协会": "homophone",
        "日照市物流写会": "homophone",
        "日照市物流学会": None,
        "日照市仓储协会": None,
    }
    for proposed, kind in cases.items():
        assert nr.confusion_kind(proposed, existing, REGIONS) == kind, proposed


def test_region_problem_rg15() -> None:
    allowed = {"日照市", "东港区"}
    assert nr.region_problem(("日照市", "东港区"), own="东港区", allowed=allowed) is None
    assert nr.region_problem((), own="东港区", allowed=allowed) == ("no_region", "")
    assert nr.region_problem(("岚山区",), own="东港区", allowed=allowed) == (
        "region_outside",
        "岚山区",
    )
    assert nr.region_problem(("日照市",), own="东港区", allowed=allowed) == (
        "region_not_own",
        "日照市",
    )


def test_authority_code_by_level() -> None:
    assert nr.authority_code("city", "371102") == "371100"
    assert nr.authority_code("county", "371102001000") == "371102"
    assert nr.authority_code("province", "371102") == "370000"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 5))
def test_reuse_is_blocked_until_the_anniversary_rg13(ended: date, years: int) -> None:
    until = nr.add_years(ended, years)
    assert nr.reuse_blocked(ended, years, date.fromordinal(until.toordinal() - 1))
    assert not nr.reuse_blocked(ended, years, until)
    assert not nr.reuse_blocked(None, years, ended)


def test_homophone_on_a_filler_character_or_in_the_form_is_caught_by_the_sound_key() -> None:
    assert nr.confusion_kind("日照市合美酒店协会", "日照市和美酒店协会", REGIONS) == "homophone"
    assert (
        nr.confusion_kind("日照市尚德支业培训学校", "日照市尚德职业培训学校", REGIONS)
        == "homophone"
    )
    assert nr.sound_key(nr.parse_name("日照市和美协会", REGIONS)) == "he mei xie hui"


# --- reordered words and abbreviations (RG-15) ------------------------------------------------


def test_core_words_follow_the_vocabulary_then_two_character_chunks() -> None:
    def words(core: str) -> list[tuple[str, str]]:
        return list(nr.core_words(core))

    assert words("青少年书画") == [("青少年", nr.WORD), ("书画", nr.WORD)]
    assert words("阳光电子商务") == [("阳光", nr.CHUNK), ("电子", nr.WORD), ("商务", nr.WORD)]
    assert words("摄影家") == [("摄影家", nr.WORD)]
    assert words("家庭教育") == [("家庭", nr.WORD), ("教育", nr.WORD)]
    assert words("社会工作") == [("社会", nr.WORD), ("工作", nr.WORD)]
    assert words("养老服务") == [("养老", nr.WORD), ("服务", nr.FILLER)]
    assert words("鸿泰星物流") == [("鸿泰", nr.CHUNK), ("星", nr.CHUNK), ("物流", nr.WORD)]


@given(TEXT, st.sampled_from(["", "协会", "服务中心"]))
def test_encoded_words_round_trip(text: str, org_form: str) -> None:
    words = nr.core_words(nr.normalize(text))
    assert nr.decode_words(nr.encode_words(words, org_form)) == (words, org_form)


def test_rg15_reordered_words_are_confusable() -> None:
    pairs = [
        ("日照市青少年书画协会", "日照市书画青少年协会"),
        ("日照市文化旅游协会", "日照市旅游文化协会"),
        ("日照市文化旅游协会", "日照市旅游和文化促进会"),
        ("日照市东港区阳光养老护理服务中心", "日照市东港区阳光护理养老服务中心"),
    ]
    for existing, proposed in pairs:
        assert nr.confusion_kind(proposed, existing, REGIONS) == "reordered", proposed
    assert nr.name_keys(pairs[0][0], REGIONS).bag_key == "书画 青少年"


def test_rg15_reordered_words_under_a_form_of_another_group_are_not_confusable() -> None:
    assert nr.confusion_kind("日照市旅游文化学会", "日照市文化旅游协会", REGIONS) is None


def test_rg15_reordered_words_with_one_replaced_stay_clean() -> None:
    assert nr.confusion_kind("日照市旅游体育协会", "日照市文化旅游协会", REGIONS) is None
    assert nr.confusion_kind("日照市书画老年协会", "日照市青少年书画协会", REGIONS) is None


def test_rg15_abbreviation_is_confusable() -> None:
    pairs = [
        ("日照市电子商务协会", "日照市电商协会"),
        ("日照市电商协会", "日照市电子商务协会"),  # the registered name is the short one
        ("日照市摄影家协会", "日照摄协"),
        ("日照市东港区阳光跨境电子商务促进会", "日照市东港区阳光跨境电商促进会"),
        ("日照市社会工作协会", "日照市社工协会"),
        ("日照市中小企业协会", "日照市中小企协会"),
        ("日照市文化和旅游协会", "日照市文旅协会"),
    ]
    for existing, proposed in pairs:
        assert nr.confusion_kind(proposed, existing, REGIONS) == "abbreviation", proposed
    full, short = nr.name_keys(pairs[0][0], REGIONS), nr.name_keys(pairs[0][1], REGIONS)
    assert full.abbreviation_key == short.abbreviation_key == "电商协"


def test_rg15_short_name_of_a_whole_organization_is_confusable() -> None:
    pairs = [
        ("日照市科学技术协会", "日照科协"),
        ("日照市文学艺术界联合会", "日照市文联"),
        ("日照市戏剧家协会", "日照剧协"),
        ("日照市游泳协会", "日照泳协"),
    ]
    for existing, proposed in pairs:
        assert nr.confusion_kind(proposed, existing, REGIONS) == "abbreviation", proposed
    assert nr.name_keys("日照市科学技术协会", REGIONS).short_key == "科协"
    assert nr.name_keys("日照市阳光科学技术协会", REGIONS).short_key == ""


def test_rg15_names_that_abbreviate_alike_by_accident_stay_clean() -> None:
    pairs = [
        ("日照市电子商务协会", "日照市电力商贸协会"),
        ("日照市文化创意协会", "日照市文学创作协会"),
    ]
    for existing, proposed in pairs:
        same = nr.name_keys(existing, REGIONS).abbreviation_key
        assert nr.name_keys(proposed, REGIONS).abbreviation_key == same
        assert nr.confusion_kind(proposed, existing, REGIONS) is None, proposed


def test_rg15_another_organizations_short_name_stays_clean() -> None:
    assert nr.confusion_kind("日照书协", "日照市摄影家协会", REGIONS) is None
    assert nr.confusion_kind("日照市书协会", "日照市摄影家协会", REGIONS) is None
    assert nr.confusion_kind("日照市电竞协会", "日照市电子商务协会", REGIONS) is None


def test_rg15_a_qualifier_or_another_field_is_still_not_an_abbreviation() -> None:
    assert nr.confusion_kind("日照市青年书法协会", "日照市书法协会", REGIONS) is None
    assert nr.confusion_kind("日照市书画协会", "日照市书法家协会", REGIONS) is None


def test_stored_keys_compare_like_a_fresh_parse() -> None:
    keys = nr.name_keys("日照市東港區陽光電子商務協會", REGIONS)
    stored = nr.NameKeys(**{f: getattr(keys, f) for f in keys.__dataclass_fields__})
    assert (stored.core, stored.org_form) == ("阳光电子商务", "协会")
    assert nr.confusion(nr.name_keys("日照市东港区阳光电商协会", REGIONS), stored) == "abbreviation"
