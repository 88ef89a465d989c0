"""Build the labelled set of name pairs (``labelled_pairs.csv``) for the name-check benchmark.

Each row pairs a name that is registered (``existing_name``, in ``existing_jurisdiction``) with
a name someone proposes (``proposed_name``, in ``proposed_jurisdiction``), labelled ``conflict``
(the registration authority must refuse it, RG-15) or ``clean`` (it may be registered), and
the ``kind`` of variation:

conflict: exact (spacing, punctuation, full width), traditional, region (日照 vs 日照市),
    form (协会 vs 促进会), filler (养老 vs 养老服务), homophone (物流 vs 物留), mixed (two at
    once), abbreviation (电子商务 vs 电商, 摄影家协会 vs 摄协) and reordered (two words of the
    core swapped);
clean: other_brand (another 字号 in the same trade), other_field (the same 字号 in another
    trade), one_char (one character changed, not a homophone: 书法 vs 书画), qualifier (a word
    that makes a different organization: 青年, 少儿), form_other (a form of another group: 协会 vs
    学会), other_authority (the same core registered with another county), same_initials
    (another field whose words start with the same characters: 文化创意 vs 文学创作, so both
    abbreviate alike), other_abbreviation (the short name of another organization: 摄影家协会 vs
    书协), reordered_other (the words swapped and one of them replaced: 文化旅游 vs 旅游体育).

The abbreviation and reordered pairs are built from the tables below (``WORD_ABBREVIATIONS``,
``ORG_ABBREVIATIONS``, ``REORDER_WORDS``, ``SAME_INITIALS_WORDS``): common abbreviation patterns
written down from usage, irregular ones included (剧协, 外贸, 康养), not derived from the name
check's keys.

Deterministic: ``python benchmarks/name_check/pairs.py`` rewrites the same file.
"""

from __future__ import annotations

import csv
import random
from dataclasses import astuple, dataclass
from pathlib import Path

import opencc
from pypinyin import Style, lazy_pinyin

HERE = Path(__file__).resolve().parent
PAIRS_CSV = HERE / "labelled_pairs.csv"
COLUMNS = (
    "existing_name",
    "proposed_name",
    "type",
    "label",
    "kind",
    "existing_jurisdiction",
    "proposed_jurisdiction",
)

CITY, DONGGANG, LANSHAN, WULIAN = "371100", "371102", "371103", "371121"
REGION_TEXT = {CITY: "日照市", DONGGANG: "日照市东港区", LANSHAN: "日照市岚山区", WULIAN: "五莲县"}

