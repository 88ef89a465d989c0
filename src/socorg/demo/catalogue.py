"""Vocabulary of the demo city's organizations: what kinds exist, who supervises them, and the
words their names are made of (region + core name + organization form, RG-15).

Pure data and small pure helpers; the scenario and the scale generator both draw from here."""

from __future__ import annotations

from dataclasses import dataclass

SG_FORMS = ("研究会", "促进会", "联合会", "联谊会", "协会", "学会", "商会", "总会")


def split_form(full: str) -> tuple[str, str]:
    """('书法家', '协会') from '书法家协会': the longest known organization form at the end."""
    for form in SG_FORMS:
        if full.endswith(form) and len(full) > len(form):
            return full[: -len(form)], form
    raise ValueError(f"no organization form in {full!r}")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Social groups under dual management: department code -> (default category, names).
# A name may carry its own category after a colon.
DUAL_SOCIAL_GROUPS: dict[str, tuple[str, str]] = {
    "EDU": (
        "education",
        "教育学会 心理学会 职业教育学会 学前教育研究会 家庭教育研究会 特殊教育研究会 "
        "中小学语文教学研究会 数学学会 物理学会 化学学会 英语教学研究会 教育技术协会 民办教育协会 "
        "陶行知研究会 书法教育研究会 教育装备协会 老教育工作者协会 校园足球协会 教育后勤协会",
    ),
    "WJW": (
        "health",
        "医学会 医师协会 护理学会 药学会 中医药学会 中西医结合学会 预防医学会 抗癌协会 "
        "防痨协会 健康教育协会 医院协会 口腔医学会 康复医学会 营养学会 健康管理协会 心理卫生协会 "
        "老年医学研究会 妇幼保健协会 民营医院协会 卫生经济学会 针灸学会 养生保健协会 计划生育协会",
    ),
    "SFJ": (
        "law",
        "律师协会 公证协会 司法鉴定协会 人民调解协会 社区矫正研究会 基层法律服务工作者协会",
    ),
    "CZJ": ("professional", "注册会计师协会 会计学会 财政学会 资产评估协会 政府采购协会"),
    "RSJ": ("professional", "职业技能开发协会 劳动保障学会 人才研究会"),
    "SJJ": ("professional", "审计学会 内部审计协会"),
    "TJJ": ("science", "统计学会"),
    "SWU": ("professional", "税务学会 注册税务师协会"),
    "GAJ": ("other", "警察协会 保安协会 交通安全协会"),
    "ZFW": ("law", "见义勇为协会 平安建设促进会 法治文化研究会"),
    "XCB": ("culture", "新闻工作者协会 精神文明建设促进会 广播电视协会 新闻摄影学会"),
    "TZB": ("other", "海外联谊会 知识分子联谊会 新的社会阶层人士联合会 民族团结进步促进会"),
    "WXB": ("other", "网络文化协会 网络安全协会 新媒体协会"),
    "LGJ": ("culture", "老干部书画研究会 老年学学会:science 老年大学协会:education 老干部合唱协会"),
    "DXX": ("science", "行政管理学会 领导科学学会"),
    "ZGH": ("professional", "职工技术协会 职工书画协会:culture 职工体育协会:sports 劳动模范协会"),
    "TSW": (
        "other",
        "青年企业家协会:business_services 青年志愿者协会:social_services 青年创业促进会 少先队工作学会:education",
    ),
    "FLH": (
        "other",
        "女企业家协会:business_services 妇女儿童发展促进会:social_services 巾帼志愿者协会:social_services 女性人才研究会",
    ),
    "KXH": (
        "science",
        "科普作家协会 青少年科技教育协会 发明协会 计算机学会 电子学会 自动化学会 机械工程学会 "
        "电机工程学会 海洋学会 地质学会 林学会 园艺学会 植物保护学会 土壤肥料学会 农业工程学会 "
        "食品科学技术学会 化工学会 金属学会 气象学会 测绘学会",
    ),
    "WLH": (
        "culture",
        "书法家协会 美术家协会 摄影家协会 音乐家协会 舞蹈家协会 戏剧家协会 作家协会 "
        "民间文艺家协会 曲艺家协会 楹联学会 诗词学会 电影家协会 电视艺术家协会 文艺评论家协会 朗诵艺术家协会",
    ),
    "SKL": (
        "culture",
        "经济学会:science 历史学会 社会学学会:science 哲学学会:science 东夷文化研究会 莒文化研究会 "
        "太阳文化研究会 民俗学会 语言文字学会 人口学会:science 城市科学研究会:science 儒学研究会 "
        "王氏文化研究会 李氏文化研究会 张氏文化研究会 刘氏文化研究会 陈氏文化研究会 杨氏文化研究会 "
        "赵氏文化研究会 丁氏文化研究会 秦氏文化研究会 厉氏文化研究会 牟氏文化研究会 庄氏文化研究会 "
        "孔子文化研究会 诸葛亮文化研究会 刘勰文化研究会",
    ),
    "GSL": ("business_services", "光彩事业促进会 非公有制经济研究会 民营企业家协会"),
    "CLH": (
        "social_services",
        "盲人协会 聋人协会 肢残人协会 智力残疾人及亲友协会 精神残疾人及亲友协会 残疾人体育协会:sports",
    ),
    "HSH": ("health", "红十字应急救护协会 造血干细胞捐献志愿者协会"),
    "QLH": ("other", "归侨侨眷联谊会 海外交流协会"),
    "GZW": ("business_services", "企业联合会 企业家协会 国资国企研究会"),
    "LSJ": ("business_services", "粮食经济学会"),
    "GXS": ("agriculture", "合作经济学会 农村合作经济研究会"),
    "DSJ": ("science", "电子政务研究会 数字经济研究会"),
    "CGJ": ("other", "环境卫生协会 城市管理研究会 风景园林学会:ecology"),
    "ZFJ": ("law", "综合行政执法研究会"),
    "YBJ": ("health", "医疗保障研究会"),
    "JRJ": ("business_services", "金融学会 普惠金融研究会"),
    "YJJ": ("other", "安全生产协会 应急救援协会 防灾减灾协会"),
    "TYJ": ("other", "拥军优属协会 退役军人创业就业促进会"),
    "FGW": ("business_services", "发展改革研究会 价格协会 节能协会 循环经济协会"),
    "SCJ": (
        "business_services",
        "消费者协会:other 质量协会 个体劳动者协会 计量测试学会:science 标准化协会 "
        "食品安全促进会:other 品牌建设促进会",
    ),
    "HYJ": ("science", "海洋经济研究会 海洋文化研究会:culture"),
    "ZRJ": ("science", "土地学会 测绘地理信息学会 城乡规划学会"),
    "SHJ": ("ecology", "环境科学学会 生态文明研究会"),
    "SLJ": ("science", "水利学会 水土保持学会:ecology"),
    "NYJ": ("agriculture", "农学会 畜牧兽医学会 作物学会 农业机械学会 茶叶学会 水产学会"),
    "ZJJ": ("science", "土木建筑学会 房地产研究会:business_services"),
    "JTJ": ("science", "公路学会 交通运输研究会 航海学会"),
    "SWJ": ("business_services", "国际贸易学会 商业经济学会"),
    "WLJ": (
        "culture",
        "旅游文化学会 文物保护协会 博物馆学会 图书馆学会 群众文化学会 非物质文化遗产保护协会 "
        "收藏家协会 吕剧研究会 茂腔研究会 农民画协会 黑陶艺术研究会 京剧艺术研究会",
    ),
    "TIY": (
        "sports",
        "足球协会 篮球协会 排球协会 乒乓球协会 羽毛球协会 网球协会 游泳协会 田径协会 武术协会 "
        "太极拳协会 围棋协会 象棋协会 国际象棋协会 桥牌协会 门球协会 健身气功协会 登山户外运动协会 "
        "自行车运动协会 帆船帆板运动协会 冲浪协会 沙滩排球协会 钓鱼协会 风筝协会 模型运动协会 "
        "跆拳道协会 拳击协会 射箭协会 马拉松协会 广场舞协会 健美操协会 体育舞蹈协会 瑜伽协会 "
        "轮滑协会 毽球协会 柔力球协会 老年人体育协会 社会体育指导员协会 体育科学学会:science "
        "台球协会 电子竞技协会 皮划艇协会 龙舟协会 冬泳协会 徒步运动协会 航空运动协会",
    ),
    "GXJ": ("business_services", "工业经济联合会 信息化研究会:science 企业管理协会"),
    "KJJ": ("science", "科学技术情报学会 软科学研究会"),
    "MZJ": (
        "social_services",
        "社会工作协会 养老服务协会 殡葬协会 老龄事业发展促进会 慈善总会 地名学会:other "
        "婚姻家庭研究会 社会福利协会 儿童福利促进会 社区服务协会 志愿服务联合会 社会组织促进会 "
        "民政事业研究会 社会救助研究会 康复辅具协会 居家养老服务协会 医养结合促进会 老年人权益保障协会 "
        "慈善文化研究会 社会组织党建研究会",
    ),
    "JGS": ("other", "机关后勤研究会"),
    "XFJ": ("other", "社会矛盾调处研究会"),
    "WSB": ("other", "人民对外友好协会"),
    "DAG": ("science", "档案学会"),
    "QXJ": ("science", "气象科技服务协会"),
    "RFB": ("other", "人民防空协会"),
}

