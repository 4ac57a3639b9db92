"""The priority rule on its own: no database."""

from __future__ import annotations

import pytest
from django.utils import translation

from kariya.cases import priority
from kariya.cases.priority import Priority, PriorityInput, evaluate, explain


def _input(**values: object) -> PriorityInput:
    for key in ("specific_needs", "migration_needs", "factors"):
        if key in values:
            values[key] = frozenset(values[key])  # type: ignore[arg-type]
    return PriorityInput(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "rule", "reason"),
    [
        (_input(immediate_danger=True), "immediate_danger", "Immediate danger reported."),
        (_input(specific_needs={"SC-UC"}), "unaccompanied_child", "Unaccompanied child (SC-UC)."),
        (_input(specific_needs={"SV"}), "sexual_violence", "sexual and gender-based violence"),
        (_input(migration_needs={"trafficking"}), "trafficking", "victim of trafficking"),
        (_input(specific_needs={"TR-PI"}), "torture", "torture"),
        (_input(specific_needs={"SM-CC"}), "critical_medical", "Critical medical condition"),
    ],
)
def test_each_high_rule_rates_high_and_says_why(
    data: PriorityInput, rule: str, reason: str
) -> None:
    result = evaluate(data)
    assert result.rating == Priority.HIGH
    assert result.rule_ids[0] == rule
    assert reason in result.reasons[0]


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (_input(specific_needs={"SC-SC"}), "child_at_risk"),
        (_input(specific_needs={"CR-LW"}), "child_at_risk"),
        (_input(migration_needs={"expelled_abandoned"}), "expelled_abandoned"),
        (_input(factors={"no_documents", "no_resources", "isolation"}), "many_risks"),
    ],
)
def test_each_medium_rule_rates_medium(data: PriorityInput, rule: str) -> None:
    result = evaluate(data)
    assert result.rating == Priority.MEDIUM
    assert result.rule_ids == (rule,)


def test_nothing_matching_is_low_and_the_explanation_says_so() -> None:
    result = evaluate(_input(specific_needs={"ER"}, factors={"no_documents"}))
    assert result.rating == Priority.LOW
    assert result.rule_ids == ()
    assert result.reasons == ["No criterion for medium or high priority applies."]


def test_many_risks_needs_two_levels() -> None:
    # Three individual-level risks only: one level.
    data = _input(factors={"no_documents", "no_resources", "distress"})
    assert evaluate(data).rating == Priority.LOW


def test_many_risks_needs_no_protective_factor() -> None:
    data = _input(factors={"no_documents", "no_resources", "isolation", "family_support"})
    assert evaluate(data).rating == Priority.LOW


def test_many_risks_needs_enough_risks() -> None:
    assert evaluate(_input(factors={"no_documents", "isolation"})).rating == Priority.LOW


def test_sub_code_matching_is_by_category_not_by_prefix_text() -> None:
    # "SVX" is not a sub-code of "SV"; "SC-UC" is not matched by "SC-U".
    assert evaluate(_input(specific_needs={"SVX"})).rating == Priority.LOW


def test_all_matching_reasons_are_listed_highest_first() -> None:
    data = _input(
        immediate_danger=True,
        specific_needs={"SC-UC", "CR-CP"},
        migration_needs={"expelled_abandoned"},
    )
    result = evaluate(data)
    assert result.rating == Priority.HIGH
    assert result.rule_ids == (
        "immediate_danger",
        "unaccompanied_child",
        "child_at_risk",
        "expelled_abandoned",
    )
    assert len(result.reasons) == 4


def test_rules_are_configurable_data() -> None:
    only_danger = [r for r in priority.RULES if r.id == "immediate_danger"]
    assert evaluate(_input(specific_needs={"SC-UC"}), only_danger).rating == Priority.LOW
    custom = [
        priority.Rule("elderly", Priority.HIGH, "Older person at risk.", lambda d: d.has_need("ER"))  # type: ignore[arg-type]
    ]
    result = evaluate(_input(specific_needs={"ER"}), custom)
    assert result.rating == Priority.HIGH
    assert explain(result.rule_ids, custom) == ["Older person at risk."]


def test_explanation_is_in_the_active_language() -> None:
    result = evaluate(_input(immediate_danger=True))
    with translation.override("fr"):
        assert result.reasons == ["Danger immédiat signalé."]


def test_unknown_stored_rule_ids_are_skipped() -> None:
    assert explain(["retired_rule", "trafficking"]) == ["Possible victim of trafficking."]


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in priority.RULES]
    assert len(ids) == len(set(ids))
