"""Marketing and web engagement: awareness and consideration before the first order,
engagement while a customer is active, referrals from advocates, reviews after deliveries."""

from __future__ import annotations

import numpy as np

from cx_warehouse.generator.customers import ACQUISITION_CHANNELS
from cx_warehouse.generator.personas import PERSONAS, PREMIUM_PROFESSIONAL
from cx_warehouse.generator.reference import CAMPAIGNS
from cx_warehouse.generator.sampling import DAY, Calendar, Table, concat, expand, pick, sort_by

TOUCH_CHANNELS = (
    "web",
    "mobile_app",
    "email",
    "sms",
    "whatsapp",
    "social",
    "paid_search",
    "paid_social",
    "display",
    "in_store",
    "referral",
)
TOUCH_TYPES = (
    "ad_impression",
    "ad_click",
    "email_open",
    "email_click",
    "social_engagement",
    "site_visit",
    "app_open",
    "product_view",
    "review_read",
    "cart_add",
    "checkout_start",
    "demo_request",
    "store_visit",
    "referral_made",
    "review_written",
)
DEVICES = ("desktop", "mobile", "tablet")
AWARENESS = {"ad_impression": 0.45, "ad_click": 0.2, "social_engagement": 0.15, "email_open": 0.2}
CONSIDERATION = {
    "site_visit": 0.3,
    "product_view": 0.35,
    "review_read": 0.1,
    "cart_add": 0.15,
    "checkout_start": 0.1,
}
ENGAGEMENT = {
    "email_open": 0.28,
    "email_click": 0.1,
    "site_visit": 0.17,
    "app_open": 0.1,
    "product_view": 0.15,
    "cart_add": 0.08,
    "ad_click": 0.07,
    "store_visit": 0.05,
}
ON_SITE = (
    "site_visit",
    "product_view",
    "review_read",
    "cart_add",
    "checkout_start",
    "demo_request",
)
ENGAGEMENT_SHARE = 0.12  # share of a persona's touches_per_month that reaches the extract
NONE = -1


def _window(
    rng: np.random.Generator,
    calendar: Calendar,
    customers: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    counts: np.ndarray,
    kinds: dict[str, float],
) -> Table:
    who = expand(counts)
    return {
        "customer": customers[who],
        "occurred_at": calendar.draw(rng, "touches", lo[who], np.maximum(hi[who], lo[who] + 60)),
        "touchpoint_type": pick(rng, kinds, who.size, TOUCH_TYPES).astype(np.int8),
    }


def _channel(rng: np.random.Generator, customers: Table, touches: Table) -> np.ndarray:
    n = touches["customer"].size
    kind = touches["touchpoint_type"]
    persona = customers["persona"][touches["customer"]]
    acquisition = customers["acquisition"][touches["customer"]]
    opt_in = customers["opt_in"][touches["customer"]]

    def is_(name: str) -> np.ndarray:
        return kind == TOUCH_TYPES.index(name)

    channel = np.full(n, TOUCH_CHANNELS.index("web"), dtype=np.int8)
    ad_channel = pick(
        rng, {"display": 0.4, "paid_social": 0.3, "paid_search": 0.3}, n, TOUCH_CHANNELS
    )
    for name in ("paid_search", "paid_social", "social", "display"):
        ad_channel = np.where(
            acquisition == ACQUISITION_CHANNELS.index(name), TOUCH_CHANNELS.index(name), ad_channel
        )
    channel = np.where(is_("ad_impression"), ad_channel, channel)
    clicks = pick(
        rng,
        {"paid_search": 0.4, "paid_social": 0.3, "sms": 0.15, "whatsapp": 0.15},
        n,
        TOUCH_CHANNELS,
    )
    clicks = np.where(
        ~opt_in & np.isin(clicks, [3, 4]), TOUCH_CHANNELS.index("paid_search"), clicks
    )
    channel = np.where(is_("ad_click"), clicks, channel)
    channel = np.where(
        is_("email_open") | is_("email_click"), TOUCH_CHANNELS.index("email"), channel
    )
    channel = np.where(is_("social_engagement"), TOUCH_CHANNELS.index("social"), channel)
    in_app = rng.random(n) < np.array([p.web_or_app for p in PERSONAS])[persona]
    on_site = np.isin(kind, [TOUCH_TYPES.index(t) for t in ON_SITE])
    channel = np.where(on_site & in_app, TOUCH_CHANNELS.index("mobile_app"), channel)
    channel = np.where(is_("app_open"), TOUCH_CHANNELS.index("mobile_app"), channel)
    channel = np.where(is_("store_visit"), TOUCH_CHANNELS.index("in_store"), channel)
    channel = np.where(is_("referral_made"), TOUCH_CHANNELS.index("referral"), channel)
    return channel.astype(np.int8)


