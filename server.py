"""The dashboard as served: app.py behind security headers, with the session-cookie and health routes.

Start it with `streamlit run server.py` (bin/start).
"""

import streamlit as st
from starlette.middleware import Middleware

from kam.ui import routes
from kam.ui.errors import on_script_error
from kam.ui.headers import SecurityHeaders

app = st.App(
    "app.py",
    routes=routes.routes(),
    middleware=[Middleware(SecurityHeaders)],
    on_script_error=on_script_error,
)
