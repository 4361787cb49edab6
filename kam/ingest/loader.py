"""Loading the ERP/CRM exports (docs/DATA_CONTRACT.md) into the database.

Polars reads and checks every file; the good rows go into a new exports file
(``kam.store.exports``), published only once complete, so a load either lands whole or
leaves the data as it was. The app's own database (visits entered in the app, users,
the audit log) is never opened by a load; the dashboard switches to the new file.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from kam.config import settings
from kam.i18n import N_, _, ngettext, pgettext
from kam.people import users
from kam.present import changes
from kam.present.text import each_said
from kam.store import db, exports
from kam.store.schema import (
    BOOL_VALUES,
    CHOICE_ALIASES,
    EXPORT_TABLES,
    EXPORTS,
    EXPORTS_RUN_TO,
    FILL_SUMMARIES,
    LOAD_RECORD_TABLES,
    MANAGERS,
    Column,
    Table,
)
from kam.vocabulary import TIERS

SUFFIXES = (".csv", ".parquet")
RAW = "raw:"
REJECT_SCHEMA = {
    "table_name": pl.String,
    "file": pl.String,
    "line": pl.Int64,
    "row_key": pl.String,
    "column_name": pl.String,
    "reason": pl.String,
}


# loaded_by of the bundled demo data's load.
DEMO_LOADER = "demo"


def _demo_users(cur: duckdb.DuckDBPyConnection, load: dict) -> None:
    """At the switch to a load: the bundled data brings the demo users (one per role); real exports retire them."""
    if load["loaded_by"] == DEMO_LOADER:
        users.seed_demo_users(cur)
    else:
        users.retire_demo_users(cur, load["loaded_by"])


# Whichever process notices a new exports file runs this in the write that switches to it.
exports.on_each_load(_demo_users)


@dataclass(frozen=True)
class Phrase:
    """Words of a message that need translating too (a value of a LoadError): an English message id and its values.

    Several phrases or texts, as a value, are Joined.
    """

    message: str
    values: dict[str, object]


@dataclass(frozen=True)
class Joined:
    """Values of a message read one after the other, sep between them (a line break: one under the other)."""

    parts: tuple[object, ...]
    sep: str


def _worded(value: object, gettext: Callable[[str], str]) -> str:
    # Through its stored form: the page and the audit log read a failure with the one function.
    return changes.worded(_stored(value), gettext)


def _stored(value: object) -> object:
    """A value of a LoadError as JSON can keep it (kam.present.changes.worded reads it back)."""
    if isinstance(value, Phrase):
        return {"message": value.message, "values": {k: _stored(v) for k, v in value.values.items()}}
    if isinstance(value, Joined):
        return {"parts": [_stored(part) for part in value.parts], "sep": value.sep}
    return str(value)


class LoadError(Exception):
    """The exports cannot be loaded at all; the database was left unchanged.

    message is an English message id with {placeholders} filled from values (a value may be a Phrase, or a
    tuple of them): str() is the canonical English (the audit log and the command line keep it), shown() the
    run's language.
    """

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**{k: _worded(v, str) for k, v in values.items()}) if values else message)
        self.message, self.values = message, values

    def shown(self) -> str:
        """The message in the run's language, for the page."""
        if not self.values:
            return _(self.message)
        return _(self.message).format(**{k: _worded(v, _) for k, v in self.values.items()})

    def record(self) -> dict[str, object]:
        """The failure as the audit log keeps it: the English, and the message id with its values to say it in
        the reader's language."""
        values = {k: _stored(v) for k, v in self.values.items()}
        return {"error": str(self), "message": self.message, "values": values}


@dataclass(frozen=True)
class RowLoss:
    """A table the load would leave with fewer rows than it has now."""

    table: str
    now: int
    after: int

    @property
    def share(self) -> float:
        return (self.now - self.after) / self.now

    def phrase(self) -> Phrase:
        """The loss as words to translate."""
        return Phrase(
            N_("{table}: {now} rows now, {after} after the load ({share} fewer)"),
            {"table": self.table, "now": f"{self.now:,}", "after": f"{self.after:,}", "share": f"{self.share:.0%}"},
        )

    def describe(self, gettext: Callable[[str], str] = str) -> str:
        """The loss as a line; gettext=_ for the page's language (the audit log keeps the English)."""
        return str(_worded(self.phrase(), gettext))


class LoadRefused(LoadError):
    """The load would empty a required table, or lose too many rows; the database was left unchanged.

    forceable: an admin may confirm the load (only row losses can be confirmed, never an empty required table).
    """

    def __init__(self, message: str, losses: list[RowLoss], forceable: bool, **values: object) -> None:
        super().__init__(message, **values)
        self.losses = losses
        self.forceable = forceable


@dataclass(frozen=True)
class ExportFile:
    """One export file, on disk or uploaded."""

    name: str
    data: Path | bytes

    @property
    def is_parquet(self) -> bool:
        return self.name.lower().endswith(".parquet")