# Trades (行业) for social groups and for social service agencies; brands (字号).
GROUP_FIELDS = (
    "书法", "摄影", "物流", "茶叶", "渔业", "旅游", "餐饮", "环保", "足球", "篮球", "围棋",
    "象棋", "音乐", "舞蹈", "美术", "文学", "诗词", "民俗", "收藏", "家政", "物业", "会计",
    "建筑", "装饰", "汽车", "软件", "中医药", "护理", "心理", "志愿者", "钓鱼", "登山",
    "太极拳", "乒乓球", "羽毛球", "游泳", "花卉", "蔬菜", "果品", "水产", "畜牧", "蜂业",
    "林业", "园林", "广告", "印刷", "包装", "家具", "陶瓷", "玉石", "书画", "剪纸",
    "面塑", "烹饪", "酒店", "电影", "戏曲", "京剧", "吕剧", "曲艺", "朗诵", "合唱",
)  # fmt: skip
AGENCY_FIELDS = (
    "养老", "托育", "康复", "职业培训", "艺术培训", "社会工作", "心理咨询", "助残", "家庭教育",
    "青少年", "调解", "法律援助", "环境监测", "科普", "阅读推广", "助老", "安宁疗护",
)  # fmt: skip
BRANDS = (
    "阳光", "春晖", "明德", "海韵", "启航", "仁爱", "博雅", "同心", "善行", "金海", "蓝海",
    "青松", "晨曦", "向阳", "和美", "乐龄", "暖阳", "星火", "益友", "知行", "尚德", "新语",
    "朝阳", "福寿", "康乐", "长青", "翰墨", "丹青", "琴韵", "书香", "碧海", "银滩", "东方",
    "海曲", "鲁南", "黄海", "蓝天", "绿洲", "彩虹", "雨露",
)  # fmt: skip
GROUP_FORMS = ("协会", "协会", "协会", "学会", "商会", "研究会", "联合会")
AGENCY_FORMS = ("服务中心", "中心", "养老院", "学校", "服务社")
CONFUSABLE_FORM = {
    "协会": "促进会",
    "学会": "研究会",
    "商会": "协会",
    "研究会": "学会",
    "联合会": "协会",
    "服务中心": "中心",
    "中心": "服务中心",
    "养老院": "敬老院",
    "学校": "培训学校",
    "服务社": "服务中心",
    "基金会": None,
}
OTHER_GROUP_FORM = {
    "协会": "学会",
    "学会": "协会",
    "商会": "研究会",
    "研究会": "协会",
    "联合会": "学会",
    "服务中心": "学校",
    "中心": "研究院",
    "养老院": "服务中心",
    "学校": "服务中心",
    "服务社": "学校",
}
FILLERS = ("服务", "发展", "行业", "事业", "联合")
QUALIFIERS = ("青年", "少儿", "女子", "老年", "大学生", "退役军人")
ABBREVIATIONS = {
    "电子商务": "电商",
    "人工智能": "智能",
    "新能源汽车": "新能源车",
    "中小企业": "中小企",
    "文化创意": "文创",
    "跨境电子商务": "跨境电商",
    "社会工作": "社工",
    "家庭教育": "家教",
}
# Abbreviations of a two-word field (简称), as used in names; regular ones keep the first
# character of each word (电子商务 → 电商), partial ones abbreviate only some words (跨境电商),
# irregular ones take another character or drop a word (对外贸易 → 外贸, 健康养老 → 康养).
WORD_ABBREVIATIONS = (
    ("电子商务", "电商"), ("文化创意", "文创"), ("社会工作", "社工"), ("科学技术", "科技"),
    ("环境保护", "环保"), ("职业教育", "职教"), ("特殊教育", "特教"), ("高等教育", "高教"),
    ("成人教育", "成教"), ("民营企业", "民企"), ("文化旅游", "文旅"), ("体育旅游", "体旅"),
    ("农业机械", "农机"), ("人力资源", "人资"), ("公共关系", "公关"), ("广播电视", "广电"),
    ("家用电器", "家电"), ("网络安全", "网安"), ("小额贷款", "小贷"), ("融资担保", "融担"),
    ("汽车维修", "汽修"), ("城市规划", "城规"), ("安全防范", "安防"), ("质量管理", "质管"),
    ("环境卫生", "环卫"), ("电子竞技", "电竞"), ("医疗卫生", "医卫"), ("交通运输", "交运"),
    ("物业管理", "物管"), ("知识产权", "知产"), ("国际贸易", "国贸"), ("房地产开发", "房开"),
    ("体育彩票", "体彩"), ("福利彩票", "福彩"), ("法律援助", "法援"), ("社会保险", "社保"),
    ("医疗美容", "医美"), ("家庭教育", "家教"), ("中小企业", "中小企"),
    ("跨境电子商务", "跨境电商"), ("直播电子商务", "直播电商"), ("农村电子商务", "农村电商"),
    ("新能源汽车", "新能源车"), ("对外贸易", "外贸"), ("健康养老", "康养"),
    ("人工智能", "智能"),
)  # fmt: skip
# Short names of whole organizations (the form cut to its first character, as the public
# writes them: 日照摄协), with the irregular ones (剧协, 影协, 泳协, 科协, 侨联, 文联 …).
ORG_ABBREVIATIONS = (
    ("摄影家协会", "摄协"), ("书法家协会", "书协"), ("美术家协会", "美协"), ("音乐家协会", "音协"),
    ("舞蹈家协会", "舞协"), ("作家协会", "作协"), ("曲艺家协会", "曲协"), ("杂技家协会", "杂协"),
    ("戏剧家协会", "剧协"), ("电影家协会", "影协"), ("民间文艺家协会", "民协"),
    ("企业家协会", "企协"), ("足球协会", "足协"), ("篮球协会", "篮协"), ("乒乓球协会", "乒协"),
    ("羽毛球协会", "羽协"), ("网球协会", "网协"), ("田径协会", "田协"), ("游泳协会", "泳协"),
    ("武术协会", "武协"), ("登山协会", "登协"), ("律师协会", "律协"), ("消费者协会", "消协"),
    ("旅游协会", "旅协"), ("烹饪协会", "烹协"), ("建筑业协会", "建协"),
    ("个体劳动者协会", "个协"), ("老年人体育协会", "老体协"), ("科学技术协会", "科协"),
    ("残疾人联合会", "残联"), ("妇女联合会", "妇联"), ("青年联合会", "青联"),
    ("工商业联合会", "工商联"), ("文学艺术界联合会", "文联"), ("归国华侨联合会", "侨联"),
)  # fmt: skip
# Two words of a core that read as the same organization in either order.
REORDER_WORDS = (
    ("文化", "旅游"), ("青少年", "书画"), ("妇女", "儿童"), ("体育", "健身"), ("海洋", "生态"),
    ("青年", "创业"), ("老年", "体育"), ("书法", "美术"), ("音乐", "舞蹈"), ("茶叶", "文化"),
    ("民俗", "文化"), ("乡村", "旅游"), ("生态", "农业"), ("健康", "养老"), ("家庭", "教育"),
    ("心理", "健康"), ("社区", "养老"), ("少儿", "艺术"), ("文学", "艺术"), ("诗词", "楹联"),
    ("戏曲", "曲艺"), ("收藏", "鉴赏"), ("陶瓷", "艺术"), ("花卉", "盆景"), ("蔬菜", "果品"),
    ("水产", "养殖"), ("餐饮", "烹饪"), ("酒店", "餐饮"), ("物流", "仓储"), ("汽车", "物流"),
    ("电子", "信息"), ("软件", "信息"), ("网络", "文化"), ("红色", "文化"), ("海洋", "文化"),
    ("体育", "舞蹈"), ("武术", "健身"), ("登山", "户外"), ("钓鱼", "休闲"), ("旅游", "休闲"),
    ("养老", "护理"), ("康复", "护理"), ("儿童", "康复"), ("法律", "咨询"), ("心理", "咨询"),
    ("婚姻", "家庭"), ("青少年", "足球"), ("老年", "书画"), ("妇女", "创业"), ("大学生", "创业"),
    ("退役军人", "创业"), ("残疾人", "康复"), ("生态", "环境"), ("园林", "绿化"),
    ("建筑", "装饰"), ("广告", "印刷"), ("包装", "印刷"), ("食品", "安全"), ("茶叶", "种植"),
    ("民间", "艺术"),
)  # fmt: skip
# Words grouped by first character: another field that abbreviates like a WORD_ABBREVIATIONS
# entry (文化创意 and 文学创作 are both 文创) without being its abbreviation.
SAME_INITIALS_WORDS = (
    "文学", "文物", "电力", "电器", "商贸", "商业", "社区", "社团", "工程", "工艺", "科普", "科研",
    "技能", "环球", "保健", "保险", "职工", "教学", "教研", "民族", "企划", "旅居", "旅行", "农产",
    "机电", "机器", "人才", "人口", "资产", "资金", "公益", "公路", "关爱", "广告", "广场", "电视",
    "电台", "家居", "家具", "网点", "安保", "小微", "小学", "贷款", "汽配", "修缮", "城乡", "城建",
    "规范", "防灾", "防疫", "质检", "管道", "卫浴", "竞赛", "医学", "医药", "交流", "运动",
    "物资", "物联", "知青", "产业", "产品", "国学", "国防", "贸易", "房产", "房屋", "开放", "体操",
    "体能", "彩绘", "彩灯", "福利", "法学", "法治", "援建", "社科", "保洁", "美术", "美食", "家政",
    "教练", "高新", "高校", "成长", "民俗", "营销", "企业", "全民", "融媒", "维权",
    "城管", "安检", "防汛", "卫视", "竞技", "卫星", "产权", "国画", "房车", "开心",
)  # fmt: skip

