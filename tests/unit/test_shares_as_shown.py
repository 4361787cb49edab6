"""A table's percent column holds each share rounded as the cards write it: the grid's format cuts digits off."""

from __future__ import annotations

import polars as pl
import pytest

from kam.i18n.formats import percent
from kam.present.columns import share_as_shown

# share → the share a table holds, one decimal of percent, rounded as Babel rounds the card's text (half to even
# on the share's decimal digits).
CASES = [
    (0.8888, 0.889),  # 88.88% reads 88.9%, not the 88.8% a cut gives
    (0.30883, 0.309),
    (0.7647, 0.765),
    (2 / 3, 0.667),
    (1 / 3, 0.333),
    (0.8875, 0.888),  # 88.75%: half to even, 88.8%
    (0.8885, 0.888),  # 88.85%: half to even, 88.8%
    (0.1005, 0.1),  # 10.05%: 10.0%
    (0.5015, 0.502),  # 50.15%: 50.2%, though 0.5015 × 1000 is 501.4999… in binary
    (0.29, 0.29),
    (0.0, 0.0),
    (1.0, 1.0),
    (1.23456, 1.235),
    (None, None),
]


@pytest.mark.parametrize(("share", "shown"), CASES)
def test_a_share_is_held_as_the_card_reads_it(share, shown):
    held = pl.DataFrame({"s": [share]}, schema={"s": pl.Float64}).select(share_as_shown("s")).item()
    if shown is None:
        assert held is None
        return
    assert held == pytest.approx(shown, abs=1e-12)
    assert percent(held, lang="en") == percent(share, lang="en")
