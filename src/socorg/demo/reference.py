"""The seed city's fixed reference data: jurisdictions and departments.

日照市 (371100) with its two districts, two counties and three functional zones; the 56
municipal departments (市直部门) the 2022 joint document names; the civil-affairs bureau's
divisions and registration authorities; the approval bureau; the party-building bodies, among
them the 12 industry party committees (行业党委) whose affiliation the 2022 reform adjusted."""

from __future__ import annotations

from dataclasses import dataclass

CITY_CODE = "371100"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str
    parent: str | None


COUNTIES: tuple[Area, ...] = (
    Area("371102", "东港区", "county", CITY_CODE),
    Area("371103", "岚山区", "county", CITY_CODE),
    Area("371121", "五莲县", "county", CITY_CODE),
    Area("371122", "莒县", "county", CITY_CODE),
)
ZONES: tuple[Area, ...] = (
    Area("371171", "日照经济技术开发区", "zone", CITY_CODE),
    Area("371172", "山海天旅游度假区", "zone", CITY_CODE),
    Area("371173", "日照高新技术产业开发区", "zone", CITY_CODE),
)
_STREET_NAMES: dict[str, tuple[str, ...]] = {
    "371102": ("日照街道", "石臼街道", "南湖镇", "河山镇", "三庄镇", "涛雒镇", "西湖镇", "陈疃镇"),
    "371103": ("安东卫街道", "岚山头街道", "虎山镇", "巨峰镇", "高兴镇", "黄墩镇", "中楼镇"),
    "371121": ("洪凝街道", "街头镇", "潮河镇", "许孟镇", "于里镇", "汪湖镇", "叩官镇", "中至镇"),
    "371122": (
        "城阳街道",
        "店子集街道",
        "陵阳街道",
        "浮来山街道",
        "招贤镇",
        "夏庄镇",
        "刘家官庄镇",
        "小店镇",
        "龙山镇",
        "东莞镇",
    ),
    "371171": ("奎山街道", "北京路街道"),
    "371172": ("秦楼街道", "两城街道"),
    "371173": ("卧龙山街道",),
}


def _streets() -> tuple[Area, ...]:
    """Streets first (街道, codes 001…), then towns (镇, codes 100…), as GB/T 2260 numbers them."""
    out: list[Area] = []
    for parent, names in _STREET_NAMES.items():
        street_no, town_no = 1, 100
        for name in names:
            if name.endswith("街道"):
                out.append(Area(f"{parent}{street_no:03d}", name, "street", parent))
                street_no += 1
            else:
                out.append(Area(f"{parent}{town_no:03d}", name, "street", parent))
                town_no += 1
    return tuple(out)


CITY = Area(CITY_CODE, "日照市", "city", None)
STREETS = _streets()
AREAS: tuple[Area, ...] = (CITY, *COUNTIES, *ZONES, *STREETS)
AREA_BY_CODE = {a.code: a for a in AREAS}


@dataclass(frozen=True)
class Dept:
    code: str
    name: str
    short_name: str
    kind: str
    supervisory: bool = False
    regulator: bool = False
    jurisdiction: str = CITY_CODE


def _gov(code: str, name: str, short: str, sup: bool = True, reg: bool = False) -> Dept:
    return Dept(code, name, short, "government", supervisory=sup, regulator=reg)


