"""Today's Vehicles Page: the day's cards, their timers and colours, and the board's
fingerprint (one query) that lets a refresh answer "nothing changed" without a body.

Reads only; the writes from the board are in workorders.services.board.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from customers.models import Customer, Vehicle
from shop.dates import day_bounds
from shop.models import SecurityFunctionLevel, User
from workorders import board_providers
from workorders.models import Appointment, Stage, Status, WorkOrder, WorkOrderSettings
from workorders.selectors import workorder_settings_get

BOARD_FUNCTION = "view_board"


@dataclass(frozen=True)
class Timer:
    """What a card's timer shows at `now`; the page's script moves it on from the same
    instants (epoch milliseconds), so it keeps counting between refreshes."""

    kind: str  # "count_down", "count_up", "appointment" or "" (Open: no timer)
    text: str = ""
    state: str = ""  # "ok", "warn" (orange), "late" (red)
    anchor_ms: int = 0  # count down: the deadline; count up: the start; appointment: its time
    warn_ms: int = 0

    @property
    def at(self) -> datetime:
        """The instant the timer is anchored to (count down: the deadline)."""
        return datetime.fromtimestamp(self.anchor_ms / 1000, tz=UTC)

    @property
    def label(self) -> str:
        return {"warn": "little time left", "late": "overdue", "ok": "on time"}.get(self.state, "")


def _clock(delta: timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def timer_for(
    status: Status,
    entered_at: datetime,
    now: datetime,
    warn_minutes: int,
    countdown_minutes: int | None = None,
) -> Timer:
    """`countdown_minutes`: the time this vehicle was given in the status (the work order's
    own); None falls back to the status's default."""
    display = status.time_display
    minutes = countdown_minutes if countdown_minutes is not None else status.default_minutes
    if display == Status.TimeDisplay.COUNT_DOWN and minutes:
        deadline = entered_at + timedelta(minutes=minutes)
        left = deadline - now
        warn = timedelta(minutes=warn_minutes)
        if left <= timedelta(0):
            state, text = "late", f"{_clock(left)} over"
        else:
            state = "warn" if left <= warn else "ok"
            text = f"{_clock(left)} left"
        return Timer("count_down", text, state, _ms(deadline), int(warn.total_seconds() * 1000))
    if display == Status.TimeDisplay.COUNT_UP:
        return Timer("count_up", f"{_clock(now - entered_at)} in status", "", _ms(entered_at))
    return Timer("")


def work_order_timer(work_order: WorkOrder, now: datetime, warn_minutes: int) -> Timer:
    return timer_for(
        work_order.status,
        work_order.status_entered_at,
        now,
        warn_minutes,
        work_order.countdown_minutes,
    )


def countdown_parts(minutes: int | None) -> tuple[int, int]:
    """(hours, minutes) for the card's Count Down fields."""
    minutes = minutes or 0
    return minutes // 60, minutes % 60


def appointment_timer(starts_at: datetime, now: datetime) -> Timer:
    if starts_at <= now:
        return Timer("appointment", f"{_clock(now - starts_at)} past due", "late", _ms(starts_at))
    return Timer("appointment", f"in {_clock(starts_at - now)}", "ok", _ms(starts_at))


@dataclass
class Card:
    kind: str  # "appointment" or "work_order"
    pk: int
    customer: Customer
    vehicle: object
    timer: Timer
    status: Status | None = None
    work_order: WorkOrder | None = None
    appointment: Appointment | None = None
    technician: object | None = None
    priority: int = WorkOrder.Priority.NORMAL
    priority_label: str = ""
    texts: bool = False
    emails: bool = False
    replied: bool = False
    unknown_source: bool = False
    parts_arrived: bool = False
    conversation_url: str = ""
    status_options: str = ""
    priority_options: str = ""
    # Count Down statuses: the hours and minutes this vehicle was given (the card's fields).
    counts_down: bool = False
    countdown_hours: int = 0
    countdown_minutes: int = 0
    urls: dict[str, str] = field(default_factory=dict)


@dataclass
class Group:
    status: Status
    cards: list[Card] = field(default_factory=list)


@dataclass
class Board:
    now: datetime
    warn_minutes: int
    appointments: list[Card]
    estimates: list[Card]
    repair_orders: list[Group]
    statuses: list[Status]
    fingerprint: str

    @property
    def repair_order_count(self) -> int:
        return sum(len(group.cards) for group in self.repair_orders)


