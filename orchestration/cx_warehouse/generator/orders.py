"""Orders, their items, fulfilment (late, damaged, cancelled) and returns."""

from __future__ import annotations

import numpy as np

from cx_warehouse.generator.personas import DEAL_SEEKER, PERSONAS, PREMIUM_PROFESSIONAL
from cx_warehouse.generator.reference import (
    CATEGORIES,
    CATEGORY_PRICES,
    COUNTRIES,
    EUR_RATES,
    PRODUCTS_PER_CATEGORY,
    TAX_RATES,
)
from cx_warehouse.generator.sampling import (
    DAY,
    Calendar,
    Table,
    expand,
    lognormal,
    pick,
    pick_by_group,
    sort_by,
)

SALES_CHANNELS = ("web", "mobile_app", "in_store", "phone", "marketplace")
PAYMENT_METHODS = ("card", "paypal", "klarna", "bank_transfer", "cash", "gift_card")
COUPONS = ("WELCOME10", "SAVE15", "FLASH20", "VIP10", "SUMMER20", "BLACKFRIDAY", "APP5", "LOYAL10")
CURRENCIES = ("EUR", "GBP", "USD")
RETURN_REASONS = (
    "damaged",
    "wrong_item",
    "not_as_described",
    "arrived_late",
    "size_fit",
    "changed_mind",
    "other",
)
HOUR = 3600


def simulate_orders(rng: np.random.Generator, customers: Table, calendar: Calendar) -> Table:
    """Every order a customer would place if nothing went wrong (churn is applied later).

    Sets each customer's `natural_lapse_at`, when they would stop buying on their own.
    """
    persona = customers["persona"]
    count = len(persona)
    per = {
        field: np.array([getattr(p, field) for p in PERSONAS])
        for field in ("buy_probability", "days_to_first_order", "orders_per_year", "lifetime_days")
    }
    buys = rng.random(count) < per["buy_probability"][persona]
    first = (
        customers["created_at"]
        + HOUR
        + (rng.exponential(per["days_to_first_order"][persona]) * DAY).astype(np.int64)
    )
    # Gamma(2) lifetimes: some customers leave early, few right after their first order.
    lifetime = rng.gamma(2.0, per["lifetime_days"][persona] / 2.0)
    lapse = first + (lifetime * DAY).astype(np.int64)
    until = np.minimum(lapse, calendar.end)
    ordering = buys & (first < calendar.end)
    rate = per["orders_per_year"][persona] * rng.gamma(4.0, 0.25, count)
    weighted = np.where(
        ordering & (until > first),
        calendar.weighted_days("orders", first, np.maximum(until, first)),
        0.0,
    )
    repeats = rng.poisson(rate * weighted / 365.0)

    first_buyers = np.flatnonzero(ordering)
    repeat_buyers = expand(repeats)
    repeat_times = calendar.draw(
        rng,
        "orders",
        first[repeat_buyers] + HOUR,
        until[repeat_buyers],
        customers["utc_offset"][repeat_buyers],
    )
    customers["natural_lapse_at"] = np.where(ordering, lapse, customers["created_at"] + 90 * DAY)
    return sort_by(
        {
            "customer": np.concatenate([first_buyers, repeat_buyers]),
            "ordered_at": np.concatenate([first[first_buyers], repeat_times]),
        },
        "customer",
        "ordered_at",
    )


def price_orders(rng: np.random.Generator, customers: Table, orders: Table) -> Table:
    """Channel, items and amounts of each order; returns the order items."""
    n = len(orders["customer"])
    orders["order"] = np.arange(n, dtype=np.int64)
    persona = customers["persona"][orders["customer"]]
    orders["sales_channel"] = pick_by_group(
        rng, persona, [p.sales_channels for p in PERSONAS], SALES_CHANNELS
    )
    country = customers["country"][orders["customer"]]
    currency = np.array([CURRENCIES.index(COUNTRIES[c].currency) for c in range(len(COUNTRIES))])
    orders["currency"] = currency[country].astype(np.int8)
    fx = np.array([EUR_RATES[c] for c in CURRENCIES])[orders["currency"]]

    premium = persona == PREMIUM_PROFESSIONAL
    item_counts = 1 + rng.poisson(np.where(premium, 1.5, 0.7))
    item_order = expand(item_counts)
    item_persona = persona[item_order]
    category = pick_by_group(rng, item_persona, [p.categories for p in PERSONAS], CATEGORIES)
    category_price = np.array([CATEGORY_PRICES[c] for c in CATEGORIES])
    persona_price = np.array(
        [
            sum(w * CATEGORY_PRICES[c] for c, w in p.categories.items())
            / sum(p.categories.values())
            for p in PERSONAS
        ]
    )
    order_value = np.array([p.order_value for p in PERSONAS])
    mean_items = np.where(item_persona == PREMIUM_PROFESSIONAL, 2.5, 1.7)
    target = (
        order_value[item_persona]
        / mean_items
        * category_price[category]
        / persona_price[item_persona]
    )
    unit_eur = np.maximum(lognormal(rng, target, 0.45, item_order.size), 1.5)
    unit_price = np.round(unit_eur * fx[item_order], 2)
    grocery = category == CATEGORIES.index("grocery")
    quantity = np.where(
        grocery, 1 + rng.poisson(1.5, item_order.size), 1 + (rng.random(item_order.size) < 0.08)
    )
    items = {
        "item": np.arange(item_order.size, dtype=np.int64),
        "order": item_order,
        "category": category.astype(np.int8),
        "product": (
            category * PRODUCTS_PER_CATEGORY
            + rng.integers(0, PRODUCTS_PER_CATEGORY, item_order.size)
        ).astype(np.int32),
        "quantity": quantity.astype(np.int32),
        "unit_price": unit_price,
    }
    subtotal = np.round(np.bincount(item_order, weights=quantity * unit_price, minlength=n), 2)

    discounted = rng.random(n) < np.array([p.discount_probability for p in PERSONAS])[persona]
    # Deal seekers come in through a welcome coupon: their first order is discounted.
    first = np.concatenate([[True], orders["customer"][1:] != orders["customer"][:-1]])
    discounted |= first & (persona == DEAL_SEEKER)
    discount = np.where(discounted, np.round(subtotal * rng.uniform(0.1, 0.3, n), 2), 0.0)
    in_store = orders["sales_channel"] == SALES_CHANNELS.index("in_store")
    shipping = np.where(in_store | (subtotal - discount >= 50 * fx), 0.0, np.round(4.95 * fx, 2))
    tax_rate = np.array([TAX_RATES[c.code] for c in COUNTRIES])[country]
    tax = np.round((subtotal - discount + shipping) * tax_rate, 2)
    orders.update(
        coupon=np.where(discounted, rng.integers(0, len(COUPONS), n), -1).astype(np.int8),
        subtotal=subtotal,
        discount=discount,
        shipping=shipping,
        tax=tax,
        total=np.round(subtotal - discount + shipping + tax, 2),
    )
    payment = np.empty(n, dtype=np.int8)
    online = pick(
        rng,
        {"card": 0.45, "paypal": 0.3, "klarna": 0.15, "bank_transfer": 0.05, "gift_card": 0.05},
        n,
        PAYMENT_METHODS,
    )
    store = pick(rng, {"card": 0.7, "cash": 0.3}, n, PAYMENT_METHODS)
    payment[:] = np.where(in_store, store, online)
    orders["payment"] = payment
    return items


