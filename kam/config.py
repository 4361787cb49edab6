"""Every default the product uses, overridable by `kam.toml` and `KAM_*` environment variables.

Precedence, lowest first: the defaults below, the TOML file (``KAM_CONFIG`` names it,
otherwise ``kam.toml`` in the working directory), then environment variables named
``KAM_`` plus the upper-cased field name (``KAM_DB_PATH``, ``KAM_SLA_HOURS``,
``KAM_CADENCE_DAYS_A`` for one entry of a table).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """The product's policy numbers and paths."""

    db_path: Path = PROJECT_ROOT / "data" / "kam.duckdb"
    demo_dir: Path = PROJECT_ROOT / "data" / "demo"
    import_dir: Path = PROJECT_ROOT / "data" / "import"
    # Seconds between the dashboard's looks at import_dir for a complete set (a READY file); 0: never.
    import_watch_seconds: int = 30
    # The dashboard's own backups: into this folder (empty: "backups" beside db_path), every this many
    # hours (0: never), the newest backup_keep kept.
    backup_dir: str = ""
    backup_every_hours: float = 24.0
    backup_keep: int = 7
    # Maximum days between visits, per tier at the as-of date.
    cadence_days: dict[str, int] = field(default_factory=lambda: {"A": 30, "B": 90, "C": 180})
    # A complaint's first reply is due within this many hours.
    sla_hours: float = 24.0
    # A satisfaction score at or above this counts toward CSAT.
    csat_min_score: int = 4
    # A drop: latest score this many points below the previous one, or at most drop_floor.
    drop_points: int = 1
    drop_floor: int = 2
    # Pareto cut-offs of cumulative trailing-12-month revenue for the suggested tier.
    abc_cutoffs: dict[str, float] = field(default_factory=lambda: {"A": 0.80, "B": 0.95})
    # Revenue attainment of the pro-rated target: at or above on_pace a manager is on pace
    # (green); below it, behind (amber) down to well_behind, under which well behind (red).
    attainment_bands: dict[str, float] = field(default_factory=lambda: {"on_pace": 1.0, "well_behind": 0.90})
    # What the managers' scorecard colours good (at or above) and bad (below); revenue attainment
    # is coloured by attainment_bands.
    scorecard_targets: dict[str, float] = field(
        default_factory=lambda: {
            "growth": 0.0,
            "visit_coverage": 0.90,
            "visit_attainment": 0.90,
            "sla_met_pct": 0.90,
            "csat_pct": 0.80,
            "satisfaction_mean": 4.0,
        }
    )
    # Account health: the weight of each signal, the score where watch and healthy begin, the
    # window of recent revenue, complaints and warning signs, and of surveys, in days up to D.
    health_weights: dict[str, float] = field(
        default_factory=lambda: {
            "visits": 25.0,
            "revenue": 25.0,
            "complaints": 15.0,
            "satisfaction": 20.0,
            "credit": 15.0,
        }
    )
    health_bands: dict[str, float] = field(default_factory=lambda: {"watch": 40.0, "healthy": 70.0})
    health_window_days: int = 90
    health_survey_days: int = 365
    # Overdue by more than this many days: the credit signal is 0 (1 to this many: half).
    health_credit_days: int = 30
    # Upper edges of the receivables ageing buckets, in days overdue; the last bucket is open.
    ageing_days: dict[str, int] = field(default_factory=lambda: {"first": 30, "second": 60, "third": 90})
    # Repeat-purchase base: an order in this many days before the period; lost revenue of a
    # churned account: its orders in this many days before it churned.
    repeat_lookback_days: int = 365
    churn_lost_days: int = 365
    # Visit form: oldest visit date accepted, and how long a manager may edit a visit.
    visit_max_age_days: int = 30
    visit_edit_days: int = 7
    # Sign-in: minutes of inactivity that end a session; failures of one user name from one
    # source before that pair is locked out for lockout_minutes.
    session_idle_minutes: int = 60
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    # Failures from one source (address), over every user name, before it is slowed as well.
    source_max_failed_logins: int = 20
    # A one-time password (a reset, the first admin's) works this long.
    one_time_password_hours: int = 72
    upload_max_mb: int = 200
    # Metric computations run at once; beyond them page runs take turns, the earliest first (0: one per core).
    compute_slots: int = 0
    # The weekly brief's charts and PDF are drawn by Chromium: this program, or (empty) the first
    # of chromium, chromium-browser, google-chrome found on PATH.
    browser_path: str = ""
    # The company's mail server for the scheduled brief; smtp_tls is "starttls", "ssl" or "none".
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_sender: str = ""
    smtp_tls: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    # The interface's language for a user who never chose one and whose browser asks for neither
    # Chinese nor English ("zh-CN" or "en").
    language: str = "zh-CN"
    # The company directory (LDAP / Active Directory) for signing in; empty ldap_url: none.
    # Either ldap_bind_pattern binds as the user directly ("uid={username},ou=people,dc=example,dc=com",
    # or "{username}@example.com" for Active Directory), or the search user finds the user's entry
    # under ldap_base_dn with ldap_user_filter and the user's password is checked on that entry.
    ldap_url: str = ""
    ldap_base_dn: str = ""
    ldap_bind_pattern: str = ""
    ldap_search_user: str = ""
    ldap_search_password: str = ""
    ldap_user_filter: str = "(uid={username})"
    # The directory group (its DN) whose members get each role; a user in several gets the first
    # of admin, vp, manager. A user in none of them is refused.
    ldap_role_groups: dict[str, str] = field(default_factory=lambda: {"admin": "", "vp": "", "manager": ""})
    # The directory attribute that matches a manager of the exports: "mail" against their e-mail,
    # any other attribute against their manager id.
    ldap_manager_attribute: str = "mail"
    ldap_timeout_seconds: int = 5
    # A load that leaves a table with less than this share of its current rows gone needs no confirmation;
    # one that loses more is refused unless the admin confirms (the CLI's --force).
    max_row_loss: float = 0.5

    @property
    def backups(self) -> Path:
        """The folder of the dashboard's own backups."""
        return Path(self.backup_dir) if self.backup_dir else self.db_path.parent / "backups"


