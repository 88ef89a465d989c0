"""Pure rules of the name check (名称查重): name shape and comparison keys.

A full name is region + core name (字号/行业) + organization form (RG-15). No ORM, no request:
plain strings in, plain values out. Regions are passed in as data (names of jurisdictions).

Comparison model (RG-15 "duplicate or confusingly similar names within one authority"):

- ``normalize`` folds what a reader does not see as a different name: full-width/half-width
  (NFKC), case, spaces, punctuation and symbols, traditional and variant characters.
- ``core_key`` also drops filler words (``FILLER_WORDS``): "日照市养老服务协会" and "日照市养老协会"
  share the key "养老".
- ``pinyin_key`` is the toneless pinyin of the core key: cores that sound the same (同音字)
  share it. Equal core keys always have equal pinyin keys, so one indexed equality lookup on the
  pinyin key finds exact, traditional, filler, form and homophone look-alikes together.
- ``sound_key`` is the toneless pinyin of core + form with the fillers kept: it catches a
  homophone that falls on a filler character (和美 / 合美) or inside the form.
- ``bag_key`` is the core's words (``core_words``) without fillers, sorted: cores that use the
  same words in another order (文化旅游 / 旅游文化) share it.
- ``abbreviation_key`` is the core and form with every vocabulary word cut to its first
  character and filler words dropped (电子商务协会 → 电商协, 摄影家协会 → 摄协): a name and its
  abbreviation (简称) share it. Sharing the key is not enough: two full names may abbreviate
  alike by accident (电子商务 / 电力商业), so ``abbreviates`` then checks that one name is the
  other with words shortened. ``short_key`` is the short name of a whole organization when it
  is not the abbreviation key (科学技术协会 → 科协, 戏剧家协会 → 剧协).
- ``FORM_GROUPS``: forms that the public confuses for the same core. 协会, 联合会, 促进会, 商会,
  总会 and 联谊会 are one group (an association of the same trade); 学会 and 研究会 are one group
  (a learned society); each other form is its own group, so "书法协会" and "书法研究院" do not
  collide. A core under a form of another group is not a conflict by this check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

import opencc
from pypinyin import Style, lazy_pinyin

from socorg.core.models import JurisdictionLevel

# RG-2: words reserved for national organizations.
NATIONAL_WORDS = ("中国", "全国", "中华")

# Organization forms by type (RG-15). A form may fit more than one type (俱乐部).
SOCIAL_GROUP_FORMS = frozenset(
    {
        "协会", "学会", "商会", "促进会", "研究会", "联合会", "联谊会", "同乡会", "校友会",
        "总会", "俱乐部",
    }
)  # fmt: skip
SOCIAL_SERVICE_AGENCY_FORMS = frozenset(
    {
        "中心", "服务中心", "学校", "培训学校", "职业培训学校", "幼儿园", "院", "研究院",
        "养老院", "敬老院", "医院", "服务社", "社", "服务站", "站", "所", "研究所", "事务所",
        "馆", "博物馆", "图书馆", "纪念馆", "美术馆", "俱乐部",
    }
)  # fmt: skip
FOUNDATION_FORMS = frozenset({"基金会"})
COMMUNITY_ORGANIZATION_FORMS = (
    SOCIAL_GROUP_FORMS
    | SOCIAL_SERVICE_AGENCY_FORMS
    | frozenset({"队", "团", "服务队", "志愿服务队"})
)
FORMS_BY_TYPE: dict[str, frozenset[str]] = {
    "social_group": SOCIAL_GROUP_FORMS,
    "social_service_agency": SOCIAL_SERVICE_AGENCY_FORMS,
    "foundation": FOUNDATION_FORMS,
    "community_organization": COMMUNITY_ORGANIZATION_FORMS,
}
ALL_FORMS = tuple(sorted(frozenset().union(*FORMS_BY_TYPE.values()), key=lambda f: (-len(f), f)))
TYPE_LABELS = {
    "social_group": "社会团体",
    "social_service_agency": "社会服务机构",
    "foundation": "基金会",
    "community_organization": "社区社会组织",
}

# Confusable forms: same group + same core key = confusable (see module docstring).
_GROUPS: dict[str, tuple[str, ...]] = {
    "association": ("协会", "联合会", "促进会", "商会", "总会", "联谊会"),
    "society": ("学会", "研究会"),
    "center": ("中心", "服务中心", "服务社", "社", "服务站", "站"),
    "school": ("学校", "培训学校", "职业培训学校"),
    "elderly_home": ("养老院", "敬老院"),
    "institute": ("研究院", "研究所", "院", "所"),
    "museum": ("馆", "博物馆", "纪念馆", "美术馆"),
    "team": ("队", "服务队", "志愿服务队", "团"),
}
FORM_GROUPS: dict[str, str] = {form: group for group, forms in _GROUPS.items() for form in forms}

# Words that do not tell two cores apart (compared without them). Multi-character words are
# removed before single characters. 市 is a region remnant inside a core (日照市市政协会 vs
# 日照市政协会). 培训 is generic for schools (艺术学校 vs 艺术培训学校).
FILLER_WORDS = (
    "联合", "发展", "服务", "行业", "事业", "工作", "促进", "培训",
    "的", "之", "与", "和", "及", "暨", "市",
)  # fmt: skip

# Words of cores (``core_words``): trades, fields and the people organizations serve, written in
# full. Common abbreviations (科技, 环保, 电商, 文创, 社工 …) are deliberately absent: an
# abbreviation is compared character by character, so 电商 meets 电子商务 cut to its initials.
FIELD_WORDS = (
    # culture and arts
    "文化", "文学", "艺术", "文艺", "书法", "书画", "绘画", "美术", "摄影", "音乐", "舞蹈", "戏剧",
    "戏曲", "电影", "电视", "曲艺", "杂技", "民间", "民俗", "诗词", "诗歌", "楹联", "收藏", "集邮",
    "剪纸", "面塑", "刺绣", "陶艺", "陶瓷", "玉石", "篆刻", "朗诵", "合唱", "京剧", "吕剧", "评剧",
    "话剧", "动漫", "游戏", "创意", "创作", "出版", "新闻", "广播", "阅读", "图书", "非遗", "传统",
    "国学", "茶艺", "花卉", "盆景", "作家",
    # sports
    "体育", "健身", "运动", "足球", "篮球", "排球", "网球", "田径", "游泳", "围棋", "象棋", "桥牌",
    "武术", "太极拳", "乒乓球", "羽毛球", "台球", "门球", "登山", "钓鱼", "骑行", "跑步", "马拉松",
    "徒步", "瑜伽", "拳击", "跆拳道", "射击", "航模", "龙舟", "帆船", "滑雪",
    # people served or organized
    "青年", "青少年", "少年", "儿童", "少儿", "妇女", "女子", "老年", "老年人", "老人", "大学生",
    "学生", "教师", "校友", "退役", "军人", "残疾人", "志愿者", "消费者", "企业家", "职工", "农民",
    "律师", "医师", "护士", "工程师", "会计师", "劳动者", "华侨",
    # social affairs, health, law
    "社会", "社区", "家庭", "婚姻", "慈善", "公益", "志愿", "养老", "助老", "托育", "托幼", "康复",
    "护理", "心理", "健康", "卫生", "医疗", "医药", "中医", "中医药", "调解", "法律", "法学", "援助",
    "救助", "救援", "助残", "助学", "安宁", "疗护", "殡葬", "家政",
    # economy and trades
    "电子", "商务", "信息", "网络", "互联网", "软件", "计算机", "通信", "人工", "智能", "数据",
    "数字", "电力", "能源", "新能源", "汽车", "机械", "制造", "化工", "钢铁", "建筑", "建筑业",
    "建材", "装饰", "装修", "家具", "家居", "房地产", "物业", "物流", "快递", "运输", "交通", "仓储",
    "商贸", "贸易", "对外", "进出口", "零售", "连锁", "餐饮", "酒店", "烹饪", "食品", "旅游", "会展",
    "广告", "印刷", "包装", "纺织", "服装", "皮革", "金融", "银行", "保险", "证券", "投资", "担保",
    "贷款", "融资", "会计", "审计", "税务", "资产", "评估", "咨询", "管理", "质量", "标准", "计量",
    "检测", "认证", "安全", "生产", "消防", "环境", "保护", "生态", "节能", "资源", "水利", "林业",
    "园林", "绿化", "农业", "农村", "渔业", "畜牧", "水产", "蔬菜", "果品", "蜂业", "种子", "粮食",
    "茶叶", "海洋", "港口", "航运", "船舶", "市场", "市政", "营销", "企业", "中小", "民营", "个体",
    "工商", "工商业", "私营", "外商", "城市", "规划", "乡村", "宠物", "人力", "公共", "关系",
    "家用", "电器", "小额", "维修", "防范", "竞技", "知识", "产权", "国际", "开发", "彩票", "福利",
    "美容", "种植", "养殖", "鉴赏", "户外", "休闲", "红色",
    # science and education
    "科学", "技术", "科普", "教育", "职业", "学前", "特殊", "高等", "成人", "研究", "数学", "物理",
    "化学", "生物", "地理", "历史", "哲学", "经济", "统计",
)  # fmt: skip
# Fixed terms that contain a filler word (工作, 服务): one word for the segmentation, so the
# filler is not dropped from their abbreviation (社会工作 → 社工).
COMPOUND_WORDS: dict[str, tuple[str, ...]] = {
    "社会工作": ("社会", "工作"),
    "志愿服务": ("志愿", "服务"),
}
# A person of the field: 摄影家, 书法家 (one word, abbreviated to its first character).
PERSON_SUFFIX = "家"

# Variant characters (异体字) that the traditional-to-simplified table leaves alone.
VARIANTS = str.maketrans({"衞": "卫", "衹": "只", "峯": "峰", "羣": "群", "甯": "宁", "囯": "国"})

# A region that is not in the jurisdiction data, recognised by its suffix at the start only.
GENERIC_REGION = re.compile(
    r"[\u4e00-\u9fff]{2,4}?(?:自治区|自治州|自治县|省|市|区|县|旗|盟)(?![场民域级])"
)
GENERIC_REGION_STOPWORDS = frozenset(
    {"老城区", "新城区", "风景区", "开发区", "示范区", "保护区", "试验区", "功能区", "旅游区",
     "中心区", "商业区", "居住区", "生活区", "工业区", "农业区", "少数民族"}
)  # fmt: skip
# Regions shorter than this after dropping their suffix keep the suffix (莒县 is never 莒).
MIN_SHORT_REGION = 2

_T2S = opencc.OpenCC("t2s")


def _traditional_chars() -> frozenset[str] | None:
    """Characters that the t2s tables convert (None if the tables cannot be read): a name
    without any of them is already simplified, and the slow phrase converter is skipped."""
    tables = Path(opencc.__file__).parent / "dictionary"
    chars: set[str] = set()
    try:
        for line in (tables / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
            source, _, targets = line.partition("\t")
            if source and source != targets.split(" ")[0]:
                chars.add(source)
        for line in (tables / "TSPhrases.txt").read_text(encoding="utf-8").splitlines():
            source, _, targets = line.partition("\t")
            target = targets.split(" ")[0]
            chars.update(c for i, c in enumerate(source) if i >= len(target) or target[i] != c)
    except OSError:
        return None
    return frozenset(chars)


_TRADITIONAL = _traditional_chars()
_VARIANT_CHARS = frozenset("衞衹峯羣甯囯")


@dataclass(frozen=True)
class NameParts:
    """A parsed name. ``segments`` are the full names of the regions found (日照 → 日照市)."""

    region: str
    core: str
    org_form: str
    segments: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, str]:
        return {"region": self.region, "core": self.core, "org_form": self.org_form}


def _strip_marks(text: str) -> str:
    """Drop spaces, punctuation, symbols and control characters."""
    if text.isalnum():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


def light_normalize(name: str) -> str:
    """Width, case, spaces and punctuation only (NFKC); the characters themselves kept."""
    return _strip_marks(unicodedata.normalize("NFKC", name)).upper()


def _fold_once(name: str) -> str:
    light = light_normalize(name)
    if _TRADITIONAL is not None and _TRADITIONAL.isdisjoint(light):
        if _VARIANT_CHARS.isdisjoint(light):
            return light
        return light_normalize(light.translate(VARIANTS))
    return light_normalize(_T2S.convert(light).translate(VARIANTS))


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """The comparison form of a name: NFKC, upper case, no spaces/punctuation, simplified.

    Idempotent: folding is repeated until it is stable."""
    current = _fold_once(name)
    for _ in range(3):
        folded = _fold_once(current)
        if folded == current:
            break
        current = folded
    return current


@lru_cache(maxsize=256)
def _region_variants(regions: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(text as written, full region name), longest text first. 日照市 is also written 日照."""
    pairs: dict[str, str] = {}
    for full in regions:
        name = normalize(full)
        if not name:
            continue
        pairs.setdefault(name, full)
        short = re.sub(r"(自治区|自治州|自治县|省|市|区|县|旗|盟)$", "", name)
        if short != name and len(short) >= MIN_SHORT_REGION:
            pairs.setdefault(short, full)
    for word in NATIONAL_WORDS:
        pairs.setdefault(word, word)
    return tuple(sorted(pairs.items(), key=lambda p: (-len(p[0]), p[0])))


