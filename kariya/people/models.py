"""People: a pseudonymous person, the encrypted identity kept apart from it, the migration
profile, household links and the consent ledger.

Every write goes through ``services.py``; every read through ``access.py`` / ``selectors.py``.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kariya.core.fields import BlindIndexField, EncryptedTextField
from kariya.core.models import OrgScopedModel, OrgScopedQuerySet

FIRST_PLAUSIBLE_BIRTH_YEAR = 1900


def _json_list(value: str) -> list[str]:
    return list(json.loads(value)) if value else []


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class ChildSeparation(models.TextChoices):
    """UNHCR SC-UC / SC-SC: a determination by the caseworker, stored (see README)."""

    NONE = "", _("Not separated, or not a child")
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied child")
    SEPARATED = "separated", _("Separated child")


class LegalBasis(models.TextChoices):
    """Grounds for registering someone who has not given consent (ICRC handbook)."""

    NONE = "", _("None: the person consented")
    VITAL_INTEREST = "vital_interest", _("Vital interest of the person or of someone else")
    PUBLIC_INTEREST = "public_interest", _("Important grounds of public interest")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")


class Person(OrgScopedModel):
    """The pseudonymous core: what case work and statistics need, no name, no exact birth date.

    ``birth_year`` is always set: given, estimated (``birth_estimated``), or derived from the
    exact date of birth, which is identity data and lives encrypted in :class:`Identity`.
    """

    case_code = models.CharField(_("case code"), max_length=10, unique=True, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    birth_estimated = models.BooleanField(_("year of birth estimated"), default=False)
    nationalities = models.ManyToManyField(
        "geo.Country", related_name="+", blank=True, verbose_name=_("nationalities")
    )
    languages = models.ManyToManyField(
        "codelists.Code",
        related_name="+",
        blank=True,
        limit_choices_to={"list": "language"},
        verbose_name=_("spoken languages"),
    )
    preferred_language = models.ForeignKey(
        "codelists.Code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": "language"},
        verbose_name=_("preferred language"),
    )
    population_category = models.ForeignKey(
        "codelists.Code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": "population_category"},
        verbose_name=_("population category"),
    )
    child_separation = models.CharField(
        _("unaccompanied or separated child"),
        max_length=20,
        choices=ChildSeparation.choices,
        blank=True,
        default="",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registering_office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registering office"),
    )
    legal_basis = models.CharField(
        _("legal basis without consent"),
        max_length=30,
        choices=LegalBasis.choices,
        blank=True,
        default="",
    )
    # Free text may hold health or other sensitive facts: encrypted.
    legal_basis_reason = EncryptedTextField(_("reason for the legal basis"), blank=True, default="")
    legal_basis_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    legal_basis_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Set by dedup.services.person_merge: this record was found to be the same person as
    # ``merged_into`` and its linked records moved there. It is kept (the merge can be undone)
    # but left out of lists, searches and counts; its page leads to the kept record.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__gte=FIRST_PLAUSIBLE_BIRTH_YEAR),
                name="person_birth_year_plausible",
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="person_sex_valid"),
            models.CheckConstraint(
                condition=Q(child_separation__in=ChildSeparation.values),
                name="person_child_separation_valid",
            ),
            models.CheckConstraint(
                condition=Q(legal_basis__in=LegalBasis.values), name="person_legal_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(legal_basis="") | Q(legal_basis_recorded_at__isnull=False),
                name="person_legal_basis_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")), name="person_not_merged_into_self"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-registered_at"], name="person_org_reg"),
            # Lists and counts leave merged records out: (organisation, merged_into) covers it.
            models.Index(fields=["organisation", "merged_into"], name="person_org_merged"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.case_code


class Identity(OrgScopedModel):
    """Who the person is. Every value is encrypted; search goes through PersonSearchKey.

    ``other_spellings``, ``aliases`` and ``phones`` hold JSON lists of strings (encrypted as one
    text); phones are in E.164. ``birth_date`` is an ISO date or empty.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="identity")
    given_names = EncryptedTextField(_("given names"), blank=True, default="")
    family_names = EncryptedTextField(_("family names"), blank=True, default="")
    other_spellings = EncryptedTextField(_("other spellings"), blank=True, default="")
    aliases = EncryptedTextField(_("aliases"), blank=True, default="")
    phones = EncryptedTextField(_("phone numbers"), blank=True, default="")
    birth_date = EncryptedTextField(_("date of birth"), blank=True, default="")

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"identity {self.public_id}"  # never the name

    @property
    def spelling_list(self) -> list[str]:
        return _json_list(self.other_spellings)

    @property
    def alias_list(self) -> list[str]:
        return _json_list(self.aliases)

    @property
    def phone_list(self) -> list[str]:
        return _json_list(self.phones)

    @property
    def birth_date_value(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.birth_date) if self.birth_date else None

    def all_names(self) -> list[str]:
        """Every written form of the name: the source of the name search keys."""
        names = [self.given_names, self.family_names, *self.spelling_list, *self.alias_list]
        return [n for n in names if n]