def active_work_orders(now: datetime):
    """Open repair orders, and estimates touched today (older ones wait in the list)."""
    start, _ = day_bounds(timezone.localdate(now))
    return (
        WorkOrder.objects.filter(closed_at__isnull=True)
        .filter(stage__in=[Stage.ESTIMATE, Stage.REPAIR_ORDER])
        .exclude(stage=Stage.ESTIMATE, updated_at__lt=start)
        .select_related("customer", "vehicle", "status", "default_technician")
        .order_by("-priority", "status_entered_at", "id")
    )


def todays_appointments(now: datetime):
    start, end = day_bounds(timezone.localdate(now))
    return (
        Appointment.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            work_order__isnull=True,
            cancelled_at__isnull=True,
        )
        .select_related("customer", "vehicle")
        .order_by("starts_at", "id")
    )


_PLACEHOLDER = 987654321


def _url_pattern(name: str) -> str:
    """A URL with "{}" where the id goes: reversing once per page, not once per card (8 URLs
    a card cost a quarter of the page's time)."""
    return reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")


def _selected(options: str, value: int) -> str:
    return options.replace(f'value="{value}">', f'value="{value}" selected>', 1)


def board_get(now: datetime | None = None, *, fingerprint: str | None = None) -> Board:
    """Everything the board shows, in a fixed number of queries whatever the number of cards.

    `fingerprint`: the one a refresh has just read (board_fingerprint), not read again.
    """
    now = now or timezone.now()
    settings_row = workorder_settings_get()
    warn = settings_row.board_warning_minutes
    work_orders = list(active_work_orders(now))
    appointments = list(todays_appointments(now))
    statuses = list(Status.objects.order_by("number"))
    customer_ids = {w.customer_id for w in work_orders} | {a.customer_id for a in appointments}
    # The cards' selects share their options: written once here, each card marks its own
    # (a template loop of 17 statuses per card was most of the page's time).
    status_options = "".join(
        f'<option value="{s.pk}">{s.number} {escape(s.name)}</option>' for s in statuses
    )
    priority_options = "".join(
        f'<option value="{value}">{escape(label)} priority</option>'
        for value, label in WorkOrder.Priority.choices
    )
    # The marks apps above workorders put on the cards (board_providers): one query each.
    marked: dict[str, set[int]] = {}
    mark_urls: dict[str, str] = {}
    work_order_ids = {w.pk for w in work_orders}
    for mark in board_providers.MARKS:
        provider = board_providers.provider_for(mark)
        if provider is not None and provider.work_orders is not None:
            marked[mark] = provider.work_orders(work_order_ids) if work_order_ids else set()
        else:
            marked[mark] = provider.customers(customer_ids) if provider else set()
        mark_urls[mark] = _url_pattern(provider.url_name) if provider else ""
    patterns = {
        "editor": _url_pattern("workorders:editor"),
        "history": _url_pattern("workorders:board_history"),
        "status": _url_pattern("workorders:board_status"),
        "priority": _url_pattern("workorders:board_priority"),
        "countdown": _url_pattern("workorders:board_countdown"),
    }

    def decorate(card: Card) -> Card:
        customer = card.customer
        card.texts = customer.text_consent
        card.emails = customer.email_consent
        card.replied = customer.pk in marked["replied"]
        card.unknown_source = customer.pk in marked["unknown_source"]
        card.conversation_url = mark_urls["replied"].format(customer.pk)
        card.urls = {"customer_source": mark_urls["unknown_source"].format(customer.pk)}
        if card.work_order is not None:
            card.urls.update({key: url.format(card.pk) for key, url in patterns.items()})
            card.parts_arrived = card.pk in marked["parts_arrived"]
            card.urls["parts_arrived"] = mark_urls["parts_arrived"].format(card.pk)
        return card

    appointment_cards = [
        decorate(
            Card(
                kind="appointment",
                pk=a.pk,
                customer=a.customer,
                vehicle=a.vehicle,
                timer=appointment_timer(a.starts_at, now),
                appointment=a,
            )
        )
        for a in appointments
    ]
    estimates: list[Card] = []
    groups: dict[int, Group] = {}
    for work_order in work_orders:
        counts_down = work_order.status.time_display == Status.TimeDisplay.COUNT_DOWN
        hours, minutes = countdown_parts(
            work_order.countdown_minutes
            if work_order.countdown_minutes is not None
            else work_order.status.default_minutes
        )
        card = decorate(
            Card(
                kind="work_order",
                pk=work_order.pk,
                customer=work_order.customer,
                vehicle=work_order.vehicle,
                timer=work_order_timer(work_order, now, warn),
                status=work_order.status,
                work_order=work_order,
                technician=work_order.default_technician,
                priority=work_order.priority,
                priority_label=work_order.get_priority_display(),
                status_options=_selected(status_options, work_order.status_id),
                priority_options=_selected(priority_options, work_order.priority),
                counts_down=counts_down,
                countdown_hours=hours,
                countdown_minutes=minutes,
            )
        )
        if work_order.stage == Stage.ESTIMATE:
            estimates.append(card)
        else:
            groups.setdefault(work_order.status_id, Group(work_order.status)).cards.append(card)
    repair_orders = sorted(groups.values(), key=lambda g: g.status.number)
    return Board(
        now=now,
        warn_minutes=warn,
        appointments=appointment_cards,
        estimates=estimates,
        repair_orders=repair_orders,
        statuses=statuses,
        fingerprint=fingerprint or board_fingerprint(now)[1],
    )


