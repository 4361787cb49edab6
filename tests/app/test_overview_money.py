"""Money on the overview reads one way: its cards and the year-to-date line under them in the short form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kam.ui.language import CHOSEN
from tests.apptest import app, cards
from tests.conftest import started
from tests.portfolio import EXPORTS

# O3 (K1, 2026-05-10) of 3,456,000 instead of 3,000.
BIG = EXPORTS | {"orders.csv": EXPORTS["orders.csv"].replace("O3,K1,2026-05-10,3000", "O3,K1,2026-05-10,3456000")}


@pytest.fixture
def big_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from started(tmp_path, monkeypatch, BIG)


@pytest.mark.parametrize(
    ("language", "card", "year"),
    [("zh-CN", "¥346万", "销售额 ¥346万，"), ("en", "¥3.5M", "revenue ¥3.5M,")],
    ids=["zh-CN", "en"],
)
def test_the_year_to_date_line_writes_money_as_the_cards_above_it(big_order: Path, language: str, card: str, year: str):
    at = app("overview", as_of="2026-06-30", period="quarter")
    at.session_state[CHOSEN] = language
    at.run()
    assert not at.exception
    # The quarter to 06-30: O3 3,456,000 + O7 500 + O9 400 = 3,456,900, 345.69万; the year adds O5's 1,000:
    # 3,457,900, 345.79万. Both from 100万 on without a decimal.
    revenue = "销售额" if language == "zh-CN" else "Revenue"
    assert cards(at)[revenue] == card
    [line] = [c.value for c in at.caption if "3,457,900" in c.value or year in c.value]
    assert year in line
    assert "3,457,900" not in line
