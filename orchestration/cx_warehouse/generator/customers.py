"""Customers: hidden persona, profile, and the profile changes a CRM records over time."""

from __future__ import annotations

import numpy as np

from cx_warehouse.generator.personas import DEAL_SEEKER, PERSONAS
from cx_warehouse.generator.reference import (
    BUSINESS_DOMAINS,
    COMPANY_SIZES,
    COUNTRIES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    INDUSTRIES,
    JOB_ROLES,
    LAST_NAMES,
)
from cx_warehouse.generator.sampling import DAY, Calendar, Table, pick, pick_by_group

ACQUISITION_CHANNELS = (
    "organic_search",
    "paid_search",
    "paid_social",
    "social",
    "email",
    "referral",
    "affiliate",
    "display",
    "in_store",
    "direct",
    "marketplace",
)
CONTACT_CHANNELS = ("email", "phone", "sms", "whatsapp", "chat")
LANGUAGES = ("en", "de", "fr", "es")
STANDARD_UTC_OFFSET = {"DE": 1, "AT": 1, "FR": 1, "BE": 1, "ES": 1, "GB": 0, "IE": 0, "US": -5}


def geography() -> list[tuple[int, str, str]]:
    """(country index, region, city) rows, in a fixed order."""
    return [
        (c, region, city)
        for c, country in enumerate(COUNTRIES)
        for region, cities in country.regions.items()
        for city in cities
    ]


def simulate_customers(rng: np.random.Generator, count: int, calendar: Calendar) -> Table:
    persona = pick(
        rng, {p.name: p.share for p in PERSONAS}, count, tuple(p.name for p in PERSONAS)
    ).astype(np.int8)
    lo = np.full(count, calendar.origin, dtype=np.int64)
    hi = np.full(count, calendar.end, dtype=np.int64)
    created = calendar.draw(rng, "signups", lo, hi)
    # Front-load part of the base so that the first months hold established customers.
    established = rng.random(count) < 0.35
    created[established] = calendar.origin + (rng.random(established.sum()) * 60 * DAY).astype(
        np.int64
    )

    country = pick(
        rng, {c.code: c.weight for c in COUNTRIES}, count, tuple(c.code for c in COUNTRIES)
    ).astype(np.int8)
    language = np.array([LANGUAGES.index(COUNTRIES[c].language) for c in country], dtype=np.int8)
    english = rng.random(count) < 0.1
    language[english] = LANGUAGES.index("en")

    geo = geography()
    geo_country = np.array([g[0] for g in geo])
    place = np.empty(count, dtype=np.int16)
    for c in range(len(COUNTRIES)):
        rows = np.flatnonzero(country == c)
        options = np.flatnonzero(geo_country == c)
        place[rows] = rng.choice(options, size=rows.size)

    business = rng.random(count) < np.array([p.business_profile for p in PERSONAS])[persona]
    first_name = np.empty(count, dtype=np.int16)
    last_name = np.empty(count, dtype=np.int16)
    for index, code in enumerate(LANGUAGES):
        rows = np.flatnonzero(language == index)
        first_name[rows] = rng.integers(0, len(FIRST_NAMES[code]), rows.size)
        last_name[rows] = rng.integers(0, len(LAST_NAMES[code]), rows.size)

    age_mean = np.array([p.birth_year_mean for p in PERSONAS])[persona]
    birth_year = np.clip(np.round(rng.normal(age_mean, 8)), 1935, 2007).astype(np.int16)
    birth_year_missing = rng.random(count) < 0.08

    contact = pick_by_group(
        rng, persona, [p.contact_preferences for p in PERSONAS], CONTACT_CHANNELS
    )
    contact_missing = rng.random(count) < 0.3
    national_digits = np.array([COUNTRIES[c].national_digits for c in country])
    # National numbers never start with 0 or 1 (trunk and NANP prefixes).
    phone = rng.integers(2 * 10 ** (national_digits - 1), 10**national_digits - 1, dtype=np.int64)
    phone_missing = rng.random(count) < 0.07

    # A share of customers later change their profile (marketing opt-in, contact preference).
    updated = rng.random(count) < 0.15
    update_at = created + (rng.random(count) * (calendar.end - created)).astype(np.int64)

    return {
        "customer": np.arange(count, dtype=np.int64),
        "persona": persona,
        "created_at": created,
        "country": country,
        "utc_offset": np.array(
            [STANDARD_UTC_OFFSET[COUNTRIES[c].code] for c in country], dtype=np.int8
        ),
        "language": language,
        "place": place,
        "first_name": first_name,
        "last_name": last_name,
        "email_domain": np.where(
            business,
            rng.integers(0, len(BUSINESS_DOMAINS), count),
            rng.integers(0, len(EMAIL_DOMAINS), count),
        ).astype(np.int16),
        "email_style": rng.integers(0, 3, count).astype(np.int8),
        "business": business,
        "phone": np.where(phone_missing, -1, phone),
        "birth_year": np.where(birth_year_missing, -1, birth_year).astype(np.int16),
        "job_role": np.where(business, rng.integers(0, len(JOB_ROLES), count), -1).astype(np.int8),
        "industry": np.where(business, rng.integers(0, len(INDUSTRIES), count), -1).astype(np.int8),
        "company_size": np.where(business, rng.integers(0, len(COMPANY_SIZES), count), -1).astype(
            np.int8
        ),
        "acquisition": pick_by_group(
            rng, persona, [p.acquisition for p in PERSONAS], ACQUISITION_CHANNELS
        ),
        "opt_in": rng.random(count) < np.where(persona == DEAL_SEEKER, 0.85, 0.55),
        "contact": np.where(contact_missing, -1, contact).astype(np.int8),
        "update_at": np.where(updated, update_at, -1),
        "update_contact": rng.integers(0, len(CONTACT_CHANNELS), count).astype(np.int8),
    }