def _split_form(name: str) -> tuple[str, str]:
    for form in ALL_FORMS:
        if name.endswith(form) and len(name) > len(form):
            return name[: -len(form)], form
    return name, ""


def _next_region(
    rest: str, variants: tuple[tuple[str, str], ...], first: bool
) -> tuple[str, str] | None:
    """The region at the start of ``rest`` as (text, full name); generic ones only first."""
    for text, full in variants:
        if rest.startswith(text):
            return text, full
    if first:
        match = GENERIC_REGION.match(rest)
        if match and match.group() not in GENERIC_REGION_STOPWORDS:
            return match.group(), match.group()
    return None


def parse_name(name: str, regions: Collection[str] = ()) -> NameParts:
    """RG-15: split a proposed name into region + core + organization form.

    ``regions`` are jurisdiction names (山东省, 日照市, 东港区 …); the longest known region is
    taken first, repeatedly, and an unknown one (e.g. 青岛市) is recognised by its suffix."""
    normalized = normalize(name)
    body, org_form = _split_form(normalized)
    variants = _region_variants(frozenset(regions))
    region_text, rest = "", body
    segments: list[str] = []
    while found := _next_region(rest, variants, first=not segments):
        text, full = found
        region_text, rest = region_text + text, rest[len(text) :]
        segments.append(full)
    return NameParts(region=region_text, core=rest, org_form=org_form, segments=tuple(segments))