# The 56 municipal departments (市直部门) of the 2022 document. Codes are mnemonic; EDU and MZJ
# match the test cast's fixtures.
GOVERNMENT_DEPARTMENTS: tuple[Dept, ...] = (
    _gov("EDU", "日照市教育局", "市教育局", reg=True),
    _gov("KJJ", "日照市科学技术局", "市科技局", reg=True),
    _gov("GXJ", "日照市工业和信息化局", "市工信局", reg=True),
    _gov("GAJ", "日照市公安局", "市公安局"),
    _gov("MZJ", "日照市民政局", "市民政局", reg=True),
    _gov("SFJ", "日照市司法局", "市司法局", reg=True),
    _gov("CZJ", "日照市财政局", "市财政局", reg=True),
    _gov("RSJ", "日照市人力资源和社会保障局", "市人社局", reg=True),
    _gov("ZRJ", "日照市自然资源和规划局", "市自然资源规划局", reg=True),
    _gov("SHJ", "日照市生态环境局", "市生态环境局", reg=True),
    _gov("ZJJ", "日照市住房和城乡建设局", "市住建局", reg=True),
    _gov("JTJ", "日照市交通运输局", "市交通运输局", reg=True),
    _gov("SLJ", "日照市水利局", "市水利局", reg=True),
    _gov("NYJ", "日照市农业农村局", "市农业农村局", reg=True),
    _gov("HYJ", "日照市海洋发展局", "市海洋发展局", reg=True),
    _gov("SWJ", "日照市商务局", "市商务局", reg=True),
    _gov("WLJ", "日照市文化和旅游局", "市文化和旅游局", reg=True),
    _gov("WJW", "日照市卫生健康委员会", "市卫生健康委", reg=True),
    _gov("TYJ", "日照市退役军人事务局", "市退役军人局"),
    _gov("YJJ", "日照市应急管理局", "市应急局", reg=True),
    _gov("SJJ", "日照市审计局", "市审计局"),
    _gov("GZW", "日照市人民政府国有资产监督管理委员会", "市国资委", reg=True),
    _gov("SCJ", "日照市市场监督管理局", "市市场监管局", reg=True),
    _gov("TIY", "日照市体育局", "市体育局", reg=True),
    _gov("TJJ", "日照市统计局", "市统计局"),
    _gov("YBJ", "日照市医疗保障局", "市医保局", reg=True),
    _gov("ZFJ", "日照市综合行政执法局", "市综合执法局"),
    _gov("JRJ", "日照市地方金融监督管理局", "市金融局", reg=True),
    _gov("DSJ", "日照市大数据发展局", "市大数据局", reg=True),
    _gov("CGJ", "日照市城市管理局", "市城管局", reg=True),
    _gov("FGW", "日照市发展和改革委员会", "市发展改革委", reg=True),
    _gov("WSB", "日照市人民政府外事办公室", "市外办"),
    _gov("DAG", "日照市档案馆", "市档案馆"),
    _gov("XFJ", "日照市信访局", "市信访局"),
    _gov("JGS", "日照市机关事务服务中心", "市机关事务中心"),
    _gov("LSJ", "日照市粮食和物资储备局", "市粮食和储备局", reg=True),
    _gov("GXS", "日照市供销合作社", "市供销社", reg=True),
    _gov("QXJ", "日照市气象局", "市气象局"),
    _gov("SWU", "国家税务总局日照市税务局", "市税务局"),
    _gov("XCB", "中共日照市委宣传部", "市委宣传部"),
    _gov("TZB", "中共日照市委统战部", "市委统战部"),
    _gov("ZFW", "中共日照市委政法委员会", "市委政法委"),
    _gov("WXB", "中共日照市委网络安全和信息化委员会办公室", "市委网信办"),
    _gov("LGJ", "中共日照市委老干部局", "市委老干部局"),
    _gov("DXX", "中共日照市委党校", "市委党校"),
    _gov("ZGH", "日照市总工会", "市总工会"),
    _gov("TSW", "共青团日照市委员会", "团市委"),
    _gov("FLH", "日照市妇女联合会", "市妇联"),
    _gov("KXH", "日照市科学技术协会", "市科协"),
    _gov("WLH", "日照市文学艺术界联合会", "市文联"),
    _gov("SKL", "日照市社会科学界联合会", "市社科联"),
    _gov("GSL", "日照市工商业联合会", "市工商联", reg=True),
    _gov("CLH", "日照市残疾人联合会", "市残联"),
    _gov("HSH", "日照市红十字会", "市红十字会"),
    _gov("QLH", "日照市归国华侨联合会", "市侨联"),
    _gov("RFB", "日照市人民防空办公室", "市人防办"),
)