def board_fingerprint(now: datetime | None = None) -> tuple[int | None, str]:
    """(The level Set Security asks for the board, or None for its default; a short hash of
    everything the cards show): ONE query, so an unchanged board answers a refresh cheaply.

    What a card shows and where its fingerprint comes from: the work order (its
    `updated_at`, bumped by every service write: status, Count Down, priority, lines),
    its customer, vehicle and technician (their `updated_at`), the statuses' names and
    colours (`updated_at`, count and highest id: an edit, an addition, a removal), the
    settings, the appointments, and what the providers of the cards' marks add
    (board_providers: messaging's unread replies).

    Timers are not in it: the page's script moves them on by itself.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = day_bounds(today)
    work_order = WorkOrder._meta.db_table
    customer = Customer._meta.db_table
    vehicle = Vehicle._meta.db_table
    user = User._meta.db_table
    appointment = Appointment._meta.db_table
    level = SecurityFunctionLevel._meta.db_table
    settings_table = WorkOrderSettings._meta.db_table
    status = Status._meta.db_table
    open_work_orders = "w.closed_at IS NULL AND w.stage IN (%s, %s)"
    todays_appointments = "a.starts_at >= %s AND a.starts_at < %s"
    sql = f"""
        SELECT
          (SELECT l.level FROM {level} l WHERE l.code = %s),
          (SELECT COUNT(*) FROM {work_order} w WHERE {open_work_orders}),
          (SELECT MAX(w.updated_at) FROM {work_order} w WHERE {open_work_orders}),
          (SELECT MAX(c.updated_at) FROM {work_order} w JOIN {customer} c ON c.id = w.customer_id
             WHERE {open_work_orders}),
          (SELECT MAX(v.updated_at) FROM {work_order} w JOIN {vehicle} v ON v.id = w.vehicle_id
             WHERE {open_work_orders}),
          (SELECT MAX(u.updated_at) FROM {work_order} w
             JOIN {user} u ON u.id = w.default_technician_id
             WHERE {open_work_orders}),
          (SELECT COUNT(*) FROM {appointment} a
             WHERE {todays_appointments} AND a.work_order_id IS NULL
               AND a.cancelled_at IS NULL),
          (SELECT MAX(a.updated_at) FROM {appointment} a WHERE {todays_appointments}),
          (SELECT MAX(c.updated_at) FROM {appointment} a JOIN {customer} c ON c.id = a.customer_id
             WHERE {todays_appointments}),
          (SELECT MAX(v.updated_at) FROM {appointment} a JOIN {vehicle} v ON v.id = a.vehicle_id
             WHERE {todays_appointments}),
          (SELECT MAX(s.updated_at) FROM {settings_table} s),
          (SELECT COUNT(*) + COALESCE(MAX(s.id), 0) FROM {status} s),
          (SELECT MAX(s.updated_at) FROM {status} s)
          {"".join(f", {part}" for part in board_providers.fingerprint_sql())}
    """
    stages = [Stage.ESTIMATE.value, Stage.REPAIR_ORDER.value]
    day = [start, end]
    params = [BOARD_FUNCTION, *stages * 5, *day * 4]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    digest = hashlib.sha1(f"{today}|{row[1:]!r}".encode()).hexdigest()[:20]
    return row[0], digest
