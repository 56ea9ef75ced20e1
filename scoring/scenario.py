"""The workload scenario (用量基准, domain §4 and §9.1, §9.3).

Every quote is normalized to one monthly cost under this scenario. The derived figures
(agent shifts, monthly, new and returning inquiries) are properties, never stored twice.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from scoring.errors import Problems
from scoring.money import ONE, ZERO
from scoring.reading import check_keys, expect_dict, expect_list, join, number, text


@dataclass(frozen=True)
class WorkItem:
    """A line of the buyer's rate card with its estimated monthly quantity (§9.1)."""
    id: str
    name: str
    unit: str
    monthly_quantity: Decimal


@dataclass(frozen=True)
class VolumeScenario:
    """A named daily volume with its weight in the evaluated cost (§9.3)."""
    name: str
    daily_inquiries: Decimal
    weight: Decimal


@dataclass(frozen=True)
class MonthEntry:
    """One month of the contract as the buyer expects it (§10 ``monthly_profile``).

    ``None`` means "as in the scenario" (``cs_sales`` then follows the §10 default);
    :meth:`Scenario.month` resolves an entry into that month's scenario S_m.
    """
    label: str
    daily_inquiries: Decimal
    days: Decimal | None = None
    agents_per_shift: Decimal | None = None
    cs_sales: Decimal | None = None
    peak_days: Decimal = ZERO
    work_quantities: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class Scenario:
    days_per_month: Decimal = Decimal(30)
    daily_inquiries: Decimal = ZERO
    returning_share: Decimal = ZERO
    agents_per_shift: Decimal = ZERO
    shifts_per_day: Decimal = ONE
    hours_per_shift: Decimal = Decimal(8)
    cs_sales_per_month: Decimal = ZERO
    peak_days_per_year: Decimal = ZERO
    peak_extra_agents: Decimal = ZERO
    contract_months: Decimal = Decimal(12)
    work_items: tuple[WorkItem, ...] = ()
    volume_scenarios: tuple[VolumeScenario, ...] = ()
    monthly_profile: tuple[MonthEntry, ...] = ()
    # Set only on the scenario of one contract month (S_m of §10, or a settled month of
    # §14): that month's peak days, priced as rate × extra agents × peak days, not ÷ 12.
    month_peak_days: Decimal | None = None

    @property
    def agent_shifts(self) -> Decimal:
        return self.agents_per_shift * self.shifts_per_day

    @property
    def monthly_inquiries(self) -> Decimal:
        return self.daily_inquiries * self.days_per_month

    @property
    def returning_inquiries(self) -> Decimal:
        return self.monthly_inquiries * self.returning_share

    @property
    def new_inquiries(self) -> Decimal:
        return self.monthly_inquiries - self.returning_inquiries

    @property
    def has_peak_days(self) -> bool:
        return self.peak_days_per_year > 0

    @property
    def is_month(self) -> bool:
        return self.month_peak_days is not None

    def default_cs_sales(self, month_inquiries: Decimal) -> Decimal:
        """§10: the scenario's CS sales in proportion to the month's inquiries
        (the scenario's own figure when the scenario has no inquiries)."""
        if self.monthly_inquiries == 0:
            return self.cs_sales_per_month
        return self.cs_sales_per_month * month_inquiries / self.monthly_inquiries

    def month(self, daily_inquiries: Decimal | None = None, *, days: Decimal | None = None,
              agents_per_shift: Decimal | None = None, cs_sales: Decimal | None = None,
              peak_days: Decimal | None = None, returning_share: Decimal | None = None,
              work_quantities: dict | None = None) -> "Scenario":
        """The scenario of one month priced alone (§10 S_m, §14 a settled month): the given
        values put into this scenario, every other one as it is. ``cs_sales`` left out
        follows the §10 default; ``peak_days`` left out is 0; work quantities left out
        are the items' ``monthly_quantity``."""
        daily = self.daily_inquiries if daily_inquiries is None else daily_inquiries
        month_days = self.days_per_month if days is None else days
        if cs_sales is None:
            cs_sales = self.default_cs_sales(daily * month_days)
        items = self.work_items
        if work_quantities:
            items = tuple(replace(item, monthly_quantity=work_quantities.get(item.id, item.monthly_quantity))
                          for item in items)
        return replace(
            self, daily_inquiries=daily, days_per_month=month_days,
            agents_per_shift=self.agents_per_shift if agents_per_shift is None else agents_per_shift,
            cs_sales_per_month=cs_sales,
            returning_share=self.returning_share if returning_share is None else returning_share,
            work_items=items, volume_scenarios=(), monthly_profile=(),
            month_peak_days=ZERO if peak_days is None else peak_days)

    def profile_month(self, entry: MonthEntry) -> "Scenario":
        """S_m of §10 for one entry of the monthly profile."""
        return self.month(entry.daily_inquiries, days=entry.days, agents_per_shift=entry.agents_per_shift,
                          cs_sales=entry.cs_sales, peak_days=entry.peak_days,
                          work_quantities=dict(entry.work_quantities))

    def at_volume(self, daily_inquiries: Decimal) -> "Scenario":
        """The same scenario with another daily volume (sensitivity, volume scenarios)."""
        return replace(self, daily_inquiries=daily_inquiries)

    def work_item(self, item_id: str) -> WorkItem | None:
        for item in self.work_items:
            if item.id == item_id:
                return item
        return None

    @property
    def reference_daily_inquiries(self) -> Decimal:
        """The volume sensitivity is centred on: the scenario's, else the weighted one."""
        if self.daily_inquiries > 0 or not self.volume_scenarios:
            return self.daily_inquiries
        return sum((v.weight * v.daily_inquiries for v in self.volume_scenarios), ZERO)

    def derived(self) -> dict:
        return {
            "agent_shifts": self.agent_shifts,
            "monthly_inquiries": self.monthly_inquiries,
            "new_inquiries": self.new_inquiries,
            "returning_inquiries": self.returning_inquiries,
        }


