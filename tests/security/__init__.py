"""Attacks kept as regression tests: sign-in races, resets during a session, hostile input."""