def _coerce(value: str, like: Any) -> Any:
    """Parse an environment string into the type of the default it overrides."""
    if isinstance(like, bool):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(like, Path):
        return Path(value)
    return type(like)(value)


def _merge(current: Settings, overrides: Mapping[str, Any]) -> Settings:
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        if f.name not in overrides:
            continue
        default = getattr(current, f.name)
        value = overrides[f.name]
        if isinstance(default, dict):
            unknown = set(value) - set(default)
            if unknown:
                raise ValueError(f"unknown keys in {f.name}: {', '.join(sorted(unknown))}")
            changes[f.name] = default | {k: type(default[k])(v) for k, v in value.items()}
        elif isinstance(default, Path):
            changes[f.name] = Path(value)
        else:
            changes[f.name] = type(default)(value)
    return dataclasses.replace(current, **changes)


def _env_overrides(env: Mapping[str, str], base: Settings) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        default = getattr(base, f.name)
        prefix = f"KAM_{f.name.upper()}"
        if isinstance(default, dict):
            entries = {
                key: _coerce(env[f"{prefix}_{key.upper()}"], default[key])
                for key in default
                if f"{prefix}_{key.upper()}" in env
            }
            if entries:
                overrides[f.name] = entries
        elif prefix in env:
            overrides[f.name] = _coerce(env[prefix], default)
    return overrides


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from defaults, the TOML file and the environment."""
    env = os.environ if env is None else env
    settings = Settings()
    toml_path = Path(env.get("KAM_CONFIG", "kam.toml"))
    if toml_path.is_file():
        with toml_path.open("rb") as fh:
            settings = _merge(settings, tomllib.load(fh))
    return _merge(settings, _env_overrides(env, settings))


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
