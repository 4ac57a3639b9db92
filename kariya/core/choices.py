"""Choices, computed once.

``TextChoices.values`` builds a new list on every access; the bulk services check each row's
choices against it, thousands of times per import (``choice_values``). Form choices are
normalised by Django on every assignment and copy (``ReadyChoices``).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.choices import BaseChoiceIterator


@functools.cache
def choice_values(choices: type[models.Choices]) -> frozenset[str]:
    return frozenset(choices.values)


class ReadyChoices(BaseChoiceIterator):
    """Choices already in Django's normal form (``(value, label)`` pairs), given to a form
    field or widget as they are.

    Assigning a plain list to ``field.choices`` normalises it, and so does every widget copy
    (form instances deep-copy their fields; ``core.widgets.quick_selects`` copies the choices
    once more): on the case list, ~700 choices walked about 20 times per request, some 3 ms of
    its server time. A ``BaseChoiceIterator`` is taken unchanged. Never changed in place, so
    copies share it.
    """

    def __init__(self, choices: Iterable[tuple[Any, Any]]) -> None:
        self.choices = list(choices)
        self._escaped: dict[str, list[tuple[str, str, str]]] = {}

    def escaped(self) -> list[tuple[str, str, str]]:
        """``(value, escaped value, escaped label)`` per choice, in the active language, kept
        (``core.widgets.QuickSelect`` renders from it: escaping 300 options on every request
        showed in the list's server time when the choices are kept, see ``core.memo``)."""
        language = translation.get_language() or ""
        found = self._escaped.get(language)
        if found is None:
            found = [
                (str(key), html.escape(str(key)), html.escape(str(label)))
                for key, label in self.choices
            ]
            self._escaped[language] = found
        return found

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    def __copy__(self) -> ReadyChoices:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> ReadyChoices:
        return self