# Directly registered social groups (RG-14): industry associations and chambers, science and
# technology, public welfare. Regulator code -> (category, names).
BUSINESS_ASSOCIATIONS: dict[str, tuple[str, str]] = {
    "JTJ": (
        "business_services",
        "物流协会 冷链物流协会 道路运输协会 出租汽车协会 驾驶员培训协会 港口协会 "
        "航运协会 国际货运代理协会 汽车维修协会 船舶代理协会",
    ),
    "SWJ": (
        "business_services",
        "餐饮协会 烹饪协会 酒店协会 连锁经营协会 电子商务协会 跨境电商协会 直播电商协会 "
        "美容美发协会 家政服务协会 婚庆协会 眼镜协会 珠宝玉石协会 再生资源回收协会 拍卖协会 "
        "二手车流通协会 汽车流通协会 会展协会 进出口企业协会 酒类流通协会",
    ),
    "ZJJ": (
        "business_services",
        "建筑业协会 建筑装饰协会 房地产业协会 物业管理协会 房地产中介协会 勘察设计协会 "
        "建设监理协会 工程造价协会 混凝土协会 建材协会 钢结构协会 燃气协会 供热协会",
    ),
    "GXJ": (
        "business_services",
        "钢铁工业协会 石化行业协会 造纸协会 纺织服装协会 食品工业协会 机械工业协会 "
        "汽车零部件协会 新能源汽车协会 光伏行业协会 节能环保产业协会 软件行业协会 电子信息行业协会 "
        "人工智能产业协会 物联网协会 工业设计协会 模具协会 铸造协会 木业协会 家具协会 印刷包装协会 "
        "化工协会 船舶工业协会 中小企业协会",
    ),
    "NYJ": (
        "agriculture",
        "蓝莓协会 绿茶协会 板栗协会 樱桃协会 苹果协会 花生协会 大姜协会 食用菌协会 "
        "中药材协会 金银花协会 黑猪养殖协会 畜牧业协会 家禽业协会 奶业协会 养蜂协会 种子协会 农资协会 "
        "农机协会 农产品加工协会 休闲农业协会 家庭农场协会 农民专业合作社联合会 果品协会 蔬菜协会 花卉苗木协会",
    ),
    "HYJ": (
        "agriculture",
        "渔业协会 水产品加工协会 远洋渔业协会 海参协会 对虾养殖协会 贝类养殖协会 紫菜协会 "
        "海水养殖协会 休闲渔业协会 海钓协会:sports",
    ),
    "SCJ": (
        "business_services",
        "广告协会 电梯协会 机动车检测协会 食品生产企业协会 医疗器械协会 质量检验协会 特种设备协会",
    ),
    "JRJ": (
        "business_services",
        "保险行业协会 银行业协会 证券期货业协会 小额贷款公司协会 融资担保协会 典当行业协会 融资租赁协会",
    ),
    "WLJ": (
        "business_services",
        "旅游协会 旅行社协会 导游协会 民宿协会 景区协会 文化产业协会 娱乐行业协会 "
        "互联网上网服务行业协会 演出行业协会 影视协会 动漫协会",
    ),
    "RSJ": ("business_services", "人力资源服务协会 劳务派遣协会"),
    "DSJ": ("business_services", "大数据产业协会 云计算产业协会"),
    "LSJ": ("business_services", "粮食行业协会 粮油协会"),
    "CGJ": ("business_services", "园林绿化协会 停车行业协会"),
    "YBJ": ("business_services", "药品零售协会"),
    "CZJ": ("business_services", "代理记账协会"),
    "FGW": ("business_services", "物流与采购联合会 信用服务业协会"),
    "SHJ": ("business_services", "环保产业协会 环境监测行业协会"),
    "TIY": ("business_services", "体育产业协会 健身行业协会"),
    "YJJ": ("business_services", "安全技术服务协会"),
    "GAJ": ("business_services", "保安服务行业协会"),
}
CHAMBER_PLACES = _words(
    "温州 浙江 福建 江苏 安徽 河南 河北 湖南 湖北 江西 四川 广东 东北 山西 陕西 重庆 贵州 云南 甘肃 "
    "台州 晋江 莆田 潍坊 临沂 青岛 烟台 潮汕 宁波 义乌 泉州"
)
TECH_ASSOCIATIONS: dict[str, tuple[str, str]] = {
    "KJJ": (
        "science",
        "高新技术企业协会 技术市场协会 科技服务业协会 知识产权协会 生产力促进会 "
        "科技企业孵化器协会 海洋科技协会 新材料协会 生物医药协会 智能制造协会 检验检测协会 "
        "产学研合作促进会 科技成果转化促进会 创新创业协会 科技金融促进会 科技型中小企业协会 技术创新协会 "
        "工业互联网协会 海洋装备科技协会 新能源科技协会 农业科技协会 数字技术协会 科学仪器协会 "
        "地理信息产业协会 无人机协会 机器人协会 光电技术协会",
    ),
}
WELFARE_ASSOCIATIONS = _words(
    "义工联合会 志愿者协会 爱心公益协会 助学公益协会 助残公益协会 关爱留守儿童协会 环保公益协会 "
    "无偿献血志愿者协会 阳光公益协会 公益事业促进会 青年公益协会 巾帼公益协会 敬老爱老协会 "
    "乡村振兴公益协会 应急救援志愿者协会 邻里互助协会 心理援助志愿者协会 护河志愿者协会 "
    "蓝丝带海洋保护协会 公益慈善联合会 扶贫济困协会 红丝带公益协会 读书公益协会 文明交通志愿者协会 "
    "关爱困境儿童协会 助老志愿者协会 爱心车队协会 春晖公益协会"
)
COMMUNITY_SERVICE_ASSOCIATIONS = _words(
    "社区服务协会 城乡社区发展促进会 物业纠纷调解协会 社区文化协会 社区志愿服务协会 农村养老互助协会 "
    "红白理事协会 乡贤联谊会 社区教育协会 社区体育协会 社区养老服务协会 新时代文明实践促进会 社区治理促进会 "
    "农村社区发展协会 社区公益服务协会 社区家庭服务协会 社区心理服务协会 社区法律服务协会 乡村文化振兴协会 "
    "社区儿童服务协会 社区邻里节促进会 村民自治研究会"
)

