"""Tier review: the accounts whose revenue-based (ABC) tier differs from the tier they are assigned."""

from __future__ import annotations

import duckdb
import polars as pl

from kam.metrics.scope import Scope
from kam.metrics.tiers import abc_suggestion
from kam.present.columns import TIER_SUGGESTION_COLUMNS


def review_candidates(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.DataFrame:
    """Active accounts whose suggested tier differs from their tier at D, by revenue rank.

    `change` says which way the suggestion points: an upgrade (towards A) or a downgrade.
    """
    return candidates(abc_suggestion(con, scope))


def candidates(suggestions: pl.DataFrame) -> pl.DataFrame:
    """The review candidates among the rows of abc_suggestion, in its order."""
    return (
        suggestions.filter(pl.col("mismatch"))
        .with_columns(
            change=pl.when(pl.col("suggested_tier") < pl.col("tier"))
            .then(pl.lit("upgrade"))
            .otherwise(pl.lit("downgrade"))
        )
        .select(
            # The tiers before the account, as in the Pareto's list: on a phone they are read within the screen.
            *TIER_SUGGESTION_COLUMNS,
            "change",
            "region",
            "manager_id",
            "revenue_12m",
            "cumulative_share",
        )
    )
