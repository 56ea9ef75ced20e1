"""The tender form ⇄ the tender definition JSON (domain §3), and problems → form fields.

:func:`form_to_definition` reads the form into the §3 dict (numbers as given, so
``scoring`` reports wrong ones at their path), :func:`definition_to_formdata` fills a
form from a dict (edit, import, amendment), and :func:`place_problems` puts every
``scoring`` problem next to the field it names — ``criteria[2].weight`` on
``criteria-2-weight`` — in the user's language.
"""

from __future__ import annotations

import json
import re

from werkzeug.datastructures import MultiDict

from scoring import Problem
from scoring.criteria import OBJECTIVE_KEYS, OBJECTIVE_RULES
from scoring.times import parse_time
from tender.platform.formfields import to_decimal_or_none
from tender.platform.i18n import problem_text
from tender.platform.labels import pricing_label
from tender.platform.timefmt import local_input_value, to_iso_shanghai
from tender.tenders import builder, kpis_form, lots_form, profile
from tender.tenders.builder import DOCUMENT, OTHER, fact_unit, rule_value, rule_value_text

# The objective rules' parameters written as lines of steps ("<= 60 : 5"), not as one number.
STEP_KEYS = tuple(
    dict.fromkeys(p.key for rule in OBJECTIVE_RULES.values() for p in rule.parameters if p.kind == "steps")
)
LISTS = (
    "qualification_rules",
    "criteria",
    "scenario-work_items",
    "scenario-volume_scenarios",
    "scenario-monthly_profile",
    kpis_form.ROW_LIST,
)
SCENARIO_NUMBERS = (
    "days_per_month",
    "daily_inquiries",
    "returning_share",
    "agents_per_shift",
    "shifts_per_day",
    "hours_per_shift",
    "cs_sales_per_month",
    "peak_days_per_year",
    "peak_extra_agents",
    "contract_months",
)
QUALITY_KEYS = (
    "first_response_seconds_max",
    "complaint_reply_hours_max",
    "complaint_solution_hours_max",
    "satisfaction_min",
)
TOP_NUMBERS = ("abnormal_low_ratio", "price_ceiling", "sme_price_deduction", "min_valid_bids", "challenge_days")
TRUE_WORDS = {"yes", "y", "true", "是", "有", "1"}
FALSE_WORDS = {"no", "n", "false", "否", "无", "0"}


def num(text):
    """Typed number → int when whole, decimal text otherwise; unreadable text is passed on
    as typed (``scoring`` then names it); empty → ``None``."""
    if text is None or not str(text).strip():
        return None
    value = to_decimal_or_none(text)
    if value is None:
        return str(text).strip()
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def _text(value) -> str:
    return "" if value is None else str(value)


# --------------------------------------------------------------------------- mini syntaxes

STEP_CONDITION = re.compile(r"^\s*(?P<fact>[A-Za-z_][\w.]*)?\s*(?P<op>>=|<=|≥|≤)\s*(?P<value>[^\s&,，]+)\s*$")


def parse_steps(text: str, path: str, problems: list[Problem]) -> list[dict]:
    """``<= 60 : 5`` or ``answer_rate >= 0.92 & avg_handle_seconds <= 150 : 10``, one per line."""
    steps = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        head, sep, points = line.replace("：", ":").rpartition(":")
        conditions = []
        for part in re.split(r"&|，|,| and ", head) if sep else []:
            match = STEP_CONDITION.match(part)
            if not match:
                conditions = None
                break
            key = "at_least" if match["op"] in (">=", "≥") else "at_most"
            condition = {key: num(match["value"])}
            if match["fact"]:
                condition = {"fact": match["fact"], **condition}
            conditions.append(condition)
        if not sep or not conditions or not points.strip():
            problems.append(
                Problem(
                    path,
                    f"第 {number} 行应写成“<= 60 : 5”或“fact >= 3 : 8”",
                    f"line {number} must read like '<= 60 : 5' or 'fact >= 3 : 8'",
                )
            )
            continue
        if len(conditions) == 1:
            steps.append({**conditions[0], "points": num(points)})
        else:
            steps.append({"all": conditions, "points": num(points)})
    return steps


