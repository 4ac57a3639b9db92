"""Registration throughput: people registered per second through the service and the API.

    uv run python benchmarks/registration.py                 # SQLite, throwaway data dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kariya_bench_reg \\
        uv run python benchmarks/registration.py             # PostgreSQL (an empty database)

A registration is what a caseworker records at first contact: the pseudonymous person, the
encrypted identity (two given names, a family name, an alias, a phone number), one identity
document, a migration profile (origin, current commune, status) and a services consent. The
service path calls ``people.services.person_register`` once per person (one transaction each,
audited, search keys written), as the registration page does. The API path POSTs the same
registration as JSON to ``/api/v1/persons/`` through Django's test client (the whole middleware
stack, session authentication), as a phone client would.

The database gets ``migrate`` and the synthetic network of ``kariya generate`` (15 member
organisations and their staff) when it has no organisation yet; registrations go to the first
organisation that has an office and a caseworker. Prints persons/s for each path, the median
and p95 of one registration, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup(data_dir: str) -> None:
    os.environ.setdefault("KARIYA_DATA_DIR", data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kariya.config.settings.dev"
    os.environ["KARIYA_LOG_LEVEL"] = "WARNING"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def prepare() -> tuple[Any, Any]:
    from django.core.management import call_command

    from kariya.accounts.models import Organisation, User
    from kariya.demo import generator

    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        generator.generate(seed=generator.DEFAULT_SEED, organisations=15)
    for user in User.objects.filter(roles__role="caseworker", is_active=True).select_related(
        "organisation", "office"
    ):
        if user.office is not None:
            return user, user.office
    raise SystemExit("no active caseworker with an office: generate the network first")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, timings: list[float]) -> None:
    total = sum(timings)
    print(
        f"{name:<8} {len(timings):>6} persons  {len(timings) / total:>8.1f} persons/s  "
        f"median {statistics.median(timings) * 1000:6.1f} ms  "
        f"p95 {percentile(timings, 0.95) * 1000:6.1f} ms"
    )


def person_kwargs(index: int, refs: dict[str, Any]) -> dict[str, Any]:
    from kariya.people.services import ConsentInput, DocumentInput, MigrationInput

    given = ["Moussa", "Aïcha", "Abdoulaye", "Hadiza", "Ibrahim", "Mariama"][index % 6]
    return {
        "sex": "male" if index % 2 else "female",
        "birth_year": 1980 + index % 25,
        "birth_estimated": True,
        "nationalities": [refs["country"]],
        "languages": [refs["language"]],
        "given_names": f"{given} Bench{index}",
        "family_names": f"Kariya{index % 997}",
        "aliases": [f"Alias{index}"],
        "phone_numbers": [f"+22790{index % 1_000_000:06d}"],
        "documents": [
            DocumentInput(
                document_type=refs["document_type"],
                status="held",
                number=f"BX{index:08d}",
                issuing_country=refs["country"],
            )
        ],
        "migration": MigrationInput(
            origin_country=refs["country"],
            current_commune=refs["commune"],
            status="in_transit",
        ),
        "consents": [
            ConsentInput(
                scope="services",
                given_by="self",
                method="oral_witnessed",
                language=refs["language"],
            )
        ],
    }


def api_payload(index: int, refs: dict[str, Any], office: Any) -> dict[str, Any]:
    given = ["Moussa", "Aïcha", "Abdoulaye", "Hadiza", "Ibrahim", "Mariama"][index % 6]
    return {
        "office": str(office.public_id),
        "sex": "male" if index % 2 else "female",
        "birth_year": 1980 + index % 25,
        "birth_estimated": True,
        "nationalities": [refs["country"].iso3],
        "languages": [refs["language"].code],
        "given_names": f"{given} Api{index}",
        "family_names": f"Kariya{index % 997}",
        "aliases": [f"Alias{index}"],
        "phone_numbers": [f"+22791{index % 1_000_000:06d}"],
        "documents": [
            {
                "document_type": refs["document_type"].code,
                "status": "held",
                "number": f"AX{index:08d}",
                "issuing_country": refs["country"].iso3,
            }
        ],
        "migration": {
            "origin_country": refs["country"].iso3,
            "current_commune": refs["commune"].pcode,
            "status": "in_transit",
        },
        "consents": [
            {
                "scope": "services",
                "given_by": "self",
                "method": "oral_witnessed",
                "language": refs["language"].code,
            }
        ],
    }


def references() -> dict[str, Any]:
    from kariya.codelists.models import Code
    from kariya.geo.models import AdminUnit, Country

    return {
        "country": Country.objects.get(iso2="NE"),
        "language": Code.objects.of("language").get(code="fra"),
        "document_type": Code.objects.of("document_type").get(code="passport"),
        "commune": AdminUnit.objects.filter(level=3).order_by("pcode").first(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="registrations per path")
    parser.add_argument("--skip-api", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kariya-bench-reg-") as data_dir:
        setup(data_dir)
        from django.db import connection
        from django.test import Client

        from kariya.people.models import Person
        from kariya.people.services import person_register

        actor, office = prepare()
        refs = references()
        print(
            f"database: {connection.vendor}; organisation {actor.organisation.acronym}; "
            f"{Person.objects.count()} persons before"
        )
        timings = []
        for index in range(args.count):
            start = time.perf_counter()
            person_register(actor=actor, office=office, **person_kwargs(index, refs))
            timings.append(time.perf_counter() - start)
        report("service", timings)
        if not args.skip_api:
            client = Client()
            client.force_login(actor)
            timings = []
            for index in range(args.count):
                body = json.dumps(api_payload(index, refs, office))
                start = time.perf_counter()
                response = client.post("/api/v1/persons/", body, content_type="application/json")
                timings.append(time.perf_counter() - start)
                if response.status_code != 201:
                    raise SystemExit(f"API registration failed: {response.status_code}")
            report("api", timings)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MB; {Person.objects.count()} persons after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
