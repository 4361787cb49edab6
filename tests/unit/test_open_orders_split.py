"""Open orders at D read in two parts: the orders the load keeps as long open, and the recent others.

LONG_OPEN_DAYS is 180. Account K1 (created 2024-01-01), every order of 2025:

    L1  100  ordered 01-01, paid 08-31 (242 days: long open)     open 01-01..08-30
    N1  200  ordered 03-01, never paid (long open)               open from 03-01 on
    Q1  400  ordered 06-01, paid 06-20 (19 days)                 open 06-01..06-19
    E1  800  ordered 02-01, paid 07-31 (180 days: not long)      open 02-01..07-30
    E2 1600  ordered 02-01, paid 08-01 (181 days: long open)     open 02-01..07-31
    Z1    0  ordered 03-01, never paid (amount 0: never open)
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from kam.ingest import loader
from kam.metrics import credit, risk
from kam.metrics.scope import Scope
from kam.store import db
from kam.store.schema import LONG_OPEN_DAYS
from tests.portfolio import loaded_before

EXPORTS = {
    "managers.csv": "manager_id,name,region\nM1,王伟,华东\n",
    "accounts.csv": """account_id,name,region,manager_id,tier,created_on,credit_limit
K1,一,华东,M1,A,2024-01-01,1000
K2,二,华东,M1,B,2024-01-01,0.1
K3,三,华东,M1,B,2024-01-01,0.1
""",
    "orders.csv": """order_id,account_id,order_date,amount,due_on,paid_on
L1,K1,2025-01-01,100,2025-01-31,2025-08-31
N1,K1,2025-03-01,200,2025-03-31,
Q1,K1,2025-06-01,400,2025-07-01,2025-06-20
E1,K1,2025-02-01,800,2025-03-03,2025-07-31
E2,K1,2025-02-01,1600,2025-03-03,2025-08-01
Z1,K1,2025-03-01,0,2025-03-31,
T1,K3,2025-12-01,0.1,2025-12-31,
T2,K3,2025-12-01,0.2,2025-12-31,
T3,K2,2025-12-01,0.3,2025-12-31,
""",
}
LOADED_ON = date(2026, 1, 1)
# Each order's open days, first and last (None: still open), as worked out above.
OPEN = {
    "L1": (date(2025, 1, 1), date(2025, 8, 30)),
    "N1": (date(2025, 3, 1), None),
    "Q1": (date(2025, 6, 1), date(2025, 6, 19)),
    "E1": (date(2025, 2, 1), date(2025, 7, 30)),
    "E2": (date(2025, 2, 1), date(2025, 7, 31)),
}


def loaded(folder: Path) -> Path:
    for name, text in EXPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "kam.duckdb"
    with db.connect(path) as con:
        report = loader.load_folder(con, folder, today=LOADED_ON)
    assert report.rejects.is_empty(), report.summary()
    return path


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return loaded(tmp_path_factory.mktemp("split"))


def open_on(con: duckdb.DuckDBPyConnection, day: date) -> list[str]:
    """The orders of K1 open at day, each as often as it is read (once, unless the two parts overlap)."""
    scope = Scope(as_of=day, start=day, end=day, allowed_accounts=frozenset({"K1"}))
    return sorted(credit.open_orders(con, scope)["order_id"])


def expected_on(day: date) -> list[str]:
    return sorted(order for order, (first, last) in OPEN.items() if first <= day and (last is None or day <= last))


# The days each order opens and closes, either side, and those whose D - LONG_OPEN_DAYS is an order's date.
EDGES = sorted(
    {first + timedelta(days=shift) for first, _ in OPEN.values() for shift in (-1, 0, 179, 180, 181)}
    | {last + timedelta(days=shift) for _, last in OPEN.values() if last for shift in (-1, 0, 1)}
)


def every_edge_checked(con: duckdb.DuckDBPyConnection) -> None:
    for day in EDGES:
        assert open_on(con, day) == expected_on(day), day


def test_the_load_keeps_the_orders_open_longer_than_the_split(path):
    assert LONG_OPEN_DAYS == 180
    with db.connect(path) as con:
        kept = con.execute("SELECT order_id FROM long_open_orders ORDER BY order_id").fetchall()
    # L1 (242 days), E2 (181), N1 (never paid) and T1..T3 (never paid); E1 (180), Q1 and Z1 (0) not.
    assert [order for (order,) in kept] == ["E2", "L1", "N1", "T1", "T2", "T3"]


def test_each_order_is_open_exactly_on_the_days_it_is_open(path):
    with db.connect(path) as con:
        # Spot checks of the worked table: the day E2 alone of the two is still open, the day L1 closes.
        assert open_on(con, date(2025, 7, 31)) == ["E2", "L1", "N1"]
        assert open_on(con, date(2025, 8, 31)) == ["N1"]
        assert open_on(con, date(2025, 6, 19)) == ["E1", "E2", "L1", "N1", "Q1"]
        every_edge_checked(con)


def test_receivables_add_up_both_parts(path):
    with db.connect(path) as con:
        scope = Scope(as_of=date(2025, 7, 31), start=date(2025, 7, 1), end=date(2025, 7, 31))
        account = credit.account_receivables(con, scope).filter(account_id="K1")
    # L1 100 + N1 200 + E2 1600, all overdue (due in January and March).
    assert account.select("outstanding", "overdue", "open_orders").rows() == [(1900.0, 1900.0, 3)]


def test_accounts_owing_the_same_to_the_cent_are_ordered_by_account(path):
    # K3 owes 0.1 + 0.2 (0.30000000000000004 in doubles), K2 0.3: the same to the cent, so K2 first.
    with db.connect(path) as con:
        scope = Scope(as_of=LOADED_ON, start=LOADED_ON, end=LOADED_ON, allowed_accounts=frozenset({"K2", "K3"}))
        ranked = credit.over_limit_accounts(con, scope)
        overdue = credit.account_receivables(con, scope)
        over_limit = risk.over_limit(con, scope)
    assert list(ranked["account_id"]) == ["K2", "K3"]
    assert list(over_limit["account_id"]) == ["K2", "K3"]
    assert list(overdue["account_id"]) == ["K2", "K3"]


def test_exports_loaded_before_the_split_existed_still_give_every_open_order(tmp_path):
    path = loaded(tmp_path)
    loaded_before(path, "long_open_orders")
    with db.connect(path) as con:
        every_edge_checked(con)
    with db.connect(path, read_only=True) as con:
        every_edge_checked(con)