def _new_id(row, criteria: list[dict], rows) -> str:
    """An id for a criterion added on the form (the buyer never types one): ``price`` for the
    price, else ``c1``, ``c2``… not used by another row."""
    taken = {c.get("id") for c in criteria} | {(r.form.id.data or "").strip() for r in rows.entries}
    if row.kind.data == "price" and "price" not in taken:
        return "price"
    number = 1
    while f"c{number}" in taken:
        number += 1
    return f"c{number}"


def subject_of(selected: str | None, custom: str | None) -> tuple[str, str]:
    """("fact" or "document", name) from the builder's select and its "other fact" words."""
    selected, custom = (selected or "").strip(), (custom or "").strip()
    if selected.startswith(DOCUMENT):
        return "document", selected[len(DOCUMENT) :]
    if selected in ("", OTHER):
        return "fact", custom
    return "fact", selected


def read_step_rows(step_rows, unit: str) -> tuple[list[dict], list[int]]:
    """The step rows ("at most 30 seconds: 10 points") as §7.2 steps, with their form rows."""
    steps, rows = [], []
    for index, entry in enumerate(step_rows.entries):
        row = entry.form
        if not (row.value.data or "").strip() and not (row.points.data or "").strip():
            continue
        key = "at_least" if row.op.data == "at_least" else "at_most"
        steps.append({key: builder.read_value(row.value.data, unit), "points": num(row.points.data)})
        rows.append(index)
    return steps, rows


def steps_to_text(steps) -> str:
    lines = []
    for step in steps or []:
        conditions = step.get("all") or [step]
        parts = []
        for condition in conditions:
            op, value = (">=", condition["at_least"]) if "at_least" in condition else ("<=", condition.get("at_most"))
            parts.append(f"{condition['fact']} {op} {value}" if "fact" in condition else f"{op} {value}")
        lines.append(f"{' & '.join(parts)} : {step.get('points')}")
    return "\n".join(lines)


BAND_LINE = re.compile(r"^\s*(?P<label>[^:：]+?)\s*[:：]\s*(?P<min>[^\s\-–~～]+)\s*[-–~～]\s*(?P<max>\S+)\s*$")


def parse_bands(text: str, path: str, problems: list[Problem]) -> list[dict] | None:
    """``一档: 0 - 15`` one per line; ``None`` when there are none."""
    bands = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = BAND_LINE.match(line)
        if not match:
            problems.append(
                Problem(
                    path, f"第 {number} 行应写成“二档: 15.1 - 35”", f"line {number} must read like '二档: 15.1 - 35'"
                )
            )
            continue
        bands.append({"label": match["label"], "min": num(match["min"]), "max": num(match["max"])})
    return bands or None


def bands_to_text(bands) -> str:
    return "\n".join(f"{b.get('label')}: {b.get('min')} - {b.get('max')}" for b in bands or [])


def parse_parameters(model: str, text: str, path: str, problems: list[Problem]) -> dict | None:
    """Reference pricing from ``name = value`` lines (JSON values allowed for tiers and fees)."""
    if not model:
        return None
    pricing: dict = {"model": model}
    prices: dict = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, raw = line.partition("=")
        key, raw = parameter_key(key.strip()), raw.strip()
        if not sep or not key:
            problems.append(
                Problem(path, f"第 {number} 行应写成“名称 = 值”", f"line {number} must read 'name = value'")
            )
            continue
        if raw[:1] in "[{":
            try:
                value = json.loads(raw)
            except ValueError:
                problems.append(
                    Problem(path, f"第 {number} 行的 JSON 无法读取", f"line {number}: the JSON cannot be read")
                )
                continue
        elif raw.lower() in ("true", "false"):
            value = raw.lower() == "true"
        else:
            value = num(raw) if to_decimal_or_none(raw) is not None else raw
        if model == "line_items" and key != "prices":
            prices[key] = value
        else:
            pricing[key] = value
    if prices:
        pricing["prices"] = prices
    return pricing


