"""Core data: jurisdictions, departments, users and roles, audit log, workflow transitions,
deadlines, rule parameters, attachments, API tokens and numbering counters."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JurisdictionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("区/县")
    ZONE = "zone", _("功能区")
    STREET = "street", _("街道/乡镇")


class Jurisdiction(models.Model):
    """An administrative area (GB/T 2260). ``path`` holds the codes from the root so that a
    subtree is one indexed prefix match."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=10, choices=JurisdictionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def authority_area_code(self) -> str:
        """Six-digit area code used in credit codes (ID-1)."""
        return self.code[:6]


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", _("政府部门")
    REGISTRATION_AUTHORITY = "registration_authority", _("登记管理机关")
    APPROVAL_BUREAU = "approval_bureau", _("行政审批服务局")
    PARTY_BUILDING_BODY = "party_building_body", _("党建工作机构")
    DIVISION = "division", _("民政局业务科室")


class Department(models.Model):
    code = models.CharField(_("部门编码"), max_length=20, unique=True)
    name = models.CharField(_("部门名称"), max_length=80)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类别"), max_length=30, choices=DepartmentKind.choices)
    is_supervisory_unit = models.BooleanField(_("可作业务主管单位"), default=False)
    is_industry_regulator = models.BooleanField(_("行业管理部门"), default=False)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("所属区划"),
    )

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("登记员")
    REVIEWER = "reviewer", _("审核员")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("执法人员")
    DIVISION_HEAD = "division_head", _("科室负责人")
    DIRECTOR = "director", _("局领导")
    APPROVAL_CLERK = "approval_clerk", _("审批局窗口人员")
    DEPARTMENT_LIAISON = "department_liaison", _("部门联络员")
    SUPERVISORY_UNIT_REVIEWER = "supervisory_unit_reviewer", _("业务主管单位审核员")
    PARTY_BUILDING_REVIEWER = "party_building_reviewer", _("党建审核员")
    PARTY_INSTRUCTOR = "party_instructor", _("党建工作指导员")
    INSPECTOR = "inspector", _("检查人员")
    ORGANIZATION = "organization", _("社会组织账号")
    THIRD_PARTY = "third_party", _("第三方机构")
    EXPERT = "expert", _("专家")
    # A business auditor: reads the records and their trails in the jurisdiction.
    AUDITOR = "auditor", _("审计员")
    # The three administrators (三员分立, GB/T 22239-2019 8.1.4.3): system administrator
    # (系统管理员: accounts and reference data), security administrator (安全管理员: roles,
    # login locks and security parameters), audit administrator (审计管理员: reads the system
    # audit log). Their rights are disjoint (``core.access.ADMINISTRATOR_PERMISSIONS``).
    ADMINISTRATOR = "administrator", _("系统管理员")
    SECURITY_ADMINISTRATOR = "security_administrator", _("安全管理员")
    AUDIT_ADMINISTRATOR = "audit_administrator", _("审计管理员")


class User(AbstractUser):
    """A person with one role and a data scope.

    The scope is the jurisdiction subtree for bureau staff, the department for department roles,
    the organization for organization accounts (see ``core.access``)."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    role = models.CharField(_("角色"), max_length=40, choices=Role.choices, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("管辖区划")
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("所属部门")
    )
    organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
        verbose_name=_("所属社会组织"),
    )
    is_demo = models.BooleanField(_("演示账号"), default=False)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField(_("启用动态口令"), default=False)
    # The last 30-second time step whose code was accepted: a code is good once.
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # One person, one name: "Admin" and "admin" cannot be two accounts.
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
            # The superuser is the break-glass account and holds none of the roles.
            models.CheckConstraint(
                condition=Q(is_superuser=False) | Q(role=""), name="user_superuser_holds_no_role"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def clean(self) -> None:
        super().clean()
        if self.is_superuser and self.role:
            raise ValidationError(
                {"role": _("超级管理员是应急账号，不得同时担任其他角色（三员分立）。")}
            )


class LoginThrottle(models.Model):
    """Failed logins counted under one key: an account name (``account:<name>``, whether the
    account exists or not) or a client address (``address:<ip>``). Past the free failures each
    further one makes the key wait twice as long (``core.auth``); nothing locks for good."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("登录限速")
        verbose_name_plural = _("登录限速")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the value is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60, blank=True)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")


class AuditLog(models.Model):
    """Append-only, hash-chained record of every write (and of refusals such as failed logins).

    ``hash = HMAC-SHA256(key[key_id], canonical(row))``, the canonical form including the
    previous row's hash; the key lives outside the database (``core.audit.keys``). Rows written
    before the first key have an empty ``key_id`` and a plain SHA-256. ``socorg audit verify``
    recomputes the chain. On PostgreSQL a trigger refuses UPDATE and DELETE."""

    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=40, blank=True)
    scope = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    result = models.CharField(
        max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS
    )
    key_id = models.CharField(max_length=32, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["actor_name", "seq"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """Single row holding the chain's tip; locking it serializes appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class Transition(models.Model):
    """One fired workflow transition: a state change is a row."""

    process = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=40, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["process", "object_id"])]

    def __str__(self) -> str:
        return f"{self.process}:{self.object_id} {self.from_state}→{self.to_state}"


class DayUnit(models.TextChoices):
    CALENDAR = "calendar", _("自然日")
    WORKING = "working", _("工作日")


class Deadline(models.Model):
    """A statutory clock on a workflow item. Pausing (补正) stops it; resuming moves the due date
    by the paused days in the same unit."""

    process = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    state = models.CharField(max_length=40)
    rule_id = models.CharField(max_length=20, blank=True)
    unit = models.CharField(max_length=10, choices=DayUnit.choices)
    days = models.PositiveIntegerField()
    started_on = models.DateField()
    due_on = models.DateField()
    paused_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        indexes = [
            models.Index(fields=["process", "object_id"]),
            models.Index(fields=["due_on"], name="deadline_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.process}:{self.object_id} {self.state} → {self.due_on}"


class RuleParameter(models.Model):
    """A dated parameter of a rule in RULES.md (e.g. CR-4's fine threshold).

    A row with no jurisdiction is the national default; a jurisdiction's row overrides it."""

    rule_id = models.CharField(_("规则编号"), max_length=20)
    key = models.CharField(_("参数"), max_length=80)
    value = models.JSONField(_("取值"))
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("适用区划")
    )
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("规则参数")
        verbose_name_plural = _("规则参数")
        ordering = ["rule_id", "key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "jurisdiction", "effective_from"], name="rule_parameter_unique_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.key}={self.value}"


class Attachment(models.Model):
    """An uploaded file, type- and size-checked, with its SHA-256."""

    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    owner_type = models.CharField(max_length=80, blank=True)
    owner_id = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name


class TaskProgress(models.Model):
    """Progress of a long background job, shown as a progress bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("执行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(max_length=60)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class Counter(models.Model):
    """The last number given in one series (``core.numbering.next_number``): credit-code serials
    per authority area, certificate numbers per registration authority, …"""

    key = models.CharField(max_length=100, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"


class Notice(models.Model):
    """An in-app notice (站内通知) to one account: a reminder, a decision, a deadline. Written
    by ``core.notices.notice_send`` inside the transaction of the write it reports."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    title = models.CharField(_("标题"), max_length=120)
    body = models.CharField(_("内容"), max_length=500, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    # What the notice is about, e.g. ``annual_report:42``: a reminder is not sent twice a day.
    subject = models.CharField(max_length=80, blank=True)
    sender = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["subject", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title
