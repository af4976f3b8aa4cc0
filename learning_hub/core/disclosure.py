"""Disclosure control for every figure about a group (the rules in docs/threat-model.md).

Plain functions, with no database and no request, that pages and exports apply to the
figures they show:

- ``shown_parts``: primary and complementary suppression of one breakdown whose parts
  add up to a shown total (rules 2 and 3): a part built from fewer than ``min_size``
  people or cases is hidden, and while a line has exactly one hidden part the next
  smallest is hidden too (or, when nothing is left to hide, the total), so no hidden
  part can be worked out by subtraction.
- ``apart_enough``: of several groups shown side by side (teams whose members
  overlap), which may be shown: two groups whose members differ by 1 to
  ``min_size - 1`` people would give those few away by differencing (rule 5), so the
  smaller of the two is hidden.
- ``band``: a count of contributors shown beside a mean, as a band ("3-9", "10-19",
  "20-49", "50+") rather than exactly (rule 4), so two views cannot be differenced.
- ``one_decimal``: a mean as it is shown, to one decimal.

``HIDDEN`` is the plain words shown in place of a hidden figure.
"""

from dataclasses import dataclass

HIDDEN = "not enough responses"
WHY_HIDDEN = "hidden so that no one's answers can be worked out"

# Upper ends of the bands a contributor count is shown in; the first band starts at the
# minimum group size, and the last is open ("50+").
BAND_TOPS = (9, 19, 49)


@dataclass(frozen=True)
class Breakdown:
    """Which parts of a breakdown may be shown, and whether its total may."""

    shown: frozenset
    total_shown: bool

    def __contains__(self, key):
        return key in self.shown


def shown_parts(sizes, min_size, *, with_total=True):
    """Which parts of a breakdown may be shown: ``sizes`` maps each part to the number of
    people (or cases) it is built from.

    Primary suppression hides every part of 1 to ``min_size - 1``. A part of 0 reveals
    nothing about anyone and stays shown. When the parts add up to a shown total
    (``with_total``), the total minus the shown parts is the sum of the hidden ones, so
    while that sum describes fewer than ``min_size`` (one hidden part alone, or two
    small ones together) the smallest part still shown that is not empty is hidden as
    well; when no such part is left, the total is hidden instead.
    """
    hidden = {key for key, size in sizes.items() if 0 < size < min_size}
    total_shown = True
    if with_total:
        while hidden and (len(hidden) == 1 or sum(sizes[key] for key in hidden) < min_size):
            candidates = sorted(
                (size, str(key), key)
                for key, size in sizes.items()
                if key not in hidden and size > 0
            )
            if not candidates:
                total_shown = False
                break
            hidden.add(candidates[0][2])
    return Breakdown(frozenset(sizes) - hidden, total_shown)


def apart_enough(groups, min_size):
    """The keys of ``groups`` (``{key: set of the people a figure is built from}``) whose
    figures may be shown side by side.

    A group of fewer than ``min_size`` is not shown at all. Of two shown groups whose
    members differ by 1 to ``min_size - 1`` people (the two teams' symmetric
    difference), subtracting one figure from the other would describe those few, so
    the smaller group (the later key, when equal) is hidden; the larger is kept and
    the comparison goes on with the groups still shown. Identical groups give nothing
    away by subtraction and are both shown.
    """
    kept = []
    for key, members in sorted(
        ((key, frozenset(members)) for key, members in groups.items()),
        key=lambda item: (-len(item[1]), str(item[0])),
    ):
        if len(members) < min_size:
            continue
        if any(0 < len(members ^ other) < min_size for _key, other in kept):
            continue
        kept.append((key, members))
    return {key for key, _members in kept}


def band(count, min_size):
    """A contributor count as its band, e.g. "3-9", "10-19", "50+"; None below
    ``min_size`` (a figure built from so few is not shown at all)."""
    if count < min_size:
        return None
    low = min_size
    for top in BAND_TOPS:
        if top < low:
            continue
        if count <= top:
            return f"{low}-{top}"
        low = top + 1
    return f"{low}+"


def one_decimal(value):
    """A mean as it is shown everywhere: one decimal place."""
    return f"{value:.1f}"