def parameter_key(written: str) -> str:
    """A reference price's parameter from its name in either language (``新用户单价（元/咨询）``,
    ``rate per new-customer inquiry (CNY)``) or its code; anything else as written."""
    from scoring.pricing import PARAMETERS

    wanted = " ".join(written.split()).lower()
    for code, param in PARAMETERS.items():
        if wanted in (code, param.zh.lower(), param.en.lower()):
            return code
    return written


def parameters_to_text(pricing: dict | None) -> tuple[str, str]:
    if not pricing:
        return "", ""
    lines = []
    for key, value in pricing.items():
        if key == "model":
            continue
        if key == "prices" and pricing.get("model") == "line_items" and isinstance(value, dict):
            lines += [f"{item} = {price}" for item, price in value.items()]
        elif isinstance(value, (list, dict)):
            lines.append(f"{pricing_label(key)} = {json.dumps(value, ensure_ascii=False)}")
        else:
            lines.append(f"{pricing_label(key)} = {str(value).lower() if isinstance(value, bool) else value}")
    return str(pricing.get("model", "")), "\n".join(lines)


# --------------------------------------------------------------------------- form → definition


class Reading:
    """The definition read from a form, its parse problems, and row-index maps."""

    def __init__(self):
        self.definition: dict = {}
        self.problems: list[Problem] = []
        self.rows: dict[str, list[int]] = {}  # JSON list path → form row index of each item


def _rows(field_list) -> list:
    return list(field_list.entries)


def read_scenario(scenario_form, reading, dotted: str, num) -> tuple[dict, dict]:
    """(the scenario, its work items' unit price ceilings) of a scenario form: the tender's own
    (``dotted`` "scenario") or a lot's (§13); the rows read are noted under ``dotted``."""
    scenario = {k: num(scenario_form[k].data) for k in SCENARIO_NUMBERS}
    scenario = {k: v for k, v in scenario.items() if v is not None}
    items, ceilings, rows = [], {}, []
    for index, entry in enumerate(scenario_form.work_items.entries):
        row = entry.form
        if not any(
            (row[k].data or "").strip() for k in ("id", "name", "unit", "monthly_quantity", "unit_price_ceiling")
        ):
            continue
        item = {
            "id": (row.id.data or "").strip(),
            "name": (row.name.data or "").strip(),
            "unit": (row.unit.data or "").strip(),
            "monthly_quantity": num(row.monthly_quantity.data),
        }
        items.append({k: v for k, v in item.items() if v not in (None, "")})
        rows.append(index)
        if num(row.unit_price_ceiling.data) is not None:
            ceilings[item["id"]] = num(row.unit_price_ceiling.data)
    reading.rows[f"{dotted}.work_items"] = rows
    if items:
        scenario["work_items"] = items
    volumes, rows = [], []
    for index, entry in enumerate(scenario_form.volume_scenarios.entries):
        row = entry.form
        if not any((row[k].data or "").strip() for k in ("name", "daily_inquiries", "weight")):
            continue
        volumes.append(
            {
                "name": (row.name.data or "").strip(),
                "daily_inquiries": num(row.daily_inquiries.data),
                "weight": num(row.weight.data),
            }
        )
        rows.append(index)
    reading.rows[f"{dotted}.volume_scenarios"] = rows
    if volumes:
        scenario["volume_scenarios"] = volumes
    months = profile.read_profile(scenario_form, reading, dotted)
    if months:
        scenario["monthly_profile"] = months
    return scenario, ceilings


