"""Helpers for tests (and later the demo generator): screenings and cases built through the
services, so they carry the rows and audit events the application writes. Synthetic only."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kariya.accounts.models import User
from kariya.cases import services
from kariya.cases.models import Case, Screening, ScreeningOutcome
from kariya.cases.priority import Priority
from kariya.people.factories import office_of, register
from kariya.people.models import Person


def screen(actor: User, person: Person | None = None, **overrides: Any) -> Screening:
    values: dict[str, Any] = {
        "actor": actor,
        "person": person if person is not None else register(actor),
        "office": office_of(actor),
        "screened_on": timezone.localdate() - datetime.timedelta(days=1),
        "intervention_rating": Priority.MEDIUM,
        "outcome": ScreeningOutcome.CASE_OPENED,
    }
    values.update(overrides)
    return services.screening_record(**values)


def open_case(actor: User, person: Person | None = None, **overrides: Any) -> Case:
    """Register (unless ``person`` is given), screen and open a case assigned to ``actor``."""
    screening = screen(actor, person)
    return services.case_open(actor=actor, screening=screening, **overrides)
