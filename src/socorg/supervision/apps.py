from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "socorg.supervision"
    label = "supervision"
    verbose_name = _("监督管理")

    def ready(self) -> None:
        # ``access`` registers who may read the attachments of annual reports and listings.
        from socorg.supervision import access  # noqa: F401
        from socorg.supervision.worklist import progress as progress_worklist

        progress_worklist.register()
        from socorg.supervision.worklist import liaison as liaison_worklist

        liaison_worklist.register()
        from socorg.supervision.views import credit

        credit.register()
        from socorg.supervision.views import complaints

        complaints.register()
        from socorg.supervision.views import cases

        cases.register()
        from socorg.supervision.views import menu

        menu.register()
