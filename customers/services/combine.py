"""Combine Customers (manual, automatic, or Add As Family Member).

Combining moves everything that points at the merged customer (or vehicle) to the
survivor. The relations are found through `_meta.related_objects`, so work
orders, messages and whatever later apps add move too without being listed
here. Every write goes through a ChangeSet, so the log entry can undo it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from customers import events
from customers.changes import ChangeSet
from customers.models import Customer, CustomerEmail, CustomerPhone, UtilityLogEntry, Vehicle
from customers.services.log import utility_log_entry_record
from shop.errors import ServiceError
from shop.models import User

# Survivor fields that take the merged record's value when the survivor's is blank.
FILLED_CUSTOMER_FIELDS = [
    "first_name",
    "last_name",
    "company_name",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postcode",
    "source_id",
]
EXAMPLES = 5


@dataclass
class RowMove:
    """Rows of one relation that will point at the survivor instead."""

    title: str
    model: type[models.Model]
    attname: str
    pks: list[Any]
    examples: list[str]

    @property
    def described(self) -> str:
        """ "1 vehicle", "3 work orders"."""
        if self.model is Customer:
            noun = "family member" if len(self.pks) == 1 else "family members"
        else:
            meta = self.model._meta
            noun = str(meta.verbose_name if len(self.pks) == 1 else meta.verbose_name_plural)
        return f"{len(self.pks)} {noun}"


@dataclass
class CombinePlan:
    """Exactly what combining `merged` into `survivor` will change."""

    survivor: models.Model
    merged: models.Model
    field_changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    moves: list[RowMove] = field(default_factory=list)
    dropped: list[tuple[str, type[models.Model], list[Any], list[str]]] = field(
        default_factory=list
    )

    @property
    def fingerprint(self) -> str:
        """Changes when anything the preview showed changes: apply refuses a stale preview."""
        payload = {
            "survivor": [self.survivor.pk, str(getattr(self.survivor, "updated_at", ""))],
            "merged": [self.merged.pk, str(getattr(self.merged, "updated_at", ""))],
            "fields": {k: [str(a), str(b)] for k, a, b in self.field_rows},
            "moves": [[m.model._meta.label, m.attname, sorted(m.pks)] for m in self.moves],
            "dropped": [[d[1]._meta.label, sorted(d[2])] for d in self.dropped],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]

    @property
    def field_rows(self) -> list[tuple[str, Any, Any]]:
        return [(name, old, new) for name, (old, new) in self.field_changes.items()]

    @property
    def readable_rows(self) -> list[FieldChange]:
        """The field changes as a person reads them: "Text messages: no → yes",
        "Source: (blank) → Yelp", not `text_consent` or `source_id`."""
        return [
            field_change_read(type(self.survivor), name, old, new)
            for name, old, new in self.field_rows
        ]

    @property
    def moved_count(self) -> int:
        return sum(len(move.pks) for move in self.moves)


# Labels for fields whose model name does not say it the way the counter does.
FIELD_LABELS = {
    "text_consent": "Text messages",
    "text_consent_at": "Text messages agreed on",
    "email_consent": "E-mail",
    "email_consent_at": "E-mail agreed on",
    "is_ar": "A/R account",
    "source": "Source",
    "household_main": "Family of",
    "address_line1": "Address",
    "address_line2": "Address line 2",
    "plate_state": "Plate state",
    "is_active": "Active",
    "vin": "VIN",
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def field_label_get(model: type[models.Model], name: str) -> str:
    model_field = next(
        (f for f in model._meta.concrete_fields if name in (f.name, f.attname)), None
    )
    key = model_field.name if model_field is not None else name
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    label = str(model_field.verbose_name) if model_field is not None else name.replace("_", " ")
    return label[:1].upper() + label[1:]


def field_value_read(model: type[models.Model], name: str, value: Any) -> str:
    """A stored value as the counter shows it: yes/no, a date, a name instead of an id."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "M j, Y g:i A")
    model_field = next((f for f in model._meta.concrete_fields if f.attname == name), None)
    if model_field is not None and model_field.is_relation:
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (deleted)"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def field_change_read(model: type[models.Model], name: str, old: Any, new: Any) -> FieldChange:
    return FieldChange(
        field_label_get(model, name),
        field_value_read(model, name, old),
        field_value_read(model, name, new),
    )


