"""The demo's service directory: the member organisations' services and the public services
(hospitals, health centres, civil registry, child-protection units…) the network coordination
keeps, in the eight regions. Entirely synthetic: the providers' names are generic, the hours
and the contacts invented (phones in the demo's unattributed block, e-mails and websites under
``.example``).

Written through the directory services with a simulated clock, so entries carry a history:
most are published and verified recently, a few were last verified more than 90 days ago
(the reminder task flags them), a few are drafts, submitted, rejected, or have a pending
revision.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kariya.accounts.models import OrganisationType, User
from kariya.accounts.roles import Role
from kariya.codelists.models import Code
from kariya.demo import population
from kariya.demo.determinism import Clock
from kariya.directory import services
from kariya.directory.models import Availability, Service
from kariya.directory.services import Channel, Hours, ServiceContent
from kariya.geo.models import AdminUnit

T = datetime.time
WEEKDAYS = range(5)


def _days(days: Sequence[int], *ranges: tuple[T, T]) -> tuple[Hours, ...]:
    return tuple(Hours(d, opens, closes) for d in days for opens, closes in ranges)


OFFICE_HOURS = _days(WEEKDAYS, (T(8), T(17)))
SPLIT_HOURS = _days(WEEKDAYS, (T(8), T(12, 30)), (T(15), T(18))) + _days((5,), (T(9), T(12)))
FRIDAY_SHORT = _days(range(4), (T(8), T(17))) + _days((4,), (T(8), T(12, 30)))
ALWAYS = _days(range(7), (T(0), T(23, 59)))

# Languages spoken, by region (ISO 639-3 codes of the language code list).
REGION_LANGUAGES = {
    "NE001": ("fra", "hau", "ttq", "ara"),
    "NE002": ("fra", "hau", "knc", "ara"),
    "NE003": ("fra", "dje", "hau"),
    "NE004": ("fra", "hau"),
    "NE005": ("fra", "hau", "ttq"),
    "NE006": ("fra", "dje", "fuh"),
    "NE007": ("fra", "hau", "knc"),
    "NE008": ("fra", "dje", "hau", "eng"),
}


@dataclass(frozen=True)
class Offer:
    """A service an organisation (or a public body) offers, before a place is chosen."""

    type: str
    name_fr: str
    name_en: str
    description_fr: str = ""
    hours: tuple[Hours, ...] = OFFICE_HOURS
    extra: dict[str, Any] = field(default_factory=dict)


_FEMALE = {"eligible_sex": "female"}
_CHILDREN = {"max_age": 17}

OFFERS_BY_FOCUS: dict[str, tuple[Offer, ...]] = {
    "protection": (
        Offer(
            "mhpss",
            "Écoute et soutien psychosocial",
            "Listening and psychosocial support",
            "Entretiens individuels et groupes de parole avec un psychologue.",
        ),
        Offer(
            "gbv_case_management",
            "Prise en charge des survivantes de violences",
            "Care for women survivors of violence",
            "Accueil confidentiel, accompagnement médical et juridique.",
            extra=_FEMALE,
        ),
        Offer(
            "child_protection",
            "Accueil des enfants non accompagnés",
            "Reception of unaccompanied children",
            "Identification, prise en charge temporaire et recherche familiale.",
            extra=_CHILDREN,
        ),
        Offer(
            "shelter",
            "Hébergement temporaire",
            "Temporary shelter",
            "Quelques nuits d'hébergement pour les personnes en situation de détresse.",
            hours=ALWAYS,
            extra={"capacity": 30},
        ),
        Offer("food", "Repas chauds et kits alimentaires", "Hot meals and food kits"),
    ),
    "rights": (
        Offer(
            "legal_information",
            "Permanence juridique",
            "Legal help desk",
            "Information sur les droits des migrants, conseils et orientation.",
        ),
        Offer(
            "legal_representation",
            "Assistance judiciaire",
            "Legal representation",
            "Accompagnement devant les juridictions, sur orientation de la permanence.",
        ),
        Offer(
            "civil_documentation",
            "Appui aux démarches d'état civil",
            "Help with civil registration",
            "Actes de naissance, jugements supplétifs, cartes d'identité.",
        ),
    ),
    "awareness": (
        Offer(
            "information",
            "Information sur les risques de la migration irrégulière",
            "Information on the risks of irregular migration",
            hours=FRIDAY_SHORT,
        ),
        Offer(
            "regular_mobility",
            "Orientation vers la mobilité régulière",
            "Orientation to regular mobility",
            "Voies légales de migration de travail et d'études.",
        ),
    ),
    "livelihoods": (
        Offer(
            "vocational_training",
            "Formation professionnelle (couture, soudure, mécanique)",
            "Vocational training (tailoring, welding, mechanics)",
            extra={"min_age": 15},
        ),
        Offer("job_placement", "Placement en emploi", "Job placement", extra={"min_age": 18}),
        Offer(
            "iga_support",
            "Appui aux activités génératrices de revenus",
            "Support to income-generating activities",
            extra={"min_age": 18},
        ),
    ),
}

OFFERS_BY_TYPE: dict[str, tuple[Offer, ...]] = {
    OrganisationType.DIASPORA: (
        Offer(
            "consular_assistance",
            "Orientation vers les services consulaires",
            "Referral to consular services",
            "Mise en relation avec les consulats des pays de la CEDEAO.",
        ),
    ),
    OrganisationType.INGO: (
        Offer("avr", "Retour volontaire assisté", "Assisted voluntary return", hours=SPLIT_HOURS),
        Offer("reintegration", "Appui à la réintégration", "Reintegration support"),
        Offer("cash", "Assistance en espèces", "Cash assistance", extra={"cost": "free"}),
        Offer("nfi", "Kits d'hygiène et de dignité", "Hygiene and dignity kits"),
    ),
    OrganisationType.PUBLIC_AUTHORITY: (
        Offer("family_tracing", "Recherche familiale", "Family tracing", extra=_CHILDREN),
    ),
}


@dataclass(frozen=True)
class PublicService:
    commune: str
    offer: Offer
    provider: str


def _public(
    commune: str,
    type_: str,
    name_fr: str,
    name_en: str,
    provider: str,
    hours: tuple[Hours, ...] = OFFICE_HOURS,
    **extra: Any,
) -> PublicService:
    return PublicService(
        commune, Offer(type_, name_fr, name_en, hours=hours, extra=extra), provider
    )


_URG = ("Urgences médicales", "Medical emergencies")
_CSI = ("Consultations de santé", "Health consultations")
_EC = ("Déclarations de naissance et actes d'état civil", "Birth registration and civil records")
_FEE_CSI: dict[str, Any] = {
    "cost": "fee",
    "fee_note": "Ticket modérateur : 500 FCFA (gratuit pour les enfants de moins de 5 ans)",
}
_FEE_EC: dict[str, Any] = {"cost": "fee", "fee_note": "Timbre fiscal pour les jugements supplétifs"}

PUBLIC_SERVICES: tuple[PublicService, ...] = (
    _public("NE008001001", "emergency_medical", *_URG, "Hôpital de référence de Niamey", ALWAYS),
    _public("NE008001002", "health_care", *_CSI, "CSI de Boukoki", **_FEE_CSI),
    _public(
        "NE008001003", "civil_documentation", *_EC, "Centre d'état civil de Niamey III", **_FEE_EC
    ),
    _public(
        "NE008001004",
        "anti_trafficking",
        "Signalement des situations de traite",
        "Reporting trafficking situations",
        "Agence nationale de lutte contre la traite, antenne de Niamey",
    ),
    _public(
        "NE008001005",
        "srh",
        "Consultations prénatales et planification familiale",
        "Antenatal care and family planning",
        "Maternité de Niamey V",
        eligible_sex="female",
    ),
    _public(
        "NE001006001", "emergency_medical", *_URG, "Centre hospitalier régional d'Agadez", ALWAYS
    ),
    _public(
        "NE001006001",
        "civil_documentation",
        *_EC,
        "Centre d'état civil de la commune d'Agadez",
        **_FEE_EC,
    ),
    _public("NE001002001", "health_care", *_CSI, "CSI d'Arlit", **_FEE_CSI),
    _public("NE001003002", "health_care", *_CSI, "CSI de Dirkou", **_FEE_CSI),
    _public(
        "NE005013001", "emergency_medical", *_URG, "Centre hospitalier régional de Tahoua", ALWAYS
    ),
    _public(
        "NE005013002", "civil_documentation", *_EC, "Centre d'état civil de Tahoua II", **_FEE_EC
    ),
    _public(
        "NE005003003",
        "child_protection",
        "Protection des mineurs",
        "Protection of minors",
        "Brigade des mineurs, commissariat de Birni N'Konni",
        ALWAYS,
        max_age=17,
    ),
    _public("NE007011001", "emergency_medical", *_URG, "Hôpital national de Zinder", ALWAYS),
    _public(
        "NE007011002",
        "mhpss",
        "Consultations de santé mentale",
        "Mental health consultations",
        "Service de psychiatrie de l'hôpital de Zinder",
    ),
    _public("NE007006004", "health_care", *_CSI, "CSI de Magaria", **_FEE_CSI),
    _public(
        "NE003004001", "emergency_medical", *_URG, "Centre hospitalier régional de Dosso", ALWAYS
    ),
    _public("NE003004001", "civil_documentation", *_EC, "Centre d'état civil de Dosso", **_FEE_EC),
    _public("NE003006003", "health_care", *_CSI, "CSI de Gaya", **_FEE_CSI),
    _public(
        "NE004007001", "emergency_medical", *_URG, "Centre hospitalier régional de Maradi", ALWAYS
    ),
    _public(
        "NE004007002",
        "child_protection",
        "Protection de l'enfance",
        "Child protection",
        "Direction régionale de la protection de l'enfant de Maradi",
        max_age=17,
    ),
    _public("NE004006001", "health_care", *_CSI, "CSI de Dan-Issa", **_FEE_CSI),
    _public("NE006012007", "health_care", *_CSI, "CSI de Tillabéri", **_FEE_CSI),
    _public(
        "NE006012007", "civil_documentation", *_EC, "Centre d'état civil de Tillabéri", **_FEE_EC
    ),
    _public("NE006002001", "health_care", *_CSI, "CSI d'Ayérou", **_FEE_CSI),
    _public(
        "NE002002002", "emergency_medical", *_URG, "Centre hospitalier régional de Diffa", ALWAYS
    ),
    _public(
        "NE002002002",
        "asylum_referral",
        "Enregistrement des demandeurs d'asile",
        "Registration of asylum seekers",
        "Direction régionale de l'état civil, des migrations et des réfugiés de Diffa",
    ),
    _public("NE002002002", "civil_documentation", *_EC, "Centre d'état civil de Diffa", **_FEE_EC),
)

# The coordinator who keeps the public services of a region: the founding member of the
# nearest regional capital.
KEEPER_REGION = {
    "NE001": "NE001",
    "NE002": "NE007",
    "NE003": "NE008",
    "NE004": "NE007",
    "NE005": "NE005",
    "NE006": "NE008",
    "NE007": "NE007",
    "NE008": "NE008",
}


@dataclass
class Plan:
    """What to do with one entry: its content and its fate."""

    editor: User
    content: ServiceContent
    fate: str  # published, stale, draft, submitted, rejected, revision
    availability: str = Availability.AVAILABLE


# Entries that are not simply published and verified recently, whatever the network's size
# (a small network gets fewer, at most half of its entries).
SPECIAL_FATES = (
    ("stale", 6),
    ("draft", 3),
    ("submitted", 4),
    ("rejected", 1),
    ("revision", 2),
)


def _deal_fates(rng: random.Random, plans: list[Plan]) -> None:
    special = [fate for fate, count in SPECIAL_FATES for _ in range(count)]
    special = special[: len(plans) // 2]
    fates = special + ["published"] * (len(plans) - len(special))
    rng.shuffle(fates)
    for item, fate in zip(plans, fates, strict=True):
        item.fate = fate


def _availability(rng: random.Random) -> str:
    return rng.choices(Availability.values, weights=(80, 12, 5, 3))[0]


class _Lookup:
    def __init__(self) -> None:
        self.codes = {
            (c.list, c.code): c for c in Code.objects.filter(list__in=["service_type", "language"])
        }
        self.units = {u.pcode: u for u in AdminUnit.objects.filter(level__in=[1, 3])}

    def code(self, list_name: str, code: str) -> Code:
        return self.codes[(list_name, code)]


def _content(
    rng: random.Random,
    lookup: _Lookup,
    offer: Offer,
    *,
    focal_point: User,
    commune: str,
    address: str,
    domain: str,
    provider: str = "",
) -> ServiceContent:
    extra = dict(offer.extra)
    sex = extra.pop("eligible_sex", "all")
    region = commune[:5]
    languages = [lookup.code("language", c) for c in REGION_LANGUAGES[region]]
    channels = [Channel("phone", population.phone_number(rng))]
    if rng.random() < 0.6:
        channels.append(Channel("whatsapp", population.phone_number(rng)))
    if domain and rng.random() < 0.5:
        channels.append(Channel("email", f"contact@{domain}"))
    channels.append(Channel("in_person", "", "Sans rendez-vous" if rng.random() < 0.5 else ""))
    place = lookup.units[commune].name_fr
    name_fr = offer.name_fr if not provider else f"{offer.name_fr} — {provider}"
    name_en = offer.name_en if not provider else f"{offer.name_en} — {provider}"
    return ServiceContent(
        service_type=lookup.code("service_type", offer.type),
        name_fr=name_fr[:200],
        name_en=name_en[:200],
        description_fr=offer.description_fr,
        focal_point=focal_point,
        commune=lookup.units[commune],
        address=f"{address}, {place}" if address else place,
        is_public_service=bool(provider),
        provider_name=provider,
        hours=offer.hours,
        hours_note="24 h/24, 7 j/7" if offer.hours == ALWAYS else "Fermé les jours fériés",
        languages=languages,
        eligible_sex=sex,
        channels=channels,
        **extra,
    )


def _editor(users: Sequence[User], role: str) -> User | None:
    for user in users:
        if role in user.role_codes():
            return user
    return None


def plan(
    rng: random.Random,
    generated: Sequence[Any],
    quarters: Mapping[str, Sequence[str]],
) -> list[Plan]:
    """The entries of the demo network: 2–3 per organisation with a service focal point, and
    the public services kept by the coordinators."""
    lookup = _Lookup()
    plans: list[Plan] = []
    staff = {
        g.organisation.pk: list(
            User.objects.filter(organisation=g.organisation)
            .prefetch_related("roles")
            .order_by("pk")
        )
        for g in generated
    }
    keepers: dict[str, User] = {}
    for g in generated:
        coordinator = _editor(staff[g.organisation.pk], Role.NETWORK_COORDINATOR)
        if coordinator is not None:
            keepers.setdefault(g.home_pcode[:5], coordinator)
    for g in generated:
        focal = _editor(staff[g.organisation.pk], Role.SERVICE_FOCAL_POINT)
        if focal is None:
            continue
        offers = OFFERS_BY_TYPE.get(g.slot.type) or OFFERS_BY_FOCUS[g.slot.focus]
        chosen = rng.sample(list(offers), k=min(len(offers), rng.choice((2, 2, 3))))
        for number, offer in enumerate(chosen):
            office = g.offices[0] if number == 0 else rng.choice(g.offices)
            commune = office.commune.pcode
            content = _content(
                rng,
                lookup,
                offer,
                focal_point=focal,
                commune=commune,
                address=office.address,
                domain=g.domain,
            )
            plans.append(Plan(focal, content, "published", _availability(rng)))
    for public in PUBLIC_SERVICES:
        region = public.commune[:5]
        keeper = keepers.get(KEEPER_REGION[region]) or next(iter(keepers.values()), None)
        if keeper is None:
            break
        quarter = rng.choice(quarters.get(region, ("",)) or ("",))
        content = _content(
            rng,
            lookup,
            public.offer,
            focal_point=keeper,
            commune=public.commune,
            address=f"Quartier {quarter}" if quarter else "",
            domain="",
            provider=public.provider,
        )
        plans.append(Plan(keeper, content, "published", _availability(rng)))
    _deal_fates(rng, plans)
    return plans


def _moment(anchor: datetime.date, days_ago: int, rng: random.Random) -> datetime.datetime:
    return population.local_moment(anchor - datetime.timedelta(days=days_ago), rng)


def _approver(rng: random.Random, editor: User, coordinators: Sequence[User]) -> User | None:
    others = [c for c in coordinators if c.pk != editor.pk]
    return rng.choice(others) if others else None


def play(rng: random.Random, clock: Clock, plans: Sequence[Plan], anchor: datetime.date) -> int:
    """Write every planned entry through the services, moving the clock along its history.
    Returns the number of rows created (entries and pending revisions)."""
    coordinators = sorted(
        {p.editor for p in plans if Role.NETWORK_COORDINATOR in p.editor.role_codes()},
        key=lambda u: u.pk,
    )
    created = 0
    for item in plans:
        stale = item.fate == "stale"
        clock.set(_moment(anchor, rng.randint(120, 300) if stale else rng.randint(20, 400), rng))
        service = services.service_create(actor=item.editor, content=item.content)
        created += 1
        if item.fate == "draft":
            continue
        clock.set(clock.now() + datetime.timedelta(minutes=rng.randint(10, 90)))
        service = services.service_submit(
            actor=item.editor, service=service, expected_version=service.version
        )
        approver = _approver(rng, item.editor, coordinators)
        if item.fate == "submitted" or approver is None:
            continue
        clock.set(clock.now() + datetime.timedelta(days=rng.randint(1, 4)))
        if item.fate == "rejected":
            services.service_reject(
                actor=approver,
                service=service,
                expected_version=service.version,
                reason="Merci de préciser les horaires et les conditions d'accès.",
            )
            continue
        service = services.service_approve(
            actor=approver, service=service, expected_version=service.version
        )
        if item.availability != Availability.AVAILABLE:
            service = services.service_set_availability(
                actor=item.editor,
                service=service,
                expected_version=service.version,
                availability=item.availability,
            )
        if not stale:
            days = (anchor - clock.now().date()).days
            clock.set(_moment(anchor, rng.randint(1, max(1, min(days - 1, 80))), rng))
            service = services.service_verify(
                actor=item.editor, service=service, expected_version=service.version
            )
        if item.fate == "revision":
            revision = services.service_revise(actor=item.editor, service=service)
            created += 1
            revision = services.service_update(
                actor=item.editor,
                service=revision,
                expected_version=revision.version,
                content=replace(item.content, hours_note="Nouveaux horaires le mois prochain"),
            )
            services.service_submit(
                actor=item.editor, service=revision, expected_version=revision.version
            )
    return created


def count_entries() -> int:
    return int(Service.objects.entries().count())
