"""The help desk's audit log (ticket events) and ticket versions, from worked tickets."""

from __future__ import annotations

import numpy as np

from cx_warehouse.generator.sampling import Table, concat, sort_by
from cx_warehouse.generator.support import STATUSES, TICKET_CATEGORIES, TICKET_CHANNELS

EVENT_TYPES = (
    "created",
    "agent_reply",
    "customer_reply",
    "status_change",
    "reassigned",
    "channel_switch",
    "reopened",
    "call_handled",
    "internal_note",
)
ACTORS = ("agent", "customer", "system")
NONE = -1


def _status(name: str) -> int:
    return STATUSES.index(name)


class _Log:
    """Collects event rows for the tickets selected by a mask."""

    def __init__(self, tickets: Table, rng: np.random.Generator, texts: dict):
        self.tickets = tickets
        self.rng = rng
        self.texts = texts
        self.chunks: list[Table] = []
        self.sequence = 0

    def add(
        self,
        mask: np.ndarray,
        at: np.ndarray,
        event: str,
        actor: str,
        *,
        channel: np.ndarray | None = None,
        agent: bool = False,
        body: np.ndarray | None = None,
        from_status: int = NONE,
        to_status: int = NONE,
        handle_seconds: np.ndarray | None = None,
    ) -> None:
        rows = np.flatnonzero(mask)
        n = rows.size
        self.sequence += 1
        self.chunks.append(
            {
                "ticket": rows,
                "occurred_at": at[rows],
                "sequence": np.full(n, self.sequence, dtype=np.int32),
                "event_type": np.full(n, EVENT_TYPES.index(event), dtype=np.int8),
                "actor": np.full(n, ACTORS.index(actor), dtype=np.int8),
                "agent": self.tickets["agent"][rows] if agent else np.full(n, NONE, dtype=np.int64),
                "channel": (self.tickets["channel"] if channel is None else channel)[rows],
                "from_status": np.full(n, from_status, dtype=np.int8),
                "to_status": np.full(n, to_status, dtype=np.int8),
                "handle_seconds": (
                    np.full(n, NONE, dtype=np.int64)
                    if handle_seconds is None
                    else handle_seconds[rows].astype(np.int64)
                ),
                "body": np.full(n, NONE, dtype=np.int32) if body is None else body[rows],
            }
        )

    def draw(self, options: np.ndarray) -> np.ndarray:
        return options[self.rng.integers(0, options.size, self.tickets["team"].size)]

    def by_category(self, key: str) -> np.ndarray:
        return draw_by_category(self.rng, self.tickets["category"], self.texts[key])


def draw_by_category(
    rng: np.random.Generator, category: np.ndarray, options_by_category: dict[str, np.ndarray]
) -> np.ndarray:
    """For each ticket, a text id from the options of its category."""
    chosen = np.empty(category.size, dtype=np.int32)
    for index, name in enumerate(TICKET_CATEGORIES):
        rows = np.flatnonzero(category == index)
        options = options_by_category[name]
        chosen[rows] = options[rng.integers(0, options.size, rows.size)]
    return chosen


