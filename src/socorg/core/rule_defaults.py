"""National defaults of every number in RULES.md, as data, and the parameters the code needs.

Each entry becomes a ``RuleParameter`` row without a jurisdiction (the national default); a
locality overrides one by adding its own row. ``load_rule_defaults()`` upserts the entries and
may run any number of times: a second run changes nothing. ``socorg migrate`` adds the entries
the table lacks (``load_rule_defaults(update=False)`` after every migration, so a bureau's edit
of a national row is kept); ``socorg demo load`` upserts them.

``REQUIRED`` declares, in this one place, every parameter the code reads through
``socorg.core.params.param``; the start-up check (``socorg.core.checks``) refuses to start
when one of them has no row in force.

Ratios are decimals; fractions the rules state as "2/3" are stored as ``[numerator,
denominator]`` so comparisons stay exact. ``effective_from`` is the date the source took effect;
where only the year of a document is known, the first day of that year is used (the note says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Model

# Sources, with the date each took effect.
LOCAL_JOINT_REVIEW = ("本市社会组织登记联合审核制度（本地规定）", date(2022, 1, 1))
SG_REGULATION = ("社会团体登记管理条例（国务院令第250号，2016年修订）", date(1998, 10, 25))
SSA_REGULATION = ("民办非企业单位登记管理暂行条例（国务院令第251号）", date(1998, 10, 25))
FOUNDATION_REGULATION = ("基金会管理条例（国务院令第400号）", date(2004, 6, 1))
FOUNDATION_NAMES = ("基金会名称管理规定（民政部令第26号）", date(2004, 6, 23))
ANNUAL_INSPECTION_2025 = ("社会团体年度检查办法（2025年）", date(2026, 1, 1))
CREDIT_MEASURES = ("社会组织信用信息管理办法（民政部令第60号）", date(2018, 1, 24))
RANDOM_INSPECTION_STATE = (
    "国务院办公厅关于推广随机抽查规范事中事后监管的通知（国办发〔2015〕58号）",
    date(2015, 7, 29),
)
PENALTY_LAW = ("中华人民共和国行政处罚法（2021年修订）", date(2021, 7, 15))
REGISTRATION_DRAFT = ("社会组织登记管理条例（草案征求意见稿）", date(2018, 8, 3))
COMPLAINTS_LOCAL = ("本市社会组织投诉举报办理规定（本地规定）", date(2022, 1, 1))
RANDOM_INSPECTION_MCA = ("社会组织抽查暂行办法（民发〔2017〕45号）", date(2017, 1, 1))
DORMANT_CLEANUP = ("关于开展“僵尸型”社会组织专项整治的通知（民发〔2021〕63号）", date(2021, 1, 1))
MODEL_CHARTER = (
    "社会团体章程示范文本；关于规范退（离）休领导干部在社会团体兼职问题的通知（2014年）",
    date(2014, 1, 1),
)
GRADE_ASSESSMENT_2026 = ("社会组织评估管理办法（2026年）", date(2026, 3, 1))
SERVICE_PURCHASE = ("政府购买服务管理办法（财政部令第102号）", date(2020, 3, 1))
# Identification and authentication of a level-3 system (等级保护第三级, 8.1.4.1 身份鉴别).
MLPS_LEVEL3 = (
    "GB/T 22239-2019 网络安全等级保护基本要求（第三级 8.1.4.1 身份鉴别）",
    date(2019, 12, 1),
)
PARTY_BRANCH_REGULATION = ("中国共产党支部工作条例（试行）", date(2018, 10, 28))
CODE_STANDARD = ("GB 32100-2015 法人和其他组织统一社会信用代码编码规则", date(2015, 10, 1))

YEAR_ONLY = "生效日期按文件年份取1月1日"


@dataclass(frozen=True)
class Default:
    rule_id: str
    key: str
    value: Any
    source: tuple[str, date]
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "key": self.key,
            "value": self.value,
            "effective_from": self.source[1],
            "source": self.source[0],
            "note": self.note,
        }


_DEFAULTS: tuple[Default, ...] = (
    # ID — credit codes
    Default("ID-5", "ID-5.authority_code", "5", CODE_STANDARD, "民政部门登记管理机关代码"),
    Default(
        "ID-5",
        "ID-5.type_codes",
        {"social_group": "1", "social_service_agency": "2", "foundation": "3", "other": "9"},
        CODE_STANDARD,
    ),
    # RG — registration
    Default("RG-1", "RG-1.min_individual_members", 50, SG_REGULATION, "第十条"),
    Default("RG-1", "RG-1.min_unit_members", 30, SG_REGULATION, "第十条"),
    Default(
        "RG-1", "RG-1.min_mixed_members", 50, SG_REGULATION, "个人会员与单位会员混合组成的合计数"
    ),
    Default(
        "RG-1", "RG-1.min_funds.national", 100_000, SG_REGULATION, "全国性社会团体活动资金（元）"
    ),
    Default(
        "RG-1",
        "RG-1.min_funds.local",
        30_000,
        SG_REGULATION,
        "地方性、跨行政区域社会团体活动资金（元）",
    ),
    Default(
        "RG-2",
        "RG-2.banned_name_words",
        ["中国", "全国", "中华"],
        SG_REGULATION,
        "地方性社会组织名称禁用",
    ),
    Default("RG-3", "RG-3.decision_days", 60, SG_REGULATION, "自收到全部有效文件之日起"),
    Default(
        "RG-3", "RG-3.decision_day_unit", "calendar", SG_REGULATION, "条例称“日”，按自然日计算"
    ),
    Default("RG-5", "RG-5.max_branch_depth", 1, SG_REGULATION, "分支机构不得再设立分支机构"),
    Default(
        "RG-6", "RG-6.change_registration_days", 30, SG_REGULATION, "业务主管单位审查同意之日起"
    ),
    Default("RG-7", "RG-7.deregistration_days", 15, SG_REGULATION, "清算结束之日起"),
    Default(
        "RG-9", "RG-9.inactivity_months.social_group", 12, SG_REGULATION, "取得登记证书后未开展活动"
    ),
    Default("RG-9", "RG-9.inactivity_months.foundation", 12, FOUNDATION_REGULATION, "第四十一条"),
    Default(
        "RG-10",
        "RG-10.min_original_funds.national_public",
        8_000_000,
        FOUNDATION_REGULATION,
        "元，货币资金",
    ),
    Default(
        "RG-10",
        "RG-10.min_original_funds.local_public",
        4_000_000,
        FOUNDATION_REGULATION,
        "元，货币资金",
    ),
    Default(
        "RG-10",
        "RG-10.min_original_funds.non_public",
        2_000_000,
        FOUNDATION_REGULATION,
        "元，货币资金",
    ),
    Default("RG-11", "RG-11.board_min", 5, FOUNDATION_REGULATION),
    Default("RG-11", "RG-11.board_max", 25, FOUNDATION_REGULATION),
    Default("RG-11", "RG-11.term_max_years", 5, FOUNDATION_REGULATION),
    Default(
        "RG-11",
        "RG-11.paid_board_max_ratio",
        [1, 3],
        FOUNDATION_REGULATION,
        "领取报酬的理事不超过三分之一",
    ),
    Default("RG-11", "RG-11.min_board_meetings_per_year", 2, FOUNDATION_REGULATION),
    Default(
        "RG-12", "RG-12.public_min_spending_ratio", 0.70, FOUNDATION_REGULATION, "上一年总收入"
    ),
    Default(
        "RG-12",
        "RG-12.non_public_min_spending_ratio",
        0.08,
        FOUNDATION_REGULATION,
        "上一年基金余额",
    ),
    Default(
        "RG-12",
        "RG-12.max_staff_admin_ratio",
        0.10,
        FOUNDATION_REGULATION,
        "工作人员工资福利和行政办公支出占总支出",
    ),
    Default("RG-13", "RG-13.core_name_min_chars", 2, FOUNDATION_NAMES),
    Default("RG-13", "RG-13.name_reuse_block_years.removed", 3, FOUNDATION_NAMES, "注销或撤销后"),
    Default("RG-13", "RG-13.name_reuse_block_years.changed", 1, FOUNDATION_NAMES, "名称变更后"),
    Default(
        "RG-14",
        "RG-14.direct_registration_categories",
        ["行业协会商会", "科技类", "公益慈善类", "城乡社区服务类"],
        SG_REGULATION,
        "城乡社区服务类由县级登记管理机关直接登记",
    ),
    Default(
        "RG-14",
        "RG-14.direct_category_fields",
        {
            "行业协会商会": ["business_services", "agriculture", "professional"],
            "科技类": ["science"],
            "公益慈善类": ["social_services"],
            "城乡社区服务类": ["social_services", "other"],
        },
        SG_REGULATION,
        "直接登记类别与行业分类的对应（行业分类取值见登记库）",
    ),
    Default(
        "RG-14",
        "RG-14.county_only_categories",
        ["城乡社区服务类"],
        SG_REGULATION,
        "仅由县级登记管理机关直接登记的类别",
    ),
    Default(
        "RG-14",
        "RG-14.opinion_working_days",
        10,
        LOCAL_JOINT_REVIEW,
        "征求意见、联合审核部门出具意见的期限（工作日）",
    ),
    # AR — annual report and inspection
    Default("AR-1", "AR-1.notice_by", "01-31", ANNUAL_INSPECTION_2025, "月-日"),
    Default("AR-1", "AR-1.supervisory_unit_due", "03-31", ANNUAL_INSPECTION_2025, "月-日"),
    Default(
        "AR-1",
        "AR-1.authority_due",
        "05-31",
        ANNUAL_INSPECTION_2025,
        "月-日；直接登记的径送登记管理机关",
    ),
    Default("AR-1", "AR-1.foundation_due", "03-31", ANNUAL_INSPECTION_2025, "月-日"),
    Default("AR-1", "AR-1.conclusion_due", "09-30", ANNUAL_INSPECTION_2025, "月-日"),
    Default(
        "AR-2",
        "AR-2.min_months_before_year_end",
        6,
        ANNUAL_INSPECTION_2025,
        "成立不满6个月的可不参加当年年检",
    ),
    Default("AR-4", "AR-4.revisable_years", 2, ANNUAL_INSPECTION_2025),
    # CR — credit lists
    Default("CR-1", "CR-1.entry_working_days", 5, CREDIT_MEASURES),
    Default("CR-2", "CR-2.letter_count", 2, CREDIT_MEASURES, "征求意见稿"),
    Default("CR-2", "CR-2.letter_gap_days_min", 20, CREDIT_MEASURES, "征求意见稿"),
    Default("CR-2", "CR-2.letter_gap_days_max", 60, CREDIT_MEASURES, "征求意见稿"),
    Default(
        "CR-2",
        "CR-2.notice_response_working_days",
        10,
        CREDIT_MEASURES,
        "自动列入生效前预先告知的陈述申辩期限（工作日），本系统默认值",
    ),
    Default(
        "CR-2",
        "CR-2.report_lookback_years",
        5,
        CREDIT_MEASURES,
        "自动核查未按时报送年度报告时回溯的年度数，本系统默认值",
    ),
    Default("CR-3", "CR-3.delisting_working_days", 5, CREDIT_MEASURES),
    Default("CR-3", "CR-3.auto_delisting_months", 6, CREDIT_MEASURES, "征求意见稿"),
    Default("CR-4", "CR-4.abnormal_years", 2, CREDIT_MEASURES, "列入活动异常名录满2年"),
    Default("CR-4", "CR-4.fine_threshold", 50_000, CREDIT_MEASURES, "元"),
    Default("CR-4", "CR-4.warning_count", 2, CREDIT_MEASURES),
    Default("CR-4", "CR-4.warning_window_years", 3, CREDIT_MEASURES),
    Default("CR-5", "CR-5.clean_years", 2, CREDIT_MEASURES),
    # RI — random inspection
    Default("RI-3", "RI-3.ratio.county", 0.03, RANDOM_INSPECTION_MCA, YEAR_ONLY),
    Default("RI-3", "RI-3.ratio.city", 0.04, RANDOM_INSPECTION_MCA, YEAR_ONLY),
    Default("RI-3", "RI-3.ratio.province", 0.05, RANDOM_INSPECTION_MCA, YEAR_ONLY),
    Default("RI-3", "RI-3.ratio.ministry", 0.10, RANDOM_INSPECTION_MCA, YEAR_ONLY),
    # Risk weights (RI-3 "sampled more"): multiplied together; they raise an organization's
    # chance without making it certain.
    Default(
        "RI-3", "RI-3.weight.complaint_verified", 2.0, RANDOM_INSPECTION_MCA, "本系统设定，可配置"
    ),
    Default("RI-3", "RI-3.weight.credit_listing", 2.0, RANDOM_INSPECTION_MCA, "本系统设定，可配置"),
    Default("RI-3", "RI-3.weight.report_failed", 1.5, RANDOM_INSPECTION_MCA, "本系统设定，可配置"),
    Default("RI-5", "RI-5.min_inspectors", 2, RANDOM_INSPECTION_STATE),
    Default(
        "RI-6",
        "RI-6.publication_working_days",
        20,
        RANDOM_INSPECTION_STATE,
        "参照企业抽查公示时限，可配置",
    ),
    # CP — complaints and tips: the routed department's verification clock
    Default(
        "CP-1",
        "CP-1.verification_working_days",
        15,
        COMPLAINTS_LOCAL,
        "投诉举报转办后责任部门核查反馈的期限（工作日），本系统默认值，可配置",
    ),
    # PN — enforcement cases and penalties
    Default(
        "PN-1",
        "PN-1.statement_working_days",
        3,
        PENALTY_LAW,
        "行政处罚事先告知后当事人陈述申辩的期限（工作日），本系统默认值，可配置",
    ),
    Default(
        "PN-1",
        "PN-1.hearing_request_working_days",
        5,
        PENALTY_LAW,
        "第六十四条：告知后五日内提出听证要求，本系统按工作日计",
    ),
    Default(
        "PN-3",
        "PN-3.restriction_years",
        5,
        REGISTRATION_DRAFT,
        "被撤销登记的社会组织的法定代表人和负责人不得担任社会组织负责人的年限，"
        "参照草案征求意见稿，本系统默认值",
    ),
    # DO — dormant organizations
    Default("DO-1", "DO-1.missed_reports_consecutive_years", 2, DORMANT_CLEANUP, YEAR_ONLY),
    Default("DO-1", "DO-1.inactive_after_certificate_years", 1, DORMANT_CLEANUP, YEAR_ONLY),
    Default("DO-1", "DO-1.inactive_in_scope_years", 2, DORMANT_CLEANUP, YEAR_ONLY),
    # TT — terms and principals
    Default("TT-1", "TT-1.term_years", 5, MODEL_CHARTER, YEAR_ONLY),
    Default("TT-1", "TT-1.max_delay_years", 1, MODEL_CHARTER, YEAR_ONLY),
    Default("TT-1", "TT-1.preparation_months", 3, MODEL_CHARTER, YEAR_ONLY),
    Default("TT-2", "TT-2.age_limit", 70, MODEL_CHARTER, YEAR_ONLY),
    Default("TT-2", "TT-2.max_consecutive_terms", 2, MODEL_CHARTER, YEAR_ONLY),
    Default("TT-2", "TT-2.exception_vote_ratio", [2, 3], MODEL_CHARTER, YEAR_ONLY),
    Default("TT-3", "TT-3.age_limit", 70, MODEL_CHARTER, YEAR_ONLY),
    Default("TT-3", "TT-3.max_terms", 2, MODEL_CHARTER, YEAR_ONLY),
    Default("TT-3", "TT-3.max_social_groups", 1, MODEL_CHARTER, YEAR_ONLY),
    # GA — grade assessment
    Default("GA-1", "GA-1.valid_years", 5, GRADE_ASSESSMENT_2026),
    Default("GA-2", "GA-2.min_registered_years", 2, GRADE_ASSESSMENT_2026),
    Default("GA-2", "GA-2.expiring_within_years", 1, GRADE_ASSESSMENT_2026),
    Default("GA-3", "GA-3.committee_min", 11, GRADE_ASSESSMENT_2026),
    Default("GA-3", "GA-3.committee_max", 21, GRADE_ASSESSMENT_2026),
    Default("GA-3", "GA-3.quorum_ratio", [2, 3], GRADE_ASSESSMENT_2026),
    Default("GA-3", "GA-3.pass_ratio", [1, 2], GRADE_ASSESSMENT_2026, "须超过全体委员的半数"),
    Default(
        "GA-3", "GA-3.recusal_years", 2, GRADE_ASSESSMENT_2026, "离开参评组织不满2年的委员回避"
    ),
    Default("GA-4", "GA-4.preferred_contractor_min_grade", 3, GRADE_ASSESSMENT_2026, "3A"),
    Default("GA-4", "GA-4.simplified_inspection_min_grade", 4, GRADE_ASSESSMENT_2026, "4A"),
    # SP — support programs
    Default("SP-1", "SP-1.contract_max_years", 1, SERVICE_PURCHASE),
    Default("SP-1", "SP-1.stable_contract_max_years", 3, SERVICE_PURCHASE),
    Default("SP-3", "SP-3.min_grade", 0, SERVICE_PURCHASE, "0 表示不要求等级；各项目可另行设定"),
    # MLPS — account security (level 3): password complexity and age, idle sessions, two factors
    Default("MLPS-1", "MLPS-1.password_min_length", 10, MLPS_LEVEL3, "口令最短长度"),
    Default(
        "MLPS-1",
        "MLPS-1.password_min_classes",
        3,
        MLPS_LEVEL3,
        "大写字母、小写字母、数字、符号四类中至少包含的类数",
    ),
    Default(
        "MLPS-1", "MLPS-1.password_max_age_days", 90, MLPS_LEVEL3, "口令最长使用天数；0 表示不限"
    ),
    Default("MLPS-2", "MLPS-2.idle_timeout_minutes", 30, MLPS_LEVEL3, "登录会话无操作超时退出"),
    Default(
        "MLPS-3",
        "MLPS-3.totp_required_for_all_staff",
        False,
        MLPS_LEVEL3,
        "开启后全体工作人员登录须动态口令；三员与超级管理员始终须动态口令",
    ),
    Default(
        "PB-1",
        "PB-1.min_full_time_party_members",
        3,
        PARTY_BRANCH_REGULATION,
        "有正式党员3人以上的社会组织应当单独成立党支部（应建未建）",
    ),
)

RULE_DEFAULTS: list[dict[str, Any]] = [d.as_dict() for d in _DEFAULTS]

# Every parameter the code reads (``param(key)``): each must have a row in force, or
# ``socorg run`` refuses to start. A key listed here needs a national default above.
REQUIRED: frozenset[str] = frozenset(
    {
        # registration: conditions (RG-1, RG-10), decision clock (RG-3), joint review (RG-14)
        "RG-1.min_individual_members",
        "RG-1.min_unit_members",
        "RG-1.min_mixed_members",
        "RG-1.min_funds.local",
        "RG-3.decision_days",
        # the first annual report's due date shown after approval (AR-1)
        "AR-1.authority_due",
        "AR-1.foundation_due",
        # filing progress of annual reports: due dates (AR-1) and the skip rule (AR-2)
        "AR-1.supervisory_unit_due",
        "AR-2.min_months_before_year_end",
        "RG-3.decision_day_unit",
        "RG-6.change_registration_days",
        "RG-7.deregistration_days",
        "RG-10.min_original_funds.local_public",
        "RG-10.min_original_funds.non_public",
        "RG-14.direct_registration_categories",
        "RG-14.direct_category_fields",
        "RG-14.county_only_categories",
        "RG-14.opinion_working_days",
        # name check (RG-13)
        "RG-13.core_name_min_chars",
        "RG-13.name_reuse_block_years.removed",
        "RG-13.name_reuse_block_years.changed",
        # data corrections (CR-1)
        "CR-1.entry_working_days",
        # the dormant-organization criteria a cleanup campaign snapshots (DO-1, AR-1, AR-2, CR-2)
        "DO-1.missed_reports_consecutive_years",
        "DO-1.inactive_after_certificate_years",
        "DO-1.inactive_in_scope_years",
        "CR-2.letter_count",
        # annual reports: the foundations' spending ratios (RG-12) and the conclusions that may
        # still be revised (AR-4)
        "RG-12.public_min_spending_ratio",
        "RG-12.non_public_min_spending_ratio",
        "RG-12.max_staff_admin_ratio",
        "AR-4.revisable_years",
        # credit lists: the delisting decision's clock (CR-3)
        "CR-3.delisting_working_days",
        # credit lists: the earliest delisting date of a listing by decision and the rules
        # explained in words on the credit pages (CR-3, CR-4, CR-5)
        "CR-3.auto_delisting_months",
        "CR-4.abnormal_years",
        "CR-4.fine_threshold",
        "CR-4.warning_count",
        "CR-4.warning_window_years",
        "CR-5.clean_years",
        # the compliance sweep (CR-2 .. CR-5, with AR-1 and AR-2 for who files by when)
        "CR-2.notice_response_working_days",
        "CR-2.report_lookback_years",
        "CR-2.letter_gap_days_min",
        "CR-2.letter_gap_days_max",
        # party branches: 应建未建 (PB-1)
        "PB-1.min_full_time_party_members",
        # principals and terms (TT-1, TT-2, TT-3, RG-11)
        "TT-1.term_years",
        "TT-1.preparation_months",
        "TT-1.max_delay_years",
        "TT-2.age_limit",
        "TT-2.max_consecutive_terms",
        "TT-3.age_limit",
        "TT-3.max_terms",
        "TT-3.max_social_groups",
        "RG-11.board_min",
        "RG-11.board_max",
        "RG-11.paid_board_max_ratio",
        "RG-11.term_max_years",
        # enforcement cases: statement and hearing clocks (PN-1), restriction period (PN-3)
        "PN-1.statement_working_days",
        "PN-1.hearing_request_working_days",
        "PN-3.restriction_years",
        # complaints: the verification clock (CP-1)
        "CP-1.verification_working_days",
        # random inspections: ratios per level, risk weights, publication of results
        "RI-3.ratio.county",
        "RI-3.ratio.city",
        "RI-3.weight.complaint_verified",
        "RI-3.weight.credit_listing",
        "RI-3.weight.report_failed",
        "RI-6.publication_working_days",
        # account security (MLPS-1..3)
        "MLPS-1.password_min_length",
        "MLPS-1.password_min_classes",
        "MLPS-1.password_max_age_days",
        "MLPS-2.idle_timeout_minutes",
        "MLPS-3.totp_required_for_all_staff",
    }
)


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def national_default(key: str) -> Any:
    """The national default of ``key`` from this table (the latest one when it has several),
    for pure rules called without the parameter table (their callers pass ``param(key)``)."""
    entries = [d for d in _DEFAULTS if d.key == key]
    if not entries:
        raise KeyError(key)
    return max(entries, key=lambda d: d.source[1]).value


def load_rule_defaults(
    *, update: bool = True, using: str = DEFAULT_DB_ALIAS, model: type[Model] | None = None
) -> LoadResult:
    """Upsert the national defaults (rows with no jurisdiction), keyed by (key, effective_from).

    ``update=False`` only adds the missing rows (after a migration: a national row the bureau
    edited stays as it is). ``model`` is the migration state's model after a migration."""
    model = model or global_apps.get_model("core", "RuleParameter")
    with transaction.atomic(using=using):
        manager: Any = model._default_manager.db_manager(using)
        existing = {(row.key, row.effective_from): row for row in manager.filter(jurisdiction=None)}
        created: list[Any] = []
        updated = unchanged = 0
        for entry in RULE_DEFAULTS:
            row = existing.get((entry["key"], entry["effective_from"]))
            if row is None:
                created.append(model(jurisdiction=None, **entry))
            elif update and _apply(row, entry):
                row.save(using=using, update_fields=["rule_id", "value", "source", "note"])
                updated += 1
            else:
                unchanged += 1
        manager.bulk_create(created)
    return LoadResult(created=len(created), updated=updated, unchanged=unchanged)


def load_after_migrate(*, using: str = DEFAULT_DB_ALIAS, apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate`` receiver: add the national defaults the table lacks (also after a
    test database is flushed, which emits ``post_migrate`` too)."""
    try:
        model = (apps or global_apps).get_model("core", "RuleParameter")
    except LookupError:  # migrated back to before the table existed
        return
    load_rule_defaults(update=False, using=using, model=model)


def _apply(row: Any, entry: dict[str, Any]) -> bool:
    """Copy the entry onto the row; True when something changed."""
    changed = False
    for field in ("rule_id", "value", "source", "note"):
        if getattr(row, field) != entry[field]:
            setattr(row, field, entry[field])
            changed = True
    return changed
