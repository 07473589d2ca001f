"""The hidden personas that drive generated behaviour. Never ingested: the generator writes each
customer's persona to the ground-truth folder so tests can check that the marts recover it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Persona:
    name: str
    share: float
    acquisition: dict[str, float]
    buy_probability: float  # chance the customer ever orders
    days_to_first_order: float  # mean consideration time
    orders_per_year: float  # repeat purchase rate while active
    lifetime_days: float  # mean active life before a natural lapse
    order_value: float  # mean subtotal in EUR
    discount_probability: float
    sales_channels: dict[str, float]
    tickets_per_order: float
    other_tickets_per_year: float
    support_channels: dict[str, float]
    touches_per_month: float
    web_or_app: float  # share of web touches made in the mobile app
    response_probability: float
    nps_mean: float
    csat_mean: float
    ces_mean: float
    churn_after_bad_experience: float
    business_profile: float  # chance of job role, industry and company size
    contact_preferences: dict[str, float]
    birth_year_mean: float
    referrals_per_year: float
    categories: dict[str, float]
    return_probability: float


PERSONAS: tuple[Persona, ...] = (
    Persona(
        name="deal_seeker",
        share=0.22,
        acquisition={
            "paid_social": 0.3,
            "paid_search": 0.2,
            "affiliate": 0.2,
            "marketplace": 0.1,
            "email": 0.1,
            "social": 0.1,
        },
        buy_probability=0.97,
        days_to_first_order=5,
        orders_per_year=4.0,
        lifetime_days=420,
        order_value=38,
        discount_probability=0.82,
        sales_channels={"web": 0.5, "mobile_app": 0.1, "marketplace": 0.4},
        tickets_per_order=0.1,
        other_tickets_per_year=0.15,
        support_channels={
            "email": 0.35,
            "chat": 0.3,
            "social": 0.15,
            "whatsapp": 0.15,
            "sms": 0.05,
        },
        touches_per_month=6,
        web_or_app=0.3,
        response_probability=0.22,
        nps_mean=6.6,
        csat_mean=3.6,
        ces_mean=5.6,
        churn_after_bad_experience=0.3,
        business_profile=0.02,
        contact_preferences={"email": 0.5, "sms": 0.2, "whatsapp": 0.3},
        birth_year_mean=1994,
        referrals_per_year=0.2,
        categories={"fashion": 0.35, "beauty": 0.25, "electronics": 0.2, "toys": 0.2},
        return_probability=0.1,
    ),
    Persona(
        name="loyal_regular",
        share=0.2,
        acquisition={"organic_search": 0.25, "referral": 0.25, "direct": 0.25, "in_store": 0.25},
        buy_probability=0.99,
        days_to_first_order=3,
        orders_per_year=9.0,
        lifetime_days=1800,
        order_value=62,
        discount_probability=0.05,
        sales_channels={"in_store": 0.55, "web": 0.35, "phone": 0.1},
        tickets_per_order=0.04,
        other_tickets_per_year=0.1,
        support_channels={"phone": 0.45, "email": 0.35, "chat": 0.2},
        touches_per_month=3,
        web_or_app=0.2,
        response_probability=0.45,
        nps_mean=9.4,
        csat_mean=4.5,
        ces_mean=6.6,
        churn_after_bad_experience=0.05,
        business_profile=0.03,
        contact_preferences={"email": 0.4, "phone": 0.6},
        birth_year_mean=1975,
        referrals_per_year=1.0,
        categories={"grocery": 0.35, "home": 0.3, "books": 0.2, "beauty": 0.15},
        return_probability=0.03,
    ),
    Persona(
        name="high_touch_supporter",
        share=0.15,
        acquisition={"in_store": 0.3, "direct": 0.3, "organic_search": 0.2, "email": 0.2},
        buy_probability=0.96,
        days_to_first_order=12,
        orders_per_year=3.5,
        lifetime_days=800,
        order_value=85,
        discount_probability=0.1,
        sales_channels={"web": 0.55, "phone": 0.35, "in_store": 0.1},
        tickets_per_order=1.2,
        other_tickets_per_year=2.5,
        support_channels={"phone": 0.55, "email": 0.3, "chat": 0.15},
        touches_per_month=2,
        web_or_app=0.1,
        response_probability=0.4,
        nps_mean=7.6,
        csat_mean=3.8,
        ces_mean=4.5,
        churn_after_bad_experience=0.08,
        business_profile=0.05,
        contact_preferences={"phone": 0.7, "email": 0.3},
        birth_year_mean=1966,
        referrals_per_year=0.2,
        categories={"electronics": 0.5, "home": 0.5},
        return_probability=0.16,
    ),
    Persona(
        name="digital_self_server",
        share=0.2,
        acquisition={"organic_search": 0.4, "social": 0.3, "paid_search": 0.15, "referral": 0.15},
        buy_probability=0.96,
        days_to_first_order=7,
        orders_per_year=5.0,
        lifetime_days=1000,
        order_value=55,
        discount_probability=0.08,
        sales_channels={"mobile_app": 0.8, "web": 0.2},
        tickets_per_order=0.04,
        other_tickets_per_year=0.1,
        support_channels={"chat": 0.5, "web_form": 0.3, "whatsapp": 0.1, "social": 0.1},
        touches_per_month=8,
        web_or_app=0.8,
        response_probability=0.28,
        nps_mean=8.9,
        csat_mean=4.3,
        ces_mean=6.6,
        churn_after_bad_experience=0.12,
        business_profile=0.05,
        contact_preferences={"chat": 0.5, "whatsapp": 0.3, "email": 0.2},
        birth_year_mean=1997,
        referrals_per_year=0.4,
        categories={"electronics": 0.4, "fashion": 0.3, "sports": 0.3},
        return_probability=0.05,
    ),
    Persona(
        name="premium_professional",
        share=0.1,
        acquisition={"direct": 0.35, "referral": 0.25, "paid_search": 0.25, "email": 0.15},
        buy_probability=0.96,
        days_to_first_order=25,
        orders_per_year=3.0,
        lifetime_days=1400,
        order_value=420,
        discount_probability=0.05,
        sales_channels={"web": 0.6, "phone": 0.4},
        tickets_per_order=0.3,
        other_tickets_per_year=0.6,
        support_channels={"email": 0.55, "phone": 0.45},
        touches_per_month=3,
        web_or_app=0.1,
        response_probability=0.3,
        nps_mean=8.8,
        csat_mean=4.2,
        ces_mean=6.1,
        churn_after_bad_experience=0.1,
        business_profile=0.92,
        contact_preferences={"email": 0.6, "phone": 0.4},
        birth_year_mean=1980,
        referrals_per_year=0.4,
        categories={"electronics": 0.6, "home": 0.4},
        return_probability=0.04,
    ),
    Persona(
        name="occasional_browser",
        share=0.13,
        acquisition={"social": 0.3, "display": 0.3, "paid_social": 0.2, "organic_search": 0.2},
        buy_probability=0.55,
        days_to_first_order=45,
        orders_per_year=0.4,
        lifetime_days=200,
        order_value=35,
        discount_probability=0.1,
        sales_channels={"web": 0.8, "mobile_app": 0.1, "marketplace": 0.1},
        tickets_per_order=0.08,
        other_tickets_per_year=0.05,
        support_channels={"email": 0.5, "chat": 0.3, "web_form": 0.2},
        touches_per_month=4,
        web_or_app=0.3,
        response_probability=0.12,
        nps_mean=7.8,
        csat_mean=4.0,
        ces_mean=5.8,
        churn_after_bad_experience=0.3,
        business_profile=0.02,
        contact_preferences={"email": 0.8, "sms": 0.2},
        birth_year_mean=1990,
        referrals_per_year=0.02,
        categories={"fashion": 0.4, "toys": 0.3, "books": 0.3},
        return_probability=0.06,
    ),
)

PERSONA_NAMES: tuple[str, ...] = tuple(p.name for p in PERSONAS)
DEAL_SEEKER = PERSONA_NAMES.index("deal_seeker")
PREMIUM_PROFESSIONAL = PERSONA_NAMES.index("premium_professional")
