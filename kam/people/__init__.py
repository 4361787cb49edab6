"""Users, passwords and roles (``users``), and who sees which accounts (``access``).

May import ``store``, ``present`` and ``config``; not ``metrics`` or ``visits`` (same layer).
"""
