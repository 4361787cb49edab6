"""The domain's fixed words, defined once: tiers, channels, follow-up steps, severities, churn reasons, warning signs.

Each term has the code the exports and the database store (DATA_CONTRACT.md), an English
label and a Chinese one (GLOSSARY.md, DOMAIN.md). Everything else imports them from here:
the schema's allowed values, the visit form's choices, the demo generator, chart colours.
Layer 0 beside ``config``: it imports nothing of ``kam``.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a label for the translation catalogs (kam.i18n.N_; this layer imports nothing of kam).

    The English label is the message id, translated where it is shown.
    """
    return message


def NP_(context: str, message: str) -> str:
    """Mark a label of a context for the catalogs, as kam.i18n.NP_ does (context and id joined)."""
    return f"{context}\x04{message}"


@dataclass(frozen=True)
class Term:
    """One word of the vocabulary: its stored code, its English label (a message id) and its Chinese name.

    zh is the word of the source texts, which exports may also use for the code.
    """

    code: str
    en: str
    zh: str


@dataclass(frozen=True)
class FollowUpStep:
    """A step of the six-step follow-up after a sale (DOMAIN.md), with the channels it usually uses."""

    code: str
    number: int
    en: str
    zh: str
    channels: tuple[str, ...]

    @property
    def stored(self) -> str:
        """The visit purpose text the CRM exports use for the step."""
        return f"{self.number} {self.zh}"


def codes(terms: tuple[Term, ...] | tuple[FollowUpStep, ...]) -> tuple[str, ...]:
    """The stored codes of terms, in their order."""
    return tuple(term.code for term in terms)


TIER_TERMS = (
    Term("A", N_("A — key account"), "A类 · 重点客户"),
    Term("B", N_("B — general account"), "B类 · 一般客户"),
    Term("C", N_("C — potential account"), "C类 · 潜在客户"),
)
TIERS = codes(TIER_TERMS)

CHANNEL_TERMS = (
    Term("in_person", N_("In person"), "直接访问"),
    Term("phone", N_("Phone"), "电话"),
    Term("video", N_("Video"), "视频"),
    Term("email", N_("Email"), "邮件"),
    Term("mail", N_("Letter"), "信函"),
)
CHANNELS = codes(CHANNEL_TERMS)

FOLLOW_UP_STEPS = (
    FollowUpStep("thank", 1, N_("In person: thank the customer"), "当面致谢", ("in_person",)),
    FollowUpStep("usage", 2, N_("Phone: check usage"), "电话回访使用情况", ("phone",)),
    FollowUpStep("relationship", 3, N_("Letter: keep the relationship"), "信函维系关系", ("mail",)),
    FollowUpStep("survey", 4, N_("In person: satisfaction survey"), "当面满意度调查", ("in_person",)),
    FollowUpStep("referral", 5, N_("Phone or in person: ask for referrals"), "请求推荐", ("phone", "in_person")),
    FollowUpStep("repurchase", 6, N_("Letter: thank again, invite repurchase"), "信函致谢并邀请复购", ("mail",)),
)
OTHER_PURPOSE = Term("other", N_("Other (describe)"), "其他")

SEVERITY_TERMS = (
    Term("low", N_("Low"), "低"),
    Term("medium", N_("Medium"), "中"),
    Term("high", N_("High"), "高"),
)
SEVERITIES = codes(SEVERITY_TERMS)

CHURN_REASON_TERMS = (
    Term("price", NP_("churn cause", "Price"), "价格背离"),
    Term("product", NP_("churn cause", "Product"), "产品背离"),
    Term("market", NP_("churn cause", "Market"), "市场背离"),
    Term("service", NP_("churn cause", "Service"), "服务背离"),
    Term("technology", NP_("churn cause", "Technology"), "技术背离"),
    Term("organization", NP_("churn cause", "Organization"), "组织背离"),
)
CHURN_REASONS = codes(CHURN_REASON_TERMS)

WARNING_SIGN_TERMS = (
    Term("creditors", N_("More creditors chasing them"), "讨债的人增多"),
    Term("owner_unreachable", N_("The owner avoids meetings"), "老板避而不见"),
    Term("dumping", N_("Dumping stock at low prices"), "低价抛货"),
    Term("internal_conflict", N_("Internal conflict"), "内部矛盾加剧"),
    Term("staff_turnover", N_("Staff leaving"), "员工离职增加"),
    Term("business_shift", N_("The main business shifting"), "主业转移"),
)
WARNING_SIGNS = codes(WARNING_SIGN_TERMS)

# The figures of a manager's quarter scorecard (kam.metrics.managers.scorecard) a review keeps when signed off.
REVIEW_FIGURES = (
    "revenue",
    "target",
    "attainment",
    "visit_coverage",
    "sla_met_pct",
    "csat_pct",
    "plan_coverage",
    "executive_coverage",
)
