"""Turn simulated numbers into the text each source system exports, in DuckDB.

Each entity has a `Rendering`: the SQL of every contract column over its version rows
(`r`, with extract_day, style and corrupt) joined to the simulated record (`b`), and how a
broken copy of the record is broken. Lookups are inlined as list literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cx_warehouse.generator.customers import (
    ACQUISITION_CHANNELS,
    CONTACT_CHANNELS,
    LANGUAGES,
    geography,
)
from cx_warehouse.generator.mess import CORRUPTIONS
from cx_warehouse.generator.orders import (
    COUPONS,
    CURRENCIES,
    PAYMENT_METHODS,
    RETURN_REASONS,
    SALES_CHANNELS,
)
from cx_warehouse.generator.reference import (
    BUSINESS_DOMAINS,
    CATEGORIES,
    COMPANY_SIZES,
    COUNTRIES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    INDUSTRIES,
    JOB_ROLES,
    LAST_NAMES,
    SUPPORT_TEAMS,
    TEAM_SITES,
)
from cx_warehouse.generator.support import PRIORITIES, STATUSES, TICKET_CATEGORIES, TICKET_CHANNELS
from cx_warehouse.generator.surveys import SURVEY_CHANNELS, SURVEY_TYPES, TRIGGERS
from cx_warehouse.generator.ticket_log import ACTORS, EVENT_TYPES
from cx_warehouse.generator.touchpoints import DEVICES, TOUCH_CHANNELS, TOUCH_TYPES
from cx_warehouse.generator.versions import AGENT_STATUSES, ORDER_STATUSES, RETURN_STATUSES
from cx_warehouse.sql_text import sql_list, sql_string

BAD_BYTE_MARKER = "\ue000"  # replaced by a lone Latin-1 byte when the file is written
ODD_OFFSETS = (330, -480, 540, -180)  # minutes: +05:30, -08:00, +09:00, -03:00


def pick(values, index: str) -> str:
    """SQL choosing values[index] (index 0-based, NULL when negative)."""
    items = ", ".join(str(v) if isinstance(v, int) else sql_string(v) for v in values)
    return f"(CASE WHEN {index} >= 0 THEN [{items}][{index} + 1] END)"


def pick_nested(values_by_group, group: str, index: str) -> str:
    groups = ", ".join(sql_list(values) for values in values_by_group)
    return f"[{groups}][{group} + 1][{index} + 1]"


def ident(prefix: str, number: str, width: int) -> str:
    padded = f"lpad(CAST({number} + 1 AS VARCHAR), {width}, '0')"
    return f"(CASE WHEN {number} >= 0 THEN '{prefix}' || {padded} END)"


def shouting(expression: str) -> str:
    """Now and then a source system sends an enum value in capitals."""
    return f"(CASE WHEN r.style = 99 THEN upper({expression}) ELSE {expression} END)"


MACROS = f"""
CREATE OR REPLACE MACRO utc_ts(s) AS make_timestamp(CAST(s AS BIGINT) * 1000000);
CREATE OR REPLACE MACRO offset_text(m) AS
    CASE WHEN m >= 0 THEN '+' ELSE '-' END
    || lpad(CAST(abs(m) // 60 AS VARCHAR), 2, '0') || ':'
    || lpad(CAST(abs(m) % 60 AS VARCHAR), 2, '0');
CREATE OR REPLACE MACRO iso_z(s) AS strftime(utc_ts(s), '%Y-%m-%dT%H:%M:%SZ');
CREATE OR REPLACE MACRO iso_z_millis(s) AS strftime(utc_ts(s), '%Y-%m-%dT%H:%M:%S.%gZ');
CREATE OR REPLACE MACRO iso_shifted(s, m) AS
    strftime(utc_ts(s) + to_minutes(CAST(m AS BIGINT)), '%Y-%m-%dT%H:%M:%S') || offset_text(m);
CREATE OR REPLACE MACRO local_offset(s, tz) AS
    datediff('minute', utc_ts(s), timezone(tz, utc_ts(s) AT TIME ZONE 'UTC'));
CREATE OR REPLACE MACRO iso_local(s, tz, style) AS
    iso_shifted(s, CASE WHEN style < 3 THEN {pick(ODD_OFFSETS, "style")}
                        ELSE local_offset(s, tz) END);
"""


def timezone_of(country: str) -> str:
    return pick([c.timezone for c in COUNTRIES], country)


def ts_z(seconds: str) -> str:
    """CRM style: UTC with Z; a few records carry the customer's local offset instead."""
    return (
        f"(CASE WHEN {seconds} < 0 THEN NULL WHEN r.style BETWEEN 90 AND 95 "
        f"THEN iso_local({seconds}, {timezone_of('p.country')}, 50) ELSE iso_z({seconds}) END)"
    )


def ts_local(seconds: str) -> str:
    """Order system and survey tool style: the customer's local time with its offset."""
    return (
        f"(CASE WHEN {seconds} < 0 THEN NULL "
        f"ELSE iso_local({seconds}, {timezone_of('p.country')}, r.style) END)"
    )


def ts_millis(seconds: str) -> str:
    """Help-desk API style: UTC with milliseconds."""
    return (
        f"(CASE WHEN {seconds} < 0 THEN NULL WHEN r.style < 3 "
        f"THEN iso_shifted({seconds}, {pick(ODD_OFFSETS, 'r.style')}) "
        f"ELSE iso_z_millis({seconds}) END)"
    )


def money(amount: str) -> str:
    return f"printf('%.2f', {amount})"


EMAIL_LOCAL = (
    "CASE p.email_style "
    "WHEN 0 THEN p.first_lower || '.' || p.last_lower || CAST(p.customer + 1 AS VARCHAR) "
    "WHEN 1 THEN left(p.first_lower, 1) || p.last_lower || CAST(p.customer + 1 AS VARCHAR) "
    "ELSE p.first_lower || '_' || p.last_lower || CAST((p.customer + 1) * 7 AS VARCHAR) END"
)

PEOPLE_VIEW = f"""
CREATE OR REPLACE TEMP VIEW people AS
WITH named AS (
    SELECT c.*,
           {pick_nested([FIRST_NAMES[lang] for lang in LANGUAGES], "c.language", "c.first_name")}
               AS first_text,
           {pick_nested([LAST_NAMES[lang] for lang in LANGUAGES], "c.language", "c.last_name")}
               AS last_text
    FROM customers AS c
)
SELECT named.*,
       regexp_replace(lower(first_text), '[^a-z]', '', 'g') AS first_lower,
       regexp_replace(lower(last_text), '[^a-z]', '', 'g') AS last_lower,
       CASE WHEN business THEN {pick(BUSINESS_DOMAINS, "email_domain")}
            ELSE {pick(EMAIL_DOMAINS, "email_domain")} END AS domain,
       {pick([c.calling_code for c in COUNTRIES], "country")} AS calling_code,
       {pick([c.trunk_prefix for c in COUNTRIES], "country")} AS trunk_prefix,
       CAST(phone AS VARCHAR) AS phone_digits
FROM named;
CREATE OR REPLACE TEMP VIEW people_contact AS
SELECT p.*, ({EMAIL_LOCAL}) || '@' || p.domain AS email
FROM people AS p;
"""


def styled_email(email: str) -> str:
    """Addresses as people type them: sometimes capitalised, in capitals, or padded."""
    return (
        f"(CASE WHEN r.style < 6 THEN upper(left({email}, 1)) || substr({email}, 2) "
        f"WHEN r.style < 9 THEN upper({email}) "
        f"WHEN r.style < 13 THEN '  ' || {email} || ' ' ELSE {email} END)"
    )


def styled_phone(international_only: bool = False) -> str:
    """A phone number in one of the formats people and systems write."""
    digits, code = "p.phone_digits", "p.calling_code"
    national = (
        f"CASE WHEN {code} = '1' THEN '(' || left({digits}, 3) || ') ' || "
        f"substr({digits}, 4, 3) || '-' || substr({digits}, 7) "
        f"ELSE p.trunk_prefix || left({digits}, 3) || '/' || substr({digits}, 4) END"
    )
    choices = [
        f"'+' || {code} || {digits}",
        f"'+' || {code} || ' ' || left({digits}, 3) || ' ' || substr({digits}, 4)",
        f"'00' || {code} || ' ' || {digits}",
    ]
    if not international_only:
        choices += [national, f"p.trunk_prefix || {digits}"]
    cases = " ".join(f"WHEN {i} THEN {c}" for i, c in enumerate(choices))
    return f"(CASE WHEN p.phone < 0 THEN NULL ELSE CASE r.style % {len(choices)} {cases} END END)"


@dataclass(frozen=True)
class Rendering:
    entity: str
    base: str
    columns: dict[str, str]
    broken: dict[str, tuple[str, str]] = field(default_factory=dict)
    joins: str = ""

    def select(self) -> str:
        """Rendered columns (VARCHAR unless noted) plus _extract_day and ordering columns."""
        expressions = []
        for name, expression in self.columns.items():
            for kind, (column, replacement) in self.broken.items():
                if column == name:
                    expression = (
                        f"CASE WHEN r.corrupt = {CORRUPTIONS.index(kind)} "
                        f"THEN {replacement} ELSE {expression} END"
                    )
            expressions.append(f"{expression} AS {name}")
        return (
            "SELECT r.extract_day AS _extract_day, r.extract_at AS _extract_at, r.seq AS _seq, "
            "r.corrupt AS _corrupt, "
            + ", ".join(expressions)
            + f" FROM rows AS r JOIN {self.base} AS b ON b._index = r.row {self.joins}"
        )


def text_macro(texts: list[str]) -> str:
    """The macro `text_of(i)`: the i-th text of the generator's text bank."""
    return f"CREATE OR REPLACE MACRO text_of(i) AS {pick(texts, 'i')};"


def _bad_text(column: str) -> str:
    return f"'Bad byte ' || '{BAD_BYTE_MARKER}' || ' in ' || coalesce({column}, 'text')"


CUSTOMER_JOIN = "JOIN people_contact AS p ON p.customer = b.customer"
GEO = geography()

RENDERINGS: dict[str, Rendering] = {
    "crm.customers": Rendering(
        entity="crm.customers",
        base="customers",
        joins="JOIN people_contact AS p ON p.customer = b._index",
        columns={
            "customer_id": ident("CUS-", "b._index", 7),
            "email": styled_email("p.email"),
            "phone": styled_phone(),
            "first_name": "p.first_text",
            "last_name": "p.last_text",
            "birth_year": "CASE WHEN b.birth_year >= 0 THEN CAST(b.birth_year AS VARCHAR) END",
            "country": pick([c.code for c in COUNTRIES], "b.country"),
            "region": pick([g[1] for g in GEO], "b.place"),
            "city": pick([g[2] for g in GEO], "b.place"),
            "language": pick(LANGUAGES, "b.language"),
            "job_role": pick(JOB_ROLES, "b.job_role"),
            "industry": pick(INDUSTRIES, "b.industry"),
            "company_size": pick(COMPANY_SIZES, "b.company_size"),
            "acquisition_channel": shouting(pick(ACQUISITION_CHANNELS, "b.acquisition")),
            "marketing_opt_in": "CASE WHEN r.opt_in THEN 'true' ELSE 'false' END",
            "preferred_contact_channel": pick(CONTACT_CHANNELS, "r.contact"),
            "created_at": ts_z("b.created_at"),
            "updated_at": ts_z("r.updated_at"),
        },
        broken={
            "unknown_enum": ("country", "'XX'"),
            "bad_timestamp": ("created_at", "'2025-02-30T25:61:00Z'"),
            "missing_key": ("customer_id", "NULL"),
            "bad_encoding": ("first_name", _bad_text("p.first_text")),
        },
    ),
    "crm.touchpoints": Rendering(
        entity="crm.touchpoints",
        base="touchpoints",
        joins=CUSTOMER_JOIN,
        columns={
            "touchpoint_id": ident("TPT-", "b._index", 9),
            "customer_id": ident("CUS-", "b.customer", 7),
            "occurred_at": ts_z("b.occurred_at"),
            "channel": shouting(pick(TOUCH_CHANNELS, "b.channel")),
            "touchpoint_type": pick(TOUCH_TYPES, "b.touchpoint_type"),
            "campaign_id": ident("CMP-", "b.campaign", 4),
            "device": pick(DEVICES, "b.device"),
        },
        broken={
            "unknown_enum": ("channel", "'carrier_pigeon'"),
            "bad_timestamp": ("occurred_at", "'yesterday at noon'"),
            "missing_key": ("touchpoint_id", "NULL"),
        },
    ),
    "orders.orders": Rendering(
        entity="orders.orders",
        base="orders",
        joins=CUSTOMER_JOIN,
        columns={
            "order_id": ident("ORD-", "b.number", 9),
            "customer_id": ident("CUS-", "b.customer", 7),
            "ordered_at": ts_local("b.ordered_at"),
            "status": shouting(pick(ORDER_STATUSES, "r.status")),
            "sales_channel": pick(SALES_CHANNELS, "b.sales_channel"),
            "payment_method": pick(PAYMENT_METHODS, "b.payment"),
            "coupon_code": pick(COUPONS, "b.coupon"),
            "currency": pick(CURRENCIES, "b.currency"),
            "subtotal": money("b.subtotal"),
            "discount_amount": money("b.discount"),
            "shipping_amount": money("b.shipping"),
            "tax_amount": money("b.tax"),
            "total_amount": money("b.total"),
            "promised_delivery_at": ts_local("b.promised_at"),
            "delivered_at": "CASE WHEN r.delivered_visible THEN "
            + ts_local("b.delivered_at")
            + " END",
            "updated_at": ts_local("r.updated_at"),
        },
        broken={
            "out_of_range": ("total_amount", "printf('%.2f', -b.total)"),
            "unknown_enum": ("status", "'lost_in_space'"),
            "bad_timestamp": ("ordered_at", "'2025-13-45T10:00:00+01:00'"),
            "missing_key": ("order_id", "NULL"),
            "bad_encoding": ("payment_method", f"'card{BAD_BYTE_MARKER}'"),
        },
    ),
    "orders.order_items": Rendering(
        entity="orders.order_items",
        base="items",
        columns={
            "order_item_id": ident("ITM-", "b._index", 10),
            "order_id": ident("ORD-", "b.order_number", 9),
            "product_id": ident("PRD-", "b.product", 5),
            "product_category": pick(CATEGORIES, "b.category"),
            "quantity": "CAST(b.quantity AS VARCHAR)",
            "unit_price": money("b.unit_price"),
        },
        broken={
            "out_of_range": ("quantity", "'0'"),
            "missing_key": ("order_item_id", "NULL"),
        },
    ),
    "orders.returns": Rendering(
        entity="orders.returns",
        base="returns",
        joins=CUSTOMER_JOIN,
        columns={
            "return_id": ident("RET-", "b.number", 9),
            "order_id": ident("ORD-", "b.order_number", 9),
            "requested_at": ts_local("b.requested_at"),
            "reason": pick(RETURN_REASONS, "b.reason"),
            "refund_amount": money("b.refund"),
            "status": pick(RETURN_STATUSES, "r.status"),
            "updated_at": ts_local("r.updated_at"),
        },
        broken={"unknown_enum": ("reason", "'bored'")},
    ),
    "tickets.tickets": Rendering(
        entity="tickets.tickets",
        base="tickets",
        joins=CUSTOMER_JOIN,
        columns={
            "ticket_id": ident("TCK-", "b.number", 9),
            "customer_id": f"CASE WHEN b.requester = 0 THEN {ident('CUS-', 'b.customer', 7)} END",
            "requester_email": (
                "CASE b.requester "
                "WHEN 2 THEN p.first_lower || '.' || p.last_lower || '@work-mail.example' "
                f"WHEN 3 THEN 'guest' || CAST(b._index + 1 AS VARCHAR) || '@guest-mail.example' "
                f"ELSE {styled_email('p.email')} END"
            ),
            "requester_phone": (
                f"CASE WHEN b.requester = 2 OR (b.requester <> 3 AND b.channel = "
                f"{TICKET_CHANNELS.index('phone')}) "
                f"THEN {styled_phone(international_only=True)} END"
            ),
            "created_at": ts_millis("b.created_at"),
            "channel": shouting(pick(TICKET_CHANNELS, "b.channel")),
            "category": pick(TICKET_CATEGORIES, "b.category"),
            "priority": pick(PRIORITIES, "b.priority"),
            "status": pick(STATUSES, "r.status"),
            "team": pick(SUPPORT_TEAMS, "b.team"),
            "assignee_agent_id": f"CASE WHEN r.assigned THEN {ident('AGT-', 'b.agent', 4)} END",
            "order_id": ident("ORD-", "b.order_number", 9),
            "subject": "text_of(b.subject)",
            "description": "text_of(b.description)",
            "solved_at": ts_millis("r.solved_at"),
            "updated_at": ts_millis("r.updated_at"),
        },
        broken={
            "unknown_enum": ("channel", "'fax'"),
            "bad_timestamp": ("created_at", "'not a date'"),
            "missing_key": ("ticket_id", "NULL"),
            "broken_json": ("", ""),
        },
    ),
    "tickets.ticket_events": Rendering(
        entity="tickets.ticket_events",
        base="ticket_events",
        columns={
            "event_id": ident("EVT-", "b._index", 10),
            "ticket_id": ident("TCK-", "b.ticket_number", 9),
            "occurred_at": ts_millis("b.occurred_at"),
            "event_type": pick(EVENT_TYPES, "b.event_type"),
            "actor_type": pick(ACTORS, "b.actor"),
            "agent_id": ident("AGT-", "b.agent", 4),
            "channel": pick(TICKET_CHANNELS, "b.channel"),
            "from_status": pick(STATUSES, "b.from_status"),
            "to_status": pick(STATUSES, "b.to_status"),
            "handle_seconds": "CASE WHEN b.handle_seconds >= 0 THEN b.handle_seconds END",
            "body": "CASE WHEN b.body >= 0 THEN text_of(b.body) END",
        },
        broken={
            "unknown_enum": ("event_type", "'teleported'"),
            "broken_json": ("", ""),
            "bad_encoding": ("body", _bad_text("CASE WHEN b.body >= 0 THEN text_of(b.body) END")),
        },
    ),
    "tickets.agents": Rendering(
        entity="tickets.agents",
        base="agents",
        columns={
            "agent_id": ident("AGT-", "b._index", 4),
            "team": pick(SUPPORT_TEAMS, "b.team"),
            "site": pick_nested([TEAM_SITES[t] for t in SUPPORT_TEAMS], "b.team", "b.site"),
            "status": pick(AGENT_STATUSES, "r.status"),
            "hired_at": "iso_z_millis(b.hired_at)",
            "updated_at": "iso_z_millis(r.updated_at)",
        },
    ),
    "surveys.invitations": Rendering(
        entity="surveys.invitations",
        base="invitations",
        joins=CUSTOMER_JOIN,
        columns={
            "invitation_id": ident("INV-", "b._index", 9),
            "survey_type": pick(SURVEY_TYPES, "b.survey_type"),
            "trigger": pick(TRIGGERS, "b.trigger"),
            "customer_id": ident("CUS-", "b.customer", 7),
            "order_id": ident("ORD-", "b.order_number", 9),
            "ticket_id": ident("TCK-", "b.ticket_number", 9),
            "channel": shouting(pick(SURVEY_CHANNELS, "b.channel")),
            "sent_at": ts_local("b.sent_at"),
        },
        broken={
            "unknown_enum": ("channel", "'carrier_pigeon'"),
            "missing_key": ("invitation_id", "NULL"),
        },
    ),
    "surveys.responses": Rendering(
        entity="surveys.responses",
        base="responses",
        joins=CUSTOMER_JOIN,
        columns={
            "response_id": ident("RSP-", "b._index", 9),
            "invitation_id": ident("INV-", "b.invitation", 9),
            "customer_id": ident("CUS-", "b.customer", 7),
            "survey_type": pick(SURVEY_TYPES, "b.survey_type"),
            "responded_at": ts_local("b.responded_at"),
            "score": "CAST(b.score AS VARCHAR)",
            "comment": (
                "CASE WHEN b.comment >= 0 THEN text_of(b.comment) || "
                "CASE WHEN b.comment_more >= 0 THEN ' ' || text_of(b.comment_more) "
                "ELSE '' END END"
            ),
            "language": pick(LANGUAGES, "b.language"),
        },
        broken={
            "out_of_range": ("score", "'11'"),
            "bad_timestamp": ("responded_at", "'2025-02-29T12:00:00+01:00'"),
            "bad_encoding": ("comment", _bad_text("NULL")),
        },
    ),
}
