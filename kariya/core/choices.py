"""The values of a choices class, computed once.

``TextChoices.values`` builds a new list on every access; the bulk services check each row's
choices against it, thousands of times per import.
"""

from __future__ import annotations

import functools

from django.db import models


@functools.cache
def choice_values(choices: type[models.Choices]) -> frozenset[str]:
    return frozenset(choices.values)
