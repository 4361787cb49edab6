"""The key-account dashboard's library: everything but the page layouts.

Packages, lowest layer first (a package imports only from layers below its own, and
packages on one layer do not import each other; `tests/unit/test_layers.py` checks it):

- ``config`` (module): every default, overridable by TOML and environment.
- ``vocabulary`` (module, beside ``config``): tiers, channels, follow-up steps, severities, churn
  reasons and warning signs, with their stored codes and labels.
- ``store``: the database: connection, schema, the one write path, the audit log.
- ``present``: pure presentation: Plotly figures, number formats, safe downloads.
- ``metrics``, ``visits``, ``people``: what the figures are; visits entered in the app;
  users, passwords, roles and row-level access.
- ``ingest``: data in: reading and checking exports, the load, the demo generator, uploads.
- ``reports``: the KPI snapshot and the weekly brief.
- ``ui``: the only modules that import ``streamlit``.

``cli`` (``python -m kam``) stands beside ``ui`` at the top.
"""