class DocumentStatus(models.TextChoices):
    HELD = "held", _("Held")
    LOST = "lost", _("Lost")
    CONFISCATED = "confiscated", _("Confiscated")
    NEVER_HAD = "never_had", _("Never had")


class IdentityDocument(models.Model):
    """An identity document, held or not. The number is encrypted; ``number_index`` finds it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(
        "codelists.Code",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "document_type"},
        verbose_name=_("document type"),
    )
    number = EncryptedTextField(_("document number"), blank=True, default="")
    number_index = BlindIndexField()
    issuing_country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing country"),
    )
    status = models.CharField(_("status"), max_length=15, choices=DocumentStatus.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="document_status_valid"
            ),
        ]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return f"document {self.public_id}"


class SearchKind(models.TextChoices):
    NAME = "name", _("Name")
    PHONE = "phone", _("Phone")
    DOCUMENT = "document", _("Document number")
    # Match keys (registration check, see README): canonical name tokens through the matching
    # engine's variant dictionary; a pair of canonical tokens with the year of birth; a phone
    # with a pair of canonical tokens.
    MATCH_NAME = "match_name", _("Name (matching)")
    NAME_YEAR = "name_year", _("Names and year of birth")
    PHONE_NAME = "phone_name", _("Phone and names")


NETWORK_KINDS = (SearchKind.DOCUMENT, SearchKind.NAME_YEAR, SearchKind.PHONE_NAME)
"""The kinds the network-wide signal compares across organisations (``searchkey_network``)."""


class PersonSearchKey(models.Model):
    """One keyed blind index of a name token, a phone number or a document number.

    ``organisation`` repeats the person's so a search is one index range per key, already
    scoped. The services rebuild a person's keys whenever the identity changes.
    """

    # No index of its own: ``searchkey_unique`` leads with the person (every registration and
    # import writes about 16 keys a person; each index is paid on each). No foreign-key
    # constraint in the database either: keys are derived rows, deleted with their person by
    # the ORM (CASCADE) and rebuilt by the services (``kariya rebuild-match-keys`` rebuilds
    # them all); on PostgreSQL each key's two checks ran at commit, half the checks of an
    # import (docs/benchmarks.md).
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="search_keys",
        db_index=False,
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # ``searchkey_postings`` leads with it
        db_constraint=False,
    )
    kind = models.CharField(max_length=10, choices=SearchKind.choices)
    key = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "key"], name="searchkey_unique"),
        ]
        indexes = [
            # A key's postings, with the person in the index: a search reads the index alone,
            # and checks a second key of the same person by one seek (selectors._matching).
            models.Index(
                fields=["organisation", "kind", "key", "person"], name="searchkey_postings"
            ),
            # The network-wide signal looks a key up in every organisation: only its kinds.
            # Queries repeat this exact condition (SQLite uses a partial index only then).
            models.Index(
                fields=["key", "organisation"],
                condition=Q(kind__in=[kind.value for kind in NETWORK_KINDS]),
                name="searchkey_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} key"


class MigrationStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("In transit")
    RESIDING = "residing", _("Residing")
    STRANDED = "stranded", _("Stranded")
    RETURNED = "returned", _("Returned")
    EXPELLED = "expelled", _("Expelled")


class ExpelledFrom(models.TextChoices):
    """ISO 3166-1 alpha-3 codes, as ``geo.Country`` keys them."""

    ALGERIA = "DZA", _("Algeria")
    LIBYA = "LBY", _("Libya")


class ExpulsionType(models.TextChoices):
    OFFICIAL_CONVOY = "official_convoy", _("Official convoy")
    PUSHBACK = "pushback", _("Pushback")


class MigrationProfile(OrgScopedModel):
    """Where the person comes from, went through and is heading. Residence is a commune: no
    address, no position."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="migration_profile"
    )
    origin_country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country of origin"),
    )
    origin_place = models.CharField(_("place of origin"), max_length=120, blank=True)
    arrival_date = models.DateField(_("arrival in Niger"), null=True, blank=True)
    current_commune = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 3},
        verbose_name=_("current commune"),
    )
    intended_destination = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("intended destination"),
    )
    status = models.CharField(
        _("migration status"), max_length=15, choices=MigrationStatus.choices, blank=True
    )
    expelled_from = models.CharField(
        _("expelled from"), max_length=3, choices=ExpelledFrom.choices, blank=True
    )
    expulsion_type = models.CharField(
        _("type of expulsion"), max_length=20, choices=ExpulsionType.choices, blank=True
    )
    expulsion_arrival_site = models.ForeignKey(
        "geo.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("arrival point after expulsion"),
    )
    expulsion_date = models.DateField(_("date of expulsion"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=MigrationStatus.values),
                name="migration_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(expelled_from="") | Q(expelled_from__in=ExpelledFrom.values),
                name="migration_expelled_from_valid",
            ),
            models.CheckConstraint(
                condition=Q(expulsion_type="") | Q(expulsion_type__in=ExpulsionType.values),
                name="migration_expulsion_type_valid",
            ),
            # Expulsion details only with the country that expelled.
            models.CheckConstraint(
                condition=~Q(expelled_from="")
                | Q(
                    expulsion_type="",
                    expulsion_arrival_site__isnull=True,
                    expulsion_date__isnull=True,
                ),
                name="migration_expulsion_needs_country",
            ),
        ]
        indexes = [
            # The case and people lists' commune filter: one organisation's people in a commune
            # (on SQLite at a million people, half the time of the commune index alone).
            models.Index(
                fields=["organisation", "current_commune", "person"], name="migration_org_commune"
            ),
        ]
        verbose_name = _("migration profile")
        verbose_name_plural = _("migration profiles")

    def __str__(self) -> str:
        return f"migration profile {self.public_id}"