# Common characters from which homophones and one-character changes are drawn.
CHAR_POOL = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代"
    "想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北"
    "造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打"
    "白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今"
    "集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近"
    "矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写"
    "存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听"
    "该铁价严龙飞"
)

_S2T = opencc.OpenCC("s2t")


@dataclass(frozen=True)
class Pair:
    existing_name: str
    proposed_name: str
    type: str
    label: str
    kind: str
    existing_jurisdiction: str
    proposed_jurisdiction: str


def toneless(text: str) -> str:
    return " ".join(lazy_pinyin(text, style=Style.NORMAL))


def _homophone_table() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for ch in dict.fromkeys(CHAR_POOL):
        table.setdefault(toneless(ch), []).append(ch)
    return table


HOMOPHONES = _homophone_table()


@dataclass
class Base:
    jurisdiction: str
    type: str
    brand: str
    field: str
    form: str

    @property
    def core(self) -> str:
        return self.brand + self.field

    def name(
        self, *, core: str | None = None, form: str | None = None, region: str | None = None
    ) -> str:
        region = REGION_TEXT[self.jurisdiction] if region is None else region
        return region + (self.core if core is None else core) + (form or self.form)


def homophone_core(core: str, rng: random.Random) -> str | None:
    """``core`` with one character replaced by another of the same toneless pinyin, such that
    the whole core still reads the same (polyphones are checked in context)."""
    positions = list(range(len(core)))
    rng.shuffle(positions)
    for i in positions:
        options = [c for c in HOMOPHONES.get(toneless(core[i]), []) if c != core[i]]
        rng.shuffle(options)
        for c in options:
            candidate = core[:i] + c + core[i + 1 :]
            if toneless(candidate) == toneless(core):
                return candidate
    return None


