"""The demo's liaison officers (联络员制度) and the brand 日出初光 暖益港城.

- Liaisons for most of the 56 municipal departments (some with two), the cast's
  ``edu_liaison`` as 日照市教育局's; a few departments whose liaison left and a few that never
  named one, so the roster's flag has something to show.
- Three policy and regulation training sessions this year (one last year), with attendance
  such that some departments with liaisons are still untrained this year.
- The brand as a program: member organizations of the city, activities held over the last
  year and a half with their participants, one planned, one cancelled.

Everything goes through the services (audited), as the city registrar of the cast would do.
Deterministic: the same names and choices on every load; dates count back from the day of
the load."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from socorg.core.models import Department, DepartmentKind, User
from socorg.core.pdf import FONT_FACE_SC, FONT_FILES, font_path
from socorg.core.workflow import fire, get_process
from socorg.party.models import BrandProgram, LiaisonOfficer
from socorg.party.services import brand, liaisons
from socorg.party.services.brand import ActivityInput
from socorg.party.services.liaisons import LiaisonInput, TrainingInput
from socorg.registry.models import Category, Level, Organization, OrgStatus

SEED = 20220701
CLERK = "city_registrar"
EDU = "EDU"
# Departments without a current liaison: these never named one; the next ones' liaison left.
NEVER_NAMED = 4
LEFT = 3
BRAND_CODE = "rcc-nygc"
BRAND_LAUNCHED = date(2022, 7, 1)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国晓东海波宁斌浩凯文博雪梅慧丹琳晨欣悦"
POSITIONS = ("办公室主任", "科长", "副科长", "一级主任科员", "二级主任科员", "四级调研员")
TOPICS = (
    ("社会组织登记管理政策法规解读", "市民政局社会组织管理科"),
    ("年度报告填报与“双随机、一公开”抽查实务", "市民政局执法监察科"),
    ("社会组织党建工作与投诉举报线索核查", "市委两新工委"),
)
ACTIVITIES = (
    ("“暖益港城”关爱留守儿童暑期课堂", "东港区秦楼街道社区服务中心", 320),
    ("“日出初光”党员志愿者敬老助餐", "日照市老年公寓", 180),
    ("社会组织助力乡村振兴集中服务日", "五莲县松柏镇", 560),
    ("“暖益港城”海滨环保公益行", "日照海滨国家森林公园", 240),
    ("社会组织党建品牌成果展", "日照市社会组织党建益站", 420),
    ("“日出初光”困难家庭送温暖", "岚山区安东卫街道", 150),
)


def _name(rng: Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(index: int) -> str:
    return f"139063{index:05d}"


def ensure_demo_liaisons() -> int:
    """The roster, the sessions and the brand, unless liaisons exist; returns rows made."""
    clerk = User.objects.filter(username=CLERK).first()
    if clerk is None or LiaisonOfficer.objects.exists():
        return 0
    rng = Random(SEED)
    departments = list(
        Department.objects.filter(kind=DepartmentKind.GOVERNMENT, jurisdiction__code="371100")
        .exclude(code=EDU)
        .order_by("code")
    )
    rng.shuffle(departments)
    # The first NEVER_NAMED departments of the shuffle never designated anyone.
    left = departments[NEVER_NAMED : NEVER_NAMED + LEFT]
    serving = departments[NEVER_NAMED + LEFT :]
    made = _edu(clerk)
    current: list[LiaisonOfficer] = list(made)
    for index, dept in enumerate(serving + left, start=1):
        liaison = _designate(clerk, dept, rng, index)
        if dept in left:
            liaisons.liaison_end(
                actor=clerk,
                pk=liaison.pk,
                ends_on=timezone.localdate() - timedelta(days=rng.randint(20, 200)),
                reason=rng.choice(("工作调动", "岗位调整", "退休")),
            )
        else:
            current.append(liaison)
        made.append(liaison)
        if index % 9 == 0 and dept in serving:  # a few departments name a second liaison
            second = _designate(clerk, dept, rng, index + 500)
            current.append(second)
            made.append(second)
    sessions = _trainings(clerk, rng, current)
    return len(made) + sessions + _brand(clerk, rng)


def _edu(clerk: User) -> list[LiaisonOfficer]:
    account = User.objects.filter(username="edu_liaison").first()
    liaison = liaisons.liaison_designate(
        actor=clerk,
        department_code=EDU,
        data=LiaisonInput(
            name=account.full_name if account else "赵磊",
            phone="13906330001",
            starts_on=date(2022, 3, 1),
            position="政策法规科科长",
            email="zhaolei@rzedu.example.cn",
            username=account.username if account else "",
        ),
    )
    return [liaison]


def _designate(clerk: User, dept: Department, rng: Random, index: int) -> LiaisonOfficer:
    starts = date(2022, 3, 1) + timedelta(days=rng.randint(0, 900))
    return liaisons.liaison_designate(
        actor=clerk,
        department_code=dept.code,
        data=LiaisonInput(
            name=_name(rng),
            phone=_phone(index),
            starts_on=min(starts, timezone.localdate() - timedelta(days=400)),
            position=rng.choice(POSITIONS),
        ),
    )


def _session_days(today: date) -> list[date]:
    """Three days of this year before today (the first days of January if it is early)."""
    start = date(today.year, 1, 2)
    return [max(start, today - timedelta(days=d)) for d in (210, 120, 30)]


def _trainings(clerk: User, rng: Random, current: list[LiaisonOfficer]) -> int:
    today = timezone.localdate()
    last_year = liaisons.training_create(
        actor=clerk,
        data=TrainingInput(
            held_on=date(today.year - 1, 11, 18),
            topic="社会组织综合监管责任清单培训",
            venue="日照市民政局三楼会议室",
            lecturer="市民政局社会组织管理科",
        ),
    )
    _attend(clerk, last_year.pk, [x for x in current if x.starts_on <= last_year.held_on][::2])
    # Most departments with a liaison attend this year, each once; about one in six does not.
    by_department: dict[int, LiaisonOfficer] = {}
    for x in current:
        by_department.setdefault(x.department_id, x)
    firsts = list(by_department.values())
    rng.shuffle(firsts)
    untrained = max(1, len(firsts) // 6)
    attending = [x for x in firsts[untrained:] if x.department.code != EDU]
    edu = [x for x in firsts if x.department.code == EDU]
    for number, ((topic, lecturer), day) in enumerate(
        zip(TOPICS, _session_days(today), strict=True)
    ):
        training = liaisons.training_create(
            actor=clerk,
            data=TrainingInput(
                held_on=day,
                topic=topic,
                venue="日照市民政局三楼会议室",
                lecturer=lecturer,
                summary="围绕社会组织登记、年检、抽查、投诉核查和党建工作职责，结合本市案例讲解部门联络员的工作要求。",
            ),
        )
        group = attending[number::3] + (edu if number == 1 else [])
        _attend(clerk, training.pk, [x for x in group if x.starts_on <= day])
        if number == 0:
            _material(clerk, training.pk)
    return len(TOPICS) + 1


def _attend(clerk: User, pk: int, group: list[LiaisonOfficer]) -> None:
    if group:
        liaisons.training_attendance_record(actor=clerk, pk=pk, liaison_ids=[x.pk for x in group])


def _material(clerk: User, pk: int) -> None:
    """A one-page handout, when the CJK font is installed (the certificates need it too)."""
    try:
        data = _handout()
    except ImproperlyConfigured:
        return
    upload = SimpleUploadedFile(
        "社会组织登记管理政策法规解读（讲义）.pdf", data, content_type="application/pdf"
    )
    liaisons.training_material_add(actor=clerk, pk=pk, upload=upload)


def _handout() -> bytes:
    from fpdf import FPDF  # loading fpdf2 takes a while: only the demo load needs it here

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("sc", "", str(font_path(FONT_FILES[""])), collection_font_number=FONT_FACE_SC)
    pdf.set_font("sc", size=16)
    pdf.cell(0, 12, "社会组织登记管理政策法规解读", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("sc", size=11)
    for line in (
        "一、社会团体登记管理条例、民办非企业单位登记管理暂行条例、基金会管理条例要点",
        "二、年度报告的报送时限：业务主管单位 3 月 31 日，登记管理机关 5 月 31 日",
        "三、活动异常名录与严重违法失信名单的列入、移出",
        "四、部门联络员在联合审核、抽查和投诉核查中的职责",
    ):
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# --- the brand ------------------------------------------------------------------------------


def _brand(clerk: User, rng: Random) -> int:
    program = BrandProgram.objects.create(
        code=BRAND_CODE,
        name="日出初光 暖益港城",
        slogan="党建引领聚合力 公益服务暖港城",
        description=(
            "“日出初光 暖益港城”是日照市社会组织党建品牌。以党建引领社会组织参与基层治理和公益服务，"
            "组织成员单位围绕“老小孤残”、乡村振兴、生态环保开展志愿服务，打造“党建益站”阵地。"
        ),
        jurisdiction=clerk.jurisdiction,  # type: ignore[misc]
        launched_on=BRAND_LAUNCHED,
    )
    candidates = list(
        Organization.objects.filter(
            level=Level.CITY,
            status=OrgStatus.REGISTERED,
            category__in=(Category.SOCIAL_SERVICES, Category.EDUCATION, Category.CULTURE),
        )
        .exclude(uscc__isnull=True)
        .order_by("uscc")[:400]
    )
    members = rng.sample(candidates, min(24, len(candidates)))
    today = timezone.localdate()
    roles = ("志愿服务队", "阵地共建单位", "公益项目承接单位", "")
    for index, org in enumerate(members):
        joined = BRAND_LAUNCHED + timedelta(days=30 * (index % 12))
        brand.brand_member_add(
            actor=clerk,
            program=program.pk,
            organization=org.uscc or "",
            joined_on=min(joined, today),
            role=roles[index % len(roles)],
        )
    made = len(members)
    for index, (title, venue, people) in enumerate(ACTIVITIES):
        day = today - timedelta(days=40 + 75 * index)
        group = rng.sample(members, 4)
        activity = brand.brand_activity_plan(
            actor=clerk,
            program=program.pk,
            data=ActivityInput(title=title, starts_on=day, ends_on=day, venue=venue),
            organization_ids=[o.pk for o in group if o.pk],
        )
        brand.brand_activity_report_held(
            actor=clerk, pk=activity.pk, participants=people, volunteers=len(group) * 8
        )
        made += 1
    upcoming = brand.brand_activity_plan(
        actor=clerk,
        program=program.pk,
        data=ActivityInput(
            title="“暖益港城”新春送福进社区",
            starts_on=today + timedelta(days=20),
            ends_on=today + timedelta(days=21),
            venue="东港区日照街道",
        ),
        organization_ids=[o.pk for o in members[:5]],
    )
    cancelled = brand.brand_activity_plan(
        actor=clerk,
        program=program.pk,
        data=ActivityInput(
            title="海滨公益徒步",
            starts_on=today - timedelta(days=15),
            ends_on=today - timedelta(days=15),
        ),
        organization_ids=[o.pk for o in members[5:8]],
    )
    fire(
        process=get_process("brand_activity"),
        key=cancelled.pk,
        action="cancel",
        actor=clerk,
        comment="受台风天气影响取消",
    )
    return made + 2 + (1 if upcoming else 0)
