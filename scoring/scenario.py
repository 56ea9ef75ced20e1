"""The workload scenario (用量基准, domain §4 and §9.1, §9.3, §10).

Every quote is normalized to one monthly cost under this scenario. The derived figures
(agent shifts, monthly, new and returning inquiries) are properties, never stored twice.
A scenario may give the contract's months one by one (``monthly_profile``, §10); each
month is then priced alone under its own scenario S_m (:attr:`Scenario.months`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal
from functools import cached_property

from scoring.errors import Problems
from scoring.money import ONE, ZERO, plain
from scoring.reading import check_keys, check_number, expect_dict, expect_list, join, number, text


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

    def month(
        self,
        daily_inquiries: Decimal | None = None,
        *,
        days: Decimal | None = None,
        agents_per_shift: Decimal | None = None,
        cs_sales: Decimal | None = None,
        peak_days: Decimal | None = None,
        returning_share: Decimal | None = None,
        work_quantities: dict | None = None,
    ) -> Scenario:
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
            items = tuple(
                replace(item, monthly_quantity=work_quantities.get(item.id, item.monthly_quantity)) for item in items
            )
        return replace(
            self,
            daily_inquiries=daily,
            days_per_month=month_days,
            agents_per_shift=self.agents_per_shift if agents_per_shift is None else agents_per_shift,
            cs_sales_per_month=cs_sales,
            returning_share=self.returning_share if returning_share is None else returning_share,
            work_items=items,
            volume_scenarios=(),
            monthly_profile=(),
            month_peak_days=ZERO if peak_days is None else peak_days,
        )

    def profile_month(self, entry: MonthEntry) -> Scenario:
        """S_m of §10 for one entry of the monthly profile."""
        return self.month(
            entry.daily_inquiries,
            days=entry.days,
            agents_per_shift=entry.agents_per_shift,
            cs_sales=entry.cs_sales,
            peak_days=entry.peak_days,
            work_quantities=dict(entry.work_quantities),
        )

    @cached_property
    def months(self) -> tuple[tuple[MonthEntry, Scenario], ...]:
        """Each entry of the monthly profile with its scenario S_m, built once (§10)."""
        return tuple((entry, self.profile_month(entry)) for entry in self.monthly_profile)

    @cached_property
    def month_twins(self) -> tuple[int, ...]:
        """For each month, the index of the first month priced under the same S_m (itself
        when none before is): an equal month costs the same, so it is priced once."""
        scenarios = [s for _entry, s in self.months]
        return tuple(scenarios.index(s) for s in scenarios)

    @property
    def profile_inquiries(self) -> Decimal:
        """Σ (daily inquiries × days) over the monthly profile: the contract's inquiries."""
        return sum((s.monthly_inquiries for _entry, s in self.months), ZERO)

    @property
    def profile_days(self) -> Decimal:
        return sum((s.days_per_month for _entry, s in self.months), ZERO)

    def flat_average(self) -> Scenario:
        """The profile's average month as a plain scenario (no profile): every month's
        figures averaged, daily inquiries = Σ (daily × days) ÷ Σ days, the peak days
        spread over the year as ``peak_days_per_year`` (Σ peak days × 12 ÷ months).
        A quote whose cost is linear in each figure costs the same on it as over the
        profile; a minimum, a package or a tier shows the difference (§10)."""
        if not self.monthly_profile:
            return self
        months = [s for _entry, s in self.months]
        count = Decimal(len(months))
        days = self.profile_days

        def mean(values) -> Decimal:
            return sum(values, ZERO) / count

        items = tuple(
            replace(item, monthly_quantity=mean(s.work_item(item.id).monthly_quantity for s in months))
            for item in self.work_items
        )
        return replace(
            self,
            monthly_profile=(),
            volume_scenarios=(),
            month_peak_days=None,
            work_items=items,
            days_per_month=days / count,
            daily_inquiries=self.profile_inquiries / days if days else ZERO,
            agents_per_shift=mean(s.agents_per_shift for s in months),
            cs_sales_per_month=mean(s.cs_sales_per_month for s in months),
            peak_days_per_year=mean(s.month_peak_days for s in months) * 12,
        )

    def at_volume(self, daily_inquiries: Decimal) -> Scenario:
        """The same scenario with another daily volume (sensitivity, volume scenarios)."""
        # A copy of the fields with one changed: dataclasses.replace runs __init__ over
        # every field, and the sensitivity makes thousands of these.
        copy = object.__new__(Scenario)
        values = copy.__dict__
        for name in _FIELD_NAMES:
            values[name] = self.__dict__[name]
        values["daily_inquiries"] = daily_inquiries
        return copy

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


_FIELD_NAMES = tuple(f.name for f in fields(Scenario))

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
_KEYS = set(SCENARIO_FIELDS) | {"work_items", "volume_scenarios", "monthly_profile"}


