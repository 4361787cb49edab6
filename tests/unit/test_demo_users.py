"""The demo users and the first admin are named in the deployment's language; a demo manager as the exports name
their manager."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam import config, i18n
from kam.people import users
from kam.store import db, write
from tests.portfolio import build

# The portfolio's managers with M01 added: m01's manager is in the exports, m02's (M02) is not.
WITH_M01 = ("M3,张敏,华东,m3@example.com\n", "M3,张敏,华东,m3@example.com\nM01,徐军,华东,m01@example.com\n")


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("zh-CN", ["系统管理员", "演示管理员", "徐军", "演示客户经理 M02", "演示销售副总"]),
        ("en", ["Administrator", "Demo admin", "徐军", "Demo manager M02", "Demo VP"]),
    ],
)
def test_the_demo_users_and_the_first_admin_are_named_in_the_deployments_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, names: list[str]
):
    monkeypatch.setenv("KAM_LANGUAGE", language)
    config.settings.cache_clear()
    try:
        with db.connect(build(tmp_path, managers=WITH_M01)) as con:
            # Seeded in a run of the other language: the names are the deployment's all the same.
            with i18n.speaking("en" if language == "zh-CN" else "zh-CN"):
                write.write(con, users.seed_demo_users)
                users.ensure_first_admin(con)
            named = con.execute("SELECT username, name FROM users ORDER BY username").fetchall()
    finally:
        config.settings.cache_clear()
    assert named == list(zip(["admin", "demo-admin", "m01", "m02", "vp"], names, strict=True))


def test_a_start_with_an_admin_hashes_no_password_and_adds_no_admin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Every start makes sure of an admin: where the first admin or another admin is there, nothing is hashed (a
    scrypt hash, a fifth of a second at each start) and no user is added."""
    with db.connect(build(tmp_path)) as con:
        first = users.ensure_first_admin(con)
        monkeypatch.setattr(users, "hash_password", lambda password: pytest.fail("a password was hashed"))
        again = users.ensure_first_admin(con)
        admins = con.execute("SELECT username FROM users WHERE role = 'admin' ORDER BY username").fetchall()
    assert first is not None
    assert again is None
    assert admins == [("admin",)]