def form_to_definition(form) -> Reading:
    reading = Reading()
    d = reading.definition
    for key in ("title", "buyer", "project_code", "opening_place", "description"):
        value = (form[key].data or "").strip()
        if value:
            d[key] = value
    d["currency"] = "CNY"
    for key in ("bid_deadline", "opening_time"):
        raw = (form[key].data or "").strip()
        if raw:
            try:
                d[key] = to_iso_shanghai(parse_time(raw))
            except ValueError:
                d[key] = raw  # scoring names the field and the expected format

    scope = form.service_scope
    service_scope = {k: list(scope[k].data or []) for k in ("platforms", "channels", "services") if scope[k].data}
    for key in ("service_hours", "days"):
        if (scope[key].data or "").strip():
            service_scope[key] = scope[key].data.strip()
    if service_scope:
        d["service_scope"] = service_scope
    quality = {k: num(form.quality_requirements[k].data) for k in QUALITY_KEYS}
    quality = {k: v for k, v in quality.items() if v is not None}
    if quality:
        d["quality_requirements"] = quality

    scenario, ceilings = read_scenario(form.scenario, reading, "scenario", num)
    d["scenario"] = scenario
    if ceilings:
        d["unit_price_ceilings"] = ceilings

    rules, rows = [], []
    for index, entry in enumerate(_rows(form.qualification_rules)):
        row = entry.form
        kind, subject = subject_of(row.subject.data, row.custom.data)
        if not subject and not (row.value.data or "").strip() and not (row.label.data or "").strip():
            continue
        if not subject:
            reading.problems.append(
                Problem(
                    f"qualification_rules[{len(rules)}].{kind}",
                    "请选择审查项目，或用文字写明其他条件",
                    "choose what the rule checks, or name the other fact in words",
                )
            )
        rule = {kind: subject, "op": row.op.data}
        if row.op.data != "present":
            rule["value"] = rule_value(row.op.data, row.value.data, row.unit.data or fact_unit(subject))
        for key in ("label", "label_en"):
            if (row[key].data or "").strip():
                rule[key] = row[key].data.strip()
        if not row.mandatory.data:
            rule["mandatory"] = False
        rules.append(rule)
        rows.append(index)
    reading.rows["qualification_rules"] = rows
    if rules:
        d["qualification_rules"] = rules

    criteria, rows = [], []
    for index, entry in enumerate(_rows(form.criteria)):
        row = entry.form
        if not any((row[k].data or "").strip() for k in ("id", "name", "weight")):
            continue
        criterion = {
            "id": (row.id.data or "").strip() or _new_id(row, criteria, form.criteria),
            "name": (row.name.data or "").strip(),
            "name_en": (row.name_en.data or "").strip() or None,
            "kind": row.kind.data,
            "weight": num(row.weight.data),
        }
        where = f"criteria[{len(criteria)}]"
        if row.kind.data == "objective":
            criterion["rule"] = row.rule.data or None
            _kind, fact = subject_of(row.fact.data, row.custom.data)
            if fact:
                criterion["fact"] = fact
            rule = OBJECTIVE_RULES.get(row.rule.data)
            for parameter in rule.parameters if rule else ():
                field = row[parameter.key]
                if parameter.kind == "steps" and (field.data or "").strip():
                    criterion[parameter.key] = parse_steps(field.data, f"{where}.{parameter.key}", reading.problems)
                elif parameter.kind == "steps":
                    criterion[parameter.key], reading.rows[f"{where}.{parameter.key}"] = read_step_rows(
                        row.step_rows, row.unit.data or fact_unit(fact)
                    )
                elif parameter.required or num(field.data) is not None:
                    criterion[parameter.key] = num(field.data)
        elif row.kind.data == "subjective":
            criterion["aggregate"] = row.aggregate.data or "mean"
            bands = parse_bands(row.bands.data, f"{where}.bands", reading.problems)
            if bands:
                criterion["bands"] = bands
        criteria.append({k: v for k, v in criterion.items() if v is not None or k in ("weight", "rule")})
        rows.append(index)
    reading.rows["criteria"] = rows
    d["criteria"] = criteria

    pm = form.price_method
    price_method = {"method": pm.method.data}
    if pm.method.data == "average_deviation":
        for key in ("above_per_pct", "below_per_pct"):
            if num(pm[key].data) is not None:
                price_method[key] = num(pm[key].data)
        price_method["drop_extremes"] = bool(pm.drop_extremes.data)
    d["price_method"] = price_method
    for key in TOP_NUMBERS:
        if num(form[key].data) is not None:
            d[key] = num(form[key].data)
    sections = [line.strip() for line in re.split(r"[\n;；]+", form.required_sections.data or "") if line.strip()]
    if sections:
        d["required_sections"] = sections
    award = {}
    if num(form.award.winners.data) is not None:
        award["winners"] = num(form.award.winners.data)
    shares = [num(s) for s in re.split(r"[,，/\s]+", form.award.shares.data or "") if s.strip()]
    if shares:
        award["shares"] = shares
    if award and award != {"winners": 1}:
        d["award"] = award
    reference = parse_parameters(
        form.reference_pricing.model.data, form.reference_pricing.parameters.data, "reference_pricing", reading.problems
    )
    if reference:
        d["reference_pricing"] = reference
    kpis_form.read(form, reading)
    lots_form.read_lots(form, reading, num)  # the lots (§13): their own section of the form
    return reading


