"""Relationship data entered in the app: contacts, account plans with actions, quarterly reviews, targets.

Layer 2 beside ``visits`` and ``people``. Each table lives apart from the exports' tables
(kam/store/schema.py), so a load never touches it; every change goes through
``kam.store.write`` with its audit row in the same transaction. Who may see and change what is
checked here, not only on the pages: a manager works on their own accounts only, the VP on
all, and only the VP agrees a plan and records reviews.
"""