def _relation_title(relation) -> str:
    related = relation.related_model._meta
    name = str(related.verbose_name_plural)
    if relation.related_model is relation.model:
        return "Family members"
    return name[:1].upper() + name[1:]


def rows_pointing_at_find(
    instance: models.Model, survivor: models.Model, skip: set
) -> list[RowMove]:
    """Every row, in every app, that points at `instance` (except the relations in `skip`)."""
    moves = []
    for relation in type(instance)._meta.related_objects:
        if relation.name in skip:
            continue
        if relation.many_to_many:
            through = relation.through
            attname = through._meta.get_field(relation.field.m2m_reverse_field_name()).attname
            rows = through._base_manager.filter(**{attname: instance.pk})
            model = through
        else:
            model = relation.related_model
            attname = relation.field.attname
            rows = model._base_manager.filter(**{attname: instance.pk})
            if model is type(instance):
                rows = rows.exclude(pk=survivor.pk)
        pks = list(rows.order_by("pk").values_list("pk", flat=True))
        if pks:
            examples = [str(row) for row in model._base_manager.filter(pk__in=pks[:EXAMPLES])]
            moves.append(RowMove(_relation_title(relation), model, attname, pks, examples))
    return moves


def rows_moved(moves: list[RowMove]) -> dict[str, list[Any]]:
    """The rows the moves point at the survivor, by model label ("workorders.workorder")."""
    moved: dict[str, list[Any]] = {}
    for move in moves:
        moved.setdefault(move.model._meta.label_lower, []).extend(move.pks)
    return {label: sorted(pks) for label, pks in moved.items()}


def customers_combine_plan(*, survivor: Customer, merged: Customer) -> CombinePlan:
    if survivor.pk == merged.pk:
        raise ServiceError(
            "Choose two different customers: a customer cannot be combined with itself."
        )
    plan = CombinePlan(survivor=survivor, merged=merged)
    for name in FILLED_CUSTOMER_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        if theirs not in (None, "") and mine in (None, ""):
            plan.field_changes[name] = (mine, theirs)
    if merged.is_ar and not survivor.is_ar:
        plan.field_changes["is_ar"] = (False, True)
    if merged.notes.strip() and merged.notes.strip() not in survivor.notes:
        joined = "\n".join(part for part in [survivor.notes.strip(), merged.notes.strip()] if part)
        plan.field_changes["notes"] = (survivor.notes, joined)
    for consent in ("text_consent", "email_consent"):
        if getattr(merged, consent) and not getattr(survivor, consent):
            plan.field_changes[consent] = (False, True)
            plan.field_changes[f"{consent}_at"] = (
                getattr(survivor, f"{consent}_at"),
                getattr(merged, f"{consent}_at"),
            )
    if survivor.household_main_id == merged.pk:
        # The survivor was in the merged customer's household: it now heads it.
        plan.field_changes["household_main_id"] = (merged.pk, merged.household_main_id)

    # The same phone (number and type) or e-mail on both: the survivor's copy stays.
    have_phones = set(survivor.phones.values_list("e164", "kind"))
    same_phones = [p for p in merged.phones.all() if (p.e164, p.kind) in have_phones]
    have_emails = {a.lower() for a in survivor.emails.values_list("address", flat=True)}
    same_emails = [e for e in merged.emails.all() if e.address.lower() in have_emails]
    if same_phones:
        plan.dropped.append(
            (
                "Phones already on the survivor",
                CustomerPhone,
                [p.pk for p in same_phones],
                [str(p) for p in same_phones],
            )
        )
    if same_emails:
        plan.dropped.append(
            (
                "E-mails already on the survivor",
                CustomerEmail,
                [e.pk for e in same_emails],
                [str(e) for e in same_emails],
            )
        )
    dropped_pks = {(d[1], pk) for d in plan.dropped for pk in d[2]}
    for move in rows_pointing_at_find(merged, survivor, skip=set()):
        move.pks = [pk for pk in move.pks if (move.model, pk) not in dropped_pks]
        if move.pks:
            plan.moves.append(move)
    return plan