def fulfil_orders(
    rng: np.random.Generator, customers: Table, orders: Table, calendar: Calendar
) -> Table:
    """Delivery, cancellation and returns of each order; returns the return requests."""
    n = len(orders["customer"])
    ordered = orders["ordered_at"]
    persona = customers["persona"][orders["customer"]]
    in_store = orders["sales_channel"] == SALES_CHANNELS.index("in_store")
    cancelled = (~in_store) & (rng.random(n) < np.where(persona == DEAL_SEEKER, 0.05, 0.025))
    paid_later = orders["payment"] == PAYMENT_METHODS.index("bank_transfer")
    orders["paid_at"] = np.where(
        paid_later, ordered + (rng.uniform(6, 40, n) * HOUR).astype(np.int64), ordered + 60
    )
    orders["cancelled_at"] = np.where(
        cancelled, ordered + (rng.uniform(1, 20, n) * HOUR).astype(np.int64), -1
    )
    orders["promised_at"] = np.where(in_store, ordered, ordered + 3 * DAY)
    orders["shipped_at"] = np.where(
        in_store | cancelled, -1, ordered + (rng.uniform(0.4, 1.5, n) * DAY).astype(np.int64)
    )
    day_index = np.clip((ordered - calendar.origin) // DAY, 0, calendar.days - 1)
    late_probability = 0.06 * calendar.month_factor[day_index] ** 4
    late = (~in_store) & (~cancelled) & (rng.random(n) < late_probability)
    on_time = orders["promised_at"] - (rng.uniform(0.0, 1.6, n) * DAY).astype(np.int64)
    delayed = orders["promised_at"] + (rng.uniform(0.5, 6.0, n) * DAY).astype(np.int64)
    delivered = np.where(late, delayed, np.maximum(on_time, orders["shipped_at"] + 4 * HOUR))
    orders["delivered_at"] = np.where(cancelled, -1, np.where(in_store, ordered, delivered))
    orders["late"] = late
    orders["damaged"] = (~cancelled) & (rng.random(n) < 0.035)

    return_probability = (
        np.array([p.return_probability for p in PERSONAS])[persona]
        + 0.35 * orders["damaged"]
        + 0.08 * late
    )
    returned = (~cancelled) & (rng.random(n) < return_probability)
    reason = pick(
        rng,
        {
            "wrong_item": 0.15,
            "not_as_described": 0.25,
            "size_fit": 0.25,
            "changed_mind": 0.25,
            "other": 0.1,
        },
        n,
        RETURN_REASONS,
    )
    reason = np.where(late, RETURN_REASONS.index("arrived_late"), reason)
    reason = np.where(orders["damaged"], RETURN_REASONS.index("damaged"), reason)
    rows = np.flatnonzero(returned)
    requested = orders["delivered_at"][rows] + (rng.uniform(1, 20, rows.size) * DAY).astype(
        np.int64
    )
    full = rng.random(rows.size) < 0.7
    refund = np.where(
        full,
        orders["total"][rows],
        np.round(orders["total"][rows] * rng.uniform(0.3, 0.9, rows.size), 2),
    )
    rejected = rng.random(rows.size) < 0.08
    returns = {
        "return": np.arange(rows.size, dtype=np.int64),
        "order": rows,
        "requested_at": requested,
        "reason": reason[rows].astype(np.int8),
        "refund": refund,
        "rejected": rejected,
    }
    refunded_at = np.full(n, -1, dtype=np.int64)
    refunded_at[rows] = np.where(rejected, -1, requested + 7 * DAY)
    orders["refunded_at"] = refunded_at
    return returns
