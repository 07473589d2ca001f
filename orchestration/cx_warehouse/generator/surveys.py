"""Survey invitations and answers. Scores follow the persona and what the customer went through
(late or damaged deliveries, slow or reopened tickets); comments carry the matching sentiment."""

from __future__ import annotations

from datetime import date

import numpy as np

from cx_warehouse.generator.customers import LANGUAGES
from cx_warehouse.generator.orders import SALES_CHANNELS
from cx_warehouse.generator.personas import DEAL_SEEKER, PERSONAS
from cx_warehouse.generator.sampling import DAY, Calendar, Table, concat, lognormal, sort_by
from cx_warehouse.generator.text import SENTIMENTS, TOPICS

SURVEY_TYPES = ("nps", "csat", "ces")
TRIGGERS = ("relationship", "post_purchase", "post_support")
SURVEY_CHANNELS = ("email", "sms", "in_app", "web")
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
# Scores at or below the first bound read negative, at or above the second positive.
SENTIMENT_BOUNDS = {"nps": (6, 9), "csat": (2, 4), "ces": (3, 5)}
HOUR = 3600
RECENT = 180 * DAY
NONE = -1


class ExperienceTimeline:
    """Each customer's good and bad moments, to ask how the last months went at any time."""

    def __init__(self, customer: np.ndarray, at: np.ndarray, weight: np.ndarray, origin: int):
        self.origin = origin
        table = sort_by(
            {"customer": customer, "at": at - origin, "weight": weight}, "customer", "at"
        )
        self.keys = (table["customer"] << 32) + table["at"]
        self.cumulative = np.concatenate([[0.0], np.cumsum(table["weight"])])

    def _sum_before(self, customer: np.ndarray, at: np.ndarray) -> np.ndarray:
        return self.cumulative[np.searchsorted(self.keys, (customer << 32) + at - self.origin)]

    def recent(self, customer: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Sum of experience weights in the `RECENT` window before `at`."""
        return self._sum_before(customer, at) - self._sum_before(customer, at - RECENT)


def experience_timeline(orders: Table, tickets: Table, origin: int) -> ExperienceTimeline:
    late, damaged = orders["late"], orders["damaged"]
    return ExperienceTimeline(
        customer=np.concatenate(
            [orders["customer"][late], orders["customer"][damaged], tickets["customer"]]
        ),
        at=np.concatenate(
            [orders["delivered_at"][late], orders["delivered_at"][damaged], tickets["solved_at"]]
        ),
        weight=np.concatenate(
            [
                np.full(late.sum(), -0.8),
                np.full(damaged.sum(), -1.0),
                np.minimum(tickets["satisfaction"], 0.3),
            ]
        ),
        origin=origin,
    )


def _invitations(
    rng: np.random.Generator, customers: Table, orders: Table, tickets: Table, calendar: Calendar
) -> Table:
    # After a delivery: CSAT mostly, sometimes NPS.
    delivered = np.flatnonzero(
        (orders["delivered_at"] >= 0) & (rng.random(orders["customer"].size) < 0.3)
    )
    app = orders["sales_channel"][delivered] == SALES_CHANNELS.index("mobile_app")
    purchase = {
        "survey_type": np.where(rng.random(delivered.size) < 0.7, 1, 0),
        "trigger": np.full(delivered.size, 1),
        "customer": orders["customer"][delivered],
        "order": delivered,
        "ticket": np.full(delivered.size, NONE),
        "channel": np.where(app, 2, np.where(rng.random(delivered.size) < 0.75, 0, 1)),
        "sent_at": orders["delivered_at"][delivered]
        + (rng.uniform(20, 30, delivered.size) * HOUR).astype(np.int64),
    }
    # After a solved ticket: CSAT, and CES for half of them.
    solved = np.flatnonzero(rng.random(tickets["team"].size) < 0.55)
    with_effort = solved[rng.random(solved.size) < 0.5]
    support_rows = np.concatenate([solved, with_effort])
    support = {
        "survey_type": np.concatenate([np.full(solved.size, 1), np.full(with_effort.size, 2)]),
        "trigger": np.full(support_rows.size, 2),
        "customer": tickets["customer"][support_rows],
        "order": tickets["order"][support_rows],
        "ticket": support_rows,
        "channel": np.where(rng.random(support_rows.size) < 0.8, 0, 1),
        "sent_at": tickets["solved_at"][support_rows]
        + (rng.uniform(1, 3, support_rows.size) * HOUR).astype(np.int64),
    }
    # Relationship NPS each quarter to a sample of customers who are active at the time.
    relationship = [
        _relationship_wave(rng, customers, orders, calendar, day)
        for day in _quarterly_dates(calendar)
    ]
    return concat([purchase, support, *relationship])


def _quarterly_dates(calendar: Calendar) -> list[int]:
    years = range(calendar.start.year, calendar.start.year + calendar.days // 365 + 2)
    moments = [
        int(np.datetime64(date(y, m, 15).isoformat(), "s").astype(np.int64)) + 10 * HOUR
        for y in years
        for m in (2, 5, 8, 11)
    ]
    return [m for m in moments if calendar.origin <= m < calendar.end]


def _relationship_wave(
    rng: np.random.Generator, customers: Table, orders: Table, calendar: Calendar, at: int
) -> Table:
    keys = (orders["customer"] << 32) + (orders["ordered_at"] - calendar.origin)
    customer = customers["customer"]
    last = np.searchsorted(keys, (customer << 32) + (at - calendar.origin)) - 1
    ordered_recently = (
        (last >= 0)
        & (orders["customer"][np.maximum(last, 0)] == customer)
        & (orders["ordered_at"][np.maximum(last, 0)] > at - 365 * DAY)
    )
    new = (customers["created_at"] < at) & (customers["created_at"] > at - 120 * DAY)
    still_here = (customers["churned_at"] < 0) | (customers["churned_at"] > at)
    chosen = np.flatnonzero(
        (ordered_recently | new) & still_here & (rng.random(customer.size) < 0.3)
    )
    return {
        "survey_type": np.zeros(chosen.size, dtype=np.int64),
        "trigger": np.zeros(chosen.size, dtype=np.int64),
        "customer": chosen,
        "order": np.full(chosen.size, NONE),
        "ticket": np.full(chosen.size, NONE),
        "channel": np.where(rng.random(chosen.size) < 0.8, 0, 2),
        "sent_at": at + rng.integers(0, 8 * HOUR, chosen.size),
    }


def _scores(
    rng: np.random.Generator,
    customers: Table,
    orders: Table,
    tickets: Table,
    invitations: Table,
    timeline: ExperienceTimeline,
) -> np.ndarray:
    n = invitations["customer"].size
    persona = customers["persona"][invitations["customer"]]
    kind, trigger = invitations["survey_type"], invitations["trigger"]
    order, ticket = invitations["order"], invitations["ticket"]
    recent = timeline.recent(invitations["customer"], invitations["sent_at"])
    has_order = order >= 0
    late = np.where(has_order, orders["late"][np.maximum(order, 0)], False)
    damaged = np.where(has_order, orders["damaged"][np.maximum(order, 0)], False)
    has_ticket = ticket >= 0
    satisfaction = np.where(has_ticket, tickets["satisfaction"][np.maximum(ticket, 0)], 0.0)
    effort = np.where(has_ticket, tickets["effort"][np.maximum(ticket, 0)], 0.0)
    about_purchase = trigger == TRIGGERS.index("post_purchase")

    nps = (
        np.array([p.nps_mean for p in PERSONAS])[persona]
        + 1.1 * np.clip(recent, -3, 0.5)
        - about_purchase * (1.5 * late + 2.0 * damaged)
        + rng.normal(0, 1.3, n)
    )
    csat = np.where(
        has_ticket,
        np.array([p.csat_mean for p in PERSONAS])[persona]
        + 0.8 * satisfaction
        + rng.normal(0, 0.6, n),
        np.array([p.csat_mean for p in PERSONAS])[persona]
        + 0.3
        - 1.4 * late
        - 1.8 * damaged
        + rng.normal(0, 0.7, n),
    )
    ces = np.array([p.ces_mean for p in PERSONAS])[persona] + 0.9 * effort + rng.normal(0, 0.8, n)
    latent = np.select([kind == 0, kind == 1], [nps, csat], ces)
    low = np.array([SCALES[t][0] for t in SURVEY_TYPES])[kind]
    high = np.array([SCALES[t][1] for t in SURVEY_TYPES])[kind]
    return np.clip(np.round(latent), low, high).astype(np.int64)


def _comments(
    rng: np.random.Generator,
    customers: Table,
    orders: Table,
    tickets: Table,
    responses: Table,
    invitations: Table,
    texts: dict,
) -> None:
    n = responses["score"].size
    kind = responses["survey_type"]
    lower = np.array([SENTIMENT_BOUNDS[t][0] for t in SURVEY_TYPES])[kind]
    upper = np.array([SENTIMENT_BOUNDS[t][1] for t in SURVEY_TYPES])[kind]
    sentiment = np.where(
        responses["score"] <= lower, 0, np.where(responses["score"] >= upper, 2, 1)
    )
    sentiment = np.where(rng.random(n) < 0.06, 1, sentiment)  # some people write flatly
    commented = rng.random(n) < 0.3 + 0.25 * (sentiment == 0)

    invitation = responses["invitation"]
    order, ticket = invitations["order"][invitation], invitations["ticket"][invitation]
    late = np.where(
        order >= 0,
        orders["late"][np.maximum(order, 0)] | orders["damaged"][np.maximum(order, 0)],
        False,
    )
    deal = customers["persona"][responses["customer"]] == DEAL_SEEKER
    topic = np.where(
        ticket >= 0,
        TOPICS.index("support"),
        np.where(
            late,
            TOPICS.index("delivery"),
            np.where(
                deal & (rng.random(n) < 0.5),
                TOPICS.index("price"),
                rng.choice(
                    [TOPICS.index("product"), TOPICS.index("delivery"), TOPICS.index("price")], n
                ),
            ),
        ),
    )
    second_topic = (topic + rng.integers(1, len(TOPICS), n)) % len(TOPICS)
    two = rng.random(n) < 0.25

    def phrase(topics: np.ndarray) -> np.ndarray:
        chosen = np.full(n, NONE, dtype=np.int32)
        for (language, tone, subject), options in texts["comment"].items():
            rows = np.flatnonzero(
                (responses["language"] == LANGUAGES.index(language))
                & (sentiment == SENTIMENTS.index(tone))
                & (topics == TOPICS.index(subject))
            )
            chosen[rows] = options[rng.integers(0, options.size, rows.size)]
        return chosen

    responses["comment"] = np.where(commented, phrase(topic), NONE)
    responses["comment_more"] = np.where(commented & two, phrase(second_topic), NONE)


def simulate_surveys(
    rng: np.random.Generator,
    customers: Table,
    orders: Table,
    tickets: Table,
    calendar: Calendar,
    texts: dict,
) -> tuple[Table, Table]:
    """(invitations, responses) sent and answered before the end of the window."""
    invitations = _invitations(rng, customers, orders, tickets, calendar)
    invitations = {k: v[invitations["sent_at"] < calendar.end] for k, v in invitations.items()}
    invitations = sort_by(invitations, "sent_at", "customer")
    timeline = experience_timeline(orders, tickets, calendar.origin)
    scores = _scores(rng, customers, orders, tickets, invitations, timeline)

    persona = customers["persona"][invitations["customer"]]
    probability = np.array([p.response_probability for p in PERSONAS])[persona]
    answers = np.flatnonzero(rng.random(scores.size) < probability)
    delay_hours = np.minimum(lognormal(rng, 12.0, 1.2, answers.size), 240)
    responded_at = invitations["sent_at"][answers] + (delay_hours * HOUR).astype(np.int64)
    keep = responded_at < calendar.end
    answers, responded_at = answers[keep], responded_at[keep]
    responses = {
        "invitation": answers,
        "customer": invitations["customer"][answers],
        "survey_type": invitations["survey_type"][answers],
        "responded_at": responded_at,
        "score": scores[answers],
        "language": customers["language"][invitations["customer"][answers]],
    }
    _comments(rng, customers, orders, tickets, responses, invitations, texts)
    return invitations, sort_by(responses, "responded_at", "invitation")