# 字号: the distinctive part of a social service agency's or foundation's name.
CURATED_BRANDS = _words(
    "金色童年 小天使 七彩虹 快乐宝贝 小博士 童心 贝贝 蓝天 启明星 育才 博爱 阳光 小太阳 春苗 晨曦 爱心 "
    "金太阳 新星 童乐 乐贝 优贝 小精灵 小百灵 海之星 贝壳 童梦 星光 颐和 福寿 松鹤 夕阳红 康乐 安康 "
    "德善 仁和 怡然 晚晴 百福 乐龄 港城 海韵 山海 太公 东夷 浮来 五莲山 九仙 奎山 阿掖 银杏 沐光 向日葵"
)
_BRAND_HEADS = (
    "金银春晨蓝绿彩新博明育启智慧爱乐康安福和仁德嘉佳瑞祥华海山港曙朝星月云雅馨怡欣悦睿诚信泰恒"
)
_BRAND_TAILS = "光苗禾芽蕾辰阳晖华才英贝童家源泉林帆航翼博苑园悦逸晟轩鑫宸"


def brands() -> tuple[str, ...]:
    """Curated 字号 first, then two-character combinations (about 1,500 in all)."""
    combos = [h + t for h in _BRAND_HEADS for t in _BRAND_TAILS if h != t]
    seen = set(CURATED_BRANDS)
    return CURATED_BRANDS + tuple(b for b in combos if b not in seen)


