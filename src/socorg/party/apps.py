from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "socorg.party"
    label = "party"
    verbose_name = _("体制与党建")

    def ready(self) -> None:
        from socorg.core.navigation import FacePage, register_face_pages
        from socorg.party.views import branches, brand, instructors, liaisons

        register_face_pages(
            "structure",
            [
                FacePage(_("部门"), "party:department_list", "bi-diagram-3"),
                FacePage(_("党建管理覆盖情况"), "party:coverage_report", "bi-pie-chart"),
            ],
        )
        branches.register()
        liaisons.register()
        register_face_pages(
            "structure",
            [FacePage(_("党建工作指导员"), "party:instructor_list", "bi-person-badge")],
        )
        instructors.register()
        brand.register()