def form_fits_type(org_form: str, org_type: str) -> bool:
    """RG-15 / RG-13: the organization form must be one its type may use."""
    return org_form in FORMS_BY_TYPE.get(org_type, frozenset())


def form_group(org_form: str) -> str:
    """The group of confusable forms; a form outside any group is its own group."""
    return FORM_GROUPS.get(org_form, org_form)


def forbidden_national_words(name: str, level: str) -> list[str]:
    """RG-2: words a local organization may not use (中国 / 全国 / 中华)."""
    if level == "national":
        return []
    normalized = normalize(name)
    return [word for word in NATIONAL_WORDS if word in normalized]


@lru_cache(maxsize=65536)
def strip_fillers(core: str) -> str:
    """``core`` without filler words (the core itself when nothing else would be left)."""
    key = normalize(core)
    for word in FILLER_WORDS:
        key = key.replace(word, "")
    return key or normalize(core)


@lru_cache(maxsize=256)
def form_descriptor(org_form: str) -> str:
    """The words a form adds to a shorter form of its group (培训学校 → 培训, 服务中心 → 服务):
    they belong to the core for comparison, so 艺术培训学校 and 艺术培训行业学校 compare equal."""
    bases = [f for f in equivalent_forms(org_form) if f != org_form and org_form.endswith(f)]
    return org_form[: -len(min(bases, key=len))] if bases else ""