@dataclass(frozen=True)
class AgencyTemplate:
    """A social service agency's industry word and form: brand + industry + form."""

    industry: str
    form: str


def _templates(text: str) -> tuple[AgencyTemplate, ...]:
    """'艺术培训/学校 /养老院' -> templates; an empty industry is written as nothing before '/'."""
    out = []
    for item in text.split():
        industry, form = item.split("/")
        out.append(AgencyTemplate(industry, form))
    return tuple(out)


@dataclass(frozen=True)
class Kind:
    """One kind of organization in the demo: type, category, management and name shape.

    ``supervisors``/``regulators`` are department codes used at city level; county-level
    organizations have their county's departments, which the demo does not model."""

    key: str
    org_type: str
    category: str
    mode: str
    supervisors: tuple[str, ...] = ()
    regulators: tuple[str, ...] = ()
    templates: tuple[AgencyTemplate, ...] = ()
    public_welfare: bool = False
    civil_affairs: bool = False  # 民政领域: supervised by 市民政局
    funds: tuple[int, ...] = (30_000, 50_000, 100_000, 200_000, 300_000, 500_000)


SG, SSA, FDN = "social_group", "social_service_agency", "foundation"
DUAL, DIRECT = "dual_management", "direct_registration"
_AGENCY_FUNDS = (30_000, 50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000)
_FOUNDATION_FUNDS = (2_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000, 8_000_000, 10_000_000)

KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("sg_dual", SG, "other", DUAL),
        Kind("sg_civil", SG, "social_services", DUAL, supervisors=("MZJ",), civil_affairs=True),
        Kind("sg_business", SG, "business_services", DIRECT),
        Kind("sg_chamber", SG, "business_services", DIRECT, regulators=("GSL",)),
        Kind("sg_tech", SG, "science", DIRECT, regulators=("KJJ",)),
        Kind("sg_welfare", SG, "social_services", DIRECT, regulators=("MZJ",), public_welfare=True),
        Kind("sg_community", SG, "other", DIRECT),
        Kind(
            "kindergarten",
            SSA,
            "education",
            DUAL,
            ("EDU",),
            ("EDU",),
            _templates("/幼儿园 双语/幼儿园 艺术/幼儿园 实验/幼儿园"),
            funds=(100_000, 200_000, 300_000, 500_000, 1_000_000),
        ),
        Kind(
            "training_edu",
            SSA,
            "education",
            DUAL,
            ("EDU",),
            ("EDU",),
            _templates(
                "艺术培训/学校 英语培训/学校 书画培训/学校 舞蹈培训/学校 音乐培训/学校 美术培训/学校 "
                "科技培训/学校 编程培训/学校 围棋培训/学校 口才培训/学校 文化培训/学校"
            ),
            funds=_AGENCY_FUNDS,
        ),
        Kind(
            "training_job",
            SSA,
            "professional",
            DUAL,
            ("RSJ",),
            ("RSJ",),
            _templates(
                "职业培训/学校 职业技能培训/学校 电脑培训/学校 厨师培训/学校 家政服务培训/学校 美容美发培训/学校"
            ),
            funds=_AGENCY_FUNDS,
        ),
        Kind(
            "civil_agency",
            SSA,
            "social_services",
            DUAL,
            ("MZJ",),
            (),
            _templates(
                "/养老院 /老年公寓 /颐养院 康养/中心 养老服务/中心 居家养老服务/中心 儿童康复/中心 "
                "特殊儿童康复/中心 孤独症儿童康复/中心 残疾人托养/中心 助残服务/中心 社会工作服务/中心 "
                "婚姻家庭服务/中心 心理援助/中心"
            ),
            civil_affairs=True,
            funds=_AGENCY_FUNDS,
        ),
        Kind(
            "welfare_agency",
            SSA,
            "social_services",
            DIRECT,
            (),
            ("MZJ",),
            _templates(
                "公益服务/中心 志愿服务/中心 慈善服务/中心 公益发展/中心 社区公益/中心 助残公益服务/中心"
            ),
            public_welfare=True,
            funds=(30_000, 50_000, 100_000),
        ),
        Kind(
            "community_agency",
            SSA,
            "other",
            DIRECT,
            (),
            (),
            _templates("社区服务/中心 社区发展/中心 邻里服务/中心"),
            funds=(30_000, 50_000),
        ),
        Kind(
            "hospital",
            SSA,
            "health",
            DUAL,
            ("WJW",),
            ("WJW",),
            _templates(
                "/医院 中医/医院 骨科/医院 口腔/医院 康复/医院 眼科/医院 /门诊部 中医/门诊部 护理/院"
            ),
            funds=(500_000, 1_000_000, 2_000_000, 5_000_000),
        ),
        Kind(
            "culture_agency",
            SSA,
            "culture",
            DUAL,
            ("WLJ",),
            ("WLJ",),
            _templates("美术/馆 民俗/博物馆 书画/院 艺术/团 文化艺术/中心 非遗传习/所"),
            funds=_AGENCY_FUNDS,
        ),
        Kind(
            "sports_agency",
            SSA,
            "sports",
            DUAL,
            ("TIY",),
            ("TIY",),
            _templates(
                "体育/俱乐部 足球/俱乐部 篮球/俱乐部 游泳/俱乐部 帆船/俱乐部 跆拳道/俱乐部 网球/俱乐部 "
                "羽毛球/俱乐部 体育培训/中心"
            ),
            funds=_AGENCY_FUNDS,
        ),
        Kind(
            "science_agency",
            SSA,
            "science",
            DIRECT,
            (),
            ("KJJ",),
            _templates(
                "海洋科学/研究院 新材料/研究院 智能制造/研究院 生物技术/研究院 现代农业/研究院 "
                "信息技术/研究所 节能环保技术/研究院 科技服务/中心 技术转移/中心 检验检测技术/研究院"
            ),
            funds=_AGENCY_FUNDS,
        ),
        Kind(
            "legal_agency",
            SSA,
            "law",
            DUAL,
            ("SFJ",),
            ("SFJ",),
            _templates("人民调解/中心 商事调解/中心 司法鉴定/所 法律服务/中心"),
            funds=_AGENCY_FUNDS,
        ),
        Kind(
            "other_agency",
            SSA,
            "other",
            DUAL,
            ("NYJ", "SHJ", "HYJ", "RSJ", "TSW", "FLH"),
            (),
            _templates(
                "农业技术服务/中心 环境保护服务/中心 海洋生态保护/中心 人才发展/中心 "
                "青少年成长服务/中心 妇女儿童服务/中心 家庭教育服务/中心 创业服务/中心"
            ),
            funds=_AGENCY_FUNDS,
        ),
        Kind("foundation_theme", FDN, "other", DUAL, funds=_FOUNDATION_FUNDS),
        Kind(
            "foundation_welfare",
            FDN,
            "social_services",
            DIRECT,
            (),
            ("MZJ",),
            _templates("公益/基金会 慈善/基金会 爱心/基金会 助学/基金会"),
            public_welfare=True,
            funds=_FOUNDATION_FUNDS,
        ),
    )
}

