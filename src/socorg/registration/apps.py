from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "socorg.registration"
    label = "registration"
    verbose_name = _("登记审批")

    def ready(self) -> None:
        # ``access`` registers who may read the attachments of applications, term transitions
        # and organizations (the certificates).
        from socorg.core.worklist import register_section_provider, register_work_provider
        from socorg.registration import access  # noqa: F401
        from socorg.registration.worklist import registration_sections, registration_work

        register_work_provider(registration_work)
        register_section_provider(registration_sections)
