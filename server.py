"""The dashboard as served: app.py behind security headers, with the session-cookie and health routes.

Start it with `streamlit run server.py` (bin/start).
"""

from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from kam.ui import routes, warmup
from kam.ui.errors import on_script_error
from kam.ui.headers import SecurityHeaders


def control_routes() -> list[BaseRoute]:
    """The local route the command line asks for a backup (kam.ui.control)."""
    from kam.ui import control

    return control.routes()


@asynccontextmanager
async def lifespan(_app: st.App):
    # The VP's default overview is computed before the first visitor asks (kam.ui.warmup).
    warmup.on_server_start()
    yield


app = st.App(
    "app.py",
    routes=[*routes.routes(), *control_routes()],
    middleware=[Middleware(SecurityHeaders)],
    on_script_error=on_script_error,
    lifespan=lifespan,
)
