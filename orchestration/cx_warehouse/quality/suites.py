"""The Great Expectations suites of the publication gate, as code.

Most rules come from the dbt project (columns, types, keys, not-null, accepted values, ranges
and check constraints declared in the marts' YAML, see mart_contracts); this module adds what
only the gate knows: every KPI's range in kpi_scorecard, completeness of the columns BI tools
lean on, the row-count bound against the current publication and the KPI-jump warning.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations as gx
from great_expectations import expectations as gxe
from great_expectations.expectations.row_conditions import Column

from cx_warehouse.quality.mart_contracts import MartContract, applicable_checks

CRITICAL = "critical"
WARNING = "warning"

# Valid range of each KPI's value in kpi_scorecard (None: unbounded).
KPI_RANGES: dict[str, tuple[float | None, float | None]] = {
    "nps": (-100, 100),
    "csat": (0, 1),
    "response_rate": (0, 1),
    "churn_rate": (0, 1),
    "retention_rate": (0, 1),
    "repeat_purchase_rate": (0, 1),
    "sla_attainment": (0, 1),
    "fcr_rate": (0, 1),
    "ces": (1, 7),
    "sentiment": (-1, 1),
    "clv": (0, None),
    "first_response_minutes": (0, None),
    "aht_seconds": (0, None),
}

# Share of rows that must carry a value, per mart and column.
COMPLETENESS: dict[str, dict[str, float]] = {
    "dim_customers": {"persona": 1.0, "journey_stage": 1.0, "health_score": 1.0, "segment": 1.0},
    "fct_tickets": {"customer_id": 0.9, "first_response_business_minutes": 0.8},
    "fct_orders": {"net_revenue_eur": 1.0, "sales_channel": 1.0},
    "fct_survey_responses": {"score": 1.0, "survey_trigger": 0.99},
    "kpi_scorecard": {"value": 0.99, "status": 0.99},
    "fct_channel_daily": {"channel_family": 0.95},
}

# Marts whose emptiness is good news, so neither an empty mart nor a shrinking one is suspicious.
MAY_BE_EMPTY = {
    "experience_gaps": "empty when no persona x stage x channel misses a target",
    "closed_loop_followups": "empty when nobody waits for a call back",
}


@dataclass
class Suites:
    schema: gx.ExpectationSuite
    profile: gx.ExpectationSuite
    rows: gx.ExpectationSuite
    kpi_changes: gx.ExpectationSuite
    # The columns the row expectations read: the only ones the rows frame needs.
    row_columns: list[str]


def _suite(context, name: str, expectations: list) -> gx.ExpectationSuite:
    suite = context.suites.add(gx.ExpectationSuite(name=name))
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite


def _between(column: str, low, high, severity: str = CRITICAL, **extra):
    return gxe.ExpectColumnValuesToBeBetween(
        column=column, min_value=low, max_value=high, severity=severity, **extra
    )


def build_suites(
    context,
    contract: MartContract,
    columns: set[str],
    previous_rows: int | None,
    max_shrink: float,
    max_kpi_change: float,
) -> Suites:
    """The suites of one mart; `columns` are the columns the mart actually has."""
    name = contract.name
    schema = [
        gxe.ExpectColumnDistinctValuesToEqualSet(
            column="column_name",
            value_set=list(contract.columns),
            severity=CRITICAL,
            description="the mart has exactly the columns of its contract",
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="data_type",
            column_B="expected_type",
            ignore_row_if="either_value_is_missing",
            severity=CRITICAL,
            description="every column has the type of its contract",
        ),
    ]
    if name in MAY_BE_EMPTY:
        minimum_rows, bound = 0, f" ({MAY_BE_EMPTY[name]})"
    elif previous_rows is None:
        minimum_rows, bound = 1, ""
    else:
        minimum_rows = max(1, int(previous_rows * (1 - max_shrink)))
        bound = f" (the current publication has {previous_rows:,}; at most {max_shrink:.0%} fewer)"
    profile = [
        _between("rows", minimum_rows, None, description=f"at least {minimum_rows:,} rows{bound}")
    ]
    profile += [
        _between(f"duplicate_key_{i}", 0, 0, description=f"{', '.join(key)} is unique")
        for i, key in enumerate(contract.keys)
        if set(key) <= columns
    ]
    profile += [
        _between(f"null_{c}", 0, 0, description=f"{c} is never null")
        for c in contract.not_null
        if c in columns
    ]
    profile += [
        _between(f"check_{index}", 0, 0, description=f"every row satisfies {expression}")
        for index, _, expression in applicable_checks(contract, columns)
    ]

    rows = [
        gxe.ExpectColumnValuesToBeInSet(column=c, value_set=values, severity=CRITICAL)
        for c, values in contract.accepted_values.items()
        if c in columns
    ]
    rows += [_between(c, low, high) for c, (low, high) in contract.ranges.items() if c in columns]
    rows += [
        gxe.ExpectColumnValuesToNotBeNull(column=c, mostly=share, severity=CRITICAL)
        for c, share in COMPLETENESS.get(name, {}).items()
        if c in columns
    ]
    row_columns = {expectation.column for expectation in rows}
    if name == "kpi_scorecard" and {"kpi", "value"} <= columns:
        row_columns |= {"kpi", "value"}
        rows += [
            _between(
                "value",
                low,
                high,
                row_condition=Column("kpi") == kpi,
                description=f"{kpi} within its range",
            )
            for kpi, (low, high) in KPI_RANGES.items()
        ]
    kpi_changes = [
        _between(
            "relative_change",
            -max_kpi_change,
            max_kpi_change,
            WARNING,
            description="no KPI of the latest complete month moves by more than "
            f"{max_kpi_change:.0%} against the current publication",
        )
    ]
    return Suites(
        schema=_suite(context, f"{name}.schema", schema),
        profile=_suite(context, f"{name}.profile", profile),
        rows=_suite(context, f"{name}.rows", rows),
        kpi_changes=_suite(context, f"{name}.kpi_changes", kpi_changes),
        row_columns=sorted(row_columns),
    )
