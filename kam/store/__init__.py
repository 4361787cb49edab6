"""The database: opening it and its tables (``db``, ``schema``), the one write path, the audit log.

The lowest layer with ``config`` and ``present``: it imports nothing of ``kam`` but ``config``.
"""