def one_char_core(core: str, rng: random.Random) -> str:
    """``core`` with one character replaced by one that sounds different."""
    i = rng.randrange(len(core))
    while True:
        c = rng.choice(CHAR_POOL)
        candidate = core[:i] + c + core[i + 1 :]
        if c != core[i] and toneless(candidate) != toneless(core):
            return candidate


def noisy(name: str, rng: random.Random) -> str:
    """The same name typed differently: spaces, punctuation, full-width letters."""
    i = rng.randrange(3, len(name) - 1)
    mark = rng.choice([" ", "\u3000", "·", "（", "）", "-", "  "])
    return name[:i] + mark + name[i:]


def conflict_variant(base: Base, kind: str, rng: random.Random) -> str | None:
    if kind == "exact":
        return noisy(base.name(), rng)
    if kind == "traditional":
        return _S2T.convert(base.name())
    if kind == "region":
        region = {CITY: "日照", DONGGANG: "东港区", LANSHAN: "岚山区"}[base.jurisdiction]
        return base.name(region=rng.choice([region, "山东省" + REGION_TEXT[base.jurisdiction]]))
    if kind == "form":
        other = CONFUSABLE_FORM.get(base.form)
        if other is None or (base.core + other).count("培训") > 1:
            return None
        return base.name(form=other)
    if kind == "filler":
        return base.name(core=base.brand + base.field + rng.choice(FILLERS))
    if kind == "homophone":
        core = homophone_core(base.core, rng)
        return base.name(core=core) if core else None
    if kind == "mixed":
        core = homophone_core(base.core, rng)
        return _S2T.convert(noisy(base.name(core=core), rng)) if core else None
    return None


def clean_variant(
    base: Base, kind: str, rng: random.Random, fields: tuple[str, ...]
) -> Pair | None:
    name: str | None = None
    jurisdiction = base.jurisdiction
    if kind == "other_brand":
        brand = rng.choice([b for b in BRANDS if toneless(b) != toneless(base.brand)])
        name = base.name(core=brand + base.field)
    elif kind == "other_field":
        field = rng.choice([f for f in fields if toneless(f) != toneless(base.field)])
        name = base.name(core=base.brand + field)
    elif kind == "one_char":
        name = base.name(core=base.brand + one_char_core(base.field, rng))
    elif kind == "qualifier":
        name = base.name(core=base.brand + rng.choice(QUALIFIERS) + base.field)
    elif kind == "form_other":
        name = (
            base.name(form=OTHER_GROUP_FORM[base.form]) if base.form in OTHER_GROUP_FORM else None
        )
    elif kind == "other_authority" and base.jurisdiction == DONGGANG:
        jurisdiction = LANSHAN
        name = REGION_TEXT[LANSHAN] + base.core + base.form
    if name is None:
        return None
    return Pair(base.name(), name, base.type, "clean", kind, base.jurisdiction, jurisdiction)


CONFLICT_KINDS = ("exact", "traditional", "region", "form", "filler", "homophone", "mixed")
CLEAN_KINDS = (
    "other_brand",
    "other_field",
    "one_char",
    "qualifier",
    "form_other",
    "other_authority",
)


