"""The only modules that import ``streamlit``: the connection and cache per process, the signed-in
session, widgets, the visit form's state.

Pages and ``app.py`` build on these; they may import every other package.
"""