# Which department supervises each template of ``other_agency`` (same order as its templates).
OTHER_AGENCY_SUPERVISORS = ("NYJ", "SHJ", "HYJ", "RSJ", "TSW", "FLH", "FLH", "RSJ")


def agency_department(kind: Kind, template_index: int) -> str | None:
    """The department (supervisory unit or regulator) of an agency made from a template."""
    if kind.key == "other_agency":
        return OTHER_AGENCY_SUPERVISORS[template_index]
    return (kind.supervisors or kind.regulators or (None,))[0]


# Themed foundations: core name -> (supervisory unit, category).
THEMED_FOUNDATIONS: dict[str, tuple[str, str]] = {
    "教育发展": ("EDU", "education"),
    "青少年发展": ("TSW", "social_services"),
    "见义勇为": ("ZFW", "other"),
    "老年事业发展": ("LGJ", "social_services"),
    "文化发展": ("WLJ", "culture"),
    "体育发展": ("TIY", "sports"),
    "医疗救助": ("WJW", "health"),
    "红十字博爱": ("HSH", "health"),
    "科技创新": ("KXH", "science"),
    "生态环保": ("SHJ", "ecology"),
    "乡村振兴": ("NYJ", "agriculture"),
    "海洋文化": ("HYJ", "culture"),
    "妇女儿童发展": ("FLH", "social_services"),
    "残疾人福利": ("CLH", "social_services"),
    "退役军人关爱": ("TYJ", "social_services"),
    "法律援助": ("SFJ", "law"),
    "东夷文化": ("SKL", "culture"),
    "莒文化": ("SKL", "culture"),
    "职工帮扶": ("ZGH", "social_services"),
    "慈心助学": ("EDU", "education"),
    "人才发展": ("RSJ", "professional"),
    "健康促进": ("WJW", "health"),
    "书画艺术": ("WLH", "culture"),
    "侨界公益": ("QLH", "social_services"),
    "金融教育": ("JRJ", "education"),
    "安全生产": ("YJJ", "other"),
    "港航发展": ("JTJ", "other"),
    "民营经济发展": ("GSL", "business_services"),
    "新闻事业发展": ("XCB", "culture"),
    "中医药发展": ("WJW", "health"),
    "科普": ("KXH", "science"),
    "老区建设": ("FGW", "other"),
    "粮食安全": ("LSJ", "agriculture"),
    "智慧城市": ("DSJ", "science"),
    "文物保护": ("WLJ", "culture"),
    "校友": ("EDU", "education"),
}