def make_base(i: int, rng: random.Random) -> Base:
    jurisdiction = (CITY, CITY, DONGGANG)[i % 3]
    kind = rng.random()
    if kind < 0.08:
        return Base(
            jurisdiction, "foundation", rng.choice(BRANDS), rng.choice(AGENCY_FIELDS[:6]), "基金会"
        )
    if kind < 0.4:
        return Base(
            jurisdiction,
            "social_service_agency",
            rng.choice(BRANDS + ("",)),
            rng.choice(AGENCY_FIELDS),
            rng.choice(AGENCY_FORMS),
        )
    brand = rng.choice(BRANDS + ("",) * 10)
    return Base(
        jurisdiction, "social_group", brand, rng.choice(GROUP_FIELDS), rng.choice(GROUP_FORMS)
    )


def hand_written_pairs() -> list[Pair]:
    """The first abbreviation and reordered pairs, written by hand."""
    pairs = []
    for full, short in ABBREVIATIONS.items():
        existing = f"日照市{full}协会"
        pairs.append(
            Pair(
                existing,
                f"日照市{short}协会",
                "social_group",
                "conflict",
                "abbreviation",
                CITY,
                CITY,
            )
        )
    for a, b in (
        ("青年", "创业"),
        ("妇女", "儿童"),
        ("文化", "旅游"),
        ("体育", "健身"),
        ("海洋", "生态"),
    ):
        pairs.append(
            Pair(
                f"日照市{a}{b}协会",
                f"日照市{b}{a}协会",
                "social_group",
                "conflict",
                "reordered",
                CITY,
                CITY,
            )
        )
    return pairs


WORD_ORDER_FORMS = (
    ("协会", "social_group"),
    ("促进会", "social_group"),
    ("研究会", "social_group"),
    ("服务中心", "social_service_agency"),
    ("联合会", "social_group"),
)


def abbreviation_pairs(rng: random.Random) -> list[Pair]:
    """Each ``WORD_ABBREVIATIONS`` entry in a city name without 字号 (日照市电子商务协会 →
    日照市电商协会) and in a county name with a 字号 and another form; each ``ORG_ABBREVIATIONS``
    entry as the city's short name (日照市摄影家协会 → 日照摄协) and the county's (日照市东港区
    摄影家协会 → 东港区摄协)."""
    pairs = []
    county = REGION_TEXT[DONGGANG]
    for i, (full, short) in enumerate(WORD_ABBREVIATIONS):
        pairs.append(_pair(f"日照市{full}协会", f"日照市{short}协会", "abbreviation", CITY))
        brand = rng.choice(BRANDS)
        form, org_type = WORD_ORDER_FORMS[i % len(WORD_ORDER_FORMS)]
        existing, proposed = f"{county}{brand}{full}{form}", f"{county}{brand}{short}{form}"
        pairs.append(_pair(existing, proposed, "abbreviation", DONGGANG, org_type))
    for full, short in ORG_ABBREVIATIONS:
        pairs.append(_pair(f"日照市{full}", f"日照{short}", "abbreviation", CITY))
        pairs.append(_pair(f"{county}{full}", f"东港区{short}", "abbreviation", DONGGANG))
    return pairs


def reordered_pairs(rng: random.Random) -> list[Pair]:
    """Each ``REORDER_WORDS`` pair swapped, in a city name without 字号 and in a county name with
    a 字号, under a form taken in turn from ``WORD_ORDER_FORMS``."""
    pairs = []
    county = REGION_TEXT[DONGGANG]
    for i, (a, b) in enumerate(REORDER_WORDS):
        form, org_type = WORD_ORDER_FORMS[i % len(WORD_ORDER_FORMS)]
        pairs.append(
            _pair(f"日照市{a}{b}{form}", f"日照市{b}{a}{form}", "reordered", CITY, org_type)
        )
        brand = rng.choice(BRANDS)
        existing, proposed = f"{county}{brand}{a}{b}协会", f"{county}{brand}{b}{a}协会"
        pairs.append(_pair(existing, proposed, "reordered", DONGGANG))
    return pairs