class RoutePoint(models.Model):
    """One stage of the route, in order: a site in Niger or a country."""

    profile = models.ForeignKey(MigrationProfile, on_delete=models.CASCADE, related_name="route")
    position = models.PositiveSmallIntegerField(_("position"))
    site = models.ForeignKey(
        "geo.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    country = models.ForeignKey(
        "geo.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "position"], name="routepoint_unique"),
            models.CheckConstraint(
                condition=Q(site__isnull=False, country__isnull=True)
                | Q(site__isnull=True, country__isnull=False),
                name="routepoint_site_or_country",
            ),
        ]
        verbose_name = _("route point")
        verbose_name_plural = _("route points")

    def __str__(self) -> str:
        return str(self.site or self.country)


class HouseholdLink(OrgScopedModel):
    """``relative`` is the ``relationship`` of ``person`` (the person's mother, spouse…)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_links")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relationship = models.ForeignKey(
        "codelists.Code",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "relationship"},
        verbose_name=_("relationship"),
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="householdlink_unique"),
            models.CheckConstraint(
                condition=~Q(person=F("relative")), name="householdlink_not_self"
            ),
        ]
        verbose_name = _("household link")
        verbose_name_plural = _("household links")

    def __str__(self) -> str:
        return f"household link {self.public_id}"


class ConsentScope(models.TextChoices):
    SERVICES = "services", _("Services")
    REFERRAL = "referral", _("Referral")
    FOLLOW_UP = "follow_up", _("Follow-up contact")
    STATISTICS = "statistics", _("Anonymous statistics")
    MONITORING_REPORT = "monitoring_report", _("Use in a monitoring report")
    PHOTO_AUDIO = "photo_audio", _("Photo or audio")
    AUTHORITIES = "authorities", _("Sharing with authorities")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The person")
    PARENT = "parent", _("Parent")
    CAREGIVER = "caregiver", _("Other caregiver")
    TRUSTED_ADULT = "trusted_adult", _("Trusted adult")
    GUARDIAN = "guardian", _("Legal guardian")


class ConsentMethod(models.TextChoices):
    ORAL_WITNESSED = "oral_witnessed", _("Oral, witnessed")
    SIGNATURE = "signature", _("Signature")
    THUMBPRINT = "thumbprint", _("Thumbprint")


class ConsentQuerySet(OrgScopedQuerySet):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)  # type: ignore[return-value]


class Consent(OrgScopedModel):
    """One informed consent, for one purpose. A ledger: records are never edited; withdrawal
    fills ``withdrawn_*`` once and takes effect at once.

    A referral consent names the receiving organisation, the service type, or both.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("purpose"), max_length=20, choices=ConsentScope.choices)
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving organisation"),
    )
    service_type = models.ForeignKey(
        "codelists.Code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": "service_type"},
        verbose_name=_("service type"),
    )
    given_by = models.CharField(_("given by"), max_length=20, choices=ConsentGiver.choices)
    child_assent = models.BooleanField(_("child’s assent recorded"), default=False)
    child_mature = models.BooleanField(_("child judged mature enough to consent"), default=False)
    method = models.CharField(_("method"), max_length=20, choices=ConsentMethod.choices)
    language = models.ForeignKey(
        "codelists.Code",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "language"},
        verbose_name=_("language"),
    )
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    withdrawal_reason = EncryptedTextField(_("reason for withdrawal"), blank=True, default="")

    objects: ClassVar[Any] = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=ConsentScope.values), name="consent_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(given_by__in=ConsentGiver.values), name="consent_given_by_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=ConsentMethod.values), name="consent_method_valid"
            ),
            models.CheckConstraint(
                condition=~Q(scope=ConsentScope.REFERRAL)
                | Q(recipient_organisation__isnull=False)
                | Q(service_type__isnull=False),
                name="consent_referral_names_target",
            ),
            models.CheckConstraint(
                condition=Q(scope=ConsentScope.REFERRAL) | Q(service_type__isnull=True),
                name="consent_service_type_only_referral",
            ),
            models.CheckConstraint(
                condition=Q(scope__in=[ConsentScope.REFERRAL, ConsentScope.AUTHORITIES])
                | Q(recipient_organisation__isnull=True),
                name="consent_recipient_only_sharing",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="consent_withdrawal_complete",
            ),
        ]
        indexes = [models.Index(fields=["person", "scope"], name="consent_person_scope")]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Name and identity documents")
    CONTACT = "contact", _("Phone numbers and whereabouts")
    HEALTH = "health", _("Health")
    VIOLENCE = "violence", _("Violence suffered")
    LEGAL_STATUS = "legal_status", _("Legal status")
    PHOTO_AUDIO = "photo_audio", _("Photos and recordings")
    CASE_NOTES = "case_notes", _("Case notes")
    OTHER = "other", _("Other")


