"""The service KPIs a contract's months are settled against, and the payment terms (domain §14).

A tender may state them beside its scenario:

    "payment_terms": {"at_risk_share": 0.10, "bonus_share": 0.03},
    "kpis": [{"id": "reply_3min", "name": "3分钟人工回复率", "direction": "at_least",
              "target": 0.95, "weight": 0.5}, …]

They do not touch the evaluation; :mod:`scoring.settlement` reads them month by month.
A KPI's target is checked only as a finite number ≥ 0: whether it is a share (≤ 1), a
count of seconds or a number of complaints is the tender's to say, so no upper bound is
imposed; the month's reported values are held to the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.errors import Problems
from scoring.money import ONE, ZERO, plain
from scoring.reading import check_keys, expect_dict, expect_list, join, number, text

# direction: (zh, en, sign)
DIRECTIONS = {
    "at_least": ("不低于", "at least", "≥"),
    "at_most": ("不高于", "at most", "≤"),
}


@dataclass(frozen=True)
class Kpi:
    """One KPI of the contract's annex (客户服务KPI) with its target and weight."""

    id: str
    name: str
    direction: str  # at_least | at_most
    target: Decimal
    weight: Decimal

    def is_met(self, value: Decimal | None) -> bool:
        """≥ target for ``at_least``, ≤ target for ``at_most``; a value not reported is not met."""
        if value is None:
            return False
        return value >= self.target if self.direction == "at_least" else value <= self.target

    @property
    def sign(self) -> str:
        return DIRECTIONS[self.direction][2]

    def target_text(self) -> str:
        """The target as written in a table: ``≥ 0.95``."""
        return f"{self.sign} {self.target:f}"


@dataclass(frozen=True)
class PaymentTerms:
    """The share of each month's charge held at risk against the KPIs, and the bonus share
    paid when every KPI is met. ``at_risk_share`` None: the tender names none."""

    at_risk_share: Decimal | None = None
    bonus_share: Decimal = ZERO


def parse_payment_terms(raw, path: str, problems: Problems) -> PaymentTerms:
    if raw is None:
        return PaymentTerms()
    data = expect_dict(raw, path, problems)
    if data is None:
        return PaymentTerms()
    check_keys(data, {"at_risk_share", "bonus_share"}, path, problems)
    at_risk = number(data, "at_risk_share", path, problems, default=None, minimum=0, maximum=1)
    bonus = number(data, "bonus_share", path, problems, default=ZERO, minimum=0, maximum=1)
    return PaymentTerms(at_risk, ZERO if bonus is None else bonus)


def parse_kpis(raw, path: str, problems: Problems) -> tuple[Kpi, ...]:
    """The KPI list: unique ids, a known direction, target ≥ 0, weights in [0, 1] summing to 1."""
    if raw is None:
        return ()
    items = expect_list(raw, path, problems)
    if items is None:
        return ()
    if not items:
        problems.add(path, "KPI 列表不能为空（不考核时请删除该项）", "must not be empty (leave it out instead)")
        return ()
    kpis: list[Kpi] = []
    seen: set[str] = set()
    complete = True
    for index, entry in enumerate(items):
        where = join(path, index)
        entry = expect_dict(entry, where, problems)
        if entry is None:
            complete = False
            continue
        check_keys(entry, {"id", "name", "direction", "target", "weight"}, where, problems)
        kpi_id = text(entry, "id", where, problems)
        name = text(entry, "name", where, problems, default=kpi_id or "")
        direction = _direction(entry, where, problems)
        target = number(entry, "target", where, problems, minimum=0)
        weight = number(entry, "weight", where, problems, minimum=0, maximum=1)
        if kpi_id is not None and kpi_id in seen:
            problems.add(join(where, "id"), f"KPI 编号“{kpi_id}”重复", f"KPI id '{kpi_id}' is repeated")
            complete = False
            continue
        if kpi_id is not None:
            seen.add(kpi_id)
        if None in (kpi_id, name, direction, target, weight):
            complete = False
            continue
        kpis.append(Kpi(kpi_id, name, direction, target, weight))
    if complete:
        total = sum((kpi.weight for kpi in kpis), ZERO)
        if total != ONE:
            problems.add(
                path,
                f"各 KPI 权重之和应为 1，实为 {plain(total)}",
                f"the KPI weights must sum to 1, they sum to {plain(total)}",
            )
    return tuple(kpis)


def _direction(entry: dict, where: str, problems: Problems) -> str | None:
    raw = entry.get("direction")
    at = join(where, "direction")
    if raw is None:
        problems.add(
            at,
            "缺少考核方向（at_least 不低于目标 / at_most 不高于目标）",
            "is required (at_least or at_most the target)",
        )
        return None
    if raw not in DIRECTIONS:
        problems.add(
            at,
            f"考核方向应为 at_least（不低于目标）或 at_most（不高于目标），实为 {raw!r}",
            f"must be at_least or at_most, got {raw!r}",
        )
        return None
    return raw
