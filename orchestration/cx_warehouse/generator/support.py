"""Help desk: agents, tickets and how they are worked (replies in business time, reopens,
channel switches), and the experience each ticket leaves with the customer."""

from __future__ import annotations

import csv

import numpy as np

from cx_warehouse.generator.business_clock import BusinessClock
from cx_warehouse.generator.personas import PERSONAS, PREMIUM_PROFESSIONAL
from cx_warehouse.generator.reference import COUNTRIES, SUPPORT_TEAMS, TEAM_SITES
from cx_warehouse.generator.sampling import (
    DAY,
    Calendar,
    Table,
    concat,
    expand,
    lognormal,
    pick,
    pick_by_group,
)
from cx_warehouse.settings import SEEDS_DIR

TICKET_CHANNELS = ("phone", "email", "chat", "web_form", "social", "sms", "whatsapp")
TICKET_CATEGORIES = (
    "billing",
    "shipping",
    "returns",
    "product",
    "account",
    "technical",
    "feedback",
)
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending", "solved", "closed")
FIRST_REPLY_MINUTES = {
    "phone": 3,
    "email": 300,
    "chat": 4,
    "web_form": 360,
    "social": 90,
    "sms": 120,
    "whatsapp": 45,
}
EXTRA_ROUND_PROBABILITY = {
    "billing": 0.35,
    "shipping": 0.3,
    "returns": 0.45,
    "product": 0.5,
    "account": 0.3,
    "technical": 0.6,
    "feedback": 0.1,
}
PRIORITY_SPEED = np.array([1.6, 1.0, 0.5, 0.25])  # low, normal, high, urgent
MAX_ROUNDS = 5
HOUR = 3600


def first_response_targets() -> np.ndarray:
    """SLA first-response target in business minutes, indexed like PRIORITIES."""
    with open(SEEDS_DIR / "sla_targets.csv", newline="") as handle:
        targets = {
            row["priority"]: int(row["first_response_target_minutes"])
            for row in csv.DictReader(handle)
        }
    return np.array([targets[p] for p in PRIORITIES])


def open_tickets(
    rng: np.random.Generator, customers: Table, orders: Table, calendar: Calendar
) -> Table:
    """Tickets about orders (late, damaged, returned, other) and about nothing in particular."""
    persona = customers["persona"][orders["customer"]]
    base = np.array([p.tickets_per_order for p in PERSONAS])[persona]
    returned = orders["refunded_at"] >= 0
    hazard = base + 0.45 * orders["late"] + 0.6 * orders["damaged"] + 0.5 * returned
    about_order = np.flatnonzero(
        (rng.random(len(persona)) < 1 - np.exp(-hazard)) & (orders["cancelled_at"] < 0)
    )
    late = orders["late"][about_order]
    damaged = orders["damaged"][about_order]
    returns = returned[about_order]
    other = pick(
        rng, {"billing": 0.4, "product": 0.3, "shipping": 0.3}, about_order.size, TICKET_CATEGORIES
    )
    category = np.select(
        [damaged, late, returns],
        [
            TICKET_CATEGORIES.index("product"),
            TICKET_CATEGORIES.index("shipping"),
            TICKET_CATEGORIES.index("returns"),
        ],
        other,
    )
    delivered = orders["delivered_at"][about_order]
    after = np.select(
        [damaged, late, returns],
        [
            delivered,
            orders["promised_at"][about_order],
            orders["refunded_at"][about_order] - 5 * DAY,
        ],
        np.maximum(delivered, orders["ordered_at"][about_order]),
    )
    # Customers write within days, more on Mondays and in office hours than at weekends.
    offset = customers["utc_offset"][orders["customer"][about_order]]
    created = calendar.draw(rng, "tickets", after + HOUR, after + HOUR + 4 * DAY, offset)

    # Tickets not about an order: account, technical questions, feedback.
    active_from = customers["created_at"]
    active_to = np.minimum(customers["natural_lapse_at"], calendar.end)
    years = np.maximum(active_to - active_from, 0) / (365 * DAY)
    rate = np.array([p.other_tickets_per_year for p in PERSONAS])[customers["persona"]]
    other_customers = expand(rng.poisson(rate * years))
    other_created = calendar.draw(
        rng,
        "tickets",
        active_from[other_customers],
        active_to[other_customers],
        customers["utc_offset"][other_customers],
    )
    other_category = pick(
        rng,
        {"account": 0.4, "technical": 0.35, "feedback": 0.25},
        other_customers.size,
        TICKET_CATEGORIES,
    )

    tickets = {
        "customer": np.concatenate([orders["customer"][about_order], other_customers]),
        "order": np.concatenate([about_order, np.full(other_customers.size, -1)]),
        "created_at": np.concatenate([created, other_created]),
        "category": np.concatenate([category, other_category]).astype(np.int8),
        "follow_up_of": np.full(about_order.size + other_customers.size, -1, dtype=np.int64),
    }
    return _describe(rng, customers, tickets)


