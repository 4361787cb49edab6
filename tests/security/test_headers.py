"""Every response of the running server carries the security headers: the page and a static file."""

from __future__ import annotations

import re
import urllib.request

from kam.ui.headers import SECURITY_HEADERS
from tests.serve import serving


def test_the_page_and_a_static_file_carry_the_security_headers(tmp_path):
    with serving({"KAM_DB_PATH": str(tmp_path / "kam.duckdb")}) as url:
        with urllib.request.urlopen(f"{url}/") as reply:
            page = reply.read().decode()
            page_headers = reply.headers
        script = re.search(r'src="\.?/?(static/[^"]+\.js)"', page).group(1)
        with urllib.request.urlopen(f"{url}/{script}") as reply:
            static_headers = reply.headers
    expected = {
        "X-Frame-Options": "SAMEORIGIN",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    assert expected == SECURITY_HEADERS
    assert {name: page_headers[name] for name in expected} == expected
    assert {name: static_headers[name] for name in expected} == expected
    assert static_headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