@dataclass
class LoadReport:
    load_id: int
    files: list[str]
    rows_read: dict[str, int]
    rows_loaded: dict[str, int]
    rejects: pl.DataFrame
    ignored_files: list[str] = field(default_factory=list)
    # Tables that lost more rows than allowed, loaded because the admin confirmed it.
    confirmed_losses: list[RowLoss] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return sum(self.rows_read.values()) - sum(self.rows_loaded.values())

    def summary(self) -> str:
        """The report as text in the run's language: rows per table, then every rejected cell."""
        lines = [
            ngettext("Load {load_id}: {count} file.", "Load {load_id}: {count} files.", len(self.files)).format(
                load_id=self.load_id, count=len(self.files)
            )
        ]
        for table in EXPORTS:
            read, loaded = self.rows_read.get(table, 0), self.rows_loaded.get(table, 0)
            line = (
                _("{loaded} loaded of {read} read, {rejected} rejected")
                if read > loaded
                else _("{loaded} loaded of {read} read")
            )
            counts = line.format(loaded=f"{loaded:>10,}", read=f"{read:,}", rejected=f"{read - loaded:,}")
            lines.append(f"  {table:<13} {counts}")
        lines.extend(
            "  " + _("ignored: {file} (no table of that name)").format(file=name) for name in self.ignored_files
        )
        lines.extend("  " + _("confirmed loss: {loss}").format(loss=loss.describe(_)) for loss in self.confirmed_losses)
        if self.rejects.height:
            lines.append(_("Rejected rows ({count}):").format(count=f"{self.rows_rejected:,}"))
            lines.extend(describe_reject(row, _) for row in self.rejects.iter_rows(named=True))
        return "\n".join(lines)


def describe_reject(reject: dict, gettext: Callable[[str], str] = str) -> str:
    """One rejected cell as a line: where, which row, which column, what is wrong (gettext=_: the run's language)."""
    return "  " + str(_worded(reject_phrase(reject), gettext))


def reject_phrase(reject: dict) -> Phrase:
    """One rejected cell as words to translate, its reason among them."""
    where = N_("row {line}") if reject["file"].lower().endswith(".parquet") else N_("line {line}")
    return Phrase(
        N_("{file} {where}{key} {column}: {reason}"),
        {
            "file": reject["file"],
            "where": Phrase(where, {"line": reject["line"]}),
            "key": f" [{reject['row_key']}]" if reject["row_key"] else "",
            "column": reject["column_name"],
            "reason": reason_phrase(reject["reason"]),
        },
    )


def table_for(file_name: str) -> str | None:
    """The contract table a file belongs to: `orders.csv` and `orders_2025.parquet` both hold orders."""
    stem, suffix = Path(file_name).stem.lower(), Path(file_name).suffix.lower()
    if suffix not in SUFFIXES:
        return None
    for table in EXPORTS:
        if stem == table or stem.startswith(table + "_"):
            return table
    return None


def folder_files(folder: Path) -> list[ExportFile]:
    """The export files of a folder, in name order."""
    if not folder.is_dir():
        raise LoadError(N_("{folder}: no such folder"), folder=folder)
    return [ExportFile(p.name, p) for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES]


# --- reading -------------------------------------------------------------------------


def _utf8(raw: bytes, file_name: str) -> bytes:
    """The file's bytes as UTF-8: UTF-8 (with or without BOM) as is, GBK/GB18030 converted."""
    if raw.isascii():
        return raw
    try:
        raw.decode("utf-8")
        return raw
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030").encode()
    except UnicodeDecodeError:
        raise LoadError(N_("{file}: unknown encoding (expected UTF-8 or GBK/GB18030)"), file=file_name) from None


def _read_csv(file: ExportFile) -> pl.DataFrame:
    raw = file.data.read_bytes() if isinstance(file.data, Path) else file.data
    text = _utf8(raw, file.name)
    # Polars reads a file it maps itself faster than bytes handed to it.
    source = file.data if text is raw and isinstance(file.data, Path) else io.BytesIO(text)
    try:
        return pl.read_csv(source, infer_schema=False)
    except pl.exceptions.NoDataError:
        raise LoadError(N_("{file}: the file is empty"), file=file.name) from None
    except pl.exceptions.PolarsError as error:
        raise LoadError(N_("{file}: cannot be read as CSV: {error}"), file=file.name, error=error) from None


def _read_parquet(file: ExportFile) -> pl.DataFrame:
    source = file.data if isinstance(file.data, Path) else io.BytesIO(file.data)
    try:
        return pl.read_parquet(source)
    except Exception as error:  # Polars raises several kinds for a damaged file
        raise LoadError(N_("{file}: cannot be read as Parquet: {error}"), file=file.name, error=error) from None


def _plain(dtype: pl.DataType) -> bool:
    """A column type a contract column can be read from: text, a number, a yes/no, a date or a timestamp.

    Lists, structs, durations, times and binary data are not: turned into text they would load as
    '{…}' or '[…]', or stop the load with an error nobody can read.
    """
    return (
        dtype in (pl.String, pl.Boolean, pl.Date, pl.Null, pl.Categorical)
        or dtype.is_numeric()
        or isinstance(dtype, pl.Datetime | pl.Enum)
    )


def _normal(header: str) -> str:
    return header.replace("\ufeff", "").strip().strip('"').strip().lower()


