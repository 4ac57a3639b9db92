"""In-app notifications and e-mails about referrals: a kind and a link, never personal data.

The link is the referral's page (a random id); the e-mail says only that something happened and
where to look, in the recipient's language. E-mails leave after the transaction commits
(``transaction.on_commit``), so a refused write sends nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kariya.referrals.models import Notification, NotificationKind, Referral


def referral_link(referral: Referral) -> str:
    return reverse("referrals:referral_detail", args=[referral.public_id])


def _subject(kind: str) -> str:
    subjects: dict[str, str] = {
        NotificationKind.REFERRAL_RECEIVED.value: _("Kariya: a new referral for your organisation"),
        NotificationKind.REFERRAL_UPDATED.value: _("Kariya: a referral you sent has changed"),
        NotificationKind.REFERRAL_CANCELLED.value: _(
            "Kariya: a referral to your organisation was cancelled"
        ),
    }
    return str(subjects[kind])


def _send(user: Any, kind: str, url: str) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _subject(kind)
        body = _(
            "Hello,\n\nSomething changed in Kariya that needs your attention. Log in and open:\n"
            "%(url)s\n\nThis message carries no personal data by design."
        ) % {"url": url}
    send_mail(subject, body, None, [user.email])


def notify(users: Iterable[Any], kind: str, referral: Referral) -> None:
    """Notify ``users`` (in the application, and by e-mail when they have an address)."""
    link = referral_link(referral)
    recipients = [u for u in dict.fromkeys(users) if u is not None and u.is_active]
    Notification.objects.bulk_create(
        [Notification(recipient=u, kind=kind, link=link) for u in recipients]
    )
    url = settings.KARIYA_BASE_URL.rstrip("/") + link
    for user in recipients:
        if user.email:
            transaction.on_commit(functools.partial(_send, user, kind, url))


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    count: int = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
    return count