def word_clean_pairs(rng: random.Random) -> list[Pair]:
    """Clean pairs close to the abbreviation and reordered ones (see the module docstring):
    same_initials; other_abbreviation (in 岚山区 and 五莲县, each registering one half of
    ``ORG_ABBREVIATIONS`` and receiving the short names of the other half); reordered_other."""
    pairs = []
    for full, _short in WORD_ABBREVIATIONS:
        if len(full) != 4:
            continue
        a, b = full[:2], full[2:]
        firsts = [w for w in SAME_INITIALS_WORDS if w[0] == a[0] and w != a]
        seconds = [w for w in SAME_INITIALS_WORDS if w[0] == b[0] and w != b]
        if firsts and seconds:
            proposed = f"日照市{rng.choice(firsts)}{rng.choice(seconds)}协会"
            pairs.append(_pair(f"日照市{full}协会", proposed, "same_initials", CITY, label="clean"))
    half = len(ORG_ABBREVIATIONS) // 2
    first, second = ORG_ABBREVIATIONS[:half], ORG_ABBREVIATIONS[half:]
    for county, registered, others in ((LANSHAN, first, second), (WULIAN, second, first)):
        region = REGION_TEXT[county]
        for i, (full, _short) in enumerate(registered):
            proposed = region + others[i % len(others)][1]
            pairs.append(
                _pair(region + full, proposed, "other_abbreviation", county, label="clean")
            )
    words = sorted({w for pair in REORDER_WORDS for w in pair})
    for a, b in REORDER_WORDS:
        c = rng.choice([w for w in words if w not in (a, b) and toneless(w) != toneless(a)])
        pairs.append(
            _pair(f"日照市{a}{b}协会", f"日照市{b}{c}协会", "reordered_other", CITY, label="clean")
        )
    return pairs


def _pair(
    existing: str,
    proposed: str,
    kind: str,
    jurisdiction: str,
    org_type: str = "social_group",
    label: str = "conflict",
) -> Pair:
    return Pair(existing, proposed, org_type, label, kind, jurisdiction, jurisdiction)


def build_pairs(seed: int = 2026, bases: int = 290) -> list[Pair]:
    rng = random.Random(seed)
    pairs: list[Pair] = hand_written_pairs()
    seen: set[str] = {p.existing_name for p in pairs}
    made = 0
    while made < bases:
        base = make_base(made + len(seen), rng)
        if base.name() in seen:
            continue
        seen.add(base.name())
        kind = CONFLICT_KINDS[made % len(CONFLICT_KINDS)]
        proposed = conflict_variant(base, kind, rng)
        if proposed is None:
            kind, proposed = "filler", conflict_variant(base, "filler", rng)
        assert proposed is not None
        pairs.append(
            Pair(
                base.name(),
                proposed,
                base.type,
                "conflict",
                kind,
                base.jurisdiction,
                base.jurisdiction,
            )
        )
        fields = AGENCY_FIELDS if base.type != "social_group" else GROUP_FIELDS
        for offset in range(len(CLEAN_KINDS)):
            clean = clean_variant(
                base, CLEAN_KINDS[(made + offset) % len(CLEAN_KINDS)], rng, fields
            )
            if clean:
                pairs.append(clean)
                break
        made += 1
    words = random.Random(seed + 1)  # its own stream: the pairs above stay as they were
    known = {(p.existing_name, p.proposed_name) for p in pairs}
    for extra in (abbreviation_pairs(words), reordered_pairs(words), word_clean_pairs(words)):
        for pair in extra:
            if (pair.existing_name, pair.proposed_name) not in known:
                known.add((pair.existing_name, pair.proposed_name))
                pairs.append(pair)
    return consistent(pairs)


def consistent(pairs: list[Pair]) -> list[Pair]:
    """Drop a clean pair whose proposal happens to look like another registered name of the
    set under the rule's own categories (so "clean" means clean against the whole register)."""
    from socorg.registry.rules.names import confusion_kind

    regions = {"山东省", "日照市", "东港区", "岚山区"}
    existing: dict[str, set[str]] = {}
    for p in pairs:
        existing.setdefault(p.existing_jurisdiction, set()).add(p.existing_name)
    return [
        p
        for p in pairs
        if p.label == "conflict"
        or not any(
            confusion_kind(p.proposed_name, e, regions)
            for e in existing.get(p.proposed_jurisdiction, ())
        )
    ]


def main() -> None:
    pairs = build_pairs()
    with PAIRS_CSV.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(astuple(p) for p in pairs)
    counts: dict[tuple[str, str], int] = {}
    for p in pairs:
        counts[(p.label, p.kind)] = counts.get((p.label, p.kind), 0) + 1
    print(f"{len(pairs)} pairs written to {PAIRS_CSV}")
    for (label, kind), n in sorted(counts.items()):
        print(f"  {label:9} {kind:16} {n}")


if __name__ == "__main__":
    main()
