from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kariya.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from kariya.core import checks, crypto  # noqa: F401  (registers checks and signal hooks)
