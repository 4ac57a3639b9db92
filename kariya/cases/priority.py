"""The priority rule: transparent, configurable, and testable on its own.

The rule is data: ``RULES`` is an ordered list of criteria, each with the rating it gives and
the sentence that explains it. :func:`evaluate` applies every criterion to a
:class:`PriorityInput` (plain codes, no database) and returns the highest rating any criterion
gives, with the reasons of every criterion that matched, highest first, in the active language.
When nothing matches the rating is low and the explanation says so. To change the rule, edit
``RULES`` (or pass another list to ``evaluate``); the README's table mirrors it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kariya.cases.factors import Kind, factor


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


RANK = {Priority.LOW: 0, Priority.MEDIUM: 1, Priority.HIGH: 2}

# "Many risks, nothing to hold on to": at least this many risk factors, spread over at least
# this many levels, and no protective factor at all.
MIN_RISK_FACTORS = 3
MIN_RISK_LEVELS = 2


@dataclass(frozen=True)
class PriorityInput:
    immediate_danger: bool = False
    specific_needs: frozenset[str] = frozenset()  # UNHCR codes, e.g. "SC-UC", "SV"
    migration_needs: frozenset[str] = frozenset()  # e.g. "trafficking"
    factors: frozenset[str] = frozenset()  # factor codes of factors.FACTORS

    def has_need(self, *codes: str) -> bool:
        """A category code ("SV") matches itself and its sub-codes ("SV-…")."""
        return any(
            need == code or need.startswith(code + "-")
            for need in self.specific_needs
            for code in codes
        )

    def factors_of(self, kind: str) -> list[tuple[str, str]]:
        found = []
        for code in sorted(self.factors):
            known = factor(code)
            if known is not None and known.kind == kind:
                found.append((known.level, code))
        return found


@dataclass(frozen=True)
class Rule:
    id: str
    rating: Priority
    reason: Promise
    applies: Callable[[PriorityInput], bool] = field(repr=False)


def _many_risks_no_protection(data: PriorityInput) -> bool:
    risks = data.factors_of(Kind.RISK)
    levels = {level for level, _code in risks}
    return (
        len(risks) >= MIN_RISK_FACTORS
        and len(levels) >= MIN_RISK_LEVELS
        and not data.factors_of(Kind.PROTECTIVE)
    )


RULES: list[Rule] = [
    Rule(
        "immediate_danger",
        Priority.HIGH,
        _("Immediate danger reported."),
        lambda d: d.immediate_danger,
    ),
    Rule(
        "unaccompanied_child",
        Priority.HIGH,
        _("Unaccompanied child (SC-UC)."),
        lambda d: d.has_need("SC-UC"),
    ),
    Rule(
        "sexual_violence",
        Priority.HIGH,
        _("Survivor of sexual and gender-based violence (SV)."),
        lambda d: d.has_need("SV"),
    ),
    Rule(
        "trafficking",
        Priority.HIGH,
        _("Possible victim of trafficking."),
        lambda d: "trafficking" in d.migration_needs,
    ),
    Rule(
        "torture",
        Priority.HIGH,
        _("Survivor of torture (TR)."),
        lambda d: d.has_need("TR"),
    ),
    Rule(
        "critical_medical",
        Priority.HIGH,
        _("Critical medical condition (SM-CC)."),
        lambda d: d.has_need("SM-CC"),
    ),
    Rule(
        "child_at_risk",
        Priority.MEDIUM,
        _("Child at risk or separated child (CR, SC)."),
        lambda d: d.has_need("CR", "SC"),
    ),
    Rule(
        "expelled_abandoned",
        Priority.MEDIUM,
        _("Expelled or abandoned in the desert."),
        lambda d: "expelled_abandoned" in d.migration_needs,
    ),
    Rule(
        "many_risks",
        Priority.MEDIUM,
        _("At least three risk factors at two or more levels, and no protective factor."),
        _many_risks_no_protection,
    ),
]

NO_CRITERION = _("No criterion for medium or high priority applies.")


@dataclass(frozen=True)
class Result:
    rating: Priority
    rule_ids: tuple[str, ...]

    @property
    def reasons(self) -> list[str]:
        return explain(self.rule_ids)


def evaluate(data: PriorityInput, rules: Sequence[Rule] | None = None) -> Result:
    """Apply ``rules`` (default ``RULES``) to ``data``: the highest rating wins."""
    matched = [rule for rule in (RULES if rules is None else rules) if rule.applies(data)]
    if not matched:
        return Result(Priority.LOW, ())
    matched.sort(key=lambda rule: -RANK[rule.rating])  # stable: keeps the order of RULES
    return Result(matched[0].rating, tuple(rule.id for rule in matched))


def explain(rule_ids: Iterable[str], rules: Sequence[Rule] | None = None) -> list[str]:
    """The reasons of stored rule ids, in the active language (unknown ids are skipped)."""
    by_id = {rule.id: rule for rule in (RULES if rules is None else rules)}
    reasons = [str(by_id[i].reason) for i in rule_ids if i in by_id]
    return reasons or [str(NO_CRITERION)]
