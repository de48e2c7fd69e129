"""The tables, as SQLAlchemy declarative models."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

# Stable constraint names, so migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """A model's Table, typed as one (`__table__` is typed as any FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


# The table args of every table whose ids go out to Telegram: in a button's callback data (a
# delivery, a check-in, a reminder, a broadcast draft) or a message's text ("Broadcast #12"). A
# message outlives its row (/delete erases it, a new /broadcast replaces the draft), so an id
# must never name another row later, or the old button acts on it. PostgreSQL's sequences never
# reuse one; on SQLite a plain INTEGER PRIMARY KEY takes max(id) + 1, the erased row's id again,
# and only AUTOINCREMENT (migration 0007) never goes back. No effect on PostgreSQL's DDL.
IDS_NEVER_REUSED = {"sqlite_autoincrement": True}


class OwnedByUser:
    """A row of one user's data: it has its own id, and erasing the user erases it."""

    # First, as they stand in the migrations: compiled statements list columns in table order.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-2)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), sort_order=-1)


class ReminderKind(enum.StrEnum):
    DOSE = "dose"
    MOISTURISER = "moisturiser"
    SUNSCREEN = "sunscreen"
    # Monthly, on Reminder.day_of_month: blood tests, and a pregnancy test for those who can
    # become pregnant.
    LABS = "labs"
    PREGNANCY_TEST = "pregnancy_test"
    # Weekly, on Reminder.day_of_week: adherence and course progress, rendered at send time.
    WEEKLY_SUMMARY = "weekly_summary"
    # Weekly, on Reminder.day_of_week, only when the user switches it on: the mood and
    # side-effect check-in (CheckIn), which the message offers to start.
    CHECKIN = "checkin"


class Purpose(enum.StrEnum):
    FIRST = "first"
    SNOOZE = "snooze"
    FOLLOW_UP = "follow_up"
    BROADCAST = "broadcast"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    # The call may or may not have reached Telegram (a crash or timeout mid-call); never resent.
    UNCERTAIN = "uncertain"
    FAILED = "failed"
    BLOCKED = "blocked"
    # Fell due while the bot was down, past the grace window.
    MISSED = "missed"
    # No longer wanted: the dose was already logged, the reminder switched off, a broadcast stopped.
    CANCELLED = "cancelled"


class BroadcastStatus(enum.StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class Audience(enum.StrEnum):
    ALL = "all"
    IN_TREATMENT = "in_treatment"
    AFTER_COURSE = "after_course"
    ADMINS = "admins"


class Outcome(enum.StrEnum):
    TAKEN = "taken"
    SKIPPED = "skipped"
    DONE = "done"


class Severity(enum.StrEnum):
    """How much a side effect bothered the user, as a check-in asks it."""

    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


def _str_enum(kind: type[enum.StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class UserStatus(enum.StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"


class User(Base):
    __tablename__ = "users"

    # Telegram's own user id is the key: it is stable and unique per person.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(16), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[UserStatus] = mapped_column(_str_enum(UserStatus), default=UserStatus.ACTIVE)
    # /pause: every reminder stays as configured but none is dispatched.
    reminders_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # A guided flow waiting for typed input, such as "remind:dose"; kept here, not in memory, so a
    # restart or another instance can pick the conversation up.
    awaiting: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reminder(OwnedByUser, Base):
    """One reminder: a kind at a local wall-clock time in the user's zone, daily unless its kind
    is monthly or weekly (scheduler/schedules.py)."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "local_time"),
        # The dispatcher's claim reads only due rows through this index, so a tick costs the
        # number of due reminders, not the number of users.
        Index("ix_reminders_next_fire_at", "next_fire_at"),
        IDS_NEVER_REUSED,
    )

    kind: Mapped[ReminderKind] = mapped_column(_str_enum(ReminderKind))
    local_time: Mapped[str] = mapped_column(String(5))  # "HH:MM"
    # Set only for monthly kinds (1-31; a short month fires on its last day) and weekly kinds
    # (0 = Monday ... 6 = Sunday); daily reminders leave both NULL.
    day_of_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    day_of_week: Mapped[int | None] = mapped_column(Integer, nullable=True)
    timezone: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # NULL while switched off or paused, so such rows are never claimed.
    next_fire_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Delivery(OwnedByUser, Base):
    """One message to send, and what became of it."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("reminder_id", "occurrence", "purpose"),
        UniqueConstraint("broadcast_id", "user_id"),
        Index("ix_deliveries_status_due_at", "status", "due_at"),
        Index("ix_deliveries_user_id", "user_id"),
        IDS_NEVER_REUSED,
    )

    chat_id: Mapped[int] = mapped_column(BigInteger)
    # Kept when a reminder is deleted (its pending ones are cancelled first): history stays true.
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[ReminderKind | None] = mapped_column(_str_enum(ReminderKind), nullable=True)
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), nullable=True
    )
    occurrence: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The reminder's wall time ("08:00") and zone when the occurrence was dispatched: its texts
    # name that time, and its local day is in that zone, though the reminder may since have moved
    # to another time or zone (a trip). NULL for broadcasts, and for rows from before migration
    # 0006 (their reminder's own are used).
    local_time: Mapped[str | None] = mapped_column(String(5), nullable=True)
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    purpose: Mapped[Purpose] = mapped_column(_str_enum(Purpose))
    # Lower goes first: reminders are never held back behind a broadcast.
    priority: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[DeliveryStatus] = mapped_column(
        _str_enum(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


def delivery_status_in(*statuses: DeliveryStatus) -> ColumnElement[bool]:
    """Deliveries in one of these statuses, as a filter beside another that finds the rows (their
    ids, reminder, occurrence, user or broadcast).

    As an expression, the status cannot lead a planner to the (status, due_at) index, which is for
    finding what is due. Written plainly, SQLite always took that index for it, and PostgreSQL
    did before its statistics: each claim, each answered dose, read every pending delivery, more
    the larger a broadcast under way.
    """
    return Delivery.status.concat("").in_([status.value for status in statuses])


class DoseLog(OwnedByUser, Base):
    """What the user answered for one occurrence: a dose taken or skipped, skincare done."""

    __tablename__ = "dose_log"
    __table_args__ = (UniqueConstraint("reminder_id", "occurrence"),)

    # Kept when a reminder is deleted: the history stays true.
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="SET NULL"), nullable=True
    )
    kind: Mapped[ReminderKind] = mapped_column(_str_enum(ReminderKind))
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime())
    local_date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[Outcome] = mapped_column(_str_enum(Outcome))
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The part of the day's prescribed mg a dose was: 1 / the daily dose reminders there were
    # when it was answered. A day cut short or stretched by a trip has fewer or more occurrences
    # than doses a day; each dose taken is still one dose. NULL before migration 0006.
    share: Mapped[float | None] = mapped_column(Float, nullable=True)