def parse_scenario(data, path: str, problems: Problems) -> Scenario:
    data = expect_dict(data, path, problems)
    if data is None:
        return Scenario()
    check_keys(data, _KEYS, path, problems)
    values = {}
    defaults = Scenario()
    for name, (low, high, integer, _zh, _en) in SCENARIO_FIELDS.items():
        value = number(
            data, name, path, problems, default=getattr(defaults, name), minimum=low, maximum=high, integer=integer
        )
        values[name] = getattr(defaults, name) if value is None else value
    values["work_items"] = _work_items(data.get("work_items"), join(path, "work_items"), problems)
    values["volume_scenarios"] = _volume_scenarios(
        data.get("volume_scenarios"), join(path, "volume_scenarios"), problems
    )
    if data.get("monthly_profile") is not None:
        values["monthly_profile"] = _monthly_profile(data, path, problems, values)
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
            problems.add(path, f"各情景权重之和应为 1，实为 {total}", f"the weights must sum to 1, they sum to {total}")
    return tuple(result)


_MONTH_KEYS = {"label", "daily_inquiries", "days", "agents_per_shift", "cs_sales", "peak_days", "work_quantities"}


def _monthly_profile(data: dict, path: str, problems: Problems, values: dict) -> tuple[MonthEntry, ...]:
    """The contract's months one by one (§10): exactly ``contract_months`` entries, in
    contract order; with a profile the year's peak days and volume scenarios are the
    profile's business, so giving them too is a conflict."""
    where = join(path, "monthly_profile")
    for key, zh, en in (
        ("peak_days_per_year", "年大促天数", "peak days per year"),
        ("volume_scenarios", "业务量情景", "volume scenarios"),
    ):
        if data.get(key) is not None:
            problems.add(
                join(path, key),
                f"已给出逐月用量（monthly_profile），不能再给出{zh}（{key}）：大促天数与业务量按月给出",
                f"'{key}' ({en}) cannot be given with a monthly profile: the months give them",
            )
    items = expect_list(data["monthly_profile"], where, problems)
    if items is None:
        return ()
    months = values["contract_months"]
    if Decimal(len(items)) != months:
        problems.add(
            where,
            f"逐月用量应有 {plain(months)} 个月（合同月数 contract_months），实有 {len(items)} 个月",
            f"must give {plain(months)} months (contract_months), it gives {len(items)}",
        )
    known_items = {item.id for item in values["work_items"]}
    entries, labels = [], set()
    for index, raw in enumerate(items):
        at = join(where, index)
        raw = expect_dict(raw, at, problems)
        if raw is None:
            continue
        check_keys(raw, _MONTH_KEYS, at, problems)
        if isinstance(raw.get("label"), int) and not isinstance(raw.get("label"), bool):
            raw = {**raw, "label": str(raw["label"])}  # a month number given as a number
        label = text(raw, "label", at, problems, default=str(index + 1))
        daily = number(raw, "daily_inquiries", at, problems, minimum=0)
        days = number(raw, "days", at, problems, default=None, minimum=0, maximum=31)
        if days == 0:
            problems.add(join(at, "days"), "当月服务天数至少为 1", "a month has at least 1 service day")
            days = None
        agents = number(raw, "agents_per_shift", at, problems, default=None, minimum=0)
        cs_sales = number(raw, "cs_sales", at, problems, default=None, minimum=0)
        peak_days = number(raw, "peak_days", at, problems, default=ZERO, minimum=0)
        month_days = days if days is not None else values["days_per_month"]
        if peak_days is not None and month_days is not None and peak_days > month_days:
            problems.add(
                join(at, "peak_days"),
                f"大促天数 {plain(peak_days)} 多于本月服务天数 {plain(month_days)}",
                f"{plain(peak_days)} peak days are more than the month's {plain(month_days)} service days",
            )
            peak_days = None
        quantities = _work_quantities(raw.get("work_quantities"), join(at, "work_quantities"), known_items, problems)
        if label in labels:
            problems.add(join(at, "label"), f"月份名称“{label}”重复", f"month label '{label}' is repeated")
        labels.add(label)
        if None not in (label, daily, peak_days, quantities):
            entries.append(MonthEntry(label, daily, days, agents, cs_sales, peak_days, quantities))
    return tuple(entries)


def _work_quantities(raw, path: str, known: set, problems: Problems) -> tuple[tuple[str, Decimal], ...] | None:
    if raw is None:
        return ()
    data = expect_dict(raw, path, problems)
    if data is None:
        return None
    quantities, ok = [], True
    for item_id, value in data.items():
        where = join(path, item_id)
        if item_id not in known:
            problems.add(where, f"用量基准中没有工作项“{item_id}”", f"the scenario has no work item '{item_id}'")
            ok = False
            continue
        quantity = check_number(value, where, problems, minimum=0)
        if quantity is None:
            ok = False
        else:
            quantities.append((item_id, quantity))
    return tuple(quantities) if ok else None
