"""Every figure the product shows, each implemented once, all taking the one ``Scope``.

``scope`` holds the filters plus the accounts the user may see, ``filters`` and ``periods``
how the sidebar makes one, ``catalog`` the choices the filters offer; one module per area
(tiers, visits, complaints, satisfaction, revenue, managers, accounts, …). Queries run in
DuckDB with bound parameters only. May import ``store``, ``present`` and ``config``.
"""
