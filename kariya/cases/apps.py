from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

# The case list's keys (cases.listkeys) carry the person's current commune and the specific
# needs with their parent codes: rewritten when either changes outside this app.


def _profile_changed(sender: Any, *, person_ids: list[int], **kwargs: Any) -> None:
    from kariya.cases import listkeys

    listkeys.refresh(person_ids)


def _code_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created or instance.list != "specific_need" or kwargs.get("raw"):
        return  # a new code is on no assessment yet
    from kariya.cases.tasks import list_keys_refresh_for_code

    code_id = instance.pk
    transaction.on_commit(lambda: list_keys_refresh_for_code.enqueue(code_id))


class CasesConfig(AppConfig):
    name = "kariya.cases"
    label = "cases"
    verbose_name = _("Case management")

    def ready(self) -> None:
        from kariya.people.signals import profile_changed

        profile_changed.connect(_profile_changed, dispatch_uid="cases-list-keys-commune")
        post_save.connect(_code_saved, sender="codelists.Code", dispatch_uid="cases-list-keys-code")
