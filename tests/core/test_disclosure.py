"""The disclosure rules as plain functions: suppression that subtraction cannot undo,
and counts in bands."""

import itertools

import pytest

from learning_hub.core.disclosure import band, one_decimal, shown_parts


def _recoverable(sizes, breakdown, min_size=3):
    """The hidden parts whose figure (alone, or together) subtraction from the shown ones
    gives back while it describes fewer than ``min_size``."""
    hidden = [key for key in sizes if key not in breakdown]
    if breakdown.total_shown and hidden and 0 < sum(sizes[k] for k in hidden) < min_size:
        return hidden
    return []


def test_one_small_group_beside_a_total_takes_the_next_smallest_with_it():
    """North's 15 cases, 6 female, 7 male and 2 other: 15 - 6 - 7 gave the 2 away."""
    sizes = {"female": 6, "male": 7, "other": 2}
    breakdown = shown_parts(sizes, 3)
    assert "other" not in breakdown and "female" not in breakdown and "male" in breakdown
    assert breakdown.total_shown and _recoverable(sizes, breakdown) == []


def test_two_small_groups_hide_each_other_and_nothing_more():
    breakdown = shown_parts({"a": 1, "b": 2, "c": 9, "d": 12}, 3)
    assert breakdown.shown == {"c", "d"} and breakdown.total_shown


def test_two_small_groups_that_are_still_small_together_take_a_third_with_them():
    """1 and 1 hidden beside a total: the total minus the rest gives the pair's 2."""
    sizes = {"a": 1, "b": 1, "c": 6, "d": 9}
    breakdown = shown_parts(sizes, 3)
    assert breakdown.shown == {"d"} and _recoverable(sizes, breakdown) == []


def test_when_nothing_else_can_hide_it_the_total_goes():
    breakdown = shown_parts({"a": 2, "b": 0}, 3)
    assert breakdown.shown == {"b"} and not breakdown.total_shown


def test_empty_groups_are_shown_and_never_chosen_to_hide_another():
    breakdown = shown_parts({"a": 0, "b": 1, "c": 5, "d": 4}, 3)
    assert breakdown.shown == {"a", "c"}


def test_without_a_total_only_small_groups_are_hidden():
    assert shown_parts({"a": 2, "b": 8}, 3, with_total=False).shown == {"b"}


@pytest.mark.parametrize("sizes", list(itertools.product(range(0, 6), repeat=4)))
def test_no_small_hidden_figure_is_ever_left_beside_a_total(sizes):
    """Every breakdown of four parts of 0 to 5: subtraction gives nothing small back."""
    parts = dict(zip("abcd", sizes, strict=True))
    breakdown = shown_parts(parts, 3)
    assert _recoverable(parts, breakdown) == []
    assert all(parts[key] == 0 or parts[key] >= 3 for key in breakdown.shown)


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (2, None),
        (3, "3-9"),
        (9, "3-9"),
        (10, "10-19"),
        (19, "10-19"),
        (20, "20-49"),
        (49, "20-49"),
        (50, "50+"),
        (800, "50+"),
    ],
)
def test_counts_beside_a_mean_are_shown_in_bands(count, shown):
    assert band(count, 3) == shown


def test_a_larger_minimum_group_starts_the_first_band_there():
    assert (band(4, 5), band(5, 5), band(12, 12), band(25, 12)) == (None, "5-9", "12-19", "20-49")


def test_means_are_shown_to_one_decimal():
    assert one_decimal(3.4567) == "3.5" and one_decimal(4) == "4.0"


def test_two_teams_that_differ_by_one_person_are_not_both_shown():
    """X = {A, B, C, D}, Y = {A, B, C}: X's figure minus Y's would be D's."""
    from learning_hub.core.disclosure import apart_enough

    groups = {"x": {1, 2, 3, 4}, "y": {1, 2, 3}, "z": {7, 8, 9}, "same": {1, 2, 3, 4}}
    assert apart_enough(groups, 3) == {"x", "z", "same"}


def test_teams_apart_by_the_minimum_group_or_more_are_all_shown():
    from learning_hub.core.disclosure import apart_enough

    groups = {"x": {1, 2, 3, 4, 5, 6}, "y": {1, 2, 3}, "small": {1, 2}}
    assert apart_enough(groups, 3) == {"x", "y"}