# The 12 industry party committees (行业党委), each attached to its sector's department.
INDUSTRY_PARTY_COMMITTEES: tuple[tuple[str, str, str], ...] = (
    ("HYDW-EDU", "中共日照市教育行业委员会", "EDU"),
    ("HYDW-WJW", "中共日照市卫生健康行业委员会", "WJW"),
    ("HYDW-MZJ", "中共日照市民政行业委员会", "MZJ"),
    ("HYDW-WLJ", "中共日照市文化旅游行业委员会", "WLJ"),
    ("HYDW-TIY", "中共日照市体育行业委员会", "TIY"),
    ("HYDW-KJJ", "中共日照市科技行业委员会", "KJJ"),
    ("HYDW-SFJ", "中共日照市律师行业委员会", "SFJ"),
    ("HYDW-CZJ", "中共日照市注册会计师行业委员会", "CZJ"),
    ("HYDW-SWJ", "中共日照市商务行业委员会", "SWJ"),
    ("HYDW-ZJJ", "中共日照市住房城乡建设行业委员会", "ZJJ"),
    ("HYDW-JTJ", "中共日照市交通运输行业委员会", "JTJ"),
    ("HYDW-NYJ", "中共日照市农业农村行业委员会", "NYJ"),
)
INDUSTRY_PARTY_COMMITTEE_SHORT = {
    "HYDW-EDU": "市教育行业党委",
    "HYDW-WJW": "市卫生健康行业党委",
    "HYDW-MZJ": "市民政行业党委",
    "HYDW-WLJ": "市文化旅游行业党委",
    "HYDW-TIY": "市体育行业党委",
    "HYDW-KJJ": "市科技行业党委",
    "HYDW-SFJ": "市律师行业党委",
    "HYDW-CZJ": "市注册会计师行业党委",
    "HYDW-SWJ": "市商务行业党委",
    "HYDW-ZJJ": "市住建行业党委",
    "HYDW-JTJ": "市交通运输行业党委",
    "HYDW-NYJ": "市农业农村行业党委",
}

PARTY_BODIES: tuple[Dept, ...] = (
    Dept("ZZB", "中共日照市委组织部", "市委组织部", "party_building_body"),
    Dept("LXGW", "中共日照市委两新工委", "两新工委", "party_building_body"),
    *(
        Dept(code, name, INDUSTRY_PARTY_COMMITTEE_SHORT[code], "party_building_body")
        for code, name, _ in INDUSTRY_PARTY_COMMITTEES
    ),
)

# The civil-affairs bureau's divisions (业务科室). MZJ-DJ matches the test cast's fixture.
DIVISIONS: tuple[Dept, ...] = (
    Dept("MZJ-DJ", "日照市民政局社会组织管理科", "社会组织管理科", "division"),
    Dept("MZJ-ZF", "日照市民政局社会组织执法科", "社会组织执法科", "division"),
    Dept("MZJ-YL", "日照市民政局养老服务科", "养老服务科", "division"),
    Dept("MZJ-ET", "日照市民政局儿童福利科", "儿童福利科", "division"),
    Dept("MZJ-JZ", "日照市民政局社会救助科", "社会救助科", "division"),
    Dept("MZJ-SW", "日照市民政局社会事务科", "社会事务科", "division"),
    Dept("MZJ-CS", "日照市民政局慈善事业促进和社会工作科", "慈善社工科", "division"),
    Dept("MZJ-JC", "日照市民政局基层政权建设和社区治理科", "基层政权科", "division"),
)
# Divisions that carry out pre-review (前置审查) for the bureau's own organizations.
PRE_REVIEW_DIVISIONS = ("MZJ-YL", "MZJ-ET", "MZJ-JZ", "MZJ-SW", "MZJ-CS", "MZJ-JC")

REGISTRATION_AUTHORITIES: tuple[Dept, ...] = (
    Dept("RA-371100", "日照市民政局（社会组织登记管理机关）", "市民政局", "registration_authority"),
    *(
        Dept(
            f"RA-{c.code}",
            f"{c.name}民政局",
            f"{c.name}民政局",
            "registration_authority",
            jurisdiction=c.code,
        )
        for c in COUNTIES
    ),
)
APPROVAL_BUREAU = Dept("SPJ", "日照市行政审批服务局", "市行政审批服务局", "approval_bureau")

DEPARTMENTS: tuple[Dept, ...] = (
    *GOVERNMENT_DEPARTMENTS,
    *PARTY_BODIES,
    *DIVISIONS,
    *REGISTRATION_AUTHORITIES,
    APPROVAL_BUREAU,
)
INDUSTRY_PARTY_COMMITTEE_CODES = tuple(code for code, _, _ in INDUSTRY_PARTY_COMMITTEES)

# The 2022 joint document and its six issuers.
RESPONSIBILITY_DOCUMENT_TITLE = "关于明确市直部门社会组织党建工作管理职责的通知"
RESPONSIBILITY_DOCUMENT_NUMBER = "日组通〔2022〕8号"
RESPONSIBILITY_DOCUMENT_ISSUERS = ("ZZB", "LXGW", "MZJ", "TZB", "SPJ", "SCJ")