SCENARIO_FIELDS = {
    # name: (minimum, maximum, integer, zh label, en label)
    "days_per_month": (1, 31, False, "每月服务天数", "service days per month"),
    "daily_inquiries": (0, None, False, "日均咨询量", "inquiries per day"),
    "returning_share": (0, 1, False, "老用户占比", "share of returning customers"),
    "agents_per_shift": (0, None, False, "每班坐席数", "agents per shift"),
    "shifts_per_day": (0, None, False, "每日班次", "shifts per day"),
    "hours_per_shift": (0, 24, False, "每班时长（小时）", "hours per shift"),
    "cs_sales_per_month": (0, None, False, "月客服销售额（元）", "monthly sales by customer service (CNY)"),
    "peak_days_per_year": (0, 366, False, "年大促天数", "peak days per year"),
    "peak_extra_agents": (0, None, False, "大促每日加派坐席", "extra agents per peak day"),
    "contract_months": (1, None, False, "合同月数", "contract months"),
}
_KEYS = set(SCENARIO_FIELDS) | {"work_items", "volume_scenarios"}


def parse_scenario(data, path: str, problems: Problems) -> Scenario:
    data = expect_dict(data, path, problems)
    if data is None:
        return Scenario()
    check_keys(data, _KEYS, path, problems)
    values = {}
    defaults = Scenario()
    for name, (low, high, integer, _zh, _en) in SCENARIO_FIELDS.items():
        value = number(data, name, path, problems, default=getattr(defaults, name),
                       minimum=low, maximum=high, integer=integer)
        values[name] = getattr(defaults, name) if value is None else value
    values["work_items"] = _work_items(data.get("work_items"), join(path, "work_items"), problems)
    values["volume_scenarios"] = _volume_scenarios(data.get("volume_scenarios"),
                                                   join(path, "volume_scenarios"), problems)
    return Scenario(**values)


def _work_items(raw, path: str, problems: Problems) -> tuple[WorkItem, ...]:
    if raw is None:
        return ()
    items = expect_list(raw, path, problems)
    if items is None:
        return ()
    result, seen = [], set()
    for index, entry in enumerate(items):
        where = join(path, index)
        entry = expect_dict(entry, where, problems)
        if entry is None:
            continue
        check_keys(entry, {"id", "name", "unit", "monthly_quantity"}, where, problems)
        item_id = text(entry, "id", where, problems)
        name = text(entry, "name", where, problems, default=item_id or "")
        unit = text(entry, "unit", where, problems, default="")
        quantity = number(entry, "monthly_quantity", where, problems, minimum=0)
        if item_id in seen:
            problems.add(join(where, "id"), f"工作项编号“{item_id}”重复", f"work item id '{item_id}' is repeated")
        if item_id and quantity is not None and item_id not in seen:
            result.append(WorkItem(item_id, name or item_id, unit or "", quantity))
        if item_id:
            seen.add(item_id)
    return tuple(result)


def _volume_scenarios(raw, path: str, problems: Problems) -> tuple[VolumeScenario, ...]:
    if raw is None:
        return ()
    items = expect_list(raw, path, problems)
    if items is None:
        return ()
    if not items:
        problems.add(path, "不能为空列表（不用时请删除该项）", "must not be empty (leave it out instead)")
        return ()
    result, names = [], set()
    for index, entry in enumerate(items):
        where = join(path, index)
        entry = expect_dict(entry, where, problems)
        if entry is None:
            continue
        check_keys(entry, {"name", "daily_inquiries", "weight"}, where, problems)
        name = text(entry, "name", where, problems)
        daily = number(entry, "daily_inquiries", where, problems, minimum=0)
        weight = number(entry, "weight", where, problems, minimum=0, maximum=1)
        if name in names:
            problems.add(join(where, "name"), f"情景名称“{name}”重复", f"scenario name '{name}' is repeated")
        names.add(name)
        if name and daily is not None and weight is not None:
            result.append(VolumeScenario(name, daily, weight))
    if len(result) == len(items):
        total = sum((v.weight for v in result), ZERO)
        if total != ONE:
            problems.add(path, f"各情景权重之和应为 1，实为 {total}",
                         f"the weights must sum to 1, they sum to {total}")
    return tuple(result)