# Branch names (专业委员会 and the like): never regional for social groups (RG-5).
BRANCH_COMMITTEES = _words(
    "专家委员会 青年工作委员会 法律服务工作委员会 标准化工作委员会 培训工作委员会 科普工作委员会 "
    "会员服务工作委员会 女性工作委员会 学术工作委员会 信息化工作委员会"
)

# Rename patterns: current form -> former form.
FORMER_FORMS = {
    "协会": "研究会",
    "学会": "研究会",
    "研究会": "协会",
    "促进会": "协会",
    "商会": "同乡会",
    "幼儿园": "托幼中心",
    "学校": "培训中心",
    "养老院": "敬老院",
    "医院": "门诊部",
    "中心": "服务部",
    "俱乐部": "运动队",
}

# Places for addresses: roads by area code.
ROADS: dict[str, tuple[str, ...]] = {
    "371100": _words(
        "烟台路 泰安路 威海路 济南路 海曲中路 海曲东路 望海路 兴安路 昭阳路 菏泽路 枣庄路 聊城路 "
        "莱芜路 德州路 滨州路 黄海一路 临沂路 正阳路 山东路 学苑路"
    ),
    "371102": _words("海曲西路 日照路 东港路 石臼路 安泰路 青岛路 兴海路 正阳路 荟阳路 东营路"),
    "371103": _words("岚山中路 岚山北路 圣岚路 春晖路 朝阳路 岚山西路 长江路 黄河路"),
    "371121": _words("解放路 五莲山路 人民路 文化路 富强路 利民路 府前街 潮河路"),
    "371122": _words("城阳路 振兴路 青年路 沭东路 浮来路 银杏大道 莒州路 文心路"),
    "371171": _words("北京路 上海路 深圳路 厦门路 大连路 天津路 重庆路 香港路"),
    "371172": _words("海滨五路 太公岛路 山海路 阳光海岸路 海滨二路 万平口路"),
    "371173": _words("高新六路 高新七路 创新大道 卧龙山路 科技路"),
}
BUILDINGS = _words("综合楼 办公楼 大厦 商务中心 创业中心 科技园 服务中心")