# --------------------------------------------------------------------------- definition → form data


def keep_untouched_times(definition: dict, stored: dict) -> dict:
    """The form shows the deadline and opening time to the minute; one sent back as shown
    (untouched) keeps its stored value exactly, seconds included (an imported tender, the
    demo's), so saving never moves it by the seconds the form cannot show."""
    for key in ("bid_deadline", "opening_time"):
        try:
            typed, kept = parse_time(definition.get(key)), parse_time(stored.get(key))
        except (TypeError, ValueError):
            continue
        if typed is not None and kept is not None and typed == kept.replace(second=0, microsecond=0):
            definition[key] = stored[key]
    return definition


def definition_to_formdata(d: dict) -> MultiDict:
    """Form data (as a browser would post it) for a definition; unknown parts are left out."""
    data = MultiDict()

    def put(name, value):
        if value is not None and value != "":
            data.add(name, str(value))

    def put_fact(prefix, key, name):
        if name and not builder.known_fact(str(name)):
            put(f"{prefix}-{key}", OTHER)
            put(f"{prefix}-custom", name)
        else:
            put(f"{prefix}-{key}", name)

    for key in ("title", "buyer", "project_code", "opening_place", "description"):
        put(key, d.get(key))
    for key in ("bid_deadline", "opening_time"):
        if d.get(key):
            try:
                put(key, local_input_value(parse_time(d[key])))
            except ValueError:
                put(key, d[key])
    scope = d.get("service_scope") or {}
    for key in ("platforms", "channels", "services"):
        for code in scope.get(key) or []:
            data.add(f"service_scope-{key}", code)
    for key in ("service_hours", "days"):
        put(f"service_scope-{key}", scope.get(key))
    for key, value in (d.get("quality_requirements") or {}).items():
        put(f"quality_requirements-{key}", value)
    scenario = d.get("scenario") or {}
    for key in SCENARIO_NUMBERS:
        put(f"scenario-{key}", scenario.get(key))
    ceilings = d.get("unit_price_ceilings") or {}
    for i, item in enumerate(scenario.get("work_items") or []):
        for key in ("id", "name", "unit", "monthly_quantity"):
            put(f"scenario-work_items-{i}-{key}", item.get(key))
        put(f"scenario-work_items-{i}-unit_price_ceiling", ceilings.get(item.get("id")))
    for i, volume in enumerate(scenario.get("volume_scenarios") or []):
        for key in ("name", "daily_inquiries", "weight"):
            put(f"scenario-volume_scenarios-{i}-{key}", volume.get(key))
    profile.profile_formdata(scenario, "scenario", data)
    for i, rule in enumerate(d.get("qualification_rules") or []):
        prefix = f"qualification_rules-{i}"
        if "document" in rule:
            put(f"{prefix}-subject", DOCUMENT + str(rule.get("document")))
        else:
            put_fact(prefix, "subject", rule.get("fact"))
        put(f"{prefix}-op", rule.get("op"))
        unit = "" if "document" in rule or rule.get("op") in ("covers", "present") else fact_unit(rule.get("fact"))
        put(f"{prefix}-unit", unit)
        put(f"{prefix}-value", rule_value_text(rule.get("value"), unit))
        put(f"{prefix}-label", rule.get("label"))
        put(f"{prefix}-label_en", rule.get("label_en"))
        if rule.get("mandatory", True):
            put(f"{prefix}-mandatory", "y")
    for i, criterion in enumerate(d.get("criteria") or []):
        prefix = f"criteria-{i}"
        for key in ("id", "name", "name_en", "kind", "weight", "rule", "aggregate"):
            put(f"{prefix}-{key}", criterion.get(key))
        if criterion.get("fact"):
            put_fact(prefix, "fact", criterion.get("fact"))
        unit = fact_unit(criterion.get("fact"))
        put(f"{prefix}-unit", unit)
        for key in OBJECTIVE_KEYS:
            value = criterion.get(key)
            if key not in STEP_KEYS:
                put(f"{prefix}-{key}", value)
            elif any("all" in step or "fact" in step for step in value or []):
                put(f"{prefix}-{key}", steps_to_text(value))  # steps on several facts: as lines
            else:
                for j, step in enumerate(value or []):
                    op = "at_least" if "at_least" in step else "at_most"
                    put(f"{prefix}-step_rows-{j}-op", op)
                    put(f"{prefix}-step_rows-{j}-value", builder.value_in_unit(step.get(op), unit))
                    put(f"{prefix}-step_rows-{j}-points", step.get("points"))
        put(f"{prefix}-bands", bands_to_text(criterion.get("bands")))
    method = d.get("price_method") or {}
    put("price_method-method", method.get("method", "lowest_price"))
    put("price_method-above_per_pct", method.get("above_per_pct"))
    put("price_method-below_per_pct", method.get("below_per_pct"))
    if method.get("drop_extremes"):
        put("price_method-drop_extremes", "y")
    for key in TOP_NUMBERS:
        put(key, d.get(key))
    put("required_sections", "\n".join(d.get("required_sections") or []))
    award = d.get("award") or {}
    put("award-winners", award.get("winners"))
    put("award-shares", ", ".join(str(s) for s in award.get("shares") or []))
    model, parameters = parameters_to_text(d.get("reference_pricing"))
    put("reference_pricing-model", model)
    put("reference_pricing-parameters", parameters)
    kpis_form.formdata(d, put)
    lots_form.put_lots(d, data)
    return data