def ticket_events(rng: np.random.Generator, tickets: Table, texts: dict, end: int) -> Table:
    """Every event of every ticket up to `end`, in time order."""
    log = _Log(tickets, rng, texts)
    n = tickets["team"].size
    everyone = np.ones(n, dtype=bool)
    channel = tickets["channel"]
    live = np.isin(channel, [TICKET_CHANNELS.index("phone"), TICKET_CHANNELS.index("chat")])
    phone = channel == TICKET_CHANNELS.index("phone")
    rounds = tickets["rounds"]
    replies, asks = tickets["agent_reply_at"], tickets["customer_reply_at"]
    switched = tickets["switched_inside"]
    later_channel = np.where(switched, tickets["switch_channel"], channel)
    negative = tickets["breached"] | (tickets["follow_up_of"] >= 0)

    description = np.where(phone, NONE, log.by_category("description"))
    log.add(
        everyone,
        tickets["created_at"],
        "created",
        "customer",
        body=description,
        to_status=_status("new"),
    )
    log.add(tickets["reassigned"], tickets["created_at"] + 120, "reassigned", "system", agent=True)
    for r in range(rounds.max(initial=1)):
        answered = rounds > r
        current = channel if r == 0 else later_channel
        if r > 0:
            mood = np.where(
                negative,
                log.draw(texts["customer_reply"]["negative"]),
                log.draw(texts["customer_reply"]["neutral"]),
            )
            log.add(answered, asks[:, r], "customer_reply", "customer", channel=current, body=mood)
            log.add(
                answered,
                asks[:, r],
                "status_change",
                "system",
                channel=current,
                from_status=_status("pending"),
                to_status=_status("open"),
            )
        log.add(
            answered,
            replies[:, r],
            "agent_reply",
            "agent",
            channel=current,
            agent=True,
            body=log.draw(texts["agent_reply"]),
        )
        log.add(
            answered & live,
            replies[:, r],
            "call_handled",
            "agent",
            channel=current,
            agent=True,
            handle_seconds=tickets["handle_seconds"],
        )
        waiting = answered & (rounds > r + 1)
        log.add(
            waiting,
            replies[:, r] + 30,
            "status_change",
            "agent",
            channel=current,
            agent=True,
            from_status=_status("new") if r == 0 else _status("open"),
            to_status=_status("pending"),
        )
        if r == 0:
            log.add(
                answered & ~waiting,
                replies[:, 0] + 30,
                "status_change",
                "agent",
                agent=True,
                from_status=_status("new"),
                to_status=_status("open"),
            )
            log.add(
                switched, replies[:, 0] + 600, "channel_switch", "customer", channel=later_channel
            )
            log.add(
                tickets["internal_note"],
                replies[:, 0] + 300,
                "internal_note",
                "agent",
                agent=True,
                body=log.draw(texts["internal_note"]),
            )
    log.add(
        everyone,
        tickets["first_solved_at"],
        "status_change",
        "agent",
        channel=later_channel,
        agent=True,
        from_status=_status("open"),
        to_status=_status("solved"),
    )

    reopened = tickets["reopened"]
    log.add(
        reopened,
        tickets["reopened_at"],
        "customer_reply",
        "customer",
        channel=later_channel,
        body=log.draw(texts["customer_reply"]["negative"]),
    )
    log.add(
        reopened,
        tickets["reopened_at"],
        "reopened",
        "system",
        channel=later_channel,
        from_status=_status("solved"),
        to_status=_status("open"),
    )
    log.add(
        reopened,
        tickets["reopen_reply_at"],
        "agent_reply",
        "agent",
        channel=later_channel,
        agent=True,
        body=log.draw(texts["agent_reply"]),
    )
    log.add(
        reopened & live,
        tickets["reopen_reply_at"],
        "call_handled",
        "agent",
        channel=later_channel,
        agent=True,
        handle_seconds=tickets["handle_seconds"],
    )
    log.add(
        reopened,
        tickets["solved_at"],
        "status_change",
        "agent",
        channel=later_channel,
        agent=True,
        from_status=_status("open"),
        to_status=_status("solved"),
    )
    thanked = (~reopened) & (tickets["satisfaction"] > -0.5) & (rng.random(n) < 0.25)
    log.add(
        thanked,
        tickets["first_solved_at"] + 3600,
        "customer_reply",
        "customer",
        channel=later_channel,
        body=log.draw(texts["customer_reply"]["positive"]),
    )
    log.add(
        everyone,
        tickets["closed_at"],
        "status_change",
        "system",
        channel=later_channel,
        from_status=_status("solved"),
        to_status=_status("closed"),
    )

    events = concat(log.chunks)
    events = {name: column[events["occurred_at"] < end] for name, column in events.items()}
    return sort_by(events, "occurred_at", "ticket", "sequence")


def ticket_versions(tickets: Table, end: int) -> Table:
    """Every state a ticket record passed through (status, solved_at, assignee), up to `end`."""
    n = tickets["team"].size
    rows = np.arange(n)
    rounds = tickets["rounds"]
    replies, asks = tickets["agent_reply_at"], tickets["customer_reply_at"]
    chunks = []

    def state(
        mask: np.ndarray,
        at: np.ndarray,
        status: str,
        solved: np.ndarray | None = None,
        assigned: bool = True,
    ) -> None:
        chosen = rows[mask]
        chunks.append(
            {
                "ticket": chosen,
                "updated_at": at[chosen],
                "status": np.full(chosen.size, _status(status), dtype=np.int8),
                "solved_at": np.full(chosen.size, NONE, dtype=np.int64)
                if solved is None
                else solved[chosen],
                "assigned": np.full(chosen.size, assigned),
            }
        )

    everyone = np.ones(n, dtype=bool)
    state(everyone, tickets["created_at"], "new", assigned=False)
    for r in range(rounds.max(initial=1)):
        answered = rounds > r
        if r > 0:
            state(answered, asks[:, r], "open")
        state(answered & (rounds > r + 1), replies[:, r], "pending")
        state(answered & (rounds == r + 1), replies[:, r], "open")
    state(everyone, tickets["first_solved_at"], "solved", solved=tickets["first_solved_at"])
    reopened = tickets["reopened"]
    state(reopened, tickets["reopened_at"], "open")
    state(reopened, tickets["solved_at"], "solved", solved=tickets["solved_at"])
    state(everyone, tickets["closed_at"], "closed", solved=tickets["solved_at"])
    versions = concat(chunks)
    versions = {name: column[versions["updated_at"] < end] for name, column in versions.items()}
    return sort_by(versions, "ticket", "updated_at")