def header_map(headers: list[str], table: Table, file_name: str) -> dict[str, str]:
    """Canonical column -> the file's header for it; a missing required column stops the load."""
    by_normal: dict[str, str] = {}
    for header in headers:
        by_normal.setdefault(_normal(header), header)
    found: dict[str, str] = {}
    used: set[str] = set()
    for column in table.columns:
        for candidate in (column.name, *column.aliases):
            header = by_normal.get(candidate.lower())
            if header is not None and header not in used:
                found[column.name] = header
                used.add(header)
                break
    missing = [c.name for c in table.columns if c.required and c.name not in found]
    if missing:
        names = Joined(
            tuple(
                Phrase(
                    N_("{column} (or {aliases})"), {"column": name, "aliases": " / ".join(table.column(name).aliases)}
                )
                if table.column(name).aliases
                else name
                for name in missing
            ),
            ", ",
        )
        raise LoadError(
            N_("{file}: missing required column {columns} for table {table}"),
            file=file_name,
            columns=names,
            table=table.name,
        )
    return found


def read_export(file: ExportFile, table: Table) -> tuple[pl.DataFrame, dict[str, str]]:
    """A file's rows with its columns renamed RAW+canonical, and the headers it used."""
    frame = _read_parquet(file) if file.is_parquet else _read_csv(file)
    headers = header_map(frame.columns, table, file.name)
    for name, header in headers.items():
        if not _plain(frame.schema[header]):
            raise LoadError(
                N_("{file}: column {header} holds {dtype} values; {column} of {table} must be plain {kind} values"),
                file=file.name,
                header=header,
                dtype=frame.schema[header],
                column=name,
                table=table.name,
                kind=table.column(name).kind,
            )
    first_line = 1 if file.is_parquet else 2
    columns = [
        pl.col(headers[c.name]).alias(RAW + c.name)
        if c.name in headers
        else pl.lit(None, pl.String).alias(RAW + c.name)
        for c in table.columns
    ]
    # A blank line (or a row of empty cells) is not a row: skipped, the line numbers of the rest kept.
    blank = pl.all_horizontal(pl.col(name).is_null() for name in frame.columns)
    frame = frame.select(
        *columns,
        pl.lit(file.name).alias("_file"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + first_line).alias("_line"),
        blank.alias("_blank"),
    )
    return frame.filter(~pl.col("_blank")).drop("_blank"), headers


