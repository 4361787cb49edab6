"""The export tables of docs/DATA_CONTRACT.md and the database tables that hold them."""

from __future__ import annotations

from dataclasses import dataclass

from kam.vocabulary import CHANNELS, CHURN_REASONS, REVIEW_FIGURES, SEVERITIES, WARNING_SIGN_TERMS, WARNING_SIGNS

# The Chinese name of each warning sign, which exports may use instead of its code.
WARNING_SIGN_NAMES = {term.code: term.zh for term in WARNING_SIGN_TERMS}

SQL_TYPES = {
    "text": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "decimal": "DOUBLE",
    "integer": "BIGINT",
    "bool": "BOOLEAN",
    "tier": "VARCHAR",
    "choice": "VARCHAR",
    # Several choices in one cell, stored as their codes `;`-separated in WARNING_SIGNS order.
    "signs": "VARCHAR",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    default: object = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    storage: str = ""
    required_file: bool = False
    # column -> contract table whose key it must match
    references: tuple[tuple[str, str], ...] = ()

    @property
    def table(self) -> str:
        """The database table the loader replaces with this export."""
        return self.storage or self.name

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


ACCOUNT_ID = ("客户编号", "客户代码", "客户id", "客户号")
MANAGER_ID = ("客户经理编号", "经理编号", "负责人编号", "客户经理", "负责人")

MANAGERS = Table(
    "managers",
    (
        Column(
            "manager_id",
            "text",
            True,
            ("客户经理编号", "经理编号", "员工编号", "工号", "客户经理"),
        ),
        Column("name", "text", True, ("姓名", "经理姓名", "客户经理姓名")),
        Column("region", "text", True, ("区域", "所属区域", "大区", "地区")),
        Column("email", "text", aliases=("邮箱", "电子邮件", "电子邮箱", "e-mail")),
        Column("active", "bool", aliases=("在职", "是否在职", "有效", "启用"), default=True),
    ),
    key=("manager_id",),
    required_file=True,
)

ACCOUNTS = Table(
    "accounts",
    (
        Column("account_id", "text", True, ACCOUNT_ID),
        Column("name", "text", True, ("客户名称", "客户名", "名称", "公司名称")),
        Column("industry", "text", aliases=("行业", "所属行业")),
        Column("region", "text", True, ("区域", "所属区域", "大区", "地区")),
        Column("manager_id", "text", True, MANAGER_ID),
        Column("tier", "tier", True, ("客户等级", "等级", "客户级别", "级别", "分级")),
        Column("created_on", "date", True, ("建档日期", "创建日期", "开户日期", "建立日期")),
        Column("churned_on", "date", aliases=("流失日期", "背离日期")),
        Column(
            "churn_reason",
            "choice",
            aliases=("流失原因", "背离原因", "背离类型"),
            choices=CHURN_REASONS,
        ),
        Column("credit_limit", "decimal", aliases=("信用额度", "授信额度")),
        Column("credit_term_days", "integer", aliases=("信用期", "信用期限", "账期", "付款期限")),
    ),
    key=("account_id",),
    required_file=True,
    references=(("manager_id", "managers"),),
)

TIER_CHANGES = Table(
    "tier_changes",
    (
        Column("account_id", "text", True, ACCOUNT_ID),
        Column("changed_on", "date", True, ("变更日期", "调整日期", "升级日期", "日期")),
        Column("from_tier", "tier", True, ("原等级", "变更前等级", "原客户等级")),
        Column("to_tier", "tier", True, ("新等级", "变更后等级", "新客户等级")),
        Column("reason", "text", aliases=("原因", "变更原因", "升级原因")),
    ),
    references=(("account_id", "accounts"),),
)

ORDERS = Table(
    "orders",
    (
        Column("order_id", "text", True, ("订单编号", "订单号", "单号")),
        Column("account_id", "text", True, ACCOUNT_ID),
        Column("order_date", "date", True, ("订单日期", "下单日期", "日期")),
        Column("product", "text", aliases=("产品", "产品名称", "品名")),
        Column("quantity", "decimal", aliases=("数量",)),
        Column("amount", "decimal", True, ("金额", "订单金额", "销售额", "含税金额")),
        Column("due_on", "date", aliases=("应收日期", "到期日", "到期日期", "应付款日期")),
        Column("paid_on", "date", aliases=("回款日期", "付款日期", "收款日期")),
    ),
    key=("order_id",),
    references=(("account_id", "accounts"),),
)

VISITS = Table(
    "visits",
    (
        Column("visit_id", "text", True, ("拜访编号", "拜访记录编号", "记录编号")),
        Column("account_id", "text", True, ACCOUNT_ID),
        Column("manager_id", "text", True, (*MANAGER_ID, "拜访人")),
        Column("visit_date", "date", True, ("拜访日期", "日期")),
        Column("channel", "choice", True, ("拜访方式", "方式", "渠道"), choices=CHANNELS),
        Column("purpose", "text", aliases=("拜访目的", "目的", "步骤")),
        Column("executive", "bool", aliases=("高层拜访", "高层参与"), default=False),
        Column("notes", "text", aliases=("备注", "拜访记录", "记录")),
        Column("next_step", "text", aliases=("下一步", "下一步计划", "后续行动")),
        Column("next_date", "date", aliases=("下次日期", "下次拜访日期", "计划日期")),
        Column(
            "warning_signs",
            "signs",
            aliases=("预警信号", "信用预警信号", "信用恶化信号", "风险信号"),
            choices=WARNING_SIGNS,
        ),
        Column("contact_ids", "text", aliases=("联系人编号", "拜访对象编号")),
    ),
    key=("visit_id",),
    storage="visits_imported",
    references=(("account_id", "accounts"), ("manager_id", "managers")),
)

COMPLAINTS = Table(
    "complaints",
    (
        Column("complaint_id", "text", True, ("投诉编号", "投诉单号")),
        Column("account_id", "text", True, ACCOUNT_ID),
        Column("opened_at", "timestamp", True, ("投诉时间", "受理时间", "登记时间")),
        Column(
            "first_response_at",
            "timestamp",
            aliases=("首次回复时间", "首次响应时间", "回复时间"),
        ),
        Column("resolved_at", "timestamp", aliases=("解决时间", "结案时间", "处理完成时间")),
        Column("category", "text", aliases=("类别", "投诉类别", "投诉类型")),
        Column(
            "severity",
            "choice",
            aliases=("严重程度", "严重性"),
            choices=SEVERITIES,
            default="medium",
        ),
    ),
    key=("complaint_id",),
    references=(("account_id", "accounts"),),
)

SURVEYS = Table(
    "surveys",
    (
        Column("survey_id", "text", True, ("调查编号", "问卷编号")),
        Column("account_id", "text", True, ACCOUNT_ID),
        Column("surveyed_on", "date", True, ("调查日期", "日期")),
        Column("score", "integer", True, ("满意度", "评分", "满意度评分", "得分")),
        Column("nps", "integer", aliases=("推荐度", "推荐意愿", "推荐评分")),
        Column("comment", "text", aliases=("意见", "评价", "备注", "客户意见")),
    ),
    key=("survey_id",),
    references=(("account_id", "accounts"),),
)

CONTACT_LEVELS = ("executive", "manager", "staff")
CONTACT_ROLES = ("decision_maker", "influencer", "user", "other")

CONTACTS = Table(
    "contacts",
    (
        Column("contact_id", "text", True, ("联系人编号", "联系人id")),
        Column("account_id", "text", True, ACCOUNT_ID),
        Column("name", "text", True, ("姓名", "联系人", "联系人姓名")),
        Column("title", "text", aliases=("职务", "职位", "头衔")),
        Column("level", "choice", aliases=("层级", "级别"), choices=CONTACT_LEVELS),
        Column("role", "choice", aliases=("角色", "采购角色"), choices=CONTACT_ROLES),
        Column("phone", "text", aliases=("电话", "手机", "联系电话")),
        Column("email", "text", aliases=("邮箱", "电子邮件", "电子邮箱", "e-mail")),
        Column("notes", "text", aliases=("备注", "性格爱好", "说明")),
        Column("active", "bool", aliases=("有效", "在职", "是否有效"), default=True),
    ),
    key=("contact_id",),
    storage="contacts_imported",
    references=(("account_id", "accounts"),),
)

TARGETS = Table(
    "targets",
    (
        Column("manager_id", "text", True, MANAGER_ID),
        Column("year", "integer", True, ("年度", "年份")),
        Column(
            "revenue_target",
            "decimal",
            True,
            ("销售目标", "收入目标", "目标金额", "销售额目标"),
        ),
        Column("visit_target", "integer", aliases=("拜访目标", "拜访次数目标")),
    ),
    key=("manager_id", "year"),
    references=(("manager_id", "managers"),),
)

# Load order: a table comes after every table it references.
EXPORT_TABLES: tuple[Table, ...] = (
    MANAGERS,
    ACCOUNTS,
    TIER_CHANGES,
    ORDERS,
    CONTACTS,
    VISITS,
    COMPLAINTS,
    SURVEYS,
    TARGETS,
)
EXPORTS = {t.name: t for t in EXPORT_TABLES}


def _create_export_table(table: Table) -> str:
    columns = [f"{c.name} {SQL_TYPES[c.kind]}" for c in table.columns]
    if table.name == "tier_changes":
        # Order of the change among all changes (by date, then file order): breaks same-day ties.
        columns.append("seq BIGINT")
    return f"CREATE TABLE IF NOT EXISTS {table.table} (\n    " + ",\n    ".join(columns) + "\n)"


# Summaries of the exports, built by each load into its exports file with the export tables (so they
# switch with them). Revenue per account and calendar month (month: its first day): the metrics read whole
# months from here and only the days at a period's ends from the orders.
ACCOUNT_MONTH_REVENUE = """
CREATE TABLE IF NOT EXISTS account_month_revenue (
    account_id VARCHAR,
    month DATE,
    revenue DOUBLE
)"""
# The orders (amount above 0) that stay open more than LONG_OPEN_DAYS days: never paid, or paid later.
# Any other order open at D was placed in the LONG_OPEN_DAYS days up to D, a range of the orders that
# their zone maps find, so receivables at D never scan every order (kam.metrics.credit). The number
# changes only how the work is split, never a result.
LONG_OPEN_DAYS = 180
LONG_OPEN_ORDERS = """
CREATE TABLE IF NOT EXISTS long_open_orders (
    order_id VARCHAR,
    account_id VARCHAR,
    order_date DATE,
    amount DOUBLE,
    due_on DATE,
    paid_on DATE
)"""
# A date rather than NULL for the last of a summary's links, so that a filter on it is one comparison the scan applies.
LAST_LINK = "DATE '9999-12-31'"
# Each survey with the score of its account's survey before it and the date of the one after it (by date, then
# survey id; LAST_LINK for the last): an account's latest survey by D is the one on or before D whose next is
# after D, read with a filter instead of ordering every account's surveys (kam.metrics.satisfaction).
SURVEY_LINKS = """
CREATE TABLE IF NOT EXISTS survey_links (
    survey_id VARCHAR,
    account_id VARCHAR,
    surveyed_on DATE,
    score BIGINT,
    comment VARCHAR,
    previous_score BIGINT,
    next_surveyed_on DATE
)"""
# Each imported visit with its account's latest executive visit up to it and the date of the account's next visit
# (by date, then visit id; LAST_LINK for the last): an account's last visit by D is its visit on or before D whose
# next is after D. Stored in the order of the next visit's date, so that reading those rows skips every row group
# of visits long past (kam.metrics.visits).
VISIT_LINKS = """
CREATE TABLE IF NOT EXISTS visit_links (
    account_id VARCHAR,
    visit_date DATE,
    visit_id VARCHAR,
    channel VARCHAR,
    last_executive_visit DATE,
    next_visit_date DATE
)"""
# Each summary's rows from the export tables of {db} (an attached file's "name.main.", or "" for the file's own).
SUMMARY_ROWS = {
    "account_month_revenue": """
        SELECT account_id, CAST(date_trunc('month', order_date) AS DATE) AS month, sum(amount) AS revenue
        FROM {db}orders
        GROUP BY ALL
        ORDER BY month, account_id""",
    "long_open_orders": f"""
        SELECT order_id, account_id, order_date, amount, due_on, paid_on
        FROM {{db}}orders
        WHERE amount > 0 AND (paid_on IS NULL OR paid_on - order_date > {LONG_OPEN_DAYS})""",
    "survey_links": f"""
        SELECT survey_id, account_id, surveyed_on, score, comment,
               lag(score) OVER by_account AS previous_score,
               lead(surveyed_on, 1, {LAST_LINK}) OVER by_account AS next_surveyed_on
        FROM {{db}}surveys
        WINDOW by_account AS (PARTITION BY account_id ORDER BY surveyed_on, survey_id)
        ORDER BY surveyed_on, account_id""",
    "visit_links": f"""
        SELECT account_id, visit_date, visit_id, channel,
               max(CASE WHEN executive THEN visit_date END) OVER (by_account ROWS UNBOUNDED PRECEDING)
                   AS last_executive_visit,
               lead(visit_date, 1, {LAST_LINK}) OVER by_account AS next_visit_date
        FROM {{db}}visits_imported
        WINDOW by_account AS (PARTITION BY account_id ORDER BY visit_date, visit_id)
        ORDER BY next_visit_date, account_id""",
}
SUMMARY_TABLES = tuple(SUMMARY_ROWS)
# A load fills them from the export tables it has just written.
FILL_SUMMARIES = tuple(f"INSERT INTO {table} {rows.format(db='')}" for table, rows in SUMMARY_ROWS.items())
SUMMARY_DDL = (
    ACCOUNT_MONTH_REVENUE,
    LONG_OPEN_ORDERS,
    SURVEY_LINKS,
    VISIT_LINKS,
    # A database loaded before a summary existed gets it once, from its export tables.
    *(
        f"INSERT INTO {table} SELECT * FROM ({rows.format(db='')}) WHERE NOT EXISTS (SELECT 1 FROM {table})"
        for table, rows in SUMMARY_ROWS.items()
    ),
)


# A load's record: it travels in the load's own exports file, with every earlier load's record.
LOAD_RECORD_DDL = (
    """
    CREATE TABLE IF NOT EXISTS load_history (
        load_id BIGINT PRIMARY KEY,
        loaded_at TIMESTAMP NOT NULL,
        source VARCHAR NOT NULL,
        files VARCHAR[] NOT NULL,
        rows_read BIGINT NOT NULL,
        rows_loaded BIGINT NOT NULL,
        rows_rejected BIGINT NOT NULL,
        loaded_by VARCHAR,
        data_to DATE
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS load_rejects (
        load_id BIGINT NOT NULL,
        table_name VARCHAR NOT NULL,
        file VARCHAR NOT NULL,
        line BIGINT,
        row_key VARCHAR,
        column_name VARCHAR,
        reason VARCHAR NOT NULL
    )
    """,
    # The rows of a table the admin confirmed losing (added later: older files lack it).
    "ALTER TABLE load_history ADD COLUMN IF NOT EXISTS confirmed_losses VARCHAR[]",
    # The date the load's exports run to (kept from loads of a one-file database on).
    "ALTER TABLE load_history ADD COLUMN IF NOT EXISTS data_to DATE",
)
LOAD_RECORD_TABLES = ("load_history", "load_rejects")

# Tables the loader never touches; the application writes them, in the app's own database.
APP_DDL = (
    """
    CREATE TABLE IF NOT EXISTS visits_app (
        visit_id VARCHAR PRIMARY KEY,
        account_id VARCHAR NOT NULL,
        manager_id VARCHAR NOT NULL,
        visit_date DATE NOT NULL,
        channel VARCHAR NOT NULL,
        purpose VARCHAR,
        executive BOOLEAN NOT NULL DEFAULT false,
        met_with VARCHAR,
        notes VARCHAR,
        next_step VARCHAR,
        next_date DATE,
        warning_signs VARCHAR,
        created_by VARCHAR,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS users (
        username VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        manager_id VARCHAR,
        email VARCHAR,
        password_hash VARCHAR NOT NULL,
        active BOOLEAN NOT NULL,
        failed_logins INTEGER NOT NULL,
        locked_until TIMESTAMP,
        must_change_password BOOLEAN NOT NULL,
        demo BOOLEAN NOT NULL,
        last_sign_in TIMESTAMP,
        created_at TIMESTAMP NOT NULL
    )
    """,
    # The weekly brief's mailing: recipients (user names), weekday (0 = Monday) and hour; the
    # slot last sent, written together with the sending's audit rows.
    """
    CREATE TABLE IF NOT EXISTS brief_schedules (
        schedule_id INTEGER PRIMARY KEY,
        recipients VARCHAR[] NOT NULL,
        weekday INTEGER NOT NULL,
        hour INTEGER NOT NULL,
        active BOOLEAN NOT NULL,
        updated_by VARCHAR,
        updated_at TIMESTAMP NOT NULL,
        last_sent_at TIMESTAMP
    )
    """,
    # Added after the first release: a database made before gets them with these defaults.
    # A session holds the generation its user had at sign-in; a reset or deactivation moves it on.
    "ALTER TABLE users ADD COLUMN IF NOT EXISTS generation INTEGER DEFAULT 0",
    "ALTER TABLE users ADD COLUMN IF NOT EXISTS password_set_at TIMESTAMP",
    # The interface language the user chose ("zh-CN", "en"); NULL: the browser's, else the default.
    "ALTER TABLE users ADD COLUMN IF NOT EXISTS language VARCHAR",
    # Failed sign-ins per typed name and source (key), and per source alone: who is slowed, until when.
    """
    CREATE TABLE IF NOT EXISTS sign_in_throttle (
        key VARCHAR PRIMARY KEY,
        username VARCHAR,
        failures INTEGER NOT NULL,
        locked_until TIMESTAMP,
        last_failure TIMESTAMP NOT NULL
    )
    """,
    # A browser's stay-signed-in session: only a hash of its token is kept. The user's generation
    # at sign-in, and for a directory user (no user record) the role and manager link it was given.
    """
    CREATE TABLE IF NOT EXISTS sessions (
        token_hash VARCHAR PRIMARY KEY,
        username VARCHAR NOT NULL,
        via VARCHAR NOT NULL,
        email VARCHAR,
        name VARCHAR,
        role VARCHAR,
        manager_id VARCHAR,
        generation INTEGER NOT NULL,
        created_at TIMESTAMP NOT NULL,
        last_seen TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP,
        revoked_why VARCHAR
    )
    """,
    # The latest load whose exports file the app's views were switched to (kam.store.exports.follow).
    """
    CREATE TABLE IF NOT EXISTS export_switches (
        load_id BIGINT PRIMARY KEY,
        switched_at TIMESTAMP NOT NULL
    )
    """,
    "CREATE SEQUENCE IF NOT EXISTS audit_seq",
    """
    CREATE TABLE IF NOT EXISTS audit_log (
        event_id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
        happened_at TIMESTAMP NOT NULL,
        username VARCHAR,
        action VARCHAR NOT NULL,
        target VARCHAR,
        before VARCHAR,
        after VARCHAR
    )
    """,
)

# Columns added after a table was first created: a database made by an earlier version gets them.
ADDED_EXPORT_COLUMNS = (
    "ALTER TABLE accounts ADD COLUMN IF NOT EXISTS credit_term_days BIGINT",
    "ALTER TABLE visits_imported ADD COLUMN IF NOT EXISTS warning_signs VARCHAR",
    "ALTER TABLE visits_imported ADD COLUMN IF NOT EXISTS contact_ids VARCHAR",
)
ADDED_APP_COLUMNS = (
    "ALTER TABLE visits_app ADD COLUMN IF NOT EXISTS warning_signs VARCHAR",
    "ALTER TABLE visits_app ADD COLUMN IF NOT EXISTS contact_ids VARCHAR",
)

# The relationship data entered in the app (kam.relations): contacts, account plans with their
# actions and status history, quarterly reviews, targets. They live in the app's database; the loader
# never touches them.
RELATIONS_DDL = (
    """
    CREATE TABLE IF NOT EXISTS contacts_app (
        contact_id VARCHAR PRIMARY KEY,
        account_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        title VARCHAR,
        level VARCHAR,
        role VARCHAR,
        phone VARCHAR,
        email VARCHAR,
        notes VARCHAR,
        active BOOLEAN NOT NULL DEFAULT true,
        created_by VARCHAR,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS account_plans (
        plan_id VARCHAR PRIMARY KEY,
        account_id VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        objectives VARCHAR,
        revenue_goal DOUBLE,
        strategy VARCHAR,
        resources VARCHAR,
        sponsor VARCHAR,
        status VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        created_by VARCHAR,
        created_at TIMESTAMP NOT NULL,
        updated_by VARCHAR,
        updated_at TIMESTAMP NOT NULL,
        UNIQUE (account_id, year)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS plan_actions (
        action_id VARCHAR PRIMARY KEY,
        plan_id VARCHAR NOT NULL,
        description VARCHAR NOT NULL,
        owner VARCHAR,
        due_on DATE,
        status VARCHAR NOT NULL,
        updated_by VARCHAR,
        updated_at TIMESTAMP NOT NULL
    )
    """,
    # Every status a plan took, with the day: plan coverage as of any day reads it.
    """
    CREATE TABLE IF NOT EXISTS plan_status_history (
        plan_id VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        changed_on DATE NOT NULL,
        changed_at TIMESTAMP NOT NULL,
        changed_by VARCHAR
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS quarterly_reviews (
        year INTEGER NOT NULL,
        quarter INTEGER NOT NULL,
        manager_id VARCHAR NOT NULL,
        notes VARCHAR,
        agreed_actions VARCHAR,
        signed_off_on DATE,
        signed_off_by VARCHAR,
        updated_by VARCHAR,
        updated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (year, quarter, manager_id)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS targets_app (
        manager_id VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        revenue_target DOUBLE NOT NULL,
        visit_target BIGINT,
        entered_by VARCHAR,
        entered_at TIMESTAMP NOT NULL,
        PRIMARY KEY (manager_id, year)
    )
    """,
)

CONTACTS_LEFT_AT_COLUMN = "ALTER TABLE contacts_app ADD COLUMN IF NOT EXISTS left_at TIMESTAMP"
# A database made before left_at was kept gets it from the audit log, once, with the column: the last save that
# marked the contact as having left (entered as already gone, or back from gone); one no such save records counts as
# gone since it was entered, as it did before.
CONTACTS_LEFT_AT = """
UPDATE contacts_app AS c
SET left_at = coalesce(
    (SELECT max(l.happened_at) FROM audit_log AS l
     WHERE l.target = c.contact_id AND l.action IN ('contact.create', 'contact.edit')
       AND json_extract_string(l.after, '$.active') = 'false'
       AND coalesce(json_extract_string(l.before, '$.active'), 'true') = 'true'),
    c.created_at)
WHERE NOT c.active AND c.left_at IS NULL
"""

# Columns added to the relationship tables after their first release: a database made before gets them. A contact's
# version moves on with every save, so that a save from a form opened before someone else's is refused (rows saved
# before count as version 1); updated_by: who saved it last.
ADDED_RELATIONS_COLUMNS = (
    "ALTER TABLE contacts_app ADD COLUMN IF NOT EXISTS version INTEGER DEFAULT 1",
    "ALTER TABLE contacts_app ADD COLUMN IF NOT EXISTS updated_by VARCHAR",
    # When the contact was marked as having left the customer (NULL while they are there): see CONTACTS_LEFT_AT.
    CONTACTS_LEFT_AT_COLUMN,
    # A quarterly review signed off keeps the scorecard it was signed on: the signer's name then, the as-of date
    # of the figures and each figure (signed_revenue …). Reviews signed off before have none (NULL).
    "ALTER TABLE quarterly_reviews ADD COLUMN IF NOT EXISTS signed_off_by_name VARCHAR",
    "ALTER TABLE quarterly_reviews ADD COLUMN IF NOT EXISTS signed_as_of DATE",
    *(f"ALTER TABLE quarterly_reviews ADD COLUMN IF NOT EXISTS signed_{name} DOUBLE" for name in REVIEW_FIGURES),
)

# Contacts of the export, plus those entered in the app under an id the export does not carry. entered_on, left_on:
# the days one entered in the app was entered and marked as having left; the export carries neither (NULL).
CONTACTS_VIEW = """
CREATE OR REPLACE VIEW contacts AS
SELECT contact_id, account_id, name, title, level, role, phone, email, notes, active, 'import' AS source,
       CAST(NULL AS DATE) AS entered_on, CAST(NULL AS DATE) AS left_on
FROM contacts_imported
UNION ALL
SELECT contact_id, account_id, name, title, level, role, phone, email, notes, active, 'app' AS source,
       CAST(created_at AS DATE) AS entered_on, CAST(left_at AS DATE) AS left_on
FROM contacts_app AS a
WHERE NOT EXISTS (SELECT 1 FROM contacts_imported AS i WHERE i.contact_id = a.contact_id)
"""
# Whether the contact c (of the view above, or of contacts_at below) was on file and at the customer at the end of day
# $as_of. One entered in the app counts from the day it was entered, and no longer from the day it was marked as having
# left. One of the export counts on any day, unless the export marks it as having left: then on none (the export says
# not when).
CONTACT_AT_AS_OF = "(coalesce(c.entered_on <= $as_of, true) AND (c.active OR coalesce(c.left_on > $as_of, false)))"
# The fields of a contact that change with its saves, read as of a day by contacts_at.
CONTACT_FIELDS = ("name", "title", "level", "role", "phone", "email", "notes")
_AS_SAVED = ",\n           ".join(
    f"CASE WHEN s.saved IS NULL THEN c.{field} ELSE json_extract_string(s.saved, '$.{field}') END AS {field}"
    for field in CONTACT_FIELDS
)
# contacts_at (CTEs to put in a WITH): every contact of the view above as it stood at the end of day $as_of, with the
# view's columns. One entered in the app by then has the fields (CONTACT_FIELDS) its last save on or before that day
# gave it, read from the audit log: every save of a contact has written its whole record there since contacts were
# first kept (kam.relations.contacts), so a database of an earlier version has its history too; the time of each save
# is the log row's (the record's own time since this version, a moment after it before). One with no save in the log
# by then is read as it is now, as every contact was before: the app leaves none such (it removes no log row), but a
# log cut short by hand would. One entered after that day (listed apart, as it is now) and one of the export (it keeps
# no history) are read as they are now. active, entered_on, left_on: as in the view (CONTACT_AT_AS_OF). Only the log's
# rows of contact saves are grouped and parsed: the other events, however many, are passed over on their action.
CONTACTS_AT_AS_OF = f"""
contact_saves AS (
    SELECT l.target AS contact_id, arg_max(l.after, l.event_id) AS saved
    FROM audit_log AS l
    WHERE l.action IN ('contact.create', 'contact.edit') AND CAST(l.happened_at AS DATE) <= $as_of
    GROUP BY l.target
),
contacts_at AS (
    SELECT c.contact_id, c.account_id,
           {_AS_SAVED},
           c.active, c.source, c.entered_on, c.left_on
    FROM contacts AS c
    LEFT JOIN contact_saves AS s ON s.contact_id = c.contact_id AND c.source = 'app' AND c.entered_on <= $as_of
)"""

# The targets the revenue metrics use: one entered in the app replaces the export's for the
# same manager and year.
TARGETS_VIEW = """
CREATE OR REPLACE VIEW targets_used AS
SELECT manager_id, year, revenue_target, visit_target, 'app' AS source
FROM targets_app
UNION ALL
SELECT manager_id, year, revenue_target, visit_target, 'import' AS source
FROM targets AS t
WHERE NOT EXISTS (SELECT 1 FROM targets_app AS a WHERE a.manager_id = t.manager_id AND a.year = t.year)
"""

# Every metric reads visits through this view: imported ones, plus those entered in the
# app that the export does not (yet) carry under the same id. It lives in the app's database
# and reads visits_imported through the view kam.store.exports keeps on the current exports file.
VISITS_VIEW = """
CREATE OR REPLACE VIEW visits AS
SELECT visit_id, account_id, manager_id, visit_date, channel, purpose, executive,
       notes, next_step, next_date, warning_signs, contact_ids, 'import' AS source
FROM visits_imported
UNION ALL
SELECT visit_id, account_id, manager_id, visit_date, channel, purpose, executive,
       notes, next_step, next_date, warning_signs, contact_ids, 'app' AS source
FROM visits_app AS a
WHERE NOT EXISTS (SELECT 1 FROM visits_imported AS i WHERE i.visit_id = a.visit_id)
"""

# The account's contacts a visit (aliased v) names, by name in the order recorded; an id no contact of the account has,
# as it is.
CONTACTS_MET = """(
    SELECT list(coalesce(c.name, m.contact_id) ORDER BY m.position)
    FROM (SELECT trim(unnest(string_split(v.contact_ids, ';'))) AS contact_id,
                 generate_subscripts(string_split(v.contact_ids, ';'), 1) AS position) AS m
    LEFT JOIN contacts AS c ON c.contact_id = m.contact_id AND c.account_id = v.account_id
    WHERE m.contact_id <> ''
)"""

# The date the loaded exports run to: the latest event in the exports' own tables. Visits
# entered in the app are left out, so that they never move the dashboard's default as-of date.
EXPORTS_RUN_TO = """
SELECT greatest(
    (SELECT max(order_date) FROM orders),
    (SELECT max(visit_date) FROM visits_imported),
    (SELECT CAST(max(opened_at) AS DATE) FROM complaints),
    (SELECT max(surveyed_on) FROM surveys),
    (SELECT max(changed_on) FROM tier_changes)
)"""

# The tables of a load's exports file: the export tables and the load's record.
EXPORT_DDL: tuple[str, ...] = (
    *(_create_export_table(t) for t in EXPORT_TABLES),
    ACCOUNT_MONTH_REVENUE,
    LONG_OPEN_ORDERS,
    SURVEY_LINKS,
    VISIT_LINKS,
    *LOAD_RECORD_DDL,
    *ADDED_EXPORT_COLUMNS,
)
# Every table of the exports file, as the app's database shows them (views of the same name).
# A table built at load time (a summary) belongs here and in EXPORT_DDL, never in the app's database.
EXPORT_FILE_TABLES: tuple[str, ...] = (
    *(t.table for t in EXPORT_TABLES),
    *SUMMARY_TABLES,
    *LOAD_RECORD_TABLES,
)

# The app's own database (without the views on the exports file, which kam.store.exports makes).
APP_DB_DDL: tuple[str, ...] = (*APP_DDL, *ADDED_APP_COLUMNS, *RELATIONS_DDL, *ADDED_RELATIONS_COLUMNS)

# The views of the app's database that join an exports file's tables with the app's own: made
# again after the views on the exports file moved to a new file.
JOINED_VIEWS: tuple[str, ...] = (VISITS_VIEW, CONTACTS_VIEW, TARGETS_VIEW)
JOINED_VIEW_NAMES = ("visits", "contacts", "targets_used")

# Spellings found in exports, mapped to the contract's values (matched lower-cased, trimmed).
BOOL_VALUES = {
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "是": True,
    "否": False,
}
CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "channel": {
        "in person": "in_person",
        "in-person": "in_person",
        "visit": "in_person",
        "当面": "in_person",
        "面访": "in_person",
        "直接访问": "in_person",
        "上门": "in_person",
        "上门拜访": "in_person",
        "拜访": "in_person",
        "现场": "in_person",
        "telephone": "phone",
        "电话": "phone",
        "电话访问": "phone",
        "视频": "video",
        "视频会议": "video",
        "e-mail": "email",
        "邮件": "email",
        "电子邮件": "email",
        "letter": "mail",
        "信函": "mail",
        "通信": "mail",
        "通信访问": "mail",
        "邮寄": "mail",
    },
    "severity": {
        "低": "low",
        "中": "medium",
        "一般": "medium",
        "高": "high",
        "严重": "high",
    },
    "churn_reason": {
        "价格": "price",
        "产品": "product",
        "市场": "market",
        "服务": "service",
        "技术": "technology",
        "组织": "organization",
        "organisation": "organization",
        "价格背离": "price",
        "产品背离": "product",
        "市场背离": "market",
        "服务背离": "service",
        "技术背离": "technology",
        "组织背离": "organization",
    },
    "level": {"高层": "executive", "中层": "manager", "基层": "staff"},
    "role": {"决策者": "decision_maker", "影响者": "influencer", "使用者": "user", "其他": "other"},
    "warning_signs": {name: code for code, name in WARNING_SIGN_NAMES.items()},
}


# The load report's reason for an e-mail that several managers of an export share: the loader drops
# it from each of them, and single sign-on refuses the address with a clear message.
SHARED_EMAIL = "shared by several managers; dropped from each of them (single sign-on never guesses)"
