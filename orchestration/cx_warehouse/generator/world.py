"""The simulated business: everything that happened in the window, before it is written out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from cx_warehouse.generator.business_clock import BusinessClock
from cx_warehouse.generator.config import GeneratorConfig
from cx_warehouse.generator.customers import simulate_customers
from cx_warehouse.generator.orders import fulfil_orders, price_orders, simulate_orders
from cx_warehouse.generator.personas import PERSONAS
from cx_warehouse.generator.reference import SUPPORT_TEAMS
from cx_warehouse.generator.sampling import DAY, Calendar, Table, sort_by, subset
from cx_warehouse.generator.support import simulate_support
from cx_warehouse.generator.surveys import simulate_surveys
from cx_warehouse.generator.text import TextBank, build_bank
from cx_warehouse.generator.ticket_log import draw_by_category, ticket_events, ticket_versions
from cx_warehouse.generator.touchpoints import simulate_touchpoints

NEVER = np.iinfo(np.int64).max


@dataclass
class World:
    calendar: Calendar
    texts: TextBank
    customers: Table
    touchpoints: Table
    orders: Table
    items: Table
    returns: Table
    tickets: Table
    ticket_events: Table
    ticket_versions: Table
    agents: Table
    invitations: Table
    responses: Table


def _reindex(keep: np.ndarray) -> np.ndarray:
    """Old row index -> new row index after keeping `keep` (-1 for dropped rows)."""
    new = np.cumsum(keep) - 1
    return np.where(keep, new, -1)


def apply_churn(rng: np.random.Generator, customers: Table, orders: Table, tickets: Table) -> None:
    """A bad experience makes some customers leave: they stop ordering right after it."""
    risk = np.array([p.churn_after_bad_experience for p in PERSONAS])
    late, damaged = orders["late"], orders["damaged"]
    bad_ticket = tickets["satisfaction"] < -0.8
    who = np.concatenate(
        [orders["customer"][late], orders["customer"][damaged], tickets["customer"][bad_ticket]]
    )
    when = np.concatenate(
        [
            orders["delivered_at"][late],
            orders["delivered_at"][damaged],
            tickets["solved_at"][bad_ticket],
        ]
    )
    weight = np.concatenate(
        [np.full(late.sum(), 0.5), np.full(damaged.sum(), 0.6), np.ones(bad_ticket.sum())]
    )
    fired = rng.random(who.size) < weight * risk[customers["persona"][who]]
    churned = np.full(customers["customer"].size, NEVER, dtype=np.int64)
    np.minimum.at(churned, who[fired], when[fired])
    customers["churned_at"] = np.where(churned == NEVER, -1, churned)
    customers["active_until"] = np.minimum(customers["natural_lapse_at"], churned)


def _keep_before_churn(
    customers: Table, orders: Table, items: Table, returns: Table, tickets: Table, end: int
) -> tuple[Table, Table, Table, Table]:
    churned = np.where(customers["churned_at"] < 0, NEVER, customers["churned_at"])
    kept_orders = orders["ordered_at"] <= churned[orders["customer"]]
    order_index = _reindex(kept_orders)
    orders = subset(orders, kept_orders)
    orders["order"] = np.arange(orders["customer"].size)
    items = subset(items, kept_orders[items["order"]])
    items["order"] = order_index[items["order"]]
    returns = subset(returns, kept_orders[returns["order"]] & (returns["requested_at"] < end))
    returns["order"] = order_index[returns["order"]]

    has_order = tickets["order"] >= 0
    kept = np.where(
        has_order,
        kept_orders[np.maximum(tickets["order"], 0)],
        tickets["created_at"] <= churned[tickets["customer"]] + 3 * DAY,
    )
    kept &= tickets["created_at"] < end
    ticket_index = _reindex(kept)
    tickets = subset(tickets, kept)
    tickets["order"] = np.where(
        tickets["order"] >= 0, order_index[np.maximum(tickets["order"], 0)], -1
    )
    tickets["follow_up_of"] = np.where(
        tickets["follow_up_of"] >= 0, ticket_index[np.maximum(tickets["follow_up_of"], 0)], -1
    )
    return orders, items, returns, tickets


def simulate(config: GeneratorConfig) -> World:
    rng = np.random.default_rng(config.seed)
    calendar = Calendar(config.start, config.days)
    # Replies to late tickets land after the window: give the clock a margin.
    clock = BusinessClock(SUPPORT_TEAMS, config.start - timedelta(days=1), config.days + 60)
    bank, texts = build_bank()

    customers = sort_by(simulate_customers(rng, config.customers, calendar), "created_at")
    customers["customer"] = np.arange(config.customers)
    orders = simulate_orders(rng, customers, calendar)
    items = price_orders(rng, customers, orders)
    returns = fulfil_orders(rng, customers, orders, calendar)
    tickets, agents = simulate_support(rng, customers, orders, calendar, clock)
    apply_churn(rng, customers, orders, tickets)
    orders, items, returns, tickets = _keep_before_churn(
        customers, orders, items, returns, tickets, calendar.end
    )
    tickets["subject"] = draw_by_category(rng, tickets["category"], texts["subject"])
    tickets["description"] = draw_by_category(rng, tickets["category"], texts["description"])
    touchpoints = simulate_touchpoints(rng, customers, orders, calendar)
    invitations, responses = simulate_surveys(rng, customers, orders, tickets, calendar, texts)
    return World(
        calendar=calendar,
        texts=bank,
        customers=customers,
        touchpoints=touchpoints,
        orders=orders,
        items=items,
        returns=returns,
        tickets=tickets,
        ticket_events=ticket_events(rng, tickets, texts, calendar.end),
        ticket_versions=ticket_versions(tickets, calendar.end),
        agents=agents,
        invitations=invitations,
        responses=responses,
    )