class Broadcast(Base):
    """An admin's message to many users: a draft until confirmed, then one delivery per user."""

    __tablename__ = "broadcasts"
    __table_args__ = (IDS_NEVER_REUSED,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    admin_id: Mapped[int] = mapped_column(BigInteger)
    # Where the preview, the progress and the report go.
    admin_chat_id: Mapped[int] = mapped_column(BigInteger)
    text_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    tip_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    audience: Mapped[Audience | None] = mapped_column(_str_enum(Audience), nullable=True)
    status: Mapped[BroadcastStatus] = mapped_column(
        _str_enum(BroadcastStatus), default=BroadcastStatus.DRAFT
    )
    total: Mapped[int] = mapped_column(Integer, default=0)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Course(OwnedByUser, Base):
    """The user's isotretinoin course: one per user. Doses and weights have their own histories.

    Whether the weekly summary is on is not stored here: it is the summary reminder's own
    `enabled`, which /reminders can also change, so there is one place that says it.
    """

    __tablename__ = "courses"
    __table_args__ = (UniqueConstraint("user_id"),)

    start_date: Mapped[date] = mapped_column(Date)
    # Cumulative mg per kg of body weight aimed at: 120-150, 120 unless the user says otherwise.
    target_mg_per_kg: Mapped[int] = mapped_column(Integer, default=120)
    # The mg the user took before they began logging doses here (/course before 2400), added to
    # the cumulative dose: someone who starts two months in would otherwise see a fraction of
    # it. NULL: none recorded (rows from before migration 0008, or cleared with 0).
    mg_before_tracking: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Set when the user says the course is over: broadcasts then count them as after the course.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CourseDose(OwnedByUser, Base):
    """The prescribed mg per day from a local date on, until the next change."""

    __tablename__ = "course_doses"
    __table_args__ = (UniqueConstraint("user_id", "effective_from"),)

    effective_from: Mapped[date] = mapped_column(Date)
    mg_per_day: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CourseWeight(OwnedByUser, Base):
    """A body weight and the local date it was measured on."""

    __tablename__ = "course_weights"
    __table_args__ = (UniqueConstraint("user_id", "measured_on"),)

    measured_on: Mapped[date] = mapped_column(Date)
    kg: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CheckIn(OwnedByUser, Base):
    """One check-in: the PHQ-2 mood screen, the self-harm question when it was asked, and how
    much each side effect bothered the user. Each answer is stored as it is given, so a check-in
    left unfinished keeps what it got; NULL is a question not (yet) answered."""

    __tablename__ = "checkins"
    __table_args__ = (
        Index("ix_checkins_user_id_started_at", "user_id", "started_at"),
        IDS_NEVER_REUSED,
    )

    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The user's own date when it started, for /history and the trend.
    local_date: Mapped[date] = mapped_column(Date)
    # NULL until the last question is answered or the user finishes early.
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # PHQ-2, each 0 (not at all) to 3 (nearly every day): little interest or pleasure in doing
    # things; feeling down, depressed or hopeless.
    phq_interest: Mapped[int | None] = mapped_column(Integer, nullable=True)
    phq_mood: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Asked only after a worrying mood screen: thoughts of ending their life or self-harm.
    self_harm_thoughts: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    dry_lips_skin: Mapped[Severity | None] = mapped_column(_str_enum(Severity), nullable=True)
    dry_eyes: Mapped[Severity | None] = mapped_column(_str_enum(Severity), nullable=True)
    nosebleeds: Mapped[Severity | None] = mapped_column(_str_enum(Severity), nullable=True)
    joint_back_pain: Mapped[Severity | None] = mapped_column(_str_enum(Severity), nullable=True)
    headache: Mapped[Severity | None] = mapped_column(_str_enum(Severity), nullable=True)
    sexual: Mapped[Severity | None] = mapped_column(_str_enum(Severity), nullable=True)