def core_key(parts: NameParts) -> str:
    """Comparison key of the core: simplified, with the form's descriptor, filler words removed
    (never empty if the core is not)."""
    return strip_fillers(parts.core + form_descriptor(parts.org_form))


@lru_cache(maxsize=65536)
def pinyin_key(core: str) -> str:
    """Toneless pinyin of a core key, syllables separated by spaces: homophones share it."""
    return " ".join(lazy_pinyin(core, style=Style.NORMAL))


def sound_key(parts: NameParts) -> str:
    """Toneless pinyin of core + form as written (fillers kept): catches homophones that fall
    on a filler character (和美 / 合美) or inside the form (职业培训学校 / 支业培训学校)."""
    return pinyin_key(parts.core + parts.org_form)


# --- words of a core: the bag and abbreviation keys ------------------------------------------

WORD, FILLER, CHUNK = "w", "f", "c"  # roles of a core's words (``core_words``)
Words = tuple[tuple[str, str], ...]


def _vocabulary() -> dict[str, str]:
    """Every word the segmentation knows, with its role (built once, at import)."""
    vocabulary = dict.fromkeys(FIELD_WORDS, WORD)
    vocabulary.update(dict.fromkeys(COMPOUND_WORDS, WORD))
    vocabulary.update(dict.fromkeys(FILLER_WORDS, FILLER))
    return vocabulary


