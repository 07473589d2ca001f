{#- One row per ticket: who, what, when, how it was served (times in calendar and business
    minutes, SLA, one-touch, FCR, reopens, channel switching, handle time) and how the customer
    felt about it (sentiment, post-support CSAT and CES). -#}
with

timeline as (
    select * from {{ ref('int_support_ticket_timeline') }}
),

durations as (
    select * from {{ ref('int_support_ticket_durations') }}
),

metrics as (
    select * from {{ ref('int_support_ticket_metrics') }}
),

sentiment as (
    select
        ticket_id,
        {{ exact_mean('sentiment_score') }} as customer_sentiment
    from {{ ref('int_sentiment_scores') }}
    where author_type = 'customer' and ticket_id is not null
    group by ticket_id
),

surveys as (
    select
        invitations.ticket_id,
        arg_max(responses.score, responses.responded_at) filter (
            where responses.survey_type = 'csat'
        )
            as csat_score,
        arg_max(responses.score, responses.responded_at) filter (
            where responses.survey_type = 'ces'
        )
            as ces_score
    from {{ ref('stg_surveys__responses') }} as responses
    inner join {{ ref('stg_surveys__invitations') }} as invitations
        on responses.invitation_id = invitations.invitation_id
    where invitations.ticket_id is not null
    group by invitations.ticket_id
)

select
    timeline.ticket_id,
    timeline.customer_id,
    timeline.match_rule as identity_match_rule,
    timeline.order_id,
    timeline.channel,
    timeline.category,
    timeline.priority,
    timeline.team,
    timeline.agent_id,
    timeline.status,
    timeline.is_solved,
    timeline.created_at,
    timeline.first_agent_reply_at,
    timeline.last_solved_at,
    durations.first_response_minutes,
    durations.first_response_business_minutes,
    durations.resolution_minutes,
    durations.resolution_business_minutes,
    durations.requester_wait_minutes,
    durations.requester_wait_business_minutes,
    metrics.first_response_target_minutes,
    metrics.is_first_response_sla_met,
    metrics.resolution_target_minutes,
    metrics.is_resolution_sla_met,
    timeline.agent_reply_count,
    timeline.customer_reply_count,
    timeline.reopen_count,
    metrics.is_one_touch_resolution,
    metrics.is_first_contact_resolution,
    metrics.is_followed_by_repeat_contact,
    metrics.is_channel_switch_away,
    metrics.next_contact_channel,
    timeline.channel_switch_events,
    timeline.reassignment_count,
    timeline.handled_contacts,
    timeline.handle_seconds,
    sentiment.customer_sentiment,
    surveys.csat_score,
    surveys.ces_score
from timeline
inner join durations
    on timeline.ticket_id = durations.ticket_id
inner join metrics
    on timeline.ticket_id = metrics.ticket_id
left join sentiment
    on timeline.ticket_id = sentiment.ticket_id
left join surveys
    on timeline.ticket_id = surveys.ticket_id
