"""Company directory sign-in against a real OpenLDAP server: role by group, refusals, the directory down."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from kam import config
from kam.ingest import bootstrap
from kam.people import directory, users
from kam.people.users import SignInError
from tests import ldap_server
from tests.apptest import start

pytestmark = pytest.mark.skipif(not ldap_server.available(), reason="slapd is not installed (bin/test installs it)")


@pytest.fixture(scope="module")
def ldap_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with ldap_server.directory(tmp_path_factory.mktemp("slapd")) as url:
        yield url


def policy(url: str, **changes) -> config.Settings:
    directory_settings = {
        "ldap_url": url,
        "ldap_base_dn": ldap_server.PEOPLE,
        "ldap_bind_pattern": f"uid={{username}},{ldap_server.PEOPLE}",
        "ldap_role_groups": {"admin": "", "vp": ldap_server.VPS_GROUP, "manager": ldap_server.MANAGERS_GROUP},
    }
    return dataclasses.replace(config.settings(), **(directory_settings | changes))


def test_sign_in_by_group_gives_the_role_and_the_manager_by_e_mail(portfolio, ldap_url):
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        wang = directory.sign_in(con, "Wang", "wang-directory-pw", policy(ldap_url))
        assert (wang.username, wang.name, wang.role, wang.manager_id, wang.directory) == (
            "wang",
            "王伟",
            "manager",
            "M1",
            True,
        )
        # In the VP and the managers' groups: the VP's role comes first.
        zhao = directory.sign_in(con, "zhao", "zhao-directory-pw", policy(ldap_url))
        assert (zhao.role, zhao.manager_id, zhao.email) == ("vp", None, "zhao@example.com")
        # Found by the search user instead of a bind pattern: the same answer.
        searched = policy(
            ldap_url,
            ldap_bind_pattern="",
            ldap_search_user=f"cn=admin,{ldap_server.SUFFIX}",
            ldap_search_password="admin-directory-pw",
        )
        assert directory.sign_in(con, "wang", "wang-directory-pw", searched).manager_id == "M1"
        # The session re-reads a directory user without a user record as it is.
        assert users.refresh(con, wang) == wang


def test_a_wrong_password_an_empty_one_and_a_user_in_no_mapped_group_are_refused(portfolio, ldap_url):
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        with pytest.raises(SignInError, match="Wrong user name or password"):
            directory.sign_in(con, "wang", "not-it", policy(ldap_url))
        with pytest.raises(SignInError, match="Wrong user name or password"):
            directory.sign_in(con, "wang", "", policy(ldap_url))
        with pytest.raises(SignInError, match="Wrong user name or password"):
            directory.sign_in(con, "nobody", "nobody-directory-pw", policy(ldap_url))
        with pytest.raises(SignInError, match="no role in this dashboard"):
            directory.sign_in(con, "qian", "qian-directory-pw", policy(ldap_url))
        reasons = [
            r[0]
            for r in con.execute(
                "SELECT json_extract_string(after, '$.why') FROM audit_log WHERE action = 'sign_in.failed' "
                "ORDER BY event_id"
            ).fetchall()
        ]
        assert reasons == ["wrong password or unknown", "wrong password or unknown", "no mapped group"]


def test_a_manager_matched_by_another_attribute_than_mail(portfolio, ldap_url):
    with bootstrap.open_database(portfolio, config.settings().demo_dir) as con:
        by_number = policy(ldap_url, ldap_manager_attribute="employeeNumber")
        assert directory.sign_in(con, "wang", "wang-directory-pw", by_number).manager_id == "M2"
        # An attribute the entry lacks matches no manager: refused.
        unset = policy(ldap_url, ldap_manager_attribute="departmentNumber")
        with pytest.raises(SignInError, match="matches no manager"):
            directory.sign_in(con, "wang", "wang-directory-pw", unset)


def test_the_directory_down_gives_a_clear_message_and_local_users_still_sign_in(portfolio, monkeypatch):
    down = f"ldap://127.0.0.1:{ldap_server.free_port()}"
    with (
        bootstrap.open_database(portfolio, config.settings().demo_dir) as con,
        pytest.raises(directory.DirectoryDown, match="company directory cannot be reached"),
    ):
        directory.sign_in(con, "wang", "wang-directory-pw", policy(down))
    monkeypatch.setenv("KAM_LDAP_URL", down)
    monkeypatch.setenv("KAM_LDAP_BIND_PATTERN", f"uid={{username}},{ldap_server.PEOPLE}")
    config.settings.cache_clear()
    at = start(user=None)
    at.text_input(key="sign_in_name").input("wang")
    at.text_input(key="sign_in_password").input("wang-directory-pw")
    at.button[0].click().run()
    assert [w.value for w in at.warning] == [
        "The company directory cannot be reached just now, so company accounts cannot sign in; try again later."
    ]
    # The demo VP is a local user: the form signs them in with the directory down.
    at.text_input(key="sign_in_name").input("vp")
    at.text_input(key="sign_in_password").input("vp-demo-2026")
    at.button[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Overview"]


def test_the_sign_in_form_signs_a_directory_user_in_with_their_groups_role(portfolio, ldap_url, monkeypatch):
    monkeypatch.setenv("KAM_LDAP_URL", ldap_url)
    monkeypatch.setenv("KAM_LDAP_BASE_DN", ldap_server.PEOPLE)
    monkeypatch.setenv("KAM_LDAP_BIND_PATTERN", f"uid={{username}},{ldap_server.PEOPLE}")
    monkeypatch.setenv("KAM_LDAP_ROLE_GROUPS_MANAGER", ldap_server.MANAGERS_GROUP)
    config.settings.cache_clear()
    at = start(user=None)
    at.text_input(key="sign_in_name").input("wang")
    at.text_input(key="sign_in_password").input("wang-directory-pw")
    at.button[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["My worklist"]
    signed_in = at.session_state["signed_in_user"]
    assert (signed_in.role, signed_in.manager_id) == ("manager", "M1")
