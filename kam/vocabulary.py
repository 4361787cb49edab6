"""The domain's fixed words, defined once: tiers, channels, follow-up steps, severities, churn reasons, warning signs.

Each term has the code the exports and the database store (DATA_CONTRACT.md), an English
label and a Chinese one (GLOSSARY.md, DOMAIN.md). Everything else imports them from here:
the schema's allowed values, the visit form's choices, the demo generator, chart colours.
Layer 0 beside ``config``: it imports nothing of ``kam``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One word of the vocabulary: its stored code and its labels."""

    code: str
    en: str
    zh: str

    @property
    def label(self) -> str:
        """English and Chinese, as the forms show them."""
        return f"{self.en} · {self.zh}"


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

    @property
    def label(self) -> str:
        return f"{self.number} {self.en} · {self.zh}"


def codes(terms: tuple[Term, ...] | tuple[FollowUpStep, ...]) -> tuple[str, ...]:
    """The stored codes of terms, in their order."""
    return tuple(term.code for term in terms)


TIER_TERMS = (
    Term("A", "A — key account", "A类 · 重点客户"),
    Term("B", "B — general account", "B类 · 一般客户"),
    Term("C", "C — potential account", "C类 · 潜在客户"),
)
TIERS = codes(TIER_TERMS)

CHANNEL_TERMS = (
    Term("in_person", "In person", "直接访问"),
    Term("phone", "Phone", "电话"),
    Term("video", "Video", "视频"),
    Term("email", "Email", "邮件"),
    Term("mail", "Letter", "信函"),
)
CHANNELS = codes(CHANNEL_TERMS)

FOLLOW_UP_STEPS = (
    FollowUpStep("thank", 1, "In person: thank the customer", "当面致谢", ("in_person",)),
    FollowUpStep("usage", 2, "Phone: check usage", "电话回访使用情况", ("phone",)),
    FollowUpStep("relationship", 3, "Letter: keep the relationship", "信函维系关系", ("mail",)),
    FollowUpStep("survey", 4, "In person: satisfaction survey", "当面满意度调查", ("in_person",)),
    FollowUpStep("referral", 5, "Phone or in person: ask for referrals", "请求推荐", ("phone", "in_person")),
    FollowUpStep("repurchase", 6, "Letter: thank again, invite repurchase", "信函致谢并邀请复购", ("mail",)),
)
OTHER_PURPOSE = Term("other", "Other (describe)", "其他")

SEVERITY_TERMS = (
    Term("low", "Low", "低"),
    Term("medium", "Medium", "中"),
    Term("high", "High", "高"),
)
SEVERITIES = codes(SEVERITY_TERMS)

CHURN_REASON_TERMS = (
    Term("price", "Price", "价格背离"),
    Term("product", "Product", "产品背离"),
    Term("market", "Market", "市场背离"),
    Term("service", "Service", "服务背离"),
    Term("technology", "Technology", "技术背离"),
    Term("organization", "Organization", "组织背离"),
)
CHURN_REASONS = codes(CHURN_REASON_TERMS)

WARNING_SIGN_TERMS = (
    Term("creditors", "More creditors chasing them", "讨债的人增多"),
    Term("owner_unreachable", "The owner avoids meetings", "老板避而不见"),
    Term("dumping", "Dumping stock at low prices", "低价抛货"),
    Term("internal_conflict", "Internal conflict", "内部矛盾加剧"),
    Term("staff_turnover", "Staff leaving", "员工离职增加"),
    Term("business_shift", "The main business shifting", "主业转移"),
)
WARNING_SIGNS = codes(WARNING_SIGN_TERMS)
