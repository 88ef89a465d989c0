"""The registry: organizations, names and the name index, people, principals, terms, branches,
events and the department responsibility map."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from socorg.core.db import NameIndex, register_name_index
from socorg.core.models import Department, Jurisdiction, User
from socorg.core.representations import LabelledModel, Versioned
from socorg.core.text import INVISIBLE, LONG_TEXT_MAX
from socorg.registry.rules import organizations as rules


class OrgType(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("社会团体")
    SOCIAL_SERVICE_AGENCY = "social_service_agency", _("社会服务机构")
    FOUNDATION = "foundation", _("基金会")
    COMMUNITY_ORGANIZATION = "community_organization", _("社区社会组织")


class Level(models.TextChoices):
    CITY = "city", _("市管")
    COUNTY = "county", _("区县管")


class ManagementMode(models.TextChoices):
    DUAL_MANAGEMENT = "dual_management", _("双重管理")
    DIRECT_REGISTRATION = "direct_registration", _("直接登记")


class Category(models.TextChoices):
    """National classification of social organizations."""

    EDUCATION = "education", _("教育")
    HEALTH = "health", _("卫生健康")
    SOCIAL_SERVICES = "social_services", _("社会服务")
    CULTURE = "culture", _("文化")
    SPORTS = "sports", _("体育")
    SCIENCE = "science", _("科技与研究")
    ECOLOGY = "ecology", _("生态环境")
    LAW = "law", _("法律")
    BUSINESS_SERVICES = "business_services", _("工商业服务")
    AGRICULTURE = "agriculture", _("农业及农村发展")
    PROFESSIONAL = "professional", _("职业及从业者组织")
    OTHER = "other", _("其他")


class OrgStatus(models.TextChoices):
    REGISTERED = "registered", _("正常")
    SUSPENDED = "suspended", _("限期停止活动")
    DEREGISTERED = "deregistered", _("已注销")
    REVOKED = "revoked", _("已撤销")
    FILED = "filed", _("已备案")


class Organization(Versioned):
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True
    )
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    region_name = models.CharField(_("行政区划名"), max_length=30, blank=True)
    core_name = models.CharField(_("字号"), max_length=60, blank=True)
    org_form = models.CharField(_("组织形式"), max_length=20, blank=True)
    org_type = models.CharField(_("类型"), max_length=30, choices=OrgType.choices)
    level = models.CharField(_("登记层级"), max_length=10, choices=Level.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("区划")
    )
    management_mode = models.CharField(
        _("管理方式"), max_length=30, choices=ManagementMode.choices, blank=True
    )
    supervisory_unit = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_organizations",
        verbose_name=_("业务主管单位"),
    )
    industry_regulator = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regulated_organizations",
        verbose_name=_("行业管理部门"),
    )
    category = models.CharField(_("行业分类"), max_length=30, choices=Category.choices)
    purpose = models.TextField(
        _("宗旨"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    business_scope = models.TextField(
        _("业务范围"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    domicile = models.CharField(_("住所"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=30, blank=True)
    registered_funds = models.DecimalField(
        _("注册资金（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    established_on = models.DateField(_("成立日期"))
    certificate_valid_until = models.DateField(_("证书有效期至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=OrgStatus.choices, default=OrgStatus.REGISTERED
    )
    removed_on = models.DateField(_("注销/撤销日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("社会组织")
        verbose_name_plural = _("社会组织")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "level", "org_type"]),
            models.Index(fields=["jurisdiction", "status"]),
            models.Index(fields=["supervisory_unit"]),
            models.Index(fields=["category"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.uscc:
            problem = rules.uscc_problem(self.uscc)
            if problem is None:
                problem = rules.uscc_record_mismatch(
                    self.uscc, org_type=self.org_type, area_code=self._authority_area()
                )
            if problem:
                errors.setdefault("uscc", []).append(problem)
        elif self.org_type != OrgType.COMMUNITY_ORGANIZATION:
            errors.setdefault("uscc", []).append(str(_("登记的社会组织必须有统一社会信用代码。")))
        if self.org_type == OrgType.COMMUNITY_ORGANIZATION and self.status not in (
            OrgStatus.FILED,
            OrgStatus.DEREGISTERED,
        ):
            errors.setdefault("status", []).append(
                str(_("社区社会组织为备案管理，状态应为“已备案”。"))
            )
        if self.status in (OrgStatus.DEREGISTERED, OrgStatus.REVOKED) and not self.removed_on:
            errors.setdefault("removed_on", []).append(
                str(_("已注销或撤销的组织须填写注销/撤销日期。"))
            )
        for field, problem in self._value_problems().items():
            errors.setdefault(field, []).append(problem)
        if errors:
            raise ValidationError(errors)

    def _value_problems(self) -> dict[str, str]:
        """A name that only looks filled in, and dates that cannot be true."""
        problems: dict[str, str] = {}
        if self.name and not INVISIBLE.sub("", self.name).strip():
            problems["name"] = str(_("名称不能为空白。"))
        # A value its field could not parse is already an error of that field.
        dates = rules.record_date_problems(
            established_on=_date_or_none(self.established_on),
            removed_on=_date_or_none(self.removed_on),
            certificate_valid_until=_date_or_none(self.certificate_valid_until),
            today=timezone.localdate(),
        )
        return {**problems, **dates}

    def _authority_area(self) -> str | None:
        """ID-1: positions 3-8 of the credit code are the area code of the registering
        authority, the county (or city) of the record's jurisdiction."""
        if self.jurisdiction_id is None:
            return None
        return self.jurisdiction.code[:6]