# --------------------------------------------------------------------------- problems → fields

PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _field_names(form) -> dict:
    names = {}

    def walk(field):
        names[field.name] = field
        if hasattr(field, "entries"):
            for entry in field.entries:
                walk(entry)
        elif hasattr(field, "form") and hasattr(field.form, "_fields"):
            for sub in field.form:
                walk(sub)

    for field in form:
        walk(field)
    return names


def _json_path_to_parts(path: str, reading: Reading) -> list[str]:
    parts: list[str] = []
    dotted: list[str] = []
    for key, index in PATH_PART.findall(path):
        if key:
            parts.append(key)
            dotted.append(key)
        else:
            listed = ".".join(dotted)
            rows = reading.rows.get(listed)
            parts.append(str(rows[int(index)] if rows and int(index) < len(rows) else index))
            dotted.append(f"[{index}]")
    return parts


def _builder_parts(path: str, parts: list[str], reading: Reading, names: dict) -> list[str]:
    """A problem of a rule's fact, or of a step, on the builder's field: the subject select
    (or the "other fact" words), the step row's value or points."""
    if len(parts) >= 3 and parts[0] in ("qualification_rules", "criteria") and parts[2] in ("fact", "document"):
        select = "subject" if parts[0] == "qualification_rules" else "fact"
        field = names.get("-".join(parts[:2] + [select]))
        custom = field is not None and (field.data or "") in ("", OTHER) and parts[2] == "fact"
        return parts[:2] + ["custom" if custom else select]
    if len(parts) >= 3 and parts[0] == "criteria" and parts[2] == "id":
        return parts[:2] + ["name"]  # the id is the form's own: its problem is the name's
    if len(parts) >= 4 and parts[0] == "criteria" and parts[2] in STEP_KEYS:
        match = re.match(r"^(criteria\[\d+\]\.\w+)\[(\d+)\]", path)
        rows = reading.rows.get(match[1]) if match else None
        if rows is not None and int(match[2]) < len(rows):
            return parts[:2] + [
                "step_rows",
                str(rows[int(match[2])]),
                "points" if parts[4:5] == ["points"] else "value",
            ]
    return parts


