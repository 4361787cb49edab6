"""Account health's complaints signal counts an old complaint still open at D (tests/portfolio.py, D 2026-06-30).

Health reads only the complaints open at the end of D or opened in its 90-day window (from 2026-04-02):
an open breach is an open breach however old, and a complaint resolved only after D is open at D.
"""

from __future__ import annotations

from datetime import date

import pytest

from kam.metrics import health
from kam.metrics.scope import Scope
from kam.store import db
from tests.portfolio import D, build

YTD = Scope(as_of=D, start=date(2026, 1, 1), end=date(2026, 12, 31))

# K5: C8, opened 2026-01-10, never answered nor resolved: breached (more than 24 h) and open at D.
# K3: C9, opened 2025-11-01, first answered 96 h later (breached), resolved only on 2026-07-10, after D.
OLD_OPEN = (
    "C7,K1,2026-07-02 09:00,,,质量,high\n",
    "C7,K1,2026-07-02 09:00,,,质量,high\n"
    "C8,K5,2026-01-10 09:00,,,服务,low\n"
    "C9,K3,2025-11-01 09:00,2025-11-05 09:00,2026-07-10 09:00,交货,medium\n",
)


@pytest.fixture(scope="module")
def cons(tmp_path_factory: pytest.TempPathFactory):
    plain = db.connect(build(tmp_path_factory.mktemp("plain")))
    old_open = db.connect(build(tmp_path_factory.mktemp("old_open"), complaints=[OLD_OPEN]))
    yield plain, old_open
    plain.close()
    old_open.close()


def complaints_signal(con, scope: Scope) -> dict[str, float]:
    return dict(health.account_health(con, scope).select("account_id", "complaints").rows())


def test_an_old_complaint_open_at_d_is_an_open_breach(cons):
    plain, old_open = cons
    # Without them: K1 and K2 have an open breach (C2 answered after 26 h, C3 unanswered for 40 h), 0;
    # K3 (C4, pending) and K5 (C5, met and resolved) only a complaint in the window, 0.5.
    assert complaints_signal(plain, YTD) == {"K1": 0.0, "K2": 0.0, "K3": 0.5, "K5": 0.5}
    # C8 and C9 are open breaches at D, opened long before the window.
    assert complaints_signal(old_open, YTD) == {"K1": 0.0, "K2": 0.0, "K3": 0.0, "K5": 0.0}
    mine = Scope(as_of=D, start=YTD.start, end=YTD.end, allowed_accounts=frozenset({"K3", "K5"}))
    assert complaints_signal(old_open, mine) == {"K3": 0.0, "K5": 0.0}