def _lock_pair(model: type[models.Model], first_id: int, second_id: int, noun: str):
    # Locked in id order, so two people combining the same pair cannot deadlock:
    # the second waits, then finds the merged record gone and is told so.
    rows = {
        row.pk: row
        for row in model.objects.select_for_update()
        .filter(pk__in=[first_id, second_id])
        .order_by("pk")
    }
    missing = [pk for pk in (first_id, second_id) if pk not in rows]
    if missing:
        raise ServiceError(
            f"{noun} #{missing[0]} no longer exists: someone may have just combined or deleted "
            "it. Nothing was changed; look the records up again.",
            code="conflict",
        )
    return rows[first_id], rows[second_id]


# A row saved back by a page that names the version it started from (optimistic
# locking: a work order's `version`). Moving such a row bumps its version, so that a
# page opened before the move cannot save over it. Found by this name, like the
# relations themselves, so customers names no other app's model.
LOCK_VERSION_FIELD = "version"


def _lock_version_attname(model: type[models.Model]) -> str | None:
    try:
        field = model._meta.get_field(LOCK_VERSION_FIELD)
    except FieldDoesNotExist:
        return None
    if not field.concrete or not isinstance(field, models.IntegerField):
        return None  # a foreign key that happens to be called "version", say
    return field.attname


def _move_values(move: RowMove, survivor_pk: Any) -> dict[Any, dict[str, Any]]:
    """Each moved row's new values: the survivor, and its version bumped if it has one.
    The ChangeSet keeps the old version too, so undo puts the row back as it was."""
    version = _lock_version_attname(move.model)
    if version is None:
        return {pk: {move.attname: survivor_pk} for pk in move.pks}
    # Locked as a page saving one of them locks it, so neither writes a stale version.
    rows = move.model._base_manager.select_for_update().filter(pk__in=move.pks)
    versions = dict(rows.values_list("pk", version))
    return {
        # A row gone since the preview keeps only the move: the ChangeSet refuses it.
        pk: {move.attname: survivor_pk, version: versions[pk] + 1}
        if pk in versions
        else {move.attname: survivor_pk}
        for pk in move.pks
    }


def combine_plan_apply(plan: CombinePlan, changes: ChangeSet, now) -> None:
    survivor_model = type(plan.survivor)
    for _title, model, pks, _examples in plan.dropped:
        changes.delete(model, pks)
    try:
        with transaction.atomic():
            for move in plan.moves:
                changes.update(move.model, _move_values(move, plan.survivor.pk))
    except IntegrityError as error:
        raise ServiceError(
            "These records cannot be combined: a row of the duplicate would collide with one "
            f"of the survivor's ({error}). Nothing was changed."
        ) from None
    values = {name: new for name, (_old, new) in plan.field_changes.items()}
    if values:
        values["updated_at"] = now
        changes.update(survivor_model, {plan.survivor.pk: values})
    changes.delete(survivor_model, [plan.merged.pk])


@transaction.atomic
def customers_combine(
    *, by: User, survivor_id: int, merged_id: int, fingerprint: str | None = None
) -> UtilityLogEntry:
    """Combine the merged customer into the survivor: one transaction, logged for undo."""
    if survivor_id == merged_id:
        raise ServiceError(
            "Choose two different customers: a customer cannot be combined with itself."
        )
    survivor, merged = _lock_pair(Customer, survivor_id, merged_id, "Customer")
    plan = customers_combine_plan(survivor=survivor, merged=merged)
    if fingerprint is not None and fingerprint != plan.fingerprint:
        raise ServiceError(
            "These customers changed since the preview. Nothing was changed; check the new "
            "preview and combine again.",
            code="stale",
        )
    changes = ChangeSet()
    combine_plan_apply(plan, changes, timezone.now())
    entry = utility_log_entry_record(
        by=by,
        utility=UtilityLogEntry.Utility.COMBINE_CUSTOMERS,
        summary=f"{merged} (#{merged.pk}) combined into {survivor} (#{survivor.pk}); "
        f"{plan.moved_count} related rows moved",
        changes=changes,
    )
    events.customers_combined.send(
        sender=Customer,
        survivor=survivor,
        merged_id=merged_id,
        vehicle_ids=sorted(pk for move in plan.moves if move.model is Vehicle for pk in move.pks),
        moved_rows=rows_moved(plan.moves),
        entry=entry,
        by=by,
    )
    return entry


