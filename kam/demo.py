"""Seeded demo exports (DATA_CONTRACT.md): a plausible key-account portfolio at any size.

At scale 1 the portfolio is about 300 accounts in four regions under 12 managers, with
orders from 1 January two years before the end date's year up to the end date, visits,
complaints, surveys and targets. Everything else grows with ``scale`` (170 gives about
50,000 accounts and 5 million orders). The same seed, scale and end date always give
byte-identical files: every random draw comes from ``numpy.random.default_rng(seed)``
and the rows are built with vectorised numpy, never from the clock or from set order.

Days are handled as integers counted from the first day of the orders period (``day 0``);
timestamps as seconds from the same midnight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

DEMO_END = date(2026, 11, 20)  # last date of generated events

TABLES = ("managers", "accounts", "tier_changes", "orders", "visits", "complaints", "surveys", "targets")
FORMATS = ("csv", "parquet")
SPLIT_ORDERS_FROM_SCALE = 5.0  # CSV orders go one file per year from this scale up

TIERS = ("A", "B", "C")
TIER_SHARES = (0.15, 0.30, 0.55)
CADENCE = np.array([30, 90, 180])  # maximum days between visits, per tier code 0/1/2
# Revenue level of a tier relative to A: an account's orders before an upgrade are smaller.
TIER_LEVEL = np.array([1.0, 0.5, 0.25])
NEVER = 10**9  # a day that never comes (no churn, no tier change)

REGIONS = ("华东", "华南", "华北", "西南")
# Region of the i-th manager, repeating every twelve (华东 4, 华南 3, 华北 3, 西南 2);
# the twelfth of every twelve has left the company: inactive, no accounts.
MANAGER_REGIONS = (0, 1, 2, 3, 0, 1, 2, 0, 3, 1, 2, 0)
ACCOUNTS_PER_SCALE = 300
MANAGERS_PER_SCALE = 12

SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN_NAMES = (
    "伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚",
    "秀英", "桂英", "建华", "晓东", "丽娟", "海峰", "志强", "文博", "思远", "雪梅", "国栋", "佳怡", "子涵", "浩然",
    "欣怡", "俊杰", "婷婷", "建国", "红梅", "晨阳", "宇航", "丹", "鹏", "斌", "琳", "颖", "辉", "凯", "倩", "亮",
)  # fmt: skip

CITIES = (
    ("上海", "苏州", "无锡", "常州", "南京", "杭州", "宁波", "温州", "嘉兴", "绍兴", "合肥", "南通", "青岛", "济南"),
    ("广州", "深圳", "东莞", "佛山", "中山", "珠海", "惠州", "江门", "汕头", "南宁", "柳州", "厦门", "泉州"),
    ("北京", "天津", "石家庄", "唐山", "保定", "廊坊", "太原", "沧州", "邯郸", "呼和浩特", "大同"),
    ("成都", "重庆", "绵阳", "德阳", "宜宾", "昆明", "贵阳", "遵义", "曲靖", "乐山"),
)
BRAND_FIRST = "恒华宏鑫盛永金瑞泰德力新天中东博科嘉信通安海兴隆丰汇联明正精宇长昌源凯英远达佳创"
BRAND_SECOND = "达业昌泰利源通信宏盛发成福丰瑞顺鑫兴德安和华锦辉晟智诚捷邦航"
BRANDS = tuple(a + b for a in BRAND_FIRST for b in BRAND_SECOND if a != b)
# Industry, its weight among accounts, and the words that name a company of it.
INDUSTRIES = (
    ("机械", 0.18, ("精密机械", "机械制造", "重工机械", "机电设备")),
    ("电子", 0.15, ("电子科技", "光电", "微电子", "电子元器件")),
    ("化工", 0.11, ("化工", "新材料", "精细化工", "涂料")),
    ("汽车零部件", 0.13, ("汽车零部件", "汽车配件", "车辆部件", "汽车电子")),
    ("医药", 0.07, ("医药", "生物制药", "药业", "医疗器械")),
    ("食品", 0.08, ("食品", "食品科技", "饮料", "粮油")),
    ("纺织", 0.07, ("纺织", "服饰", "印染", "化纤")),
    ("建材", 0.08, ("建材", "新型建材", "水泥制品", "玻璃")),
    ("家电", 0.06, ("电器", "家电", "智能家居", "厨房电器")),
    ("新能源", 0.07, ("新能源", "光伏科技", "储能技术", "电池")),
)
COMPANY_SUFFIXES = ("有限公司", "股份有限公司", "集团有限公司")

CHURN_REASONS = ("price", "product", "market", "service", "technology", "organization")
CHURN_REASON_WEIGHTS = (0.30, 0.15, 0.15, 0.20, 0.10, 0.10)
UPGRADE_REASONS = (
    "年采购额大幅增长，升级为重点客户",
    "采购频次提高，合作深化",
    "新签年度框架协议",
    "成长潜力大，纳入重点培育",
    "年度客户评审升级",
    "新增产品线合作",
)
DOWNGRADE_REASONS = (
    "采购额连续两个季度下降",
    "年度客户评审降级",
    "回款逾期，信用等级下调",
    "客户业务收缩",
    "部分品类转向竞争对手",
)

# Product catalogue: name and list price (元), cheapest first.
PRODUCTS = (
    ("包装材料", 6.0),
    ("工业线缆", 18.0),
    ("铝合金型材", 24.0),
    ("精密轴承 6205", 45.0),
    ("工业胶粘剂", 85.0),
    ("密封件套装", 120.0),
    ("滤芯组件", 150.0),
    ("气动元件", 210.0),
    ("环氧树脂涂料", 260.0),
    ("不锈钢管材 DN50", 320.0),
    ("工业传感器", 680.0),
    ("数控刀具套装", 950.0),
    ("变频器 2.2kW", 1900.0),
    ("备件包", 2200.0),
    ("伺服电机 750W", 2600.0),
    ("PLC控制器 S7-200", 3800.0),
    ("液压阀组", 5200.0),
    ("齿轮减速机", 7400.0),
    ("技术服务", 12000.0),
    ("电气控制柜", 28000.0),
    ("检测仪器", 36000.0),
    ("冷却系统", 64000.0),
    ("工业机器人", 185000.0),
    ("自动化生产线改造", 480000.0),
)
# Month weights of order intake (January .. December): the spring festival dip, year-end peak.
MONTH_WEIGHTS = np.array([0.9, 0.6, 1.05, 1.0, 1.0, 1.1, 0.95, 0.95, 1.05, 0.9, 1.05, 1.2])
WEEKDAY_WEIGHTS = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.1])  # Monday .. Sunday
YEARLY_GROWTH = 0.02
ORDERS_PER_YEAR = np.array([110.0, 44.0, 15.5])  # per account, by current tier

CHANNELS = ("in_person", "phone", "video", "email", "mail")
CHANNEL_WEIGHTS = np.array(
    [
        [0.50, 0.25, 0.10, 0.10, 0.05],  # A
        [0.42, 0.30, 0.08, 0.13, 0.07],  # B
        [0.32, 0.35, 0.06, 0.17, 0.10],  # C
    ]
)
VISIT_GAP_FACTOR = 0.58  # mean gap between visits, as a share of the cadence, for a diligent (1.0) manager
FOLLOW_UP_STEPS = (
    "1 当面致谢",
    "2 电话回访使用情况",
    "3 信函维系关系",
    "4 当面满意度调查",
    "5 请求推荐",
    "6 信函致谢并邀请复购",
)
STEP_WEIGHTS = (0.22, 0.22, 0.14, 0.16, 0.12, 0.14)
# The channel each step uses (step 5 is by phone or in person, see _visits).
STEP_CHANNELS = np.array([0, 1, 4, 0, 1, 4])
VISIT_PURPOSES = (
    "季度业务回顾",
    "新产品推介",
    "年度合同谈判",
    "技术交流",
    "回款沟通",
    "质量问题跟进",
    "投诉处理回访",
    "需求调研",
    "节日问候",
    "价格协商",
    "样品确认",
    "交货计划确认",
)
VISIT_NOTES = (
    "客户对近期交货表示满意",
    "客户反映价格偏高，需要报价支持",
    "了解到客户明年有扩产计划",
    "客户提出技术改进需求",
    "对接了新的采购负责人",
    "回款计划已确认",
    "客户关注竞品动态，需加强跟进",
    "讨论年度框架协议条款",
    "客户希望缩短交货周期",
    "见到了客户总经理，关系良好",
)
NEXT_STEPS = (
    "发送报价单",
    "安排技术人员上门",
    "跟进回款",
    "准备年度合作方案",
    "邀请客户参观工厂",
    "寄送样品",
    "安排高层拜访",
    "提交质量整改报告",
)

COMPLAINT_CATEGORIES = ("质量", "交货", "服务", "价格", "技术")
COMPLAINT_CATEGORY_WEIGHTS = (0.35, 0.25, 0.15, 0.10, 0.15)
SEVERITIES = ("low", "medium", "high")
SEVERITY_WEIGHTS = (0.30, 0.50, 0.20)
COMPLAINTS_PER_YEAR = np.array([3.7, 1.85, 0.97])  # per account, by current tier, before the account's own factor
HOUR_WEIGHTS = np.array([0, 0, 0, 0, 0, 0, 1, 2, 6, 9, 10, 9, 5, 7, 9, 9, 8, 6, 4, 3, 2, 1, 1, 0], dtype=float)
SLA_SECONDS = 24 * 3600

SURVEY_COMMENTS = (
    ("质量问题反复出现，很失望", "投诉处理太慢", "交货经常延误", "技术支持不到位"),  # score 1-2
    ("价格偏高", "希望加快交货", "服务还有提升空间", "希望提供更多技术培训"),  # score 3
    ("产品质量稳定", "服务响应及时", "交货准时，满意", "客户经理很专业", "合作愉快"),  # score 4-5
)


@dataclass(frozen=True)
class _Calendar:
    """Day numbering and the relative order intake of every day from the start to 31 December of end's year."""

    start: date
    end: date
    cum: np.ndarray  # cum[i]: order intake of the days before day i, in average-year units

    @classmethod
    def build(cls, end: date) -> _Calendar:
        start = date(end.year - 2, 1, 1)
        epoch = (start - date(1970, 1, 1)).days
        days = np.arange((date(end.year, 12, 31) - start).days + 1)
        month = (days + epoch).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
        weekday = (days + epoch + 3) % 7  # 1970-01-01 was a Thursday
        weights = MONTH_WEIGHTS[month] * WEEKDAY_WEIGHTS[weekday] * (1 + YEARLY_GROWTH) ** (days / 365.25)
        last = (end - start).days
        weights *= (last + 1) / 365.25 / weights[: last + 1].sum()
        return cls(start, end, np.concatenate([[0.0], np.cumsum(weights)]))

    @property
    def last(self) -> int:
        """The end date's day number."""
        return (self.end - self.start).days

    @property
    def epoch(self) -> int:
        """Day 0 in days since 1970-01-01."""
        return (self.start - date(1970, 1, 1)).days

    def day(self, when: date) -> int:
        return (when - self.start).days

    def mass(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Order intake over days lo..hi (both counted), in average-year units."""
        return self.cum[hi + 1] - self.cum[lo]

    def sample(
        self, rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, counts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """`counts[i]` days between lo[i] and hi[i] for every i, drawn by order intake: (owner index, day)."""
        owner = np.repeat(np.arange(len(counts)), counts)
        low, high = self.cum[lo[owner]], self.cum[hi[owner] + 1]
        day = np.searchsorted(self.cum, low + rng.random(len(owner)) * (high - low), side="right") - 1
        return owner, np.clip(day, lo[owner], hi[owner])

    def weekday(self, day: np.ndarray) -> np.ndarray:
        """0 = Monday .. 6 = Sunday."""
        return (day + self.epoch + 3) % 7


@dataclass(frozen=True)
class _Portfolio:
    """The accounts as arrays (index = account number), with what the event generators need."""

    manager: np.ndarray  # manager index
    tier: np.ndarray  # current tier code 0/1/2
    created: np.ndarray  # day
    churned: np.ndarray  # day, NEVER when active
    value: np.ndarray  # yearly revenue at the current tier's level
    term: np.ndarray  # payment term in days
    # Tier history: before first_day the tier was first_tier, then mid_tier until second_day, then tier.
    first_day: np.ndarray
    first_tier: np.ndarray
    second_day: np.ndarray
    mid_tier: np.ndarray

    @property
    def lo(self) -> np.ndarray:
        """First day an event of the account may have: created, and not before day 0."""
        return np.maximum(self.created, 0)

    def hi(self, last: int) -> np.ndarray:
        """Last day an event of the account may have: the end date, or the day before churn."""
        return np.minimum(last, self.churned - 1)

    def tier_at(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        return np.where(
            day < self.first_day[account],
            self.first_tier[account],
            np.where(day < self.second_day[account], self.mid_tier[account], self.tier[account]),
        )


def generate(
    out_dir: Path, scale: float = 1.0, seed: int = 7, fmt: str = "csv", end: date = DEMO_END
) -> dict[str, int]:
    """Write the demo exports for every table into out_dir; return rows written per table.

    Existing export files of these tables in out_dir (either format, split or not) are
    replaced, so the folder always holds exactly one demo set.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    streams = dict(zip(TABLES, np.random.default_rng(seed).spawn(len(TABLES)), strict=True))
    cal = _Calendar.build(end)

    managers, diligence = _managers(streams["managers"], max(MANAGERS_PER_SCALE, round(MANAGERS_PER_SCALE * scale)))
    n_accounts = max(2 * MANAGERS_PER_SCALE, round(ACCOUNTS_PER_SCALE * scale))
    accounts, portfolio = _accounts(streams["accounts"], cal, managers, n_accounts)
    tier_changes, portfolio = _tier_changes(streams["tier_changes"], cal, accounts, portfolio)
    orders, order_owner = _orders(streams["orders"], cal, accounts, portfolio)
    frames = {
        "managers": managers,
        "accounts": accounts,
        "tier_changes": tier_changes,
        "orders": orders,
        "visits": _visits(streams["visits"], cal, accounts, managers, portfolio, diligence),
        "complaints": _complaints(streams["complaints"], cal, accounts, portfolio),
        "surveys": _surveys(streams["surveys"], cal, accounts, portfolio),
        "targets": _targets(streams["targets"], cal, managers, portfolio, orders, order_owner),
    }
    _write(frames, Path(out_dir), fmt, split_orders=fmt == "csv" and scale >= SPLIT_ORDERS_FROM_SCALE)
    return {name: frame.height for name, frame in frames.items()}


# --- helpers -------------------------------------------------------------------------------


def _ids(prefix: str, count: int, width: int) -> pl.Series:
    """prefix + 1..count, zero-padded to width digits (more when count needs them)."""
    digits = max(width, len(str(count)))
    return prefix + pl.Series(np.arange(1, count + 1)).cast(pl.String).str.zfill(digits)


def _choice(rng: np.random.Generator, weights: Sequence[float] | np.ndarray, size: int) -> np.ndarray:
    """`size` indices into weights, drawn in proportion to them."""
    weights = np.asarray(weights, dtype=float)
    return rng.choice(len(weights), size=size, p=weights / weights.sum())


def _choice_by_row(rng: np.random.Generator, table: np.ndarray, row: np.ndarray) -> np.ndarray:
    """One column index per element, drawn from the probabilities in table[row]."""
    cum = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)[row]
    return np.minimum((rng.random(len(row))[:, None] > cum).sum(axis=1), table.shape[1] - 1)


