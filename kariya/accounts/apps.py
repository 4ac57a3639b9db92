from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kariya.accounts"
    label = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kariya.accounts import signals  # noqa: F401
        from kariya.core.memo import reference_changed

        # The case list offers a supervisor the organisation's caseworkers as a filter, kept a
        # minute (kariya.core.memo): forget it when a user or a role changes.
        for model in ("User", "UserRole"):
            for signal in (post_save, post_delete):
                signal.connect(
                    reference_changed,
                    sender=f"accounts.{model}",
                    dispatch_uid=f"memo-accounts-{model}",
                )