def _device(rng: np.random.Generator, channel: np.ndarray) -> np.ndarray:
    n = channel.size
    mixed = pick(rng, {"desktop": 0.55, "mobile": 0.35, "tablet": 0.1}, n, DEVICES)
    handheld = pick(rng, {"desktop": 0.3, "mobile": 0.6, "tablet": 0.1}, n, DEVICES)
    device = np.where(np.isin(channel, [TOUCH_CHANNELS.index("web")]), mixed, handheld)
    device = np.where(
        np.isin(channel, [TOUCH_CHANNELS.index(c) for c in ("mobile_app", "sms", "whatsapp")]),
        1,
        device,
    )
    no_device = np.isin(
        channel, [TOUCH_CHANNELS.index("in_store"), TOUCH_CHANNELS.index("referral")]
    )
    return np.where(no_device, NONE, device).astype(np.int8)


def simulate_touchpoints(
    rng: np.random.Generator, customers: Table, orders: Table, calendar: Calendar
) -> Table:
    n = customers["customer"].size
    customer = customers["customer"]
    created = customers["created_at"]
    first_order = np.full(n, -1, dtype=np.int64)
    first_rows = np.flatnonzero(
        np.concatenate([[True], orders["customer"][1:] != orders["customer"][:-1]])
    )
    first_order[orders["customer"][first_rows]] = orders["ordered_at"][first_rows]
    buyer = first_order >= 0
    decided = np.where(buyer, first_order, np.minimum(created + 60 * DAY, calendar.end))
    span = np.maximum(decided - created, 3600)
    persona = customers["persona"]

    awareness = _window(
        rng,
        calendar,
        customer,
        created,
        created + (0.4 * span).astype(np.int64),
        1 + rng.poisson(1.5, n),
        AWARENESS,
    )
    # Buyers considered before buying; many who never buy never get past awareness.
    considering = np.where(
        buyer,
        1 + rng.poisson(2.5, n),
        np.where(rng.random(n) < 0.45, 0, 1 + rng.poisson(1.5, n)),
    )
    consideration = _window(
        rng,
        calendar,
        customer,
        created + (0.3 * span).astype(np.int64),
        decided,
        considering,
        CONSIDERATION,
    )
    demo = persona == PREMIUM_PROFESSIONAL
    demos = _window(
        rng,
        calendar,
        customer,
        created,
        decided,
        (demo & (rng.random(n) < 0.7)).astype(np.int64),
        {"demo_request": 1.0},
    )

    active_until = np.minimum(customers["active_until"], calendar.end)
    active_from = np.where(buyer, first_order, decided)
    months = np.maximum(active_until - active_from, 0) / (30 * DAY)
    rate = np.array([p.touches_per_month for p in PERSONAS])[persona] * ENGAGEMENT_SHARE
    engagement = _window(
        rng, calendar, customer, active_from, active_until, rng.poisson(rate * months), ENGAGEMENT
    )
    referral_rate = np.array([p.referrals_per_year for p in PERSONAS])[persona]
    referrals = _window(
        rng,
        calendar,
        customer,
        active_from,
        active_until,
        rng.poisson(referral_rate * months / 12) * buyer,
        {"referral_made": 1.0},
    )
    reviewed = np.flatnonzero(
        (orders["delivered_at"] >= 0) & (rng.random(orders["order"].size) < 0.05)
    )
    reviews = {
        "customer": orders["customer"][reviewed],
        "occurred_at": orders["delivered_at"][reviewed]
        + (rng.uniform(1, 10, reviewed.size) * DAY).astype(np.int64),
        "touchpoint_type": np.full(reviewed.size, TOUCH_TYPES.index("review_written"), np.int8),
    }
    touches = concat([awareness, consideration, demos, engagement, referrals, reviews])
    touches = {k: v[touches["occurred_at"] < calendar.end] for k, v in touches.items()}

    email = np.isin(
        touches["touchpoint_type"],
        [TOUCH_TYPES.index("email_open"), TOUCH_TYPES.index("email_click")],
    )
    unsubscribed = email & ~customers["opt_in"][touches["customer"]]
    touches["touchpoint_type"][unsubscribed] = TOUCH_TYPES.index("site_visit")
    touches["channel"] = _channel(rng, customers, touches)
    touches["device"] = _device(rng, touches["channel"])
    campaign_kind = np.isin(
        touches["touchpoint_type"],
        [TOUCH_TYPES.index(t) for t in ("ad_impression", "ad_click", "email_open", "email_click")],
    )
    month = (touches["occurred_at"] - calendar.origin) // (30 * DAY)
    campaign = (month * 4 + rng.integers(0, 4, month.size)) % CAMPAIGNS
    touches["campaign"] = np.where(campaign_kind, campaign, NONE).astype(np.int16)
    return sort_by(touches, "occurred_at", "customer")
