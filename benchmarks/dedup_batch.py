"""The batch search for duplicates over one organisation's registry (``dedup.services.
registry_deduplicate_run``, what the task runs): wall and CPU time, peak memory, the stages,
and how many known duplicates it found.

    # a database filled by `kariya generate --organisations 1 --people N` (its KARIYA_DATA_DIR:
    # its keys), migrated to this branch (`kariya migrate`)
    KARIYA_DATA_DIR=/tmp/big uv run python benchmarks/dedup_batch.py --inject 200   # once
    KARIYA_DATA_DIR=/tmp/big uv run python benchmarks/dedup_batch.py                # measure
    # PostgreSQL: the same with DATABASE_URL=postgres://…

``--load-matching N`` registers N records of the matching package's test generator (known
clusters; precision, recall and F1 are then printed) into an empty organisation (`kariya
generate --organisations 1 --people 0`).

``--inject-named K`` registers a second record of K adults who have other spellings or
aliases, under one of them, without phone or document ("under other names" is then printed).

``--inject K`` registers, through ``person_register_bulk``, a second record of K adults drawn
at random from the organisation with the most people: another spelling of the given name (the
demo's spelling table, else a one-letter change), same family name, sex, birth, nationality
and phones, no document (the generated registry has no duplicates of its own); recall on them
is then printed. Run each of these alone: their memory is not the search's.

The measuring run takes the organisation with the most people, deletes its earlier runs and
candidates (a benchmark database), starts a run as one of its supervisors and carries it out
in this process as the worker would (``registry_deduplicate_run``), then prints: records, pairs
compared, pairs found, the injected duplicates found (recall on them), wall and CPU time, peak
RSS and its rise over the process before the run, the number of progress writes, and the time
of each stage (from a second, instrumented pass of the same steps, ``--no-stages`` to skip).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_search import setup  # noqa: E402 - the benchmarks' one Django set-up

INJECTED_MARK = "dedup-bench"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def busiest_organisation(allow_empty: bool = False) -> Any:
    from django.db.models import Count

    from kariya.accounts.models import Organisation
    from kariya.people.models import Person

    if allow_empty and not Person.objects.exists():
        return Organisation.objects.order_by("pk").values_list("pk", flat=True).first()

    row = (
        Person.objects.filter(merged_into__isnull=True)
        .values("organisation_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if row is None:
        raise SystemExit("no people: run `kariya generate` first")
    return row["organisation_id"]


def supervisor_of(organisation_id: int) -> Any:
    from kariya.accounts.models import User
    from kariya.core.access import actor_can
    from kariya.dedup.access import REVIEW

    for user in User.objects.filter(organisation_id=organisation_id, is_active=True):
        if actor_can(user, REVIEW):
            return user
    raise SystemExit("the organisation has no supervisor")


def misspell(name: str, rng: random.Random) -> str:
    from kariya.demo import names

    variants = names.SPELLINGS.get(name)
    if variants:
        return rng.choice(variants)
    if "ou" in name:
        return name.replace("ou", "u", 1)
    if len(name) > 3:
        k = rng.randrange(1, len(name) - 1)
        return name[:k] + name[k + 1 :]
    return name + name[-1]


def _second_record(person: Any, identity: Any, given: str, family: str, phones: list[str]) -> Any:
    """A second registration of ``person`` under the names given: the same office, sex, birth
    and nationalities, the phones given, a plain services consent."""
    from kariya.people import services
    from kariya.people.factories import services_consent

    return services.PersonRow(
        office=person.registering_office,
        sex=person.sex,
        birth_date=identity.birth_date_value,
        birth_year=None if identity.birth_date else person.birth_year,
        birth_estimated=person.birth_estimated,
        nationalities=list(person.nationalities.all()),
        given_names=given,
        family_names=family,
        phone_numbers=phones,
        consents=[services_consent()],
    )


def _register_copies(
    organisation_id: int, rows: list[tuple[int, Any]], truth_name: str, what: str
) -> None:
    """Register the second records in bulk and append (original, copy) to the truth file."""
    from kariya.people import services

    actor = supervisor_of(organisation_id)
    created = services.person_register_bulk(actor=actor, rows=[r for _pk, r in rows])
    truth = Path(os.environ["KARIYA_DATA_DIR"]) / f"{INJECTED_MARK}-{truth_name}.txt"
    with truth.open("a") as out:
        for (original, _row), copy in zip(rows, created, strict=True):
            out.write(f"{original} {copy.pk}\n")
    print(f"injected {len(created)} {what} into organisation {organisation_id}")
    print(f"pairs written to {truth}")


def _adult_born_by() -> int:
    # Adults only: the copy gets a plain services consent, which a child cannot give alone.
    return datetime.date.today().year - 19  # noqa: DTZ011 - a year, for a filter


def inject_named(count: int, seed: int) -> None:
    """K second records of adults who have other spellings or aliases, registered under one of
    them (the alias as the given names, with the family name; an other spelling cut as the
    search cuts it), with the same sex, birth and nationalities but no phone and no document:
    a person registered at another office under the name they gave there."""
    from kariya.dedup.batch import spelling_names
    from kariya.people.models import Identity, Person

    organisation_id = busiest_organisation()
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    named = []
    for person_id, given, family, spellings, aliases in (
        Identity.objects.filter(
            person__organisation_id=organisation_id,
            person__merged_into__isnull=True,
            person__birth_year__lte=_adult_born_by(),
        )
        .order_by("person_id")
        .values_list("person_id", "given_names", "family_names", "other_spellings", "aliases")
        .iterator()
    ):
        others = spelling_names(
            given, family, json.loads(spellings or "[]"), json.loads(aliases or "[]")
        )
        if others:
            named.append((person_id, sorted(others)))
    picked = rng.sample(named, min(count, len(named)))
    people = Person.objects.select_related("registering_office").in_bulk([p for p, _ in picked])
    rows = []
    for person_id, others in picked:
        identity = Identity.objects.get(person_id=person_id)
        given, family = rng.choice(others)
        rows.append((person_id, _second_record(people[person_id], identity, given, family, [])))
    _register_copies(organisation_id, rows, "named-truth", "records under another name")


def inject(count: int, seed: int) -> None:
    from kariya.people.models import Identity, Person

    organisation_id = busiest_organisation()
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    ids = list(
        Person.objects.filter(
            organisation_id=organisation_id,
            merged_into__isnull=True,
            birth_year__lte=_adult_born_by(),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    picked = rng.sample(ids, count)
    rows = []
    for person in Person.objects.filter(pk__in=picked).select_related("registering_office"):
        identity = Identity.objects.get(person_id=person.pk)
        given = identity.given_names.split(" ")
        given[0] = misspell(given[0], rng)
        row = _second_record(
            person, identity, " ".join(given), identity.family_names, identity.phone_list
        )
        rows.append((person.pk, row))
    _register_copies(organisation_id, rows, "truth", "second records")


def load_matching(count: int, seed: int) -> None:
    """Register the matching package's test generator's records (known clusters: a third of
    the people registered 2–4 times with spelling variants, typos, swapped names, year-only
    dates, ages off by one or two; households sharing a family name, phone and origin) into the
    organisation with the most people (an empty one from `kariya generate --people 0`). What
    Kariya does not record is dropped: the father's name, the address. Every row gets a legal
    basis (the generator's ages include children, whose consent rules need a caregiver). The
    true pairs, in Kariya's primary keys, go to ``dedup-bench-clusters.txt``."""
    from kariya.codelists.models import Code
    from kariya.geo.models import Country
    from kariya.matching.records import normalise_phone, parse_date
    from kariya.matching.tests.people import people, true_pairs
    from kariya.people import services
    from kariya.people.models import LegalBasis, Sex
    from kariya.people.services import DocumentInput, MigrationInput, PersonRow

    organisation_id = busiest_organisation(allow_empty=True)
    actor = supervisor_of(organisation_id)
    from kariya.accounts.models import Office

    office = Office.objects.filter(organisation_id=organisation_id).first()
    countries = {c.iso3: c for c in Country.objects.all()}
    passport = Code.objects.get(list="document_type", code="passport")
    records = people(count, seed)
    pk_of: dict[str, int] = {}
    for start in range(0, len(records), 5000):
        chunk = records[start : start + 5000]
        rows = []
        for r in chunk:
            parsed = parse_date(r["birth_date"]) if r["birth_date"] else None
            date = datetime.date(*parsed) if parsed else None
            phone = normalise_phone(r["phone"])[-8:] if r["phone"] else ""
            rows.append(
                PersonRow(
                    office=office,
                    sex=Sex.MALE if r["sex"] == "M" else Sex.FEMALE,
                    birth_date=date,
                    birth_year=None if date else int(r["birth_year"]),
                    birth_estimated=date is None,
                    nationalities=[countries[r["nationality"]]] if r["nationality"] else [],
                    given_names=r["given_name"],
                    family_names=r["family_name"],
                    phone_numbers=[f"+227{phone}"] if len(phone) == 8 else [],
                    documents=[
                        DocumentInput(
                            document_type=passport, status="held", number=r["document_number"]
                        )
                    ]
                    if r["document_number"]
                    else [],
                    migration=MigrationInput(origin_place=r["origin"]) if r["origin"] else None,
                    legal_basis=LegalBasis.VITAL_INTEREST,
                    legal_basis_reason="Données synthétiques de mesure.",
                )
            )
        created = services.person_register_bulk(actor=actor, rows=rows)
        for r, person in zip(chunk, created, strict=True):
            pk_of[r["id"]] = person.pk
        print(f"  registered {start + len(chunk)}/{len(records)}")
    truth = Path(os.environ["KARIYA_DATA_DIR"]) / f"{INJECTED_MARK}-clusters.txt"
    with truth.open("w") as out:
        for a, b in sorted(true_pairs(records)):
            out.write(f"{pk_of[a]} {pk_of[b]}\n")
    print(f"registered {len(records)} records into organisation {organisation_id}")


def measure(stages: bool) -> None:
    from kariya.dedup import batch, services
    from kariya.dedup.models import DedupRun, DuplicateCandidate
    from kariya.people.models import Person

    organisation_id = busiest_organisation()
    actor = supervisor_of(organisation_id)
    DuplicateCandidate.objects.filter(organisation_id=organisation_id).delete()
    DedupRun.objects.filter(organisation_id=organisation_id).delete()
    people = Person.objects.filter(organisation_id=organisation_id, merged_into__isnull=True)
    print(f"organisation {organisation_id}: {people.count()} people not merged away")

    writes = [0]
    original_call = services.ProgressWriter.__call__

    def counting(self: Any, stage: str, done: int, total: int) -> None:
        before = self.writes
        original_call(self, stage, done, total)
        writes[0] += self.writes - before

    services.ProgressWriter.__call__ = counting  # type: ignore[method-assign]

    run = services.registry_deduplicate_start(actor=actor)
    # The on-commit enqueue handed it to the database backend; run it here as the worker
    # would (and leave the queued task row to nobody).
    rss_before, cpu_before, wall = rss_mb(), cpu_s(), time.perf_counter()
    run = services.registry_deduplicate_run(run=DedupRun.objects.get(pk=run.pk))
    wall = time.perf_counter() - wall
    cpu = cpu_s() - cpu_before
    peak = rss_mb()
    if run.status != "done":
        raise SystemExit(f"run {run.status}: {run.error_code} {run.error_detail}")

    found = set(
        DuplicateCandidate.objects.filter(organisation_id=organisation_id).values_list(
            "person_a_id", "person_b_id"
        )
    )
    clusters_file = Path(os.environ["KARIYA_DATA_DIR"]) / f"{INJECTED_MARK}-clusters.txt"
    quality = ""
    if clusters_file.exists():
        truth = {
            tuple(sorted(int(x) for x in line.split()))
            for line in clusters_file.read_text().splitlines()
            if line.strip()
        }
        hit = len(truth & found)
        precision = hit / len(found) if found else 0.0
        recall_c = hit / len(truth) if truth else 0.0
        f1 = 2 * precision * recall_c / (precision + recall_c) if hit else 0.0
        quality = f"P {precision:.3f} R {recall_c:.3f} F1 {f1:.3f} ({len(truth)} true pairs)"
    recall = _recall(found, "truth")
    recall_named = _recall(found, "named-truth")

    load = os.getloadavg()
    print(f"records read        {run.records_read}")
    print(f"method              {run.method} (threshold {run.threshold})")
    print(f"pairs compared      {run.pairs_compared}")
    print(f"pairs found         {run.pairs_found} (new {run.candidates_added})")
    if recall:
        print(f"injected found      {recall}")
    if recall_named:
        print(f"  under other names {recall_named}")
    if quality:
        print(f"against the truth   {quality}")
    print(f"wall                {wall:.1f} s")
    print(f"CPU (user+sys)      {cpu:.1f} s")
    print(f"peak RSS            {peak:.0f} MB (before the run {rss_before:.0f} MB)")
    print(f"progress writes     {writes[0]} ({writes[0] / wall:.2f}/s)")
    print(f"load average        {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

    if not stages:
        return
    times: dict[str, float] = {}
    t = time.perf_counter()
    registry = batch.read_registry(organisation_id=organisation_id)
    times["read (decrypt, build columns)"] = time.perf_counter() - t
    last = [time.perf_counter(), ""]

    def stage_clock(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if last[1]:
            times[str(last[1])] = times.get(str(last[1]), 0.0) + now - float(last[0])
        last[0], last[1] = now, stage

    t = time.perf_counter()
    found_pairs = batch.find_pairs(registry, threshold=run.threshold, progress=stage_clock)
    stage_clock("", 0, 0)
    times["engine total (encode, fit, block, score, reasons)"] = time.perf_counter() - t
    DuplicateCandidate.objects.filter(organisation_id=organisation_id).delete()
    t = time.perf_counter()
    services.duplicate_candidates_record(
        organisation=run.organisation, pairs=found_pairs.pairs, actor=actor
    )
    times["record candidates"] = time.perf_counter() - t
    print("stages (second pass):")
    for name, seconds in times.items():
        print(f"  {name:<50} {seconds:6.1f} s")


def _recall(found: set[tuple[int, int]], name: str) -> str:
    """Injected pairs found, from the truth file ``dedup-bench-NAME.txt`` ("" without it)."""
    truth_file = Path(os.environ["KARIYA_DATA_DIR"]) / f"{INJECTED_MARK}-{name}.txt"
    if not truth_file.exists():
        return ""
    truth = {
        tuple(sorted(int(x) for x in line.split()))
        for line in truth_file.read_text().splitlines()
        if line.strip()
    }
    hit = len(truth & found)
    return f"{hit} / {len(truth)} ({hit / len(truth):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inject", type=int, default=0, help="add K duplicates, then exit")
    parser.add_argument(
        "--inject-named",
        type=int,
        default=0,
        help="add K duplicates under one of the original's other spellings or aliases, then exit",
    )
    parser.add_argument(
        "--load-matching",
        type=int,
        default=0,
        help="register N records of the matching package's test generator, then exit",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-stages", action="store_true")
    args = parser.parse_args()
    setup()
    if args.inject:
        inject(args.inject, args.seed)
    elif args.inject_named:
        inject_named(args.inject_named, args.seed)
    elif args.load_matching:
        load_matching(args.load_matching, args.seed)
    else:
        measure(stages=not args.no_stages)


if __name__ == "__main__":
    main()