_VOCABULARY = _vocabulary()
_LONGEST_WORD = max(map(len, _VOCABULARY))


def _word_at(text: str, i: int) -> str | None:
    """The longest vocabulary word that starts at ``text[i]``."""
    for n in range(min(_LONGEST_WORD, len(text) - i), 0, -1):
        if text[i : i + n] in _VOCABULARY:
            return text[i : i + n]
    return None


@lru_cache(maxsize=65536)
def core_words(core: str) -> Words:
    """The words of a (normalized) core as (text, role), left to right. The rule: the longest
    word of the vocabulary (``FIELD_WORDS``, ``COMPOUND_WORDS``, ``FILLER_WORDS``) that starts
    here; a field word followed by 家 takes it (摄影家) unless a word starts at 家 (家庭);
    a compound gives its parts (社会工作 → 社会, 工作); any other text is cut in two-character
    chunks (字号 such as 阳光), a chunk stopping short where a vocabulary word starts."""
    words: list[tuple[str, str]] = []
    i = 0
    while i < len(core):
        word = _word_at(core, i)
        if word is None:
            n = 1 if i + 1 < len(core) and _word_at(core, i + 1) else 2
            words.append((core[i : i + n], CHUNK))
        elif word in COMPOUND_WORDS:
            words.extend((part, WORD) for part in COMPOUND_WORDS[word])
        else:
            end = i + len(word)
            role = _VOCABULARY[word]
            if role == WORD and core.startswith(PERSON_SUFFIX, end) and not _word_at(core, end):
                word += PERSON_SUFFIX
            words.append((word, role))
        i += len(words[-1][0]) if word is None else len(word)
    return tuple(words)


def bag_key(parts: NameParts) -> str:
    """The core's words (with the form's descriptor, as ``core_key``) without fillers, sorted and
    space-separated: 青少年书画 and 书画青少年 share it."""
    words = core_words(parts.core + form_descriptor(parts.org_form))
    kept = sorted(text for text, role in words if role != FILLER)
    return " ".join(kept) if kept else core_key(parts)


def abbreviation_key(parts: NameParts) -> str:
    """Initials of the core's vocabulary words, other text as written, fillers dropped, then the
    first character of the form: 电子商务协会 → 电商协, 摄影家协会 → 摄协, 阳光电商协会 → 阳光电商协;
    an abbreviated name keeps its characters (日照摄协 → 摄协), so it meets its full name."""
    initials = "".join(
        text if role == CHUNK else text[0] if role == WORD else ""
        for text, role in core_words(parts.core)
    )
    return (initials or parts.core) + parts.org_form[:1]


