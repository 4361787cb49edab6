"""Visits entered in the app: what a visit is and its checks (``rules``), saving, changing and
reading them (``log``), and their export for the CRM (``export``).

May import ``store``, ``present`` and ``config``; not ``metrics`` or ``people`` (same layer).
"""