# Community (street-level) organizations: community and village names, activities.
URBAN_COMMUNITIES = _words(
    "海滨 望海 金海岸 北京路 海曲 新世纪 兴业 城南 城北 东关 西关 阳光 丽城 港湾 金沙滩 玉泉 花园 春晖 "
    "秀水 碧海 青年 学苑 安泰 银河 府前 文昌 振兴 和谐 凤凰 东方 明珠 翠湖 滨河 龙山 奎山 昭阳 荟阳 "
    "福海 欣园 紫金 锦华 泰和 瑞丰 华苑"
)
_VILLAGE_HEADS = "东西南北前后上下大小新老中"
_VILLAGE_TAILS = "庄岭沟河山湖坡洼店寨屯湾泉口"
COMMUNITY_ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("志愿服务队", "social_services"),
    ("巾帼志愿服务队", "social_services"),
    ("邻里互助会", "social_services"),
    ("老年协会", "social_services"),
    ("助老服务队", "social_services"),
    ("关爱儿童服务队", "social_services"),
    ("文艺队", "culture"),
    ("舞蹈队", "culture"),
    ("合唱团", "culture"),
    ("书画社", "culture"),
    ("读书会", "culture"),
    ("京剧票友会", "culture"),
    ("秧歌队", "culture"),
    ("腰鼓队", "culture"),
    ("太极拳队", "sports"),
    ("健身队", "sports"),
    ("乒乓球队", "sports"),
    ("门球队", "sports"),
    ("象棋社", "sports"),
    ("矛盾纠纷调解队", "law"),
    ("治安巡防队", "other"),
    ("环保志愿队", "ecology"),
    ("红白理事会", "other"),
    ("居民议事会", "other"),
    ("农技服务队", "agriculture"),
    ("宣讲团", "other"),
)


def villages() -> tuple[str, ...]:
    return tuple(h + t for h in _VILLAGE_HEADS for t in _VILLAGE_TAILS)


def name_table(table: dict[str, tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    """(department, core, form, category) of every social-group name in a table."""
    out = []
    for dept, (default, text) in table.items():
        for item in text.split():
            name, _, category = item.partition(":")
            core, form = split_form(name)
            out.append((dept, core, form, category or default))
    return out