def _describe(
    rng: np.random.Generator, customers: Table, tickets: Table, channel: np.ndarray | None = None
) -> Table:
    persona = customers["persona"][tickets["customer"]]
    n = persona.size
    if channel is None:
        channel = pick_by_group(
            rng, persona, [p.support_channels for p in PERSONAS], TICKET_CHANNELS
        )
    premium = persona == PREMIUM_PROFESSIONAL
    priority = np.where(
        premium,
        pick(rng, {"normal": 0.35, "high": 0.5, "urgent": 0.15}, n, PRIORITIES),
        pick(rng, {"low": 0.2, "normal": 0.6, "high": 0.17, "urgent": 0.03}, n, PRIORITIES),
    )
    country_team = np.array([SUPPORT_TEAMS.index(c.support_team) for c in COUNTRIES])
    team = np.where(
        tickets["category"] == TICKET_CATEGORIES.index("technical"),
        SUPPORT_TEAMS.index("technical_support"),
        np.where(
            premium,
            SUPPORT_TEAMS.index("premium_care"),
            country_team[customers["country"][tickets["customer"]]],
        ),
    )
    tickets.update(
        channel=channel.astype(np.int8),
        priority=priority.astype(np.int8),
        team=team.astype(np.int8),
    )
    return tickets


def staff_agents(rng: np.random.Generator, tickets: Table, calendar: Calendar) -> Table:
    """Agents per team, sized to the team's ticket volume, hired and leaving over time."""
    volume = np.bincount(tickets["team"], minlength=len(SUPPORT_TEAMS)) / calendar.days
    headcount = np.maximum(3, np.ceil(volume / 12)).astype(int)
    team = np.repeat(np.arange(len(SUPPORT_TEAMS)), headcount)
    n = team.size
    hired_before = rng.random(n) < 0.75
    hired = np.where(
        hired_before,
        calendar.origin - (rng.uniform(30, 1500, n) * DAY).astype(np.int64),
        calendar.origin
        + (rng.uniform(0, 0.8, n) * (calendar.end - calendar.origin)).astype(np.int64),
    )
    leaves = rng.random(n) < 0.15
    left = np.where(
        leaves,
        np.maximum(hired, calendar.origin)
        + (rng.uniform(0.3, 1.0, n) * (calendar.end - np.maximum(hired, calendar.origin))).astype(
            np.int64
        ),
        -1,
    )
    site = np.array([rng.integers(0, len(TEAM_SITES[SUPPORT_TEAMS[t]])) for t in team])
    return {
        "agent": np.arange(n, dtype=np.int64),
        "team": team.astype(np.int8),
        "site": site.astype(np.int8),
        "hired_at": hired,
        "left_at": left,
        "skill": rng.normal(0, 1, n),
    }


def assign_agents(rng: np.random.Generator, tickets: Table, agents: Table) -> None:
    """Each ticket goes to an agent of its team who works there at the time."""
    assigned = np.full(tickets["team"].size, -1, dtype=np.int64)
    for team in range(len(SUPPORT_TEAMS)):
        rows = np.flatnonzero(tickets["team"] == team)
        staff = np.flatnonzero(agents["team"] == team)
        if rows.size == 0:
            continue
        hired, left = agents["hired_at"][staff], agents["left_at"][staff]
        when = tickets["created_at"][rows]
        pending = np.arange(rows.size)
        for _ in range(12):
            choice = staff[rng.integers(0, staff.size, pending.size)]
            position = np.searchsorted(staff, choice)
            works = (hired[position] <= when[pending]) & (
                (left[position] < 0) | (left[position] > when[pending])
            )
            assigned[rows[pending[works]]] = choice[works]
            pending = pending[~works]
            if pending.size == 0:
                break
        # Rare leftovers (every drawn agent absent): the team's longest-serving agent.
        assigned[rows[pending]] = staff[np.argmin(hired)]
    tickets["agent"] = assigned