def place_problems(form, problems, reading: Reading) -> list[tuple[str, str]]:
    """Attach each problem to its field's errors; return the others as (section, text),
    the section being the first part of the path (``criteria`` for the weight sum)."""
    names = _field_names(form)
    unplaced = []
    for problem in problems:
        path = problem.path or ""
        parts = _json_path_to_parts(path, reading)
        if parts[:1] == ["unit_price_ceilings"] and len(parts) > 1:
            ids = [item.get("id") for item in reading.definition.get("scenario", {}).get("work_items", [])]
            if parts[1] in ids:
                row = reading.rows["scenario.work_items"][ids.index(parts[1])]
                parts = ["scenario", "work_items", str(row), "unit_price_ceiling"]
        if parts[:2] == ["award", "shares"]:
            parts = ["award", "shares"]
        if parts[:1] == ["reference_pricing"]:
            parts = ["reference_pricing", "parameters"] if parts[1:2] != ["model"] else parts[:2]
        parts = _builder_parts(path, parts, reading, names)
        if len(parts) >= 3 and parts[0] == "criteria" and parts[2] in (*STEP_KEYS, "bands"):
            parts = parts[:3]
        parts = profile.problem_parts(parts, names)
        placed = False
        for length in range(len(parts), 0, -1):
            name = "-".join(parts[:length])
            field = names.get(name)
            if (
                field is not None
                and hasattr(field, "errors")
                and not hasattr(field, "entries")
                and not (hasattr(field, "form") and hasattr(field.form, "_fields"))
            ):
                if not isinstance(field.errors, list):
                    field.errors = list(field.errors)
                field.errors.append(problem_text(problem, with_path=length < len(parts)))
                placed = True
                break
        if not placed:
            section = profile.problem_section(parts)
            if section:  # the month table as a whole: said above the table, which names the place
                unplaced.append((section, problem_text(problem, with_path=parts[-1] != "monthly_profile")))
            else:
                unplaced.append((parts[0] if parts else "", problem_text(problem)))
    return unplaced


def renumber(formdata: MultiDict, prefix: str, removed: int) -> MultiDict:
    """The form data with row ``removed`` of the list ``prefix`` dropped and the rest renumbered."""
    out = MultiDict()
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-(.*)$")
    for key, value in formdata.items(multi=True):
        match = pattern.match(key)
        if not match:
            out.add(key, value)
            continue
        index = int(match.group(1))
        if index == removed:
            continue
        out.add(f"{prefix}-{index - 1 if index > removed else index}-{match.group(2)}", value)
    return out
