"""The dashboard as served: app.py behind security headers. Start it with `streamlit run server.py`."""

import streamlit as st
from starlette.middleware import Middleware

from kam.ui.errors import on_script_error
from kam.ui.headers import SecurityHeaders

app = st.App("app.py", middleware=[Middleware(SecurityHeaders)], on_script_error=on_script_error)