def short_key(parts: NameParts) -> str:
    """The short name (简称) of a whole organization whose core starts with a field word: one
    character of the core and the first of the form. A one-word core gives the last character of
    its word (戏剧家协会 → 剧协, 游泳协会 → 泳协; the first one is the abbreviation key: 摄协); a
    longer one the first character of its first word (科学技术协会 → 科协, 文学艺术界联合会 →
    文联). Empty when the core starts with a 字号, or when it equals the abbreviation key."""
    words = [(text, role) for text, role in core_words(parts.core) if role != FILLER]
    if not words or words[0][1] != WORD or not parts.org_form:
        return ""
    if len(words) == 1:
        key = words[0][0].removesuffix(PERSON_SUFFIX)[-1:] + parts.org_form[0]
    else:
        key = words[0][0][0] + parts.org_form[0]
    return "" if key == abbreviation_key(parts) else key


def abbreviates(short: NameKeys, full: NameKeys) -> bool:
    """``short`` is ``full`` with words cut short: its core and form, as written, are ``full``'s
    words and form in order, each kept or cut to its first characters (a 字号 chunk kept whole, a
    filler possibly dropped), at least one of them cut (电商协会 / 电子商务协会, 摄协 / 摄影家协会);
    or ``short`` has no form and is ``full``'s short name (``short_key``: 科协 / 科学技术协会)."""
    if full.short_key and not short.org_form and short.core == full.short_key:
        return True
    target = short.core + short.org_form
    items = full.words + (((full.org_form, WORD),) if full.org_form else ())
    if len(target) >= len(full.core + full.org_form):
        return False
    reach = {0}  # positions of ``target`` reachable so far
    for text, role in items:
        ahead: set[int] = set()
        for at in reach:
            if role == FILLER:
                ahead.add(at)
            cuts = (len(text),) if role == CHUNK else range(1, len(text) + 1)
            ahead.update(at + n for n in cuts if target.startswith(text[:n], at))
        reach = ahead
    return len(target) in reach


def encode_words(words: Words, org_form: str) -> str:
    """The stored form of a name's words and form: 阳光 (chunk) 电子 商务 行业 (filler) 协会 →
    ``=阳光 电子 商务 -行业/协会`` (normalized text holds none of ``= - /`` or spaces)."""
    marks = {CHUNK: "=", FILLER: "-", WORD: ""}
    return " ".join(marks[role] + text for text, role in words) + "/" + org_form


def decode_words(stored: str) -> tuple[Words, str]:
    """Inverse of ``encode_words``: (words, form)."""
    body, _, org_form = stored.rpartition("/")
    roles = {"=": CHUNK, "-": FILLER}
    words = tuple(
        (item[1:], roles[item[0]]) if item[0] in roles else (item, WORD)
        for item in body.split(" ")
        if item
    )
    return words, org_form


@dataclass(frozen=True)
class NameKeys:
    """What the comparison of two names needs, computed once per name (``name_keys``) and stored
    in the name index, so a check never parses a registered name again."""

    name: str
    normalized: str
    form_group: str
    core_key: str
    pinyin_key: str
    sound_key: str
    bag_key: str
    abbreviation_key: str
    short_key: str
    encoded_words: str

    @cached_property
    def _decoded(self) -> tuple[Words, str]:
        return decode_words(self.encoded_words)

    @property
    def words(self) -> Words:
        return self._decoded[0]

    @property
    def org_form(self) -> str:
        return self._decoded[1]

    @property
    def core(self) -> str:
        return "".join(text for text, _role in self.words)


def keys_of(name: str, parts: NameParts) -> NameKeys:
    """The keys of ``name`` parsed as ``parts``, cut to the sizes of the name index's columns
    (so a proposal is looked up with exactly what its registered twin stored)."""
    key = core_key(parts)
    return NameKeys(
        name=name,
        normalized=normalize(name)[:100],
        form_group=form_group(parts.org_form)[:20],
        core_key=key[:100],
        pinyin_key=pinyin_key(key)[:400],
        sound_key=sound_key(parts)[:400],
        bag_key=bag_key(parts)[:200],
        abbreviation_key=abbreviation_key(parts)[:100],
        short_key=short_key(parts)[:100],
        encoded_words=encode_words(core_words(parts.core), parts.org_form)[:300],
    )