def _date_or_none(value: Any) -> date | None:
    return value if isinstance(value, date) else None


# Organization names are searched by substring through their own index (see ``core.db``).
ORGANIZATION_NAME = register_name_index(
    NameIndex(
        Organization._meta.db_table,
        "name",
        filters=(
            "jurisdiction_id",
            "status",
            "org_type",
            "level",
            "category",
            "supervisory_unit_id",
        ),
        covered_within=("jurisdiction_id", "supervisory_unit_id"),
        name_order=True,
        grams_within=("jurisdiction_id",),
    )
)


class FormerName(LabelledModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField(_("曾用名"), max_length=100, db_index=True)
    used_until = models.DateField(_("使用至"))

    class Meta:
        verbose_name = _("曾用名")
        verbose_name_plural = _("曾用名")
        ordering = ["-used_until"]

    def __str__(self) -> str:
        return self.name


# --- The name index (RG-13, RG-15) --------------------------------------------------------------


class NameKeyKind(models.TextChoices):
    CURRENT = "current", _("现用名称")
    FORMER = "former", _("曾用名")
    RESERVED = "reserved", _("申请中预留名称")


class NameKey(models.Model):
    """Comparison keys of one name under one registration authority, so that a name check is a
    few indexed equality lookups (derived data: rebuilt by ``socorg name_keys rebuild``,
    refreshed per organization by ``name_keys_refresh``).

    ``bag_key``, ``abbreviation_key``, ``short_key`` and ``words`` (the core's words and the
    form, encoded by
    ``rules.names.encode_words``) let the check compare a registered name without parsing it
    again. ``ends_on`` is the day a former name stopped being used (RG-13). Reserved names of
    pending applications have no organization yet."""

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="name_keys",
    )
    kind = models.CharField(max_length=10, choices=NameKeyKind.choices, default=NameKeyKind.CURRENT)
    authority_code = models.CharField(max_length=12)
    name = models.CharField(max_length=100)
    name_normalized = models.CharField(max_length=100)
    core_key = models.CharField(max_length=100)
    pinyin_key = models.CharField(max_length=400)
    sound_key = models.CharField(max_length=400)
    form_group = models.CharField(max_length=20, blank=True)
    bag_key = models.CharField(max_length=200, default="")
    abbreviation_key = models.CharField(max_length=100, default="")
    short_key = models.CharField(max_length=100, default="", blank=True)
    words = models.CharField(max_length=300, default="")
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        # The table keeps the name it was created with (the model moved from registration).
        db_table = "registration_namekey"
        verbose_name = _("名称索引")
        verbose_name_plural = _("名称索引")
        indexes = [
            # The pinyin key is a function of the core key, so equal core keys have equal pinyin
            # keys: this index serves exact, traditional, filler, form and homophone look-alikes
            # (no separate core-key index is needed); the sound key catches homophones on
            # filler characters and inside the form. Equal normalized names have equal keys.
            models.Index(fields=["authority_code", "pinyin_key"], name="namekey_authority_pinyin"),
            models.Index(fields=["authority_code", "sound_key"], name="namekey_authority_sound"),
            # Reordered words (文化旅游 / 旅游文化) and abbreviations (电商 / 电子商务), RG-15.
            models.Index(fields=["authority_code", "bag_key"], name="namekey_authority_bag"),
            models.Index(
                fields=["authority_code", "abbreviation_key"], name="namekey_authority_abbreviation"
            ),
            # Short names of whole organizations (科协): only names whose core starts with a
            # field word have one.
            models.Index(
                fields=["authority_code", "short_key"],
                name="namekey_authority_short",
                condition=~models.Q(short_key=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A natural person; birth date and sex are derived from the resident ID number."""

    name = models.CharField(_("姓名"), max_length=30)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    birth_date = models.DateField(_("出生日期"), editable=False)
    sex = models.CharField(
        _("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))], editable=False
    )
    is_retired_cadre = models.BooleanField(_("退（离）休领导干部"), default=False)
    is_state_functionary = models.BooleanField(_("现职国家工作人员"), default=False)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.id_number = self.id_number.upper()
        self.birth_date = rules.birth_date_from_id(self.id_number)
        self.sex = rules.sex_from_id(self.id_number)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        problem = rules.id_number_problem(self.id_number)
        if problem:
            raise ValidationError({"id_number": problem})


class Term(LabelledModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("届次"))
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("届满日期"))

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["organization", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="term_unique_number")
        ]

    def __str__(self) -> str:
        return str(_("第%(n)s届") % {"n": self.number})

    def clean(self) -> None:
        if self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("届满日期须晚于起始日期。")})


class Post(models.TextChoices):
    CHAIR = "chair", _("会长/理事长")
    VICE_CHAIR = "vice_chair", _("副会长/副理事长")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    SUPERVISOR_CHAIR = "supervisor_chair", _("监事长")
    SUPERVISOR = "supervisor", _("监事")
    DIRECTOR = "director", _("理事")
    PRINCIPAL = "principal", _("院长/校长/主任")


class Principal(LabelledModel):
    """A person holding a post in an organization during a term."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="principals"
    )
    term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.CASCADE, related_name="principals"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts")
    post = models.CharField(_("职务"), max_length=30, choices=Post.choices)
    is_legal_representative = models.BooleanField(_("法定代表人"), default=False)
    starts_on = models.DateField(_("任职起始"))
    ends_on = models.DateField(_("任职结束"), null=True, blank=True)
    is_paid = models.BooleanField(_("领取报酬"), default=False)

    class Meta:
        verbose_name = _("负责人")
        verbose_name_plural = _("负责人")
        ordering = ["organization", "post"]
        indexes = [models.Index(fields=["person", "is_legal_representative"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_post_display()}"


class BranchKind(models.TextChoices):
    BRANCH = "branch", _("分支机构")
    REPRESENTATIVE_OFFICE = "representative_office", _("代表机构")


class Branch(LabelledModel):
    parent = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="branches")
    kind = models.CharField(_("类别"), max_length=30, choices=BranchKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    principal_name = models.CharField(_("负责人"), max_length=30, blank=True)
    domicile = models.CharField(_("住所"), max_length=200, blank=True)
    business_scope = models.TextField(
        _("业务范围"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    established_on = models.DateField(_("设立日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=OrgStatus.choices, default=OrgStatus.REGISTERED
    )

    class Meta:
        verbose_name = _("分支/代表机构")
        verbose_name_plural = _("分支/代表机构")
        ordering = ["parent", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problem = rules.branch_problem(
            parent_type=self.parent.org_type,
            kind=self.kind,
            name=self.name,
            parent_name=self.parent.name,
        )
        if problem:
            raise ValidationError({"kind": problem})


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("成立登记")
    FILED = "filed", _("备案")
    RENAMED = "renamed", _("名称变更")
    DOMICILE_CHANGED = "domicile_changed", _("住所变更")
    LEGAL_REPRESENTATIVE_CHANGED = "legal_representative_changed", _("法定代表人变更")
    SCOPE_CHANGED = "scope_changed", _("业务范围变更")
    FUNDS_CHANGED = "funds_changed", _("注册资金变更")
    SUPERVISORY_UNIT_CHANGED = "supervisory_unit_changed", _("业务主管单位变更")
    SUSPENDED = "suspended", _("限期停止活动")
    DEREGISTERED = "deregistered", _("注销登记")
    REVOKED = "revoked", _("撤销登记")
    PRINCIPALS_FILED = "principals_filed", _("负责人备案")
    CORRECTED = "corrected", _("数据更正")
    HISTORICAL_ENTRY = "historical_entry", _("历史数据录入")
    # Supervision (AR-*, CR-*, DO-*).
    ANNUAL_REPORT_CONCLUDED = "annual_report_concluded", _("年度检查结论")
    ANNUAL_REPORT_REVISED = "annual_report_revised", _("年度检查结论更正")
    LISTING_NOTICED = "listing_noticed", _("列入信用名录预先告知")
    LISTED = "listed", _("列入信用名录")
    DELISTED = "delisted", _("移出信用名录")
    RECTIFICATION_NOTICE = "rectification_notice", _("责令限期整改")
    REACTIVATED = "reactivated", _("整改激活")


class EventReason(models.TextChoices):
    """Coded reasons for events, never free text alone."""

    APPLICATION = "application", _("依申请")
    LIQUIDATION_COMPLETED = "liquidation_completed", _("清算完结自愿注销")
    GUIDED_DEREGISTRATION = "guided_deregistration", _("引导注销（清理整治）")
    DORMANT_NO_ACTIVITY = "dormant_no_activity", _("连续未开展活动（僵尸型社会组织）")
    FRAUDULENT_REGISTRATION = "fraudulent_registration", _("以欺骗手段取得登记")
    ANNUAL_INSPECTION_MISSED = "annual_inspection_missed", _("连续两年未参加年检")
    UNREACHABLE = "unreachable", _("通过住所无法联系")
    PENALTY = "penalty", _("行政处罚")
    MERGER = "merger", _("合并或分立")
    DATA_CORRECTION = "data_correction", _("登记数据更正")
    HISTORICAL_RECORD = "historical_record", _("历史档案补录")
    # Credit-list grounds (CR-2, CR-4); the codes are those of ``supervision.ListingGround``.
    ANNUAL_REPORT_NOT_FILED = "annual_report_not_filed", _("未按规定报送年度工作报告")
    RECTIFICATION_NOT_DONE = "rectification_not_done", _("未按整改通知要求完成整改")
    ABNORMAL_TWO_YEARS = "abnormal_two_years", _("列入活动异常名录满规定年限")
    FRAUDULENT_CHANGE = "fraudulent_change", _("弄虚作假办理变更登记被撤销变更登记")
    SUSPENDED = "suspended", _("被责令限期停止活动")
    LARGE_FINE = "large_fine", _("受到规定数额以上罚款处罚")
    REPEATED_PENALTIES = "repeated_penalties", _("规定期限内多次受到警告或较小数额罚款")
    DISHONEST_DEBTOR = "dishonest_debtor", _("被人民法院列为失信被执行人")
    REVOKED = "revoked", _("被撤销登记或吊销登记证书")
    OTHER_STATUTORY = "other_statutory", _("法律、行政法规规定的其他情形")
    # Delisting reasons (CR-3, CR-5); the codes are those of ``supervision.DelistReason``.
    DUTY_MET = "duty_met", _("已履行义务，依申请移出")
    AUTO_EXPIRED = "auto_expired", _("列入期满，自动移出")
    CLEAN_PERIOD = "clean_period", _("期满未再发生失信情形，移出")
    DEREGISTERED = "deregistered", _("已完成注销登记，移出")
    MOVED_TO_SERIOUS = "moved_to_serious", _("转入严重违法失信名单")
    CORRECTED = "corrected", _("列入有误，依法更正")
    # Annual inspection (AR-3, AR-4) and the cleanup (DO-2).
    ANNUAL_INSPECTION = "annual_inspection", _("年度检查")
    CONCLUSION_REVISION = "conclusion_revision", _("依法更正年检结论")
    DORMANT_CLEANUP = "dormant_cleanup", _("僵尸型社会组织清理整治")


class OrganizationEvent(LabelledModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=40, choices=EventKind.choices)
    reason = models.CharField(_("原因"), max_length=40, choices=EventReason.choices)
    occurred_on = models.DateField(_("日期"))
    details = models.JSONField(_("详情"), default=dict, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_public = models.BooleanField(_("公开"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("组织事件")
        verbose_name_plural = _("组织事件")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["organization", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"


class SourceDocument(models.Model):
    """A policy document (文件) that grounds responsibilities, e.g. the 2022 joint document."""

    title = models.CharField(_("文件标题"), max_length=200)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("印发日期"))
    issuers = models.ManyToManyField(
        Department, related_name="issued_documents", verbose_name=_("联合发文部门")
    )

    class Meta:
        verbose_name = _("依据文件")
        verbose_name_plural = _("依据文件")

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title


class ResponsibilityKind(models.TextChoices):
    PARTY_BUILDING_MANAGEMENT = "party_building_management", _("党建管理")
    COMPREHENSIVE_SUPERVISION = "comprehensive_supervision", _("综合监管")
    PRE_REVIEW = "pre_review", _("前置审查")


class ResponsibilityQuerySet(models.QuerySet["Responsibility"]):
    def current(self, on: object | None = None) -> ResponsibilityQuerySet:
        on = on or timezone.localdate()
        return self.filter(effective_from__lte=on).filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=on)
        )


class Responsibility(LabelledModel):
    """A department's responsibility for an organization (the department responsibility map)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="responsibilities"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="responsibilities"
    )
    kind = models.CharField(_("职责类别"), max_length=40, choices=ResponsibilityKind.choices)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("终止日期"), null=True, blank=True)
    source_document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("依据文件")
    )

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门职责")
        verbose_name_plural = _("部门职责")
        indexes = [
            models.Index(fields=["department", "kind"]),
            models.Index(fields=["organization", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.get_kind_display()}"


class CorrectionState(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")


class DataCorrection(models.Model):
    """A registrar's proposal to correct registry fields; applied only on approval."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="corrections"
    )
    changes = models.JSONField(_("更正内容"))
    original = models.JSONField(_("原值"))
    reason = models.TextField(
        _("更正理由"), max_length=LONG_TEXT_MAX, validators=[MaxLengthValidator(LONG_TEXT_MAX)]
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=CorrectionState.choices, default=CorrectionState.PROPOSED
    )
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("数据更正")
        verbose_name_plural = _("数据更正")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(_("数据更正 #%(id)s") % {"id": self.pk})


# --- Principal candidate review (TT-4) and term transitions (TT-1, RG-8) ------------------------


class PrincipalReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    PARTY_AGREED = "party_agreed", _("党建工作机构已同意")
    UNIT_AGREED = "unit_agreed", _("业务主管单位已同意")
    APPROVED = "approved", _("审核通过")
    REFUSED = "refused", _("审核未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class PrincipalCandidateReview(models.Model):
    """A slate of candidates for principal posts, vetted before an election (TT-4)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="principal_reviews"
    )
    election_on = models.DateField(_("拟选举日期"))
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=PrincipalReviewState.choices,
        default=PrincipalReviewState.SUBMITTED,
    )
    findings = models.JSONField(_("整体审查意见"), default=list, blank=True)
    has_blocking = models.BooleanField(_("存在不符合条件的情形"), default=False)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("负责人候选人审核")
        verbose_name_plural = _("负责人候选人审核")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return str(_("负责人候选人审核 #%(id)s") % {"id": self.pk})


class PrincipalCandidate(models.Model):
    """One candidate of a review, with the findings computed when the slate was submitted."""

    review = models.ForeignKey(
        PrincipalCandidateReview, on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="candidacies")
    post = models.CharField(_("拟任职务"), max_length=30, choices=Post.choices)
    is_legal_representative = models.BooleanField(_("拟任法定代表人"), default=False)
    is_paid = models.BooleanField(_("领取报酬"), default=False)
    is_retired_cadre = models.BooleanField(_("退（离）休领导干部"), default=False)
    is_state_functionary = models.BooleanField(_("现职国家工作人员"), default=False)
    prior_consecutive_terms = models.PositiveSmallIntegerField(_("该职务已连任届数"), default=0)
    findings = models.JSONField(_("审查意见"), default=list, blank=True)
    severity = models.CharField(_("审查结论"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("负责人候选人")
        verbose_name_plural = _("负责人候选人")
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "person", "post"], name="candidate_unique_person_post"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_post_display()}"


class TermTransitionState(models.TextChoices):
    # The organization's division holds the pre-review duty (前置审查): it reviews first.
    PRE_REVIEW = "pre_review", _("业务科室前置审查中")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已备案")
    RETURNED = "returned", _("已退回")


class TermTransition(models.Model):
    """A filing of a term transition (换届备案, TT-1): the election's result, the vetting it
    relies on (TT-4) and the financial audit report (RG-8)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="term_transitions"
    )
    previous_term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_term = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review = models.ForeignKey(
        PrincipalCandidateReview,
        on_delete=models.PROTECT,
        related_name="transitions",
        verbose_name=_("负责人候选人审核"),
    )
    election_on = models.DateField(_("选举日期"))
    starts_on = models.DateField(_("新一届起始日期"))
    ends_on = models.DateField(_("新一届届满日期"))
    audit_report = models.ForeignKey(
        "core.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("财务审计报告"),
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=TermTransitionState.choices,
        default=TermTransitionState.SUBMITTED,
    )
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("换届备案")
        verbose_name_plural = _("换届备案")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return str(_("换届备案 #%(id)s") % {"id": self.pk})


class TermReminderKind(models.TextChoices):
    EXPIRING = "expiring", _("即将届满")
    OVERDUE = "overdue", _("已届满未换届")
    OVERDUE_LONG = "overdue_long", _("逾期超过一年")


class TermReminder(models.Model):
    """A reminder that a term is about to expire or overdue (TT-1); one per term and kind."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="reminders")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="term_reminders"
    )
    kind = models.CharField(_("提醒类别"), max_length=20, choices=TermReminderKind.choices)
    created_on = models.DateField(_("提醒日期"))

    class Meta:
        verbose_name = _("换届提醒")
        verbose_name_plural = _("换届提醒")
        ordering = ["-created_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "kind"], name="term_reminder_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.term} · {self.get_kind_display()}"


def representation_dependents() -> dict[type[models.Model], Callable[[Any], Any]]:
    """The rows an organization's representations show besides its own, each with the
    organizations whose version a save or delete of it bumps (socorg.core.representations)."""

    def own(row: Any) -> list[int]:
        return [row.organization_id]

    return {
        FormerName: own,
        Principal: own,
        Term: own,
        Branch: lambda branch: [branch.parent_id],
        OrganizationEvent: own,
        Responsibility: own,
        Person: lambda person: Principal.objects.filter(person_id=person.pk).values(
            "organization_id"
        ),
        SourceDocument: lambda document: Responsibility.objects.filter(
            source_document_id=document.pk
        ).values("organization_id"),
        Department: lambda department: Organization.objects.filter(
            models.Q(supervisory_unit_id=department.pk)
            | models.Q(industry_regulator_id=department.pk)
            | models.Q(responsibilities__department_id=department.pk)
        ).values("pk"),
        Jurisdiction: lambda jurisdiction: Organization.objects.filter(
            jurisdiction_id=jurisdiction.pk
        ).values("pk"),
    }


class RestrictedPerson(models.Model):
    """A person barred from principal posts for a period (PN-3): the legal representative and
    the principals of an organization whose registration was revoked. Principal vetting
    consults this list; supervision writes it through ``registry.services.restrictions``."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="restrictions")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="restricted_persons"
    )
    post = models.CharField(_("原任职务"), max_length=30, choices=Post.choices, blank=True)
    was_legal_representative = models.BooleanField(_("原法定代表人"), default=False)
    reason = models.CharField(_("原因"), max_length=30, choices=EventReason.choices)
    decision_number = models.CharField(_("决定书文号"), max_length=40, blank=True)
    starts_on = models.DateField(_("限制起始日期"))
    ends_on = models.DateField(_("限制截止日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("受限人员")
        verbose_name_plural = _("受限人员")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "decision_number"],
                name="restricted_person_once_per_decision",
            )
        ]
        indexes = [models.Index(fields=["person", "ends_on"])]

    def __str__(self) -> str:
        return f"restriction {self.pk} of person {self.person_id}"
