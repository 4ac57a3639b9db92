"""Every write to organisations, offices and users. Each function is one use case, atomic,
validating and audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kariya.accounts.models import Office, Organisation, User, UserRole
from kariya.accounts.roles import Role
from kariya.core import crypto
from kariya.core.audit import audit_record
from kariya.core.models import AuditAction
from kariya.geo.models import AdminLevel, AdminUnit

ORGANISATION_FIELDS = (
    "name",
    "acronym",
    "type",
    "network_status",
    "joined_on",
    "description",
    "email",
    "phone",
    "website",
)
OFFICE_FIELDS = ("name", "kind", "commune", "address", "phone")


def _unique_error(field: str) -> ValidationError:
    messages = {
        "name": _("An organisation with this name already exists."),
        "acronym": _("An organisation with this acronym already exists."),
        "username": _("This username is already taken."),
        "office": _("This organisation already has an office with this name."),
    }
    return ValidationError({field: messages[field]})


def _clean_acronym(acronym: str) -> str:
    acronym = acronym.strip()
    if not acronym:
        raise ValidationError({"acronym": _("Give the organisation's acronym.")})
    return acronym


@transaction.atomic
def organisation_create(
    *, actor: User | None, public_id: uuid.UUID | None = None, **fields: Any
) -> Organisation:
    """Register a member organisation. Names and acronyms are unique across the network.

    ``public_id`` is for reproducible synthetic data; otherwise a random one is drawn.
    """
    values = {name: fields.get(name) for name in ORGANISATION_FIELDS if name in fields}
    values["acronym"] = _clean_acronym(str(values.get("acronym") or ""))
    values["name"] = str(values.get("name") or "").strip()
    if Organisation.objects.filter(name__iexact=values["name"]).exists():
        raise _unique_error("name")
    if Organisation.objects.filter(acronym__iexact=values["acronym"]).exists():
        raise _unique_error("acronym")
    organisation = Organisation(**values)
    if public_id is not None:
        organisation.public_id = public_id
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=organisation, changed_fields=values.keys()
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, expected_version: int, **fields: Any
) -> Organisation:
    """Edit an organisation; refused if someone saved it since the form was opened."""
    changed = [
        name
        for name in ORGANISATION_FIELDS
        if name in fields and getattr(organisation, name) != fields[name]
    ]
    for name in changed:
        setattr(organisation, name, fields[name])
    organisation.acronym = _clean_acronym(organisation.acronym)
    others = Organisation.objects.exclude(pk=organisation.pk)
    if "name" in changed and others.filter(name__iexact=organisation.name).exists():
        raise _unique_error("name")
    if "acronym" in changed and others.filter(acronym__iexact=organisation.acronym).exists():
        raise _unique_error("acronym")
    organisation.full_clean(validate_unique=False)
    organisation.updated_at = timezone.now()
    updated = Organisation.objects.filter(pk=organisation.pk, version=expected_version).update(
        version=F("version") + 1,
        updated_at=organisation.updated_at,
        **{name: getattr(organisation, name) for name in changed},
    )
    if updated != 1:
        raise ValidationError(
            _(
                "Someone else saved this organisation while you were editing it. Your changes "
                "were not saved: reload the page, then make your changes again."
            ),
            code="stale",
        )
    organisation.version = expected_version + 1
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=organisation, changed_fields=changed)
    return organisation


@transaction.atomic
def organisation_set_active(*, actor: User, organisation: Organisation, active: bool) -> None:
    """Deactivating an organisation ends every session of its users at once."""
    if organisation.pk == actor.organisation_id and not active:
        raise ValidationError(_("You cannot deactivate your own organisation."))
    if organisation.is_active == active:
        return
    Organisation.objects.filter(pk=organisation.pk).update(
        is_active=active, version=F("version") + 1, updated_at=timezone.now()
    )
    organisation.is_active = active
    organisation.version += 1
    if not active:
        User.objects.filter(organisation=organisation).update(
            session_version=F("session_version") + 1
        )
    audit_record(
        actor=actor,
        action=AuditAction.REACTIVATE if active else AuditAction.DEACTIVATE,
        obj=organisation,
    )


def _check_commune(commune: AdminUnit | None) -> None:
    if commune is None or commune.level != AdminLevel.COMMUNE:
        raise ValidationError({"commune": _("Choose a commune.")})


@transaction.atomic
def office_create(
    *,
    actor: User | None,
    organisation: Organisation,
    public_id: uuid.UUID | None = None,
    **fields: Any,
) -> Office:
    values = {name: fields[name] for name in OFFICE_FIELDS if name in fields}
    _check_commune(values.get("commune"))
    office = Office(organisation=organisation, **values)
    if public_id is not None:
        office.public_id = public_id
    office.full_clean(exclude=["organisation"], validate_unique=False)
    if Office.objects.filter(organisation=organisation, name__iexact=office.name).exists():
        raise _unique_error("office")
    office.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=office, changed_fields=values.keys())
    return office


@transaction.atomic
def office_update(*, actor: User, office: Office, **fields: Any) -> Office:
    changed = [n for n in OFFICE_FIELDS if n in fields and getattr(office, n) != fields[n]]
    for name in changed:
        setattr(office, name, fields[name])
    _check_commune(office.commune)
    if "is_active" in fields and fields["is_active"] != office.is_active:
        office.is_active = bool(fields["is_active"])
        changed.append("is_active")
    office.full_clean(exclude=["organisation"], validate_unique=False)
    if (
        "name" in changed
        and Office.objects.filter(organisation=office.organisation, name__iexact=office.name)
        .exclude(pk=office.pk)
        .exists()
    ):
        raise _unique_error("office")
    office.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=office, changed_fields=changed)
    return office


def _clean_roles(roles: Iterable[str]) -> list[str]:
    cleaned = sorted(set(roles))
    if not cleaned:
        raise ValidationError({"roles": _("Give the user at least one role.")})
    unknown = [r for r in cleaned if r not in Role.values]
    if unknown:
        raise ValidationError({"roles": _("Unknown role.")})
    return cleaned


def _clean_office(office: Office | None, organisation: Organisation) -> None:
    if office is not None and office.organisation_id != organisation.pk:
        raise ValidationError({"office": _("Choose an office of the user's organisation.")})


def _set_phone(user: User, phone: str) -> None:
    phone = " ".join(phone.split())
    user.phone = phone
    user.phone_index = crypto.blind_index(phone, context="accounts.user.phone") if phone else ""


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    organisation: Organisation,
    username: str,
    password: str | None,
    roles: Iterable[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    office: Office | None = None,
    preferred_language: str = "fr",
    public_id: uuid.UUID | None = None,
) -> User:
    """Create a staff account in ``organisation`` with at least one role.

    The password must pass the password rules; ``None`` makes an account that cannot log in
    until an admin sets a password (synthetic staff). The organisation comes from the actor's
    request, never from form input.
    """
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("Give a username.")})
    if User.objects.filter(username__iexact=username).exists():
        raise _unique_error("username")
    role_list = _clean_roles(roles)
    _clean_office(office, organisation)
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        organisation=organisation,
        office=office,
        preferred_language=preferred_language,
    )
    if public_id is not None:
        user.public_id = public_id
    _set_phone(user, phone)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    user.full_clean(exclude=["password", "phone_index"], validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise _unique_error("username") from exc
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in role_list])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        changed_fields=[
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "office",
            "roles",
            "password",
        ],
    )
    return user


USER_FIELDS = ("first_name", "last_name", "email", "office", "preferred_language")


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    roles: Iterable[str] | None = None,
    phone: str | None = None,
    **fields: Any,
) -> User:
    """Edit a user's details and roles. An admin cannot remove their own admin role."""
    changed = [n for n in USER_FIELDS if n in fields and getattr(user, n) != fields[n]]
    for name in changed:
        setattr(user, name, fields[name])
    _clean_office(user.office, user.organisation)  # type: ignore[arg-type]
    if phone is not None and phone != user.phone:
        _set_phone(user, phone)
        changed.append("phone")
    user.full_clean(exclude=["password", "phone_index"], validate_unique=False)
    user.save()
    if roles is not None:
        new_roles = set(_clean_roles(roles))
        old_roles = set(user.roles.values_list("role", flat=True))
        if user.pk == actor.pk and Role.ORG_ADMIN in old_roles - new_roles:
            raise ValidationError(
                {"roles": _("You cannot remove your own organisation admin role.")}
            )
        if new_roles != old_roles:
            UserRole.objects.filter(user=user, role__in=old_roles - new_roles).delete()
            UserRole.objects.bulk_create(
                [UserRole(user=user, role=r) for r in sorted(new_roles - old_roles)]
            )
            changed.append("roles")
            user._role_codes = frozenset(new_roles)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, changed_fields=changed)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> None:
    """Deactivate an account and end all its sessions at once. Accounts are never deleted."""
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not user.is_active:
        return
    User.objects.filter(pk=user.pk).update(
        is_active=False, session_version=F("session_version") + 1
    )
    user.refresh_from_db(fields=["is_active", "session_version"])
    audit_record(actor=actor, action=AuditAction.DEACTIVATE, obj=user)


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> None:
    if user.is_active:
        return
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    audit_record(actor=actor, action=AuditAction.REACTIVATE, obj=user)


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    """Set a new password (admin reset or own change); ends the user's other sessions."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.session_version = F("session_version") + 1  # type: ignore[assignment]
    user.save(update_fields=["password", "session_version"])
    user.refresh_from_db(fields=["session_version"])
    audit_record(actor=actor, action=AuditAction.PASSWORD, obj=user, changed_fields=["password"])