class RestrictionAudience(models.TextChoices):
    ORGANISATION = "organisation", _("A named organisation")
    PARTNERS = "partners", _("Every other organisation")
    AUTHORITIES = "authorities", _("Authorities")
    DONORS = "donors", _("Donors")
    FAMILY = "family", _("Family members")


class ConsentRestriction(models.Model):
    """ "Withhold X from Y, because …", attached to the consent it limits."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="restrictions")
    withhold = models.CharField(_("withhold"), max_length=20, choices=DataCategory.choices)
    audience = models.CharField(
        pgettext_lazy("withhold from", "from"), max_length=20, choices=RestrictionAudience.choices
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    reason = EncryptedTextField(_("because"), blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withhold__in=DataCategory.values), name="restriction_withhold_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience=RestrictionAudience.ORGANISATION, organisation__isnull=False)
                | (
                    Q(audience__in=RestrictionAudience.values)
                    & ~Q(audience=RestrictionAudience.ORGANISATION)
                    & Q(organisation__isnull=True)
                ),
                name="restriction_audience_valid",
            ),
        ]
        verbose_name = _("consent restriction")
        verbose_name_plural = _("consent restrictions")

    def __str__(self) -> str:
        return f"{self.get_withhold_display()} / {self.get_audience_display()}"