def name_keys(name: str, regions: Collection[str] = ()) -> NameKeys:
    """The comparison keys of ``name`` (RG-15), parsed with ``regions``."""
    return keys_of(name, parse_name(name, regions))


def equivalent_forms(org_form: str) -> tuple[str, ...]:
    """The forms confusable with ``org_form`` (itself included)."""
    group = form_group(org_form)
    return _GROUPS.get(group, (org_form,))


def confusion_kind(proposed: str, existing: str, regions: Collection[str] = ()) -> str | None:
    """How ``proposed`` is confusable with ``existing`` (RG-15), or None; see ``confusion``."""
    return confusion(name_keys(proposed, regions), name_keys(existing, regions))


def confusion(p: NameKeys, e: NameKeys) -> str | None:
    """How the name with keys ``p`` is confusable with the one with keys ``e`` (RG-15), or None.

    exact: the same name but for width, spacing or punctuation; traditional: differs only by
    traditional or variant characters; region: same core and form, region written differently;
    form: same core under a confusable form; filler: cores differ only by filler words;
    homophone: cores sound the same; reordered: the same words of the core in another order;
    abbreviation: one name is the other with words cut short (电商 / 电子商务, 摄协 / 摄影家协会).
    """
    if p.normalized == e.normalized:
        return "exact" if light_normalize(p.name) == light_normalize(e.name) else "traditional"
    same_group = p.form_group == e.form_group
    if same_group and p.core_key == e.core_key:
        if p.core != e.core:
            return "filler"
        return "form" if p.org_form != e.org_form else "region"
    if (same_group and p.pinyin_key == e.pinyin_key) or p.sound_key == e.sound_key:
        return "homophone"
    if same_group and p.bag_key == e.bag_key:
        return "reordered"
    if abbreviates(p, e) or abbreviates(e, p):
        return "abbreviation"
    return None


def region_problem(
    segments: Iterable[str], *, own: str, allowed: Collection[str]
) -> tuple[str, str] | None:
    """RG-15: a name carries its authority's region: every region in it lies on the path to
    the authority's jurisdiction (``allowed``) and the last one is the jurisdiction itself.

    Returns (problem, region): ``no_region``, ``region_outside`` or ``region_not_own``."""
    found = [s for s in segments if s not in NATIONAL_WORDS]
    if not found:
        return "no_region", ""
    outside = [s for s in found if s not in allowed]
    if outside:
        return "region_outside", outside[0]
    if found[-1] != own:
        return "region_not_own", found[-1]
    return None


# Jurisdictions are related by their GB/T 2260 codes: a city is XXYY00, its province XX0000, its
# counties XXYYZZ, their streets XXYYZZnnn; so one indexed prefix query finds a city's regions.

JurisdictionRow = tuple[str, str, str]  # code, name, level


def _in_scope(row_code: str, code: str) -> bool:
    return row_code.startswith(code[:4]) or row_code == code[:2] + "0000"


def region_names(rows: Iterable[JurisdictionRow], code: str) -> frozenset[str]:
    """Names of the regions a name registered in ``code`` is parsed with: its province and
    every city, county and zone of its city."""
    return frozenset(name for row_code, name, _level in rows if _in_scope(row_code, code))


def authority_code(level: str, jurisdiction_code: str) -> str:
    """The registration authority's area code (GB/T 2260): a city's for city-level registration,
    the county's (or zone's) for county-level, the province's for provincial."""
    code = jurisdiction_code[:6]
    if level == JurisdictionLevel.PROVINCE:
        return code[:2] + "0000"
    if level == JurisdictionLevel.CITY:
        return code[:4] + "00"
    return code


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def reuse_blocked(ended_on: date | None, years: int, on: date) -> bool:
    """RG-13: a name that stopped being used on ``ended_on`` may be used again only ``years``
    years later."""
    return ended_on is not None and on < add_years(ended_on, years)
