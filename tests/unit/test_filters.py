"""How a scope's filters read in the brief's heading and in a download's file name."""

from __future__ import annotations

from datetime import date

from kam import i18n
from kam.metrics.filters import account_file_name, at, describe, plain_file_name, up_to
from kam.metrics.scope import Scope

WEEK = Scope(as_of=date(2026, 11, 22), start=date(2026, 11, 16), end=date(2026, 11, 22))


def scope(**filters) -> Scope:
    return Scope(**(WEEK.__dict__ | filters))


def test_unfiltered_says_so():
    described = describe(WEEK)
    assert described.heading() == "2026-11-16 – 2026-11-22 · all regions/managers/tiers"
    assert described.file_name("visits-overdue", "csv") == "visits-overdue_2026-11-16_2026-11-22.csv"


def test_each_filter_set_is_named_region_manager_tier():
    described = describe(scope(tiers=("A",), regions=("华东",)))
    assert described.heading() == "2026-11-16 – 2026-11-22 · Region 华东 · Tier A"
    assert described.file_name("visits-overdue", "csv") == "visits-overdue_2026-11-16_2026-11-22_region-华东_tier-A.csv"
    described = describe(scope(regions=("华东", "华南"), managers=("M1",), tiers=("A", "B")))
    assert described.heading() == "2026-11-16 – 2026-11-22 · Region 华东, 华南 · Manager M1 · Tier A, B"
    assert (
        described.file_name("brief", "html") == "brief_2026-11-16_2026-11-22_region-华东+华南_manager-M1_tier-A+B.html"
    )


def test_the_period_ends_at_the_as_of_date():
    # A week not yet over on Wednesday 2026-11-18: its figures run to that day.
    described = describe(scope(as_of=date(2026, 11, 18)))
    assert described.heading() == "2026-11-16 – 2026-11-18 · all regions/managers/tiers"
    assert described.file_name("tier-mix", "csv") == "tier-mix_2026-11-16_2026-11-18.csv"


def test_a_managers_own_accounts_are_never_described_as_everything():
    described = describe(scope(allowed_accounts=frozenset({"K1", "K2"})))
    assert described.heading() == "2026-11-16 – 2026-11-22 · own accounts only"
    assert described.file_name("my-worklist", "csv") == "my-worklist_2026-11-16_2026-11-22_own-accounts.csv"


def test_many_values_are_counted_in_the_file_name_and_listed_in_the_heading():
    described = describe(scope(managers=("M1", "M2", "M3", "M4")))
    assert described.heading() == "2026-11-16 – 2026-11-22 · Manager M1, M2, M3, M4"
    assert described.file_name("scorecard", "csv") == "scorecard_2026-11-16_2026-11-22_manager-4-chosen.csv"


def test_file_names_hold_no_path_separator_or_control_character():
    # Regions and manager ids come from the exports: anything may be in them.
    described = describe(scope(regions=("../华东/x",), managers=("M1\r\n", 'a\\b:c*"d|e<f>', "\x00\t")))
    name = described.file_name("open-breaches", "csv")
    assert name == "open-breaches_2026-11-16_2026-11-22_region-华东-x_manager-M1+a-b-c-d-e-f+-.csv"
    assert described.heading() == '2026-11-16 – 2026-11-22 · Region ../华东/x · Manager M1, a\\b:c*"d|e<f>, '
    long = describe(scope(regions=("华" * 40,))).file_name("t", "csv")
    assert long == f"t_2026-11-16_2026-11-22_region-{'华' * 30}.csv"


def test_a_file_is_named_in_the_run_s_language_its_values_as_they_are():
    # 华东 and tier A, an account's id after the name; four managers counted.
    described = describe(scope(regions=("华东",), tiers=("A",)))
    counted = describe(scope(managers=("M1", "M2", "M3", "M4"), allowed_accounts=frozenset({"K1"})))
    with i18n.speaking("en"):
        assert (
            described.file_name("weekly-brief", "html") == "weekly-brief_2026-11-16_2026-11-22_region-华东_tier-A.html"
        )
        assert (
            described.file_name("visit-list", "csv", "K1")
            == "visit-list-K1_2026-11-16_2026-11-22_region-华东_tier-A.csv"
        )
        assert (
            counted.file_name("my-worklist", "csv")
            == "my-worklist_2026-11-16_2026-11-22_manager-4-chosen_own-accounts.csv"
        )
        assert plain_file_name("load-history", "csv") == "load-history.csv"
    with i18n.speaking("zh-CN"):
        assert described.file_name("weekly-brief", "html") == "周报_2026-11-16_2026-11-22_区域-华东_客户等级-A.html"
        assert (
            described.file_name("visit-list", "csv", "K1")
            == "拜访记录-K1_2026-11-16_2026-11-22_区域-华东_客户等级-A.csv"
        )
        assert (
            counted.file_name("my-worklist", "csv")
            == "我的待办清单_2026-11-16_2026-11-22_客户经理-已选4个_本人客户.csv"
        )
        assert plain_file_name("load-history", "csv") == "导入记录.csv"
        # A detail from the data is made as safe as a filter's value.
        assert plain_file_name("rejects", "csv", "../7") == "导入被拒行-7.csv"


def test_an_accounts_file_is_named_by_its_name_id_and_day_made_safe():
    # A name with a path separator, a space and a trailing dot; an account without a name keeps its id alone.
    with i18n.speaking("en"):
        assert account_file_name("orders", "csv", "K1", "A/B Co.", up_to(date(2026, 6, 30))) == (
            "orders_A-B-Co-K1_up-to-2026-06-30.csv"
        )
        assert account_file_name("open-orders", "csv", "K1", None, at(date(2026, 6, 30))) == (
            "open-orders_K1_at-2026-06-30.csv"
        )
    with i18n.speaking("zh-CN"):
        assert account_file_name("open-orders", "csv", "K1", "甲 公司", at(date(2026, 6, 30))) == (
            "未结订单_甲-公司-K1_截至2026-06-30.csv"
        )
