from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "socorg.registration"
    label = "registration"
    verbose_name = _("登记审批")

    def ready(self) -> None:
        # ``access`` registers who may read the attachments of applications, term transitions
        # and organizations (the certificates).
        from socorg.core.liaison_sections import register_liaison_section
        from socorg.core.navigation import FacePage, register_face_pages
        from socorg.core.worklist import register_section_provider, register_work_provider
        from socorg.registration import access  # noqa: F401
        from socorg.registration.worklist import (
            liaison_opinions_section,
            registration_sections,
            registration_work,
        )

        register_work_provider(registration_work)
        register_section_provider(registration_sections)
        register_liaison_section(liaison_opinions_section)
        register_face_pages(
            "registration",
            [
                FacePage(_("登记审批"), "registration:home", "bi-clipboard-check"),
                FacePage(
                    _("负责人候选人审核"), "registration:principal_review_list", "bi-person-check"
                ),
                FacePage(_("换届管理"), "registration:term_list", "bi-arrow-repeat"),
                FacePage(_("电子监察"), "registration:monitor", "bi-stopwatch"),
            ],
        )
