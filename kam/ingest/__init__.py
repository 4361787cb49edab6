"""Data in: reading and checking the exports (``loader``), opening a deployment's database and
loading (``bootstrap``), uploads from the admin page (``uploads``), the demo generator (``demo``).

May import ``metrics``, ``visits``, ``people`` and everything below them.
"""
