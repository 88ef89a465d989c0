"""The pages of the 监督管理 face, in the order a clerk works through them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from socorg.core.access import has_perm
from socorg.core.models import User
from socorg.core.navigation import FacePage, register_face_pages

FACE = "supervision"


def _staff(user: User) -> bool:
    return not has_perm(user, "annual_report.file")


def _organization(user: User) -> bool:
    return has_perm(user, "annual_report.file")


def register() -> None:
    register_face_pages(
        FACE,
        [
            FacePage(
                _("年度报告"), "supervision:annual_report_list", "bi-file-earmark-text", _staff
            ),
            FacePage(_("我的年度报告"), "supervision:annual_report_mine", "bi-file-earmark-text"),
            FacePage(_("报送进度"), "supervision:progress", "bi-bar-chart-steps"),
            FacePage(_("信用名录"), "supervision:credit_list", "bi-list-check", _staff),
            FacePage(_("信用状况"), "supervision:credit_mine", "bi-patch-check", _organization),
            FacePage(_("投诉举报"), "supervision:complaint_list", "bi-megaphone"),
            FacePage(_("行政处罚"), "supervision:case_list", "bi-hammer", _staff),
            FacePage(_("清理整治专项行动"), "supervision:campaign_list", "bi-brush"),
            FacePage(_("处置结果统计"), "supervision:campaign_statistics", "bi-pie-chart"),
            FacePage(_("双随机抽查"), "supervision:inspection_plan_list", "bi-shuffle"),
            FacePage(_("我的检查任务"), "supervision:inspection_mine", "bi-clipboard-check"),
        ],
    )
