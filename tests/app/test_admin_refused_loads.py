"""The admin page's load history lists a refused load beside the landed ones, in the reader's language.

The portfolio deployment (its first load: the bundled portfolio, load 1), then an upload by admin of every
portfolio file but accounts.csv, refused.
"""

from __future__ import annotations

import pytest

from kam import config
from kam.ingest import loader, uploads
from kam.ingest.bootstrap import open_database
from kam.people.users import User
from kam.ui.language import CHOSEN
from tests.apptest import ADMIN, app
from tests.portfolio import EXPORTS

ROOT_ADMIN = User("admin", "Administrator", "admin")


class Upload:
    """An uploaded file, as st.file_uploader hands it over."""

    def __init__(self, name: str, text: str) -> None:
        self.name, self.data, self.size = name, text.encode(), len(text.encode())

    def getvalue(self) -> bytes:
        return self.data


@pytest.mark.parametrize(
    ("language", "outcomes", "source", "why"),
    [
        (
            "zh-CN",
            ["已拒绝", "已导入"],
            "上传的文件",
            "导出文件中没有 accounts 文件（accounts.csv 或 accounts.parquet）",
        ),
        (
            "en",
            ["Refused", "Loaded"],
            "Uploaded files",
            "no accounts file (accounts.csv or accounts.parquet) among the exports",
        ),
    ],
)
def test_a_refused_upload_is_in_the_load_history(portfolio, language, outcomes, source, why):
    files = [Upload(name, text) for name, text in EXPORTS.items() if name != "accounts.csv"]
    with open_database(portfolio, config.settings().demo_dir) as con, pytest.raises(loader.LoadError):
        uploads.load_uploads(con, files, ROOT_ADMIN)
    at = app("admin", user=ADMIN)
    at.session_state[CHOSEN] = language
    at = at.run()
    assert not at.exception
    history = next(t.value for t in at.dataframe if "outcome" in t.value.columns)
    assert history["outcome"].to_list() == outcomes
    assert history["load_id"].isna().to_list() == [True, False]
    assert history["load_id"].to_list()[1] == 1
    assert history["source"].to_list()[0] == source
    assert history["loaded_by"].to_list()[0] == "admin"
    assert history["reason"].to_list()[0] == why
    log = next(t.value for t in at.dataframe if "changed" in t.value.columns)
    failed = log[log["changed"].str.contains(why, regex=False)]
    assert failed["target"].to_list() == [source]
