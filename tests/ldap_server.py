"""A real OpenLDAP server (Debian's slapd) on a free loopback port, with a small company directory.

People: wang (manager group, mail m1@example.com: manager M1 of the portfolio, employeeNumber M2),
zhao (VP and manager groups), qian (no mapped group). Every password is "<name>-directory-pw".
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.serve import wait_until_up

SLAPD, SLAPADD = "/usr/sbin/slapd", "/usr/sbin/slapadd"
SUFFIX = "dc=example,dc=com"
PEOPLE = f"ou=people,{SUFFIX}"
MANAGERS_GROUP = f"cn=kam-managers,ou=groups,{SUFFIX}"
VPS_GROUP = f"cn=kam-vps,ou=groups,{SUFFIX}"

CONFIG = """
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
suffix "{suffix}"
rootdn "cn=admin,{suffix}"
rootpw admin-directory-pw
directory {folder}/db
access to attrs=userPassword by anonymous auth by self read by * none
access to * by users read by * none
"""


def _person(uid: str, name: str, mail: str, number: str | None = None) -> str:
    extra = f"employeeNumber: {number}\n" if number else ""
    return f"""
dn: uid={uid},{PEOPLE}
objectClass: inetOrgPerson
uid: {uid}
cn: {name}
sn: {name}
displayName: {name}
mail: {mail}
userPassword: {uid}-directory-pw
{extra}"""


def _group(dn: str, cn: str, members: list[str]) -> str:
    lines = "".join(f"member: uid={m},{PEOPLE}\n" for m in members)
    return f"\ndn: {dn}\nobjectClass: groupOfNames\ncn: {cn}\n{lines}"


DATA = (
    f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n"
    f"\ndn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n"
    f"\ndn: ou=groups,{SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n"
    + _person("wang", "王伟", "M1@example.com", "M2")
    + _person("zhao", "赵总", "zhao@example.com")
    + _person("qian", "钱多", "qian@example.com")
    + _group(MANAGERS_GROUP, "kam-managers", ["wang", "zhao"])
    + _group(VPS_GROUP, "kam-vps", ["zhao"])
)


def available() -> bool:
    return Path(SLAPD).exists() and Path(SLAPADD).exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def directory(folder: Path) -> Iterator[str]:
    """slapd serving the directory above; yields its URL."""
    (folder / "db").mkdir(parents=True)
    conf = folder / "slapd.conf"
    conf.write_text(CONFIG.format(folder=folder, suffix=SUFFIX))
    (folder / "data.ldif").write_text(DATA, encoding="utf-8")
    subprocess.run([SLAPADD, "-f", str(conf), "-l", str(folder / "data.ldif")], check=True, capture_output=True)
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    # -d 0: stay in the foreground (so the fixture owns the process) without debug output.
    process = subprocess.Popen(
        [SLAPD, "-f", str(conf), "-h", f"{url}/", "-d", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_until_up(process, lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close(), "slapd", 20)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder / "db", ignore_errors=True)