def family_member_plan(*, main: Customer, member: Customer) -> list[str]:
    """Why the member cannot join the main customer's household, or what will change."""
    if main.pk == member.pk:
        raise ServiceError(
            "Choose two different customers: a customer cannot be their own family member."
        )
    if main.household_main_id is not None:
        raise ServiceError(
            f"{main} is a family member of {main.household_main}; add to that household's main "
            "customer instead."
        )
    if member.household_members.exists():
        raise ServiceError(
            f"{member} heads a household of their own; separate its family members first."
        )
    if member.household_main_id == main.pk:
        raise ServiceError(f"{member} is already a family member of {main}.")
    lines = [f"{member} becomes a family member of {main}; both records stay."]
    if member.household_main_id:
        lines.append(f"{member} leaves the household of {member.household_main}.")
    return lines


def family_pair_order(one: Customer, other: Customer) -> tuple[int, Customer]:
    """Which household two look-alikes join: the one either already belongs to, else the
    one either heads, else the first's (the older record). The main customer's id and
    the member. Reads `household_members` as prefetched."""
    for joined, member in ((one, other), (other, one)):
        if joined.household_main_id is not None:
            return joined.household_main_id, member
    if other.household_members.all() and not one.household_members.all():
        return other.pk, one
    return one.pk, other


@transaction.atomic
def customer_add_family_member(*, by: User, main_id: int, member_id: int) -> UtilityLogEntry:
    """Add As Family Member: link instead of merging (two people who share a phone)."""
    if main_id == member_id:
        raise ServiceError(
            "Choose two different customers: a customer cannot be their own family member."
        )
    main, member = _lock_pair(Customer, main_id, member_id, "Customer")
    family_member_plan(main=main, member=member)
    changes = ChangeSet()
    changes.update(
        Customer, {member.pk: {"household_main_id": main.pk, "updated_at": timezone.now()}}
    )
    return utility_log_entry_record(
        by=by,
        utility=UtilityLogEntry.Utility.ADD_FAMILY_MEMBER,
        summary=f"{member} (#{member.pk}) added as a family member of {main} (#{main.pk})",
        changes=changes,
    )


def customers_stamp(customers) -> str:
    """Changes when any of these customers is edited (or combined away): Automatic Combine
    refuses a group that changed since the review showed it."""
    payload = sorted(
        [c.pk, str(c.updated_at), c.first_name, c.last_name, c.company_name, c.address_line1]
        for c in customers
    )
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:16]


def customer_groups_combine(
    *, by: User, groups: list[list[int]], stamps: list[str] | None = None
) -> tuple[list, list[str]]:
    """Automatic Combine Customers, as reviewed: in each ticked group the first customer
    is kept and the others are combined into it, one logged (undoable) combine each.
    A group is combined whole or not at all; one that cannot be (a customer twice, one
    changed since the review (`stamps`, one per group), someone else got there first)
    is reported, not fatal, and the other groups go on."""
    entries, problems = [], []
    for index, ids in enumerate(groups):
        stamp = stamps[index] if stamps else ""
        try:
            with transaction.atomic():
                entries.extend(_customer_group_combine(by=by, ids=ids, stamp=stamp))
        except ServiceError as error:
            problems.append(error.message)
    return entries, problems


def _customer_group_combine(*, by: User, ids: list[int], stamp: str) -> list[UtilityLogEntry]:
    if len(set(ids)) != len(ids):
        raise ServiceError(
            "Choose two different customers: a customer cannot be combined with itself. "
            "Nothing in that group was changed."
        )
    locked = list(Customer.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if stamp and customers_stamp(locked) != stamp:
        names = ", ".join(f"#{pk}" for pk in ids)
        raise ServiceError(
            f"Customers {names} changed since the review (edited, or combined by someone "
            "else). Nothing in that group was changed; find duplicates again to review them.",
            code="stale",
        )
    survivor_id, *merged_ids = ids
    return [
        customers_combine(by=by, survivor_id=survivor_id, merged_id=merged_id)
        for merged_id in merged_ids
    ]
