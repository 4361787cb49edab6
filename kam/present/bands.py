"""The three bands revenue attainment is judged in (kam.config attainment_bands): on pace, behind, well behind.

Which band a value falls in, how each band is named and coloured are decided here, once, for the managers'
scorecard (its cells and its legend) and the ranking chart (its bars and its legend).
"""

from __future__ import annotations

from kam.i18n import _
from kam.present.formatting import percent

ON_PACE, BEHIND, WELL_BEHIND = "on_pace", "behind", "well_behind"
BANDS = (ON_PACE, BEHIND, WELL_BEHIND)
# A scorecard cell's light fill, readable under its figure on a projector; a bar's full colour (the ranking's other
# figures are green at or above their target, red below, in the same colours).
FILLS = {ON_PACE: "#d5f5e3", BEHIND: "#fdebd0", WELL_BEHIND: "#fadbd8"}
BARS = {ON_PACE: "#27ae60", BEHIND: "#f5b041", WELL_BEHIND: "#c0392b"}


def band(value: float | None, on_pace: float, well_behind: float) -> str | None:
    """ON_PACE at or above on_pace, BEHIND from well_behind up to it, WELL_BEHIND below; None for no value."""
    if value is None or value != value:  # missing, or NaN once in pandas
        return None
    return ON_PACE if value >= on_pace else BEHIND if value >= well_behind else WELL_BEHIND


def names(on_pace: float, well_behind: float) -> dict[str, str]:
    """Each band named with its bounds, in the run's language: On pace, 100% and over · Behind, 90% to under
    100% · Well behind, under 90%."""
    bounds = {"on_pace": percent(on_pace, 0), "well_behind": percent(well_behind, 0)}
    return {
        ON_PACE: _("On pace, {on_pace} and over").format(**bounds),
        BEHIND: _("Behind, {well_behind} to under {on_pace}").format(**bounds),
        WELL_BEHIND: _("Well behind, under {well_behind}").format(**bounds),
    }