def _union(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """The files of one table as one frame; a column typed differently across files becomes contract text."""
    mixed = [name for name in frames[0].columns if len({frame.schema[name] for frame in frames}) > 1]

    def as_text(name: str, dtype: pl.DataType) -> pl.Expr:
        if isinstance(dtype, pl.Datetime):
            return pl.col(name).dt.to_string("%Y-%m-%d %H:%M:%S")
        return pl.col(name).cast(pl.String)

    return pl.concat(
        [frame.with_columns(as_text(name, frame.schema[name]) for name in mixed) for frame in frames],
        how="vertical_relaxed",
    )


# --- parsing and checks ----------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A rule: rows where `bad` holds are rejected, naming `column` and saying `message`."""

    column: str
    bad: pl.Expr
    message: pl.Expr


def _text(raw: pl.Expr) -> pl.Expr:
    stripped = raw.cast(pl.String).str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def _parse(column: Column, dtype: pl.DataType) -> pl.Expr:
    """The expression turning the raw column into the contract's type (null where it fails)."""
    raw = pl.col(RAW + column.name)
    kind = column.kind
    if kind == "date" and dtype.is_temporal():
        return raw.cast(pl.Date)
    if kind == "timestamp" and dtype.is_temporal():
        return raw.cast(pl.Datetime("us"))
    if kind == "decimal" and dtype.is_numeric():
        return raw.cast(pl.Float64)
    if kind == "integer" and dtype.is_integer():
        return raw.cast(pl.Int64)
    if kind == "bool" and dtype == pl.Boolean:
        return raw
    text = _text(raw)
    if kind == "date":
        # Excel-made exports often write a date as midnight.
        day = text.str.replace_all("/", "-").str.replace(r"\s+0?0:00(:00)?$", "")
        # The year has four digits: `24/1/5` is not year 24.
        return pl.when(day.str.contains(r"^\d{4}-")).then(day.str.to_date("%Y-%m-%d", strict=False))
    if kind == "timestamp":
        normal = text.str.replace_all("/", "-").str.replace("T", " ")
        return pl.when(normal.str.contains(r"^\d{4}-")).then(
            pl.coalesce(
                normal.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"),
                normal.str.to_datetime("%Y-%m-%d %H:%M", strict=False, time_unit="us"),
            )
        )
    if kind == "decimal":
        number = text.str.replace_all(",", "").cast(pl.Float64, strict=False)
        return pl.when(number.is_finite()).then(number)
    if kind == "integer":
        number = text.cast(pl.Float64, strict=False)
        return pl.when(number == number.round()).then(number.cast(pl.Int64, strict=False))
    if kind == "bool":
        return text.str.to_lowercase().replace_strict(BOOL_VALUES, default=None, return_dtype=pl.Boolean)
    if kind == "tier":
        tier = text.str.to_uppercase().str.replace(r"\s*(类|级)(客户)?$", "")
        return pl.when(tier.is_in(TIERS)).then(tier)
    if kind == "signs":
        # Codes in the contract's order, each once; a cell naming an unknown sign is rejected.
        order = {code: str(n) for n, code in enumerate(column.choices)}
        codes = _sign_parts(text).list.eval(pl.element().replace_strict(_sign_mapping(column), default=None))
        known = codes.list.eval(pl.element().replace_strict(order, default=None).drop_nulls().unique().sort())
        joined = known.list.eval(pl.element().replace_strict({v: k for k, v in order.items()})).list.join(";")
        return pl.when(codes.list.drop_nulls().list.len() == codes.list.len()).then(
            pl.when(joined.str.len_bytes() > 0).then(joined)
        )
    if kind == "choice":
        lowered = text.str.to_lowercase()
        mapping = {v: v for v in column.choices} | CHOICE_ALIASES.get(column.name, {})
        return lowered.replace_strict(mapping, default=None, return_dtype=pl.String)
    return text


def _sign_parts(text: pl.Expr) -> pl.Expr:
    """A `;`-separated cell (full-width `；` too) as its trimmed, lower-cased, non-empty parts."""
    return (
        text.str.replace_all("；", ";")
        .str.split(";")
        .list.eval(pl.element().str.strip_chars().str.to_lowercase())
        .list.eval(pl.element().filter(pl.element().str.len_bytes() > 0))
    )


def _sign_mapping(column: Column) -> dict[str, str]:
    return {v: v for v in column.choices} | CHOICE_ALIASES.get(column.name, {})


# --- reject reasons ----------------------------------------------------------------------
# load_rejects.reason keeps the canonical English of one of these (its placeholders filled in);
# reason_shown finds which one a stored reason is and says it in the run's language.
MISSING_VALUE = N_("missing value")
NOT_ONE_OF = N_("'{value}' is not one of {choices}")
NOT_ONE_SIGN = N_("'{value}' is not one of {choices} (or their Chinese names)")
NOT_FOUND = N_("'{value}' not found in {table}")
# The referenced row was in its file but rejected: its own rejection is the cause to read.
REJECTED_LINE = N_("'{value}' of {table} was rejected ({file} line {line})")
REJECTED_ROW = N_("'{value}' of {table} was rejected ({file} row {line})")
DUPLICATE = N_("duplicate key; the first row was kept")
_FORMAT_HINT = {
    "date": N_("'{value}' is not a date (YYYY-MM-DD or YYYY/M/D)"),
    "timestamp": N_("'{value}' is not a timestamp (YYYY-MM-DD HH:MM[:SS])"),
    "decimal": N_("'{value}' is not a number"),
    "integer": N_("'{value}' is not a whole number"),
    "bool": N_("'{value}' is not yes/no (true/false, 1/0, yes/no, 是/否)"),
    "tier": N_("'{value}' is not a tier (A, B or C)"),
}
CHURN_REASON_REQUIRED = N_("required when churned_on is set")
NEGATIVE = N_("{value} is negative")
SAME_TIER = N_("same as from_tier")
IN_FUTURE = N_("{value} is in the future")
BEFORE_OPENED = N_("is before opened_at")
OUTSIDE_SCORE = N_("{value} is outside 1–5")
OUTSIDE_NPS = N_("{value} is outside 0–10")
NOT_POSITIVE = N_("must be greater than 0")
IS_NEGATIVE = N_("must not be negative")
# (kam.store.schema.SHARED_EMAIL, by which kam.people.users finds these warnings, is its end.)
SHARED = N_("'{value}' shared by several managers; dropped from each of them (single sign-on never guesses)")
# The longer of two that start alike first, so that each stored reason matches its own.
REASONS = (
    MISSING_VALUE,
    NOT_ONE_SIGN,
    NOT_ONE_OF,
    NOT_FOUND,
    REJECTED_LINE,
    REJECTED_ROW,
    DUPLICATE,
    *_FORMAT_HINT.values(),
    CHURN_REASON_REQUIRED,
    NEGATIVE,
    SAME_TIER,
    IN_FUTURE,
    BEFORE_OPENED,
    OUTSIDE_SCORE,
    OUTSIDE_NPS,
    NOT_POSITIVE,
    IS_NEGATIVE,
    SHARED,
)


def _pattern(reason: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", reason)
    text = "".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.*)" for n, part in enumerate(parts))
    return re.compile(f"^{text}$", re.DOTALL)


_PATTERNS = [(reason, _pattern(reason)) for reason in REASONS]


def reason_text(reason: str, value: pl.Expr | None = None, **values: str) -> pl.Expr:
    """The stored reason: the canonical English of reason, {value} taken from the rejected cell."""
    # Neither the reasons nor the choices and table names filled in hold a brace of their own.
    text = reason.format(value="\0", **values)
    return pl.lit(text) if value is None else pl.format(text.replace("\0", "{}"), value)


def reason_shown(stored: str | None) -> str | None:
    """A stored reject reason in the run's language (as stored when it is none of REASONS)."""
    if stored is None:
        return None
    return str(_worded(reason_phrase(stored), _))


def reason_phrase(stored: str) -> Phrase | str:
    """A stored reject reason as the words of REASONS it is, with its values (as stored when it is none)."""
    for reason, pattern in _PATTERNS:
        if found := pattern.match(stored):
            return Phrase(reason, found.groupdict())
    return stored


def _cell_checks(column: Column, dtype: pl.DataType) -> list[Check]:
    raw = _text(pl.col(RAW + column.name))
    value = pl.col(column.name)
    # A typed (Parquet) column is present when not null; turning it into text would cost seconds.
    present = raw.is_not_null() if dtype == pl.String else pl.col(RAW + column.name).is_not_null()
    checks = []
    if column.required:
        checks.append(Check(column.name, ~present, reason_text(MISSING_VALUE)))
    if column.kind == "signs":
        unknown = _sign_parts(raw).list.eval(pl.element().filter(~pl.element().is_in(list(_sign_mapping(column)))))
        checks.append(
            Check(
                column.name,
                unknown.list.len() > 0,
                reason_text(NOT_ONE_SIGN, unknown.list.first(), choices=", ".join(column.choices)),
            )
        )
    elif column.kind != "text":
        hint = _FORMAT_HINT.get(column.kind) or NOT_ONE_OF
        reason = reason_text(hint, raw, choices=", ".join(column.choices or ()))
        checks.append(Check(column.name, present & value.is_null(), reason))
    return checks


def _rule_checks(table: Table, today: date) -> list[Check]:
    """The contract's rules that relate a column to a bound or to another column."""
    c = pl.col
    rules: dict[str, list[Check]] = {
        "accounts": [
            Check(
                "churn_reason",
                c("churned_on").is_not_null() & c("churn_reason").is_null() & _text(c(RAW + "churn_reason")).is_null(),
                reason_text(CHURN_REASON_REQUIRED),
            ),
            Check("credit_limit", c("credit_limit") < 0, reason_text(NEGATIVE, c("credit_limit"))),
            Check("credit_term_days", c("credit_term_days") < 0, reason_text(NEGATIVE, c("credit_term_days"))),
        ],
        "tier_changes": [Check("to_tier", c("from_tier") == c("to_tier"), reason_text(SAME_TIER))],
        "orders": [Check("amount", c("amount") < 0, reason_text(NEGATIVE, c("amount")))],
        "visits": [
            Check(
                "visit_date",
                c("visit_date") > pl.lit(today),
                reason_text(IN_FUTURE, c("visit_date")),
            )
        ],
        "complaints": [
            Check(name, c(name) < c("opened_at"), reason_text(BEFORE_OPENED))
            for name in ("first_response_at", "resolved_at")
        ],
        "surveys": [
            Check("score", ~c("score").is_between(1, 5), reason_text(OUTSIDE_SCORE, c("score"))),
            Check("nps", ~c("nps").is_between(0, 10), reason_text(OUTSIDE_NPS, c("nps"))),
        ],
        "targets": [
            Check("revenue_target", c("revenue_target") <= 0, reason_text(NOT_POSITIVE)),
            Check("visit_target", c("visit_target") < 0, reason_text(IS_NEGATIVE)),
        ],
    }
    return rules.get(table.name, [])


def _key_expr(table: Table) -> pl.Expr:
    if not table.key:
        return pl.lit(None, pl.String)
    return pl.concat_str([_text(pl.col(RAW + k)) for k in table.key], separator="/")


def _reference_checks(
    table: Table, known: dict[str, pl.Series], rejected: dict[str, pl.DataFrame] | None = None
) -> list[Check]:
    """A reference to a row that is not there; to one its file had but that was rejected, said so, with where."""
    checks = []
    for column, target in table.references:
        value = pl.col(column)
        dropped = (rejected or {}).get(target)
        if dropped is None or dropped.height == 0:
            gone = pl.lit(False)
        else:
            keys = dropped["key"].to_list()
            gone = value.is_in(pl.Series(keys, dtype=pl.String).implode())
            file = value.replace_strict(keys, dropped["file"].to_list(), default=None, return_dtype=pl.String)
            line = value.replace_strict(keys, dropped["line"].to_list(), default=None, return_dtype=pl.Int64)
            where = {
                name: reason.format(value="{}", table=target, file="{}", line="{}")
                for name, reason in (("line", REJECTED_LINE), ("row", REJECTED_ROW))
            }
            message = (
                pl.when(file.str.to_lowercase().str.ends_with(".parquet"))
                .then(pl.format(where["row"], value, file, line))
                .otherwise(pl.format(where["line"], value, file, line))
            )
            checks.append(Check(column, value.is_not_null() & gone, message))
        checks.append(
            Check(
                column,
                value.is_not_null() & ~value.is_in(known[target].implode()) & ~gone,
                reason_text(NOT_FOUND, value, table=target),
            )
        )
    return checks


def _rejected_keys(table: Table, good: pl.DataFrame, rejects: pl.DataFrame) -> pl.DataFrame:
    """The keys of a table's rejected rows that no loaded row has, each with its first file and line."""
    lost = rejects.filter(pl.col("row_key").is_not_null())
    if not lost.is_empty():
        # From the few rejected rows: a lookup among the table's keys costs a set of every key (5 million
        # orders), which most loads, without a rejected row, need not build at all.
        lost = lost.join(good.select(pl.col(table.key[0]).alias("row_key")), on="row_key", how="anti")
    return (
        lost.sort("file", "line")
        .unique("row_key", keep="first", maintain_order=True)
        .select(pl.col("row_key").alias("key"), "file", "line")
    )


def check_table(
    table: Table,
    raw: pl.DataFrame,
    known: dict[str, pl.Series],
    today: date,
    rejected: dict[str, pl.DataFrame] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split a table's rows into the good ones (contract types) and the rejected cells; rejected: the keys of
    the rows other tables lost, which a reference to them names as the cause."""
    parsed = raw.with_columns(_parse(c, raw.schema[RAW + c.name]).alias(c.name) for c in table.columns)
    checks = [check for c in table.columns for check in _cell_checks(c, raw.schema[RAW + c.name])]
    if table.key:
        key_cols = [pl.col(k) for k in table.key]
        first = (pl.struct(key_cols) if len(key_cols) > 1 else key_cols[0]).is_first_distinct()
        parsed = parsed.with_columns(_duplicate=~first & pl.all_horizontal(k.is_not_null() for k in key_cols))
        checks.append(Check(table.key[-1], pl.col("_duplicate"), reason_text(DUPLICATE)))
    checks += _rule_checks(table, today) + _reference_checks(table, known, rejected)

    bad = pl.any_horizontal(check.bad.fill_null(False) for check in checks)
    parsed = parsed.with_columns(_bad=bad)
    rejected = parsed.filter(pl.col("_bad"))
    rejects = pl.concat(
        [
            rejected.filter(check.bad.fill_null(False)).select(
                pl.lit(table.name).alias("table_name"),
                pl.col("_file").alias("file"),
                pl.col("_line").alias("line"),
                _key_expr(table).alias("row_key"),
                pl.lit(check.column).alias("column_name"),
                check.message.cast(pl.String).alias("reason"),
            )
            for check in checks
        ],
        how="vertical",
    ).sort("file", "line", maintain_order=True)

    good = parsed.filter(~pl.col("_bad"))
    good = good.with_columns(pl.col(c.name).fill_null(c.default) for c in table.columns if c.default is not None)
    if table.name == "managers":
        good, shared = _drop_shared_emails(good)
        rejects = pl.concat([rejects, shared.cast(rejects.schema)]).sort("file", "line", maintain_order=True)
    if table.name == "tier_changes":
        good = good.sort("changed_on", maintain_order=True).with_columns(seq=pl.int_range(pl.len(), dtype=pl.Int64))
    keep = [c.name for c in table.columns] + (["seq"] if table.name == "tier_changes" else [])
    return good.select(keep), rejects.cast(REJECT_SCHEMA)


def _drop_shared_emails(managers: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Managers with an e-mail no other manager has; each row that shared one, as a warning.

    The rows still load, without the e-mail, so single sign-on cannot map a person to the wrong manager.
    """
    email = pl.col("email").str.strip_chars().str.to_lowercase()
    shared = email.is_not_null() & (pl.len().over(email) > 1)
    warnings = managers.filter(shared).select(
        pl.lit("managers").alias("table_name"),
        pl.col("_file").alias("file"),
        pl.col("_line").alias("line"),
        _key_expr(MANAGERS).alias("row_key"),
        pl.lit("email").alias("column_name"),
        reason_text(SHARED, pl.col("email")).alias("reason"),
    )
    return managers.with_columns(email=pl.when(~shared).then(pl.col("email"))), warnings


# --- the load --------------------------------------------------------------------------


def prepare(
    files: list[ExportFile], today: date
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame, dict[str, int], list[str]]:
    """Read and check every file; raise LoadError if any cannot be read."""
    by_table: dict[str, list[ExportFile]] = {name: [] for name in EXPORTS}
    ignored = []
    for file in files:
        name = table_for(file.name)
        if name is None:
            ignored.append(file.name)
        else:
            by_table[name].append(file)

    for table in EXPORT_TABLES:
        if table.required_file and not by_table[table.name] and ignored:
            # A file named otherwise ("accounts (1).csv", a browser's second download) is the likely one.
            raise LoadError(
                N_(
                    "no {table} file ({table}.csv or {table}.parquet) among the exports; not read, as no table "
                    "has their name: {ignored}"
                ),
                table=table.name,
                ignored=", ".join(ignored),
            )
        if table.required_file and not by_table[table.name]:
            raise LoadError(N_("no {table} file ({table}.csv or {table}.parquet) among the exports"), table=table.name)

    good: dict[str, pl.DataFrame] = {}
    rejects: list[pl.DataFrame] = []
    read: dict[str, int] = {}
    labels: dict[tuple[str, str], str] = {}
    known: dict[str, pl.Series] = {}
    dropped: dict[str, pl.DataFrame] = {}
    for table in EXPORT_TABLES:
        frames = []
        for file in sorted(by_table[table.name], key=lambda f: f.name):
            frame, headers = read_export(file, table)
            frames.append(frame)
            labels.update({(file.name, c): h for c, h in headers.items() if _normal(h) != c})
        raw = _union(frames) if frames else _empty_raw(table)
        if table.required_file and raw.height == 0:
            raise LoadError(
                N_("{files}: no rows; {table} is required"),
                files=", ".join(f.name for f in by_table[table.name]),
                table=table.name,
            )
        read[table.name] = raw.height
        good[table.name], bad = check_table(table, raw, known, today, dropped)
        rejects.append(bad)
        if len(table.key) == 1:
            known[table.name] = good[table.name].get_column(table.key[0])
            dropped[table.name] = _rejected_keys(table, good[table.name], bad)

    all_rejects = pl.concat(rejects)
    if labels:
        # Name the column as the file does, when the file uses a Chinese or other header.
        all_rejects = all_rejects.with_columns(
            each_said(
                all_rejects.select(pl.struct("file", "column_name")).to_series(), lambda r: _label(labels, r)
            ).alias("column_name")
        )
    return good, all_rejects, read, ignored


def _label(labels: dict[tuple[str, str], str], reject: dict) -> str:
    header = labels.get((reject["file"], reject["column_name"]))
    return f"{reject['column_name']} ({header})" if header else reject["column_name"]


def _empty_raw(table: Table) -> pl.DataFrame:
    return pl.DataFrame(
        {RAW + c.name: pl.Series([], dtype=pl.String) for c in table.columns}
        | {"_file": pl.Series([], dtype=pl.String), "_line": pl.Series([], dtype=pl.Int64)}
    )


def _empty_required(good: dict[str, pl.DataFrame], read: dict[str, int], rejects: pl.DataFrame) -> Joined | None:
    """What is wrong when a required table would have no row, with its first rejected cells: words to translate,
    a table and its cells one under the other."""
    empty = [t.name for t in EXPORT_TABLES if t.required_file and good[t.name].height == 0]
    parts = []
    for name in empty:
        first = rejects.filter(table_name=name).head(3)
        said = Phrase(N_("{table}: none of its {rows} rows is usable"), {"table": name, "rows": f"{read[name]:,}"})
        parts.append(Joined((said, *(reject_phrase(row) for row in first.iter_rows(named=True))), "\n  "))
    return Joined(tuple(parts), "\n") if parts else None


def row_losses(con: duckdb.DuckDBPyConnection, good: dict[str, pl.DataFrame], max_loss: float) -> list[RowLoss]:
    """The tables this load would leave with more than max_loss of their current rows gone.

    Nothing counts as a loss while the current data is the bundled demo data.
    """
    latest = db.scalar(con, "SELECT loaded_by FROM load_history ORDER BY load_id DESC LIMIT 1")
    if latest == DEMO_LOADER:
        return []
    losses = []
    for table in EXPORT_TABLES:
        # The table name comes from the fixed contract in kam.store.schema, never from input.
        now = db.scalar(con, f"SELECT count(*) FROM {table.table}")
        loss = RowLoss(table.name, now, good[table.name].height)
        if now and loss.share > max_loss:
            losses.append(loss)
    return losses


def load(
    con: duckdb.DuckDBPyConnection,
    files: list[ExportFile],
    source: str,
    today: date | None = None,
    loaded_by: str | None = None,
    force: bool = False,
    also: Callable[[duckdb.DuckDBPyConnection, LoadReport], None] | None = None,
) -> LoadReport:
    """Build a new exports file from these files beside con's database, publish it and switch con to it.

    Refused (LoadRefused) when a required table would have no row, or when a table would lose
    more than the configured share of its rows, unless force (the admin confirmed).
    also(cursor, report), when given, runs in the app database's write that switches to the new
    file, with the load's audit row.
    """
    folder = exports.folder_for(exports.app_path(con))
    report = build(folder, files, source, today=today, loaded_by=loaded_by, force=force)

    def on_load(cur: duckdb.DuckDBPyConnection, row: dict) -> None:
        if also is not None and row["load_id"] == report.load_id:
            also(cur, report)

    exports.follow(con, on_load=on_load)
    return report


def build(
    folder: Path,
    files: list[ExportFile],
    source: str,
    today: date | None = None,
    loaded_by: str | None = None,
    force: bool = False,
) -> LoadReport:
    """Write the good rows of these files, and the record of every load so far, into a new exports file and publish it.

    Never opens the app's database: it runs while the dashboard serves. The file is built under a
    temporary name; until the pointer moves (the last step) nothing anyone reads has changed.
    """
    good, rejects, read, ignored = prepare(files, today or date.today())
    names = [f.name for f in files if f.name not in ignored]
    if empty := _empty_required(good, read, rejects):
        raise LoadRefused(N_("a required table would be empty; {tables}"), [], forceable=False, tables=empty)
    max_loss = settings().max_row_loss
    with exports.load_lock(folder):
        previous = exports.published(folder)
        with duckdb.connect(str(previous) if previous else ":memory:", read_only=previous is not None) as old:
            if previous is None:
                exports.create_tables(old)
            losses = row_losses(old, good, max_loss)
            load_id = db.scalar(old, "SELECT coalesce(max(load_id), 0) + 1 FROM load_history")
        if losses and not force:
            raise LoadRefused(
                N_("the load would lose more than {share} of the rows of {tables}"),
                losses,
                forceable=True,
                share=f"{max_loss:.0%}",
                tables=Joined(tuple(loss.phrase() for loss in losses), "; "),
            )
        report = LoadReport(
            load_id=load_id,
            files=names,
            rows_read=read,
            rows_loaded={name: frame.height for name, frame in good.items()},
            rejects=rejects,
            ignored_files=ignored,
            confirmed_losses=losses,
        )

        def fill(new: duckdb.DuckDBPyConnection) -> None:
            if previous is not None:
                exports.attach(new, previous, "previous")
                for table in LOAD_RECORD_TABLES:
                    new.execute(f"INSERT INTO {table} BY NAME SELECT * FROM previous.main.{table}")
                new.execute("DETACH previous")
            for table in EXPORT_TABLES:
                _replace(new, table, good[table.name])
            for statement in FILL_SUMMARIES:
                new.execute(statement)
            _record(new, report, source, loaded_by)

        exports.write_file(folder, load_id, fill)
    return report


def _record(con: duckdb.DuckDBPyConnection, report: LoadReport, source: str, loaded_by: str | None) -> None:
    """The load's row in load_history and its rejected cells, in its own exports file."""
    # The date the exports run to, from the tables just written into this file.
    db.execute(
        con,
        f"""
        INSERT INTO load_history (load_id, loaded_at, source, files, rows_read, rows_loaded, rows_rejected,
                                  loaded_by, confirmed_losses, data_to)
        VALUES ($load_id, $loaded_at, $source, $files, $read, $loaded, $rejected, $loaded_by, $losses,
                ({EXPORTS_RUN_TO}))
        """,
        {
            "load_id": report.load_id,
            "loaded_at": datetime.now(),
            "source": source,
            "files": report.files,
            "read": sum(report.rows_read.values()),
            "loaded": sum(report.rows_loaded.values()),
            "rejected": report.rows_rejected,
            "loaded_by": loaded_by,
            "losses": [loss.describe() for loss in report.confirmed_losses],
        },
    )
    incoming_rejects = report.rejects.with_columns(load_id=pl.lit(report.load_id, pl.Int64))
    con.register("incoming_rejects", incoming_rejects)
    con.execute(
        """
        INSERT INTO load_rejects
        SELECT load_id, table_name, file, line, row_key, column_name, reason
        FROM incoming_rejects
        """
    )
    con.unregister("incoming_rejects")


def _replace(con: duckdb.DuckDBPyConnection, table: Table, frame: pl.DataFrame) -> None:
    # Table and column names come from the fixed contract in kam.store.schema, never from input.
    columns = ", ".join(frame.columns)
    con.register("incoming", frame)
    con.execute(f"INSERT INTO {table.table} ({columns}) SELECT {columns} FROM incoming")
    con.unregister("incoming")


def load_folder(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    today: date | None = None,
    loaded_by: str | None = None,
    force: bool = False,
    also: Callable[[duckdb.DuckDBPyConnection, LoadReport], None] | None = None,
) -> LoadReport:
    """Load every export file of a folder (force and also: as for load)."""
    return load(con, folder_files(folder), source=str(folder), today=today, loaded_by=loaded_by, force=force, also=also)


def history(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every load, newest first; its files as one text (accounts.csv, orders.csv, …)."""
    return db.query(
        con,
        """
        SELECT load_id, loaded_at, source, array_to_string(files, ', ') AS files, rows_read, rows_loaded,
               rows_rejected, loaded_by
        FROM load_history
        ORDER BY load_id DESC
        """,
    )


def history_shown(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every load, newest first, with the refused ones of the audit log among them (no load id, no rows; why,
    in the run's language); `outcome` says which a load is."""
    landed = history(con).with_columns(
        outcome=pl.lit(pgettext("load outcome", "Loaded")), reason=pl.lit(None, pl.String)
    )
    failed = db.query(
        con,
        """
        SELECT happened_at AS loaded_at, target AS source, username AS loaded_by, after
        FROM audit_log
        WHERE action = 'load.failed'
        """,
    )
    reasons = [changes.worded(_refusal(after)) for after in failed["after"]]
    refused = failed.drop("after").with_columns(
        outcome=pl.lit(pgettext("load outcome", "Refused")), reason=pl.Series(reasons, dtype=pl.String)
    )
    both = pl.concat([landed, refused], how="diagonal_relaxed")
    # In the order the admin reads a load by: when, how it went, its rows, who, and why it was refused; then where
    # its files came from.
    return both.sort("loaded_at", descending=True, maintain_order=True).select(
        "load_id",
        "loaded_at",
        "outcome",
        "rows_loaded",
        "rows_rejected",
        "loaded_by",
        "reason",
        "source",
        "files",
        "rows_read",
    )


def _refusal(after: str | None) -> object:
    """A refused load's stored record as kam.present.changes.worded reads it: its message, or its English."""
    try:
        stored = json.loads(after or "{}")
    except ValueError:
        return after or ""
    if not isinstance(stored, dict):
        return str(stored)
    return stored if "message" in stored else str(stored.get("error", ""))


def rejects_of(con: duckdb.DuckDBPyConnection, load_id: int) -> pl.DataFrame:
    """The rejected cells of one load."""
    return db.query(
        con,
        """
        SELECT table_name, file, line, row_key, column_name, reason
        FROM load_rejects
        WHERE load_id = $load_id
        ORDER BY file, line
        """,
        {"load_id": load_id},
    )


def rejects_shown(con: duckdb.DuckDBPyConnection, load_id: int) -> pl.DataFrame:
    """The rejected cells of one load, each reason in the run's language."""
    rejects = rejects_of(con, load_id)
    return rejects.with_columns(each_said(rejects.get_column("reason"), reason_shown))