def work_tickets(
    rng: np.random.Generator,
    tickets: Table,
    agents: Table,
    clock: BusinessClock,
    calendar: Calendar,
) -> None:
    """Replies, solves, reopens and closes in business time, and the experience they leave."""
    n = tickets["team"].size
    channel, team = tickets["channel"], tickets["team"]
    skill = agents["skill"][tickets["agent"]]
    day_index = np.clip((tickets["created_at"] - calendar.origin) // DAY, 0, calendar.days - 1)
    load = calendar.month_factor[day_index] ** 3
    base = np.array([FIRST_REPLY_MINUTES[c] for c in TICKET_CHANNELS])[channel]
    speed = PRIORITY_SPEED[tickets["priority"]] * np.exp(-0.35 * skill) * load
    first_reply_minutes = lognormal(rng, base * speed, 0.8, n)
    extra = np.array([EXTRA_ROUND_PROBABILITY[c] for c in TICKET_CATEGORIES])[tickets["category"]]
    rounds = np.minimum(1 + rng.geometric(1 - extra) - 1, MAX_ROUNDS)

    agent_reply = np.full((n, MAX_ROUNDS), -1, dtype=np.int64)
    customer_reply = np.full((n, MAX_ROUNDS), -1, dtype=np.int64)
    agent_reply[:, 0] = clock.add(team, tickets["created_at"], first_reply_minutes)
    for r in range(1, MAX_ROUNDS):
        more = rounds > r
        wait = (lognormal(rng, 8.0, 1.0, n) * HOUR).astype(np.int64)
        customer_reply[:, r] = np.where(more, agent_reply[:, r - 1] + wait, -1)
        follow = clock.add(
            team, np.maximum(customer_reply[:, r], 0), lognormal(rng, base * speed * 0.7, 0.8, n)
        )
        agent_reply[:, r] = np.where(more, follow, -1)
    last_reply = agent_reply[np.arange(n), rounds - 1]
    first_solved = last_reply + rng.integers(60, 1800, n)

    reopen_probability = 0.05 + 0.08 * (skill < -0.5) + 0.05 * (rounds > 2)
    reopened = rng.random(n) < reopen_probability
    reopened_at = first_solved + (rng.uniform(0.3, 4.0, n) * DAY).astype(np.int64)
    reopen_reply = clock.add(team, reopened_at, lognormal(rng, base * speed, 0.8, n))
    solved = np.where(reopened, reopen_reply + rng.integers(60, 1800, n), first_solved)

    first_reply_business = clock.business_minutes(team, agent_reply[:, 0]) - clock.business_minutes(
        team, tickets["created_at"]
    )
    breached = first_reply_business > first_response_targets()[tickets["priority"]]
    switched_inside = rng.random(n) < 0.04
    tickets.update(
        rounds=rounds.astype(np.int8),
        agent_reply_at=agent_reply,
        customer_reply_at=customer_reply,
        first_solved_at=first_solved,
        reopened=reopened,
        reopened_at=np.where(reopened, reopened_at, -1),
        reopen_reply_at=np.where(reopened, reopen_reply, -1),
        solved_at=solved,
        closed_at=solved + 4 * DAY,
        breached=breached,
        switched_inside=switched_inside,
        switch_channel=np.where(
            switched_inside, (channel + 1 + rng.integers(0, 6, n)) % 7, channel
        ).astype(np.int8),
        reassigned=rng.random(n) < 0.1,
        internal_note=rng.random(n) < 0.15,
        handle_seconds=np.where(
            channel == TICKET_CHANNELS.index("phone"),
            lognormal(rng, 420.0, 0.5, n),
            lognormal(rng, 660.0, 0.5, n),
        ),
        skill=skill,
    )


def follow_ups(rng: np.random.Generator, customers: Table, tickets: Table) -> Table:
    """A badly served customer contacts again about the same issue on another channel."""
    bad = tickets["breached"] | tickets["reopened"]
    chance = np.where(bad, 0.3, 0.03) * (tickets["follow_up_of"] < 0)
    rows = np.flatnonzero(rng.random(chance.size) < chance)
    again = {
        "customer": tickets["customer"][rows],
        "order": tickets["order"][rows],
        "created_at": tickets["created_at"][rows]
        + (rng.uniform(0.25, 6.0, rows.size) * DAY).astype(np.int64),
        "category": tickets["category"][rows],
        "follow_up_of": rows.astype(np.int64),
    }
    other_channel = (
        tickets["channel"][rows] + rng.integers(1, len(TICKET_CHANNELS), rows.size)
    ) % len(TICKET_CHANNELS)
    return _describe(rng, customers, again, channel=other_channel)


def experience(tickets: Table) -> tuple[np.ndarray, np.ndarray]:
    """(satisfaction effect, effort effect) of each ticket, both <= about 0.3."""
    followed_up = np.zeros(tickets["team"].size, dtype=bool)
    origin = tickets["follow_up_of"][tickets["follow_up_of"] >= 0]
    followed_up[origin] = True
    is_follow_up = tickets["follow_up_of"] >= 0
    satisfaction = (
        -1.1 * tickets["breached"]
        - 1.3 * tickets["reopened"]
        - 1.0 * (followed_up | is_follow_up)
        - 0.4 * (tickets["rounds"] >= 3)
        + 0.3 * tickets["skill"]
    )
    effort = (
        -0.7 * (tickets["rounds"] - 1)
        - 1.0 * tickets["reopened"]
        - 1.4 * (followed_up | is_follow_up | tickets["switched_inside"])
        - 0.5 * tickets["breached"]
    )
    return satisfaction, effort


def simulate_support(
    rng: np.random.Generator,
    customers: Table,
    orders: Table,
    calendar: Calendar,
    clock: BusinessClock,
) -> tuple[Table, Table]:
    """(tickets, agents) before churn is applied."""
    tickets = open_tickets(rng, customers, orders, calendar)
    agents = staff_agents(rng, tickets, calendar)
    assign_agents(rng, tickets, agents)
    work_tickets(rng, tickets, agents, clock, calendar)
    again = follow_ups(rng, customers, tickets)
    assign_agents(rng, again, agents)
    work_tickets(rng, again, agents, clock, calendar)
    tickets = concat([tickets, again])
    satisfaction, effort = experience(tickets)
    tickets.update(satisfaction=satisfaction, effort=effort)
    return tickets, agents