def _text(pool: Sequence[str], index: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
    """pool[index], null where not present."""
    values = pl.Series(list(pool), dtype=pl.String).gather(index)
    return values if present is None else _only(values, present)


def _only(values: pl.Series, present: np.ndarray) -> pl.Series:
    return pl.select(pl.when(pl.Series(present)).then(values)).to_series().alias(values.name)


def _dates(cal: _Calendar, day: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
    values = pl.Series(day + cal.epoch, dtype=pl.Int32).cast(pl.Date)
    return values if present is None else _only(values, present)


def _timestamps(cal: _Calendar, seconds: np.ndarray, present: np.ndarray | None = None) -> pl.Series:
    values = pl.from_epoch(pl.Series(seconds + cal.epoch * 86400, dtype=pl.Int64), time_unit="s")
    return values if present is None else _only(values, present)


def _weekday_shift(cal: _Calendar, day: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Move Saturdays and Sundays back to the Friday before, unless that is before lo."""
    weekday = cal.weekday(day)
    moved = day - np.maximum(weekday - 4, 0)
    return np.where(moved >= lo, moved, day)


# --- managers and accounts -------------------------------------------------------------------


def _manager_regions(count: int) -> np.ndarray:
    """Region code of every manager."""
    return np.array(MANAGER_REGIONS)[np.arange(count) % len(MANAGER_REGIONS)]


def _managers(rng: np.random.Generator, count: int) -> tuple[pl.DataFrame, np.ndarray]:
    """The managers, and each one's diligence (visit frequency relative to a diligent manager)."""
    position = np.arange(count) % len(MANAGER_REGIONS)
    names = [s + g for s in SURNAMES for g in GIVEN_NAMES]
    picked = rng.choice(len(names), size=count, replace=count > len(names))
    # Spread evenly so that every portfolio has both diligent and tardy managers.
    diligence = rng.permutation(np.linspace(0.55, 1.5, count))
    ids = _ids("M", count, 2)
    frame = pl.DataFrame(
        {
            "manager_id": ids,
            "name": _text(names, picked),
            "region": _text(REGIONS, _manager_regions(count)),
            "email": ids.str.to_lowercase() + "@example.com",
            "active": position != len(MANAGER_REGIONS) - 1,
        }
    )
    return frame, diligence


def _accounts(
    rng: np.random.Generator, cal: _Calendar, managers: pl.DataFrame, count: int
) -> tuple[pl.DataFrame, _Portfolio]:
    """The accounts, under the active managers, numbered by creation date."""
    # Yearly revenue is log-normal (about 80/20); the tier follows it, with some disagreement
    # so that the revenue-based suggestion has review candidates.
    log_value = np.clip(rng.normal(0.0, 1.7, count), -4.5, 4.5)  # at most about 27 million a year
    rank = np.argsort(np.argsort(-(log_value + rng.normal(0.0, 0.4, count)), kind="stable"), kind="stable")
    tier = np.searchsorted(np.cumsum(TIER_SHARES) * count, rank, side="right")
    value = 300_000.0 * np.exp(log_value)

    # Age at the end date: key accounts are old; some accounts are new.
    age_class = _choice_by_row(rng, np.array([[0.92, 0.06, 0.02], [0.80, 0.13, 0.07], [0.70, 0.16, 0.14]]), tier)
    age_years = np.choose(
        age_class, [rng.uniform(2.0, 14.0, count), rng.uniform(1.0, 2.0, count), rng.uniform(0.0, 1.0, count)]
    )
    created = cal.last - np.round(age_years * 365.25).astype(np.int64)

    active = np.flatnonzero(managers["active"].to_numpy())
    manager = active[_choice(rng, rng.lognormal(0.0, 0.3, len(active)), count)]
    manager_region = _manager_regions(len(managers))
    industry = _choice(rng, [w for _, w, _ in INDUSTRIES], count)

    # About 5% churned during the period, more often small accounts, never within half a year of creation.
    churned = np.full(count, NEVER)
    first = np.maximum(created + 180, 30)
    eligible = np.flatnonzero(first < cal.last)
    n_churned = min(len(eligible), round(0.05 * count))
    weights = np.array([0.3, 1.0, 1.3])[tier[eligible]]
    chosen = np.sort(rng.choice(eligible, size=n_churned, replace=False, p=weights / weights.sum()))
    churned[chosen] = rng.integers(first[chosen], cal.last)
    reason = np.full(count, -1)
    reason[chosen] = _choice(rng, CHURN_REASON_WEIGHTS, n_churned)

    term = np.array([30, 60, 90])[_choice_by_row(rng, np.array([[2, 5, 3], [4, 4, 2], [6, 3, 1]]), tier)]
    credit = np.maximum(np.round(value * term / 365 * rng.uniform(1.2, 2.0, count), -4), 50_000.0)

    # Account numbers follow creation: K0001 is the oldest customer.
    order = np.argsort(created, kind="stable")
    tier, value, created, churned, manager = tier[order], value[order], created[order], churned[order], manager[order]
    industry, reason, credit, term = industry[order], reason[order], credit[order], term[order]
    suffix = _choice_by_row(rng, np.array([[0.55, 0.30, 0.15], [0.80, 0.17, 0.03], [0.92, 0.08, 0.0]]), tier)
    name = _company_names(rng, manager_region[manager], industry, suffix)
    frame = pl.DataFrame(
        {
            "account_id": _ids("K", count, 4),
            "name": name,
            "industry": _text([n for n, _, _ in INDUSTRIES], industry),
            "region": _text(REGIONS, manager_region[manager]),
            "manager_id": managers["manager_id"].gather(manager),
            "tier": _text(TIERS, tier),
            "created_on": _dates(cal, created),
            "churned_on": _dates(cal, churned, churned < NEVER),
            "churn_reason": _text(CHURN_REASONS, np.maximum(reason, 0), reason >= 0),
            "credit_limit": _only(pl.Series(credit), rng.random(count) > 0.03),
        }
    )
    no_change = np.full(count, NEVER)
    return frame, _Portfolio(manager, tier, created, churned, value, term, no_change, tier, no_change, tier)


def _company_names(rng: np.random.Generator, region: np.ndarray, industry: np.ndarray, suffix: np.ndarray) -> pl.Series:
    """Unique names: city of the region + brand + a word of the industry + legal form (苏州恒达精密机械有限公司)."""
    count = len(industry)
    cities = [c for cs in CITIES for c in cs]
    city_base = np.cumsum([0, *(len(cs) for cs in CITIES)])[region]
    city_count = np.array([len(cs) for cs in CITIES])[region]
    words = [w for _, _, ws in INDUSTRIES for w in ws]
    city, brand, word = (np.zeros(count, dtype=np.int64) for _ in range(3))
    todo = np.arange(count)
    while len(todo):  # draw again for the names already taken, until all are unique
        city[todo] = city_base[todo] + rng.integers(0, city_count[todo])
        brand[todo] = rng.integers(0, len(BRANDS), len(todo))
        word[todo] = industry[todo] * 4 + rng.integers(0, 4, len(todo))
        key = (city * len(BRANDS) + brand) * len(words) + word
        _, first = np.unique(key, return_index=True)
        taken = np.ones(count, dtype=bool)
        taken[first] = False
        todo = np.flatnonzero(taken)
    return (_text(cities, city) + _text(BRANDS, brand) + _text(words, word) + _text(COMPANY_SUFFIXES, suffix)).alias(
        "name"
    )


def _tier_changes(
    rng: np.random.Generator, cal: _Calendar, accounts: pl.DataFrame, p: _Portfolio
) -> tuple[pl.DataFrame, _Portfolio]:
    """A tenth of the accounts changed tier in the period, a quarter of those twice.

    The last change of an account lands on its current tier; the portfolio returned knows each account's tier history.
    """
    lo = np.maximum(p.created + 60, 0)
    hi = p.hi(cal.last)
    eligible = np.flatnonzero(hi - lo >= 60)
    chosen = np.sort(rng.choice(eligible, size=min(len(eligible), round(0.1 * len(p.tier))), replace=False))
    twice = rng.random(len(chosen)) < 0.25
    lo, hi = lo[chosen], hi[chosen]

    # The last change: into the current tier, mostly from the neighbouring tier.
    now = p.tier[chosen]
    usual = np.array([1, 2, 1])[now]  # A came from B; B mostly from C; C mostly from B
    rare = np.array([2, 0, 0])[now]
    before = np.where(rng.random(len(chosen)) < np.array([0.8, 0.6, 0.85])[now], usual, rare)
    # The change before it, for some: into `before` from one of the other two tiers.
    earliest = (before + rng.integers(1, 3, len(chosen))) % 3

    one = rng.integers(lo, hi + 1)
    a, b = rng.integers(lo, hi), rng.integers(lo + 1, hi + 1)
    first_of_two, second_of_two = np.minimum(a, b), np.maximum(a, b)
    first_of_two = np.where(first_of_two == second_of_two, first_of_two - 1, first_of_two)
    last_day = np.where(twice, second_of_two, one)

    first_day, first_tier = p.first_day.copy(), p.first_tier.copy()
    second_day, mid_tier = p.second_day.copy(), p.mid_tier.copy()
    first_day[chosen] = np.where(twice, first_of_two, last_day)
    first_tier[chosen] = np.where(twice, earliest, before)
    second_day[chosen] = np.where(twice, last_day, NEVER)
    mid_tier[chosen] = np.where(twice, before, now)
    portfolio = replace(p, first_day=first_day, first_tier=first_tier, second_day=second_day, mid_tier=mid_tier)

    account = np.concatenate([chosen[twice], chosen])
    day = np.concatenate([first_of_two[twice], last_day])
    from_tier = np.concatenate([earliest[twice], before])
    to_tier = np.concatenate([before[twice], now])
    order = np.lexsort((account, day))
    account, day, from_tier, to_tier = account[order], day[order], from_tier[order], to_tier[order]
    upgrade = to_tier < from_tier
    reason = np.where(
        upgrade,
        rng.integers(0, len(UPGRADE_REASONS), len(day)),
        len(UPGRADE_REASONS) + rng.integers(0, len(DOWNGRADE_REASONS), len(day)),
    )
    frame = pl.DataFrame(
        {
            "account_id": accounts["account_id"].gather(account),
            "changed_on": _dates(cal, day),
            "from_tier": _text(TIERS, from_tier),
            "to_tier": _text(TIERS, to_tier),
            "reason": _text(UPGRADE_REASONS + DOWNGRADE_REASONS, reason, rng.random(len(day)) > 0.1),
        }
    )
    return frame, portfolio


# --- events ------------------------------------------------------------------------------------


def _orders(
    rng: np.random.Generator, cal: _Calendar, accounts: pl.DataFrame, p: _Portfolio
) -> tuple[pl.DataFrame, np.ndarray]:
    """About 100 orders per account over the period, A accounts far more and far larger; and each one's account."""
    count = len(p.tier)
    lo, hi = p.lo, p.hi(cal.last)
    per_year = ORDERS_PER_YEAR[p.tier] * rng.lognormal(-0.125, 0.5, count)
    owner, day = cal.sample(rng, lo, hi, rng.poisson(per_year * cal.mass(lo, hi)))
    n = len(owner)

    # Amount: the account's yearly value spread over its orders, at its tier of the day, with a
    # growth trend of its own, fading in the year before a churn.
    trend = np.clip(rng.normal(0.0, 0.1, count), -0.25, 0.25)
    trend = np.where(p.churned < NEVER, -0.25, trend)
    years = day / 365.25 - 1.5
    fading = np.clip((p.churned[owner] - day) / 400.0, 0.35, 1.0)
    wanted = (
        p.value[owner]
        / per_year[owner]
        * rng.lognormal(-0.15, 0.55, n)
        * TIER_LEVEL[p.tier_at(owner, day)]
        / TIER_LEVEL[p.tier[owner]]
        * np.exp(trend[owner] * years)
        * fading
    )
    wanted = np.maximum(wanted, 200.0)
    prices = np.array([price for _, price in PRODUCTS])
    affordable = np.searchsorted(prices, wanted / 2, side="right")
    product = np.maximum(affordable - 1 - rng.integers(0, np.maximum(np.minimum(affordable, 8), 1)), 0)
    discount = np.array([0.88, 0.93, 0.97])[p.tier] + rng.uniform(-0.03, 0.03, count)
    unit = np.round(prices[product] * discount[owner], 2)
    quantity = np.maximum(np.round(wanted / unit), 1)
    amount = np.round(quantity * unit, 2)

    # Payment: most on time, some late, a few never; what falls after the end date is unpaid yet.
    due = day + p.term[owner]
    habit = _choice(rng, [0.72, 0.22, 0.06], count)  # good, average, poor payer
    late = rng.random(n) < np.array([0.04, 0.2, 0.55])[habit[owner]]
    never = rng.random(n) < np.array([0.0005, 0.004, 0.04])[habit[owner]]
    never |= (p.churned[owner] - day < 120) & (rng.random(n) < 0.35)
    on_time = day + np.ceil(rng.uniform(0.2, 1.0, n) * p.term[owner]).astype(np.int64)
    overdue = due + np.minimum(np.ceil(rng.lognormal(np.log(12), 0.9, n)), 365).astype(np.int64)
    paid = np.where(late, overdue, on_time)

    order = np.argsort(day, kind="stable")  # by date, then account
    owner, day, product, quantity, amount, due = (a[order] for a in (owner, day, product, quantity, amount, due))
    paid, never = paid[order], never[order]
    frame = pl.DataFrame(
        {
            "order_id": _ids("O", n, 7),
            "account_id": accounts["account_id"].gather(owner),
            "order_date": _dates(cal, day),
            "product": _text([name for name, _ in PRODUCTS], product),
            "quantity": pl.Series(quantity.astype(np.int64)),
            "amount": pl.Series(amount),
            "due_on": _dates(cal, due),
            "paid_on": _dates(cal, paid, ~never & (paid <= cal.last)),
        }
    )
    return frame, owner


def _visits(
    rng: np.random.Generator,
    cal: _Calendar,
    accounts: pl.DataFrame,
    managers: pl.DataFrame,
    p: _Portfolio,
    diligence: np.ndarray,
) -> pl.DataFrame:
    """Contacts by the account's manager, at gaps around the tier's cadence scaled by the manager's diligence."""
    count = len(p.tier)
    lo, hi = p.lo, p.hi(cal.last)
    pace = VISIT_GAP_FACTOR / diligence[p.manager] * rng.lognormal(0.0, 0.25, count)

    def gaps(account: np.ndarray, day: np.ndarray) -> np.ndarray:
        mean = CADENCE[p.tier_at(account, day)] * pace[account]
        return np.maximum(np.round(mean * rng.gamma(2.5, 1 / 2.5, len(account))), 2).astype(np.int64)

    # First contact: soon after creation for new accounts; for older ones somewhere in the first gap.
    new = p.created >= 0
    first = np.where(
        new,
        lo + rng.integers(0, 21, count),
        lo + np.floor(rng.random(count) * gaps(np.arange(count), lo)).astype(np.int64),
    )
    never_visited = rng.random(count) < np.array([0.0, 0.01, 0.04])[p.tier]
    account = np.flatnonzero(~never_visited & (first <= hi))
    day = first[account]
    owners, days = [], []
    while len(account):  # one step per visit number, vectorised over the accounts still going
        owners.append(account)
        days.append(day)
        day = day + gaps(account, day)
        going = day <= hi[account]
        account, day = account[going], day[going]
    owner, day = np.concatenate(owners), np.concatenate(days)
    day = np.where(rng.random(len(day)) < 0.9, _weekday_shift(cal, day, lo[owner]), day)
    order = np.lexsort((owner, day))
    owner, day = owner[order], day[order]
    n = len(owner)

    tier = p.tier_at(owner, day)
    channel = _choice_by_row(rng, CHANNEL_WEIGHTS, tier)
    kind = _choice(rng, [0.30, 0.55, 0.15], n)  # follow-up step, free text, nothing
    step = _choice(rng, STEP_WEIGHTS, n)
    is_step = kind == 0
    step_channel = np.where((step == 4) & (rng.random(n) < 0.5), 0, STEP_CHANNELS[step])
    channel = np.where(is_step, step_channel, channel)
    purposes = FOLLOW_UP_STEPS + VISIT_PURPOSES
    purpose = np.where(is_step, step, len(FOLLOW_UP_STEPS) + rng.integers(0, len(VISIT_PURPOSES), n))
    face_to_face = (channel == 0) | (channel == 2)
    executive = face_to_face & (rng.random(n) < np.array([0.3, 0.12, 0.06])[tier])
    has_next = rng.random(n) < 0.35
    next_day = day + rng.integers(7, 61, n)
    return pl.DataFrame(
        {
            "visit_id": _ids("V", n, 7),
            "account_id": accounts["account_id"].gather(owner),
            "manager_id": managers["manager_id"].gather(p.manager[owner]),
            "visit_date": _dates(cal, day),
            "channel": _text(CHANNELS, channel),
            "purpose": _text(purposes, purpose, kind < 2),
            "executive": executive,
            "notes": _text(VISIT_NOTES, rng.integers(0, len(VISIT_NOTES), n), rng.random(n) < 0.4),
            "next_step": _text(NEXT_STEPS, rng.integers(0, len(NEXT_STEPS), n), has_next),
            "next_date": _dates(cal, next_day, has_next & (rng.random(n) < 0.85)),
        }
    )


def _complaints(rng: np.random.Generator, cal: _Calendar, accounts: pl.DataFrame, p: _Portfolio) -> pl.DataFrame:
    """A few a year for some accounts; first replies mostly within 24 h, with every SLA outcome at the end date."""
    count = len(p.tier)
    lo, hi = p.lo, p.hi(cal.last)
    per_year = COMPLAINTS_PER_YEAR[p.tier] * rng.gamma(0.6, 1 / 0.6, count)
    owner, day = cal.sample(rng, lo, hi, rng.poisson(per_year * cal.mass(lo, hi)))
    n = len(owner)
    hour = _choice(rng, HOUR_WEIGHTS, n)
    opened = day * 86400 + hour * 3600 + rng.integers(0, 3600, n)

    # First reply: within 24 h, exactly 24 h, late, or none (far likelier for recent complaints).
    recent = day > cal.last - 30
    outcome = np.where(rng.random(n) < np.where(recent, 0.12, 0.01), 3, _choice(rng, [0.865, 0.005, 0.13], n))
    delay = np.choose(
        np.minimum(outcome, 2),
        [
            np.clip(rng.lognormal(np.log(3 * 3600), 1.0, n), 300, SLA_SECONDS - 1),
            np.full(n, SLA_SECONDS, dtype=float),
            SLA_SECONDS + np.clip(rng.lognormal(np.log(18 * 3600), 0.8, n), 60, 9 * 86400),
        ],
    ).astype(np.int64)
    answered = outcome < 3
    resolved_after = np.round(rng.lognormal(np.log(2 * 86400), 1.0, n)).astype(np.int64)
    resolved = rng.random(n) > 0.04

    # Guarantee every outcome, whatever the size: of the recent complaints of accounts still active,
    # one moves to the end date, not answered yet (pending), and two stay unanswered (breached);
    # of the others, one is answered at exactly 24 h and one late.
    end_of_day = (cal.last + 1) * 86400
    settled = opened < end_of_day - 3 * 86400
    open_ones = settled & (p.churned[owner] == NEVER)
    if np.count_nonzero(open_ones & (opened >= end_of_day - 60 * 86400)) >= 3:
        open_ones &= opened >= end_of_day - 60 * 86400
    picked = rng.choice(np.flatnonzero(open_ones), size=min(3, np.count_nonzero(open_ones)), replace=False)
    pending, unanswered = picked[:1], picked[1:]
    settled[picked] = False
    picked = rng.choice(np.flatnonzero(settled), size=min(2, np.count_nonzero(settled)), replace=False)
    exact, late = picked[:1], picked[1:]
    opened[pending] = cal.last * 86400 + rng.integers(8 * 3600, 18 * 3600, len(pending))
    answered[pending] = answered[unanswered] = False
    delay[exact] = SLA_SECONDS
    delay[late] = SLA_SECONDS + 6 * 3600
    answered[exact] = answered[late] = True

    first_response = opened + delay
    resolved_at = first_response + resolved_after
    answered &= first_response < end_of_day
    resolved &= answered & (resolved_at < end_of_day)

    order = np.lexsort((owner, opened))
    owner, opened, first_response, resolved_at = owner[order], opened[order], first_response[order], resolved_at[order]
    answered, resolved = answered[order], resolved[order]
    return pl.DataFrame(
        {
            "complaint_id": _ids("C", n, 6),
            "account_id": accounts["account_id"].gather(owner),
            "opened_at": _timestamps(cal, opened),
            "first_response_at": _timestamps(cal, first_response, answered),
            "resolved_at": _timestamps(cal, resolved_at, resolved),
            "category": _text(COMPLAINT_CATEGORIES, _choice(rng, COMPLAINT_CATEGORY_WEIGHTS, n)),
            "severity": _text(SEVERITIES, _choice(rng, SEVERITY_WEIGHTS, n)),
        }
    )


def _surveys(rng: np.random.Generator, cal: _Calendar, accounts: pl.DataFrame, p: _Portfolio) -> pl.DataFrame:
    """Twice a year (May to June, November), up to the end date; not every account answers every time."""
    count = len(p.tier)
    waves = []
    for year in range(cal.start.year, cal.end.year + 1):
        for first, last in ((date(year, 5, 6), date(year, 6, 28)), (date(year, 11, 2), date(year, 11, 30))):
            if first <= cal.end:
                waves.append((cal.day(first), min(cal.day(last), cal.last)))
    wave_first = np.array([w[0] for w in waves])
    wave_last = np.array([w[1] for w in waves])

    # One candidate survey per account and wave, answered or not.
    owner = np.repeat(np.arange(count), len(waves))
    wave = np.tile(np.arange(len(waves)), count)
    day = rng.integers(wave_first[wave], wave_last[wave] + 1)
    day = _weekday_shift(cal, day, wave_first[wave])
    answers = rng.random(len(owner)) < np.array([0.9, 0.78, 0.68])[p.tier[owner]]
    keep = answers & (day >= p.created[owner]) & (day < p.churned[owner])
    owner, wave, day = owner[keep], wave[keep], day[keep]
    n = len(owner)

    # Mostly satisfied; some accounts unhappy throughout, some dropping in the last waves, and
    # accounts about to churn falling away.
    mood = np.where(rng.random(count) < 0.1, rng.normal(3.3, 0.5, count), rng.normal(4.45, 0.35, count))
    drop_from = np.where(rng.random(count) < 0.1, len(waves) - rng.integers(1, 3, count), len(waves))
    drop = np.where(wave >= drop_from[owner], 1.6, 0.0) + np.where(p.churned[owner] - day < 365, 1.2, 0.0)
    score = np.clip(np.round(mood[owner] - drop + rng.normal(0.0, 0.5, n)), 1, 5).astype(np.int64)
    nps = np.clip(np.round(2 * score - 0.3 + rng.normal(0.0, 1.2, n)), 0, 10).astype(np.int64)
    group = np.array([0, 0, 0, 1, 2, 2])[score]
    comment = np.array([0, 4, 8])[group] + rng.integers(0, np.array([4, 4, 5])[group])

    order = np.lexsort((owner, day))
    owner, day, score, nps, comment = owner[order], day[order], score[order], nps[order], comment[order]
    return pl.DataFrame(
        {
            "survey_id": _ids("S", n, 6),
            "account_id": accounts["account_id"].gather(owner),
            "surveyed_on": _dates(cal, day),
            "score": pl.Series(score),
            "nps": _only(pl.Series(nps), rng.random(n) < 0.7),
            "comment": _text([c for cs in SURVEY_COMMENTS for c in cs], comment, rng.random(n) < 0.3),
        }
    )


def _targets(
    rng: np.random.Generator,
    cal: _Calendar,
    managers: pl.DataFrame,
    p: _Portfolio,
    orders: pl.DataFrame,
    order_owner: np.ndarray,
) -> pl.DataFrame:
    """Yearly revenue targets near each active manager's revenue (most fall a little short) and visit targets."""
    active = np.flatnonzero(managers["active"].to_numpy())
    years = np.arange(cal.start.year, cal.end.year + 1)
    year = orders["order_date"].dt.year().to_numpy().astype(np.int64) - cal.start.year
    revenue = np.bincount(
        p.manager[order_owner] * len(years) + year,
        weights=orders["amount"].to_numpy(),
        minlength=len(managers) * len(years),
    ).reshape(len(managers), len(years))
    # The end's year is not over: project its revenue to the full year by the order intake still to come.
    done = cal.cum[cal.last + 1] - cal.cum[cal.day(date(cal.end.year, 1, 1))]
    revenue[:, -1] *= (cal.cum[-1] - cal.cum[cal.day(date(cal.end.year, 1, 1))]) / done

    per_year = np.bincount(p.manager, weights=365 / CADENCE[p.tier], minlength=len(managers))
    manager = np.repeat(active, len(years))
    year_index = np.tile(np.arange(len(years)), len(active))
    target = np.round(revenue[manager, year_index] * rng.uniform(0.95, 1.2, len(manager)), -4)
    visits = np.round(per_year[manager] * rng.uniform(0.9, 1.1, len(manager)))
    return pl.DataFrame(
        {
            "manager_id": managers["manager_id"].gather(manager),
            "year": pl.Series(years[year_index]),
            "revenue_target": pl.Series(np.maximum(target, 100_000.0)),
            "visit_target": pl.Series(visits.astype(np.int64)),
        }
    )


# --- writing -------------------------------------------------------------------------------------


def _write(frames: dict[str, pl.DataFrame], out_dir: Path, fmt: str, split_orders: bool) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in sorted(out_dir.iterdir()):
        stem = stale.stem.lower()
        if (
            stale.is_file()
            and stale.suffix.lower() in (".csv", ".parquet")
            and any(stem == t or stem.startswith(t + "_") for t in TABLES)
        ):
            stale.unlink()
    for name, frame in frames.items():
        if name == "orders" and split_orders:
            year = frame["order_date"].dt.year()
            for value in year.unique().sort():
                _write_one(frame.filter(year == value), out_dir / f"orders_{value}.{fmt}", fmt)
        else:
            _write_one(frame, out_dir / f"{name}.{fmt}", fmt)


def _write_one(frame: pl.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path, date_format="%Y-%m-%d", datetime_format="%Y-%m-%d %H:%M:%S", float_precision=2)
