"""The database: opening it and its tables (``db``, ``schema``), the one write path, the audit log.

The layer above ``config`` and ``vocabulary``, beside ``present``: it imports nothing else of ``kam``.
"""
