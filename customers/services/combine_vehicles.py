"""Combine Vehicles: one customer's vehicle entered twice, found by VIN and/or plate.

The oldest active record is kept; each duplicate is combined into it like a
customer is (customers.services.combine): everything pointing at it moves,
blanks are filled, and the run is one undoable log entry. Each proposed pair
(kept, duplicate) is shown side by side and can be left out; a pair whose VINs
conflict (both present, different: two cars with one plate) is combined only when
it is ticked on its own, never by the rule alone.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from customers import events
from customers.changes import ChangeSet
from customers.models import UtilityLogEntry, Vehicle
from customers.services.combine import (
    CombinePlan,
    combine_plan_apply,
    field_label_get,
    field_value_read,
    rows_moved,
    rows_pointing_at_find,
)
from customers.services.log import utility_log_entry_record
from shop.errors import ServiceError
from shop.models import User

FILLED_VEHICLE_FIELDS = ["year", "make", "model", "engine", "vin", "plate", "plate_state", "color"]

VEHICLE_MATCHES = {
    "vin_and_plate": "VIN and plate",
    "vin_or_plate": "VIN or plate",
    "vin": "VIN only",
    "plate": "Plate only",
}
VEHICLE_GROUP_LIMIT = 500


SIDE_BY_SIDE_FIELDS = [*FILLED_VEHICLE_FIELDS, "odometer", "is_active"]


@dataclass(frozen=True)
class SideBySideRow:
    label: str
    kept: str
    duplicate: str
    after: str
    differs: bool  # both have a value and they are not the same


@dataclass
class VehiclePair:
    """One duplicate and the kept record as the group's earlier pairs leave it."""

    kept: Vehicle
    plan: CombinePlan

    @property
    def duplicate(self) -> Vehicle:
        return self.plan.merged

    @property
    def value(self) -> str:
        """What the pair's checkbox sends: "kept id:duplicate id"."""
        return f"{self.plan.survivor.pk}:{self.plan.merged.pk}"

    @property
    def vin_conflict(self) -> bool:
        """Both have a VIN and they differ: not the same vehicle by the VIN."""
        return bool(self.kept.vin and self.duplicate.vin and self.kept.vin != self.duplicate.vin)

    @property
    def side_by_side(self) -> list[SideBySideRow]:
        rows = []
        for name in SIDE_BY_SIDE_FIELDS:
            kept, duplicate = getattr(self.kept, name), getattr(self.duplicate, name)
            after = self.plan.field_changes.get(name, (None, kept))[1]
            rows.append(
                SideBySideRow(
                    field_label_get(Vehicle, name),
                    field_value_read(Vehicle, name, kept),
                    field_value_read(Vehicle, name, duplicate),
                    field_value_read(Vehicle, name, after),
                    differs=kept not in (None, "")
                    and duplicate not in (None, "")
                    and kept != duplicate,
                )
            )
        return rows


@dataclass
class VehicleGroup:
    survivor: Vehicle
    merged: list[Vehicle]
    pairs: list[VehiclePair]

    @property
    def plans(self) -> list[CombinePlan]:
        return [pair.plan for pair in self.pairs]


def _group_pairs(survivor: Vehicle, merged: list[Vehicle]) -> list[VehiclePair]:
    # Each duplicate is planned against the survivor as the previous ones left it.
    current = copy.copy(survivor)
    pairs = []
    for other in merged:
        plan = _vehicle_plan(current, other)
        pairs.append(VehiclePair(kept=copy.copy(current), plan=plan))
        for name, (_old, new) in plan.field_changes.items():
            setattr(current, name, new)
    return pairs


def vehicle_duplicate_groups_find(*, match: str) -> list[VehicleGroup]:
    """One customer's vehicles that are the same vehicle by the chosen rule, oldest kept."""
    if match not in VEHICLE_MATCHES:
        raise ServiceError("Choose how to match vehicles: VIN and plate, VIN or plate, VIN, plate.")
    several = (
        Vehicle.objects.values("customer_id")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values("customer_id")
    )
    vehicles = list(
        Vehicle.objects.filter(customer_id__in=several)
        .select_related("customer")
        .order_by("customer_id", "id")
    )
    parent: dict[int, int] = {v.pk: v.pk for v in vehicles}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    def keys(vehicle: Vehicle) -> list[tuple]:
        vin = (vehicle.customer_id, "vin", vehicle.vin) if vehicle.vin else None
        plate = (vehicle.customer_id, "plate", vehicle.plate) if vehicle.plate else None
        if match == "vin":
            return [vin] if vin else []
        if match == "plate":
            return [plate] if plate else []
        if match == "vin_and_plate":
            return [(vehicle.customer_id, vehicle.vin, vehicle.plate)] if vin and plate else []
        return [k for k in (vin, plate) if k]

    first_with: dict[tuple, int] = {}
    for vehicle in vehicles:
        for key in keys(vehicle):
            if key in first_with:
                parent[find(vehicle.pk)] = find(first_with[key])
            else:
                first_with[key] = vehicle.pk
    groups: dict[int, list[Vehicle]] = {}
    for vehicle in vehicles:
        groups.setdefault(find(vehicle.pk), []).append(vehicle)
    result = []
    for members in groups.values():
        if len(members) < 2:
            continue
        # Keep the oldest active record; the others are its duplicates.
        members.sort(key=lambda v: (not v.is_active, v.pk))
        survivor, merged = members[0], members[1:]
        result.append(VehicleGroup(survivor, merged, _group_pairs(survivor, merged)))
        if len(result) >= VEHICLE_GROUP_LIMIT:
            break
    return result


def _vehicle_plan(survivor: Vehicle, merged: Vehicle) -> CombinePlan:
    plan = CombinePlan(survivor=survivor, merged=merged)
    for name in FILLED_VEHICLE_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        if theirs not in (None, "") and mine in (None, ""):
            plan.field_changes[name] = (mine, theirs)
    if (merged.odometer or 0) > (survivor.odometer or 0):
        plan.field_changes["odometer"] = (survivor.odometer, merged.odometer)
    if merged.is_active and not survivor.is_active:
        plan.field_changes["is_active"] = (False, True)
    plan.moves = rows_pointing_at_find(merged, survivor, skip=set())
    return plan


def vehicle_groups_fingerprint(groups: list[VehicleGroup]) -> str:
    payload = [[plan.fingerprint for plan in group.plans] for group in groups]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:32]


@transaction.atomic
def vehicles_combine(
    *, by: User, match: str, fingerprint: str, pairs: Collection[str] | None = None
) -> UtilityLogEntry:
    """Combine Vehicles: the ticked pairs of the preview (`pairs`, "kept id:duplicate id"),
    in one transaction, logged for undo. Without `pairs`, every pair whose VINs do not
    conflict; a pair whose VINs conflict is combined only when it is in `pairs`."""
    # Two runs at once: the second waits for the first's locks, then sees the
    # duplicates gone (a different fingerprint) and is told so.
    several = (
        Vehicle.objects.values("customer_id")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values("customer_id")
    )
    list(Vehicle.objects.select_for_update().filter(customer_id__in=several).values_list("pk"))
    groups = vehicle_duplicate_groups_find(match=match)
    if not groups:
        raise ServiceError("No duplicate vehicles match that rule. Nothing was changed.")
    stale = ServiceError(
        "The vehicles changed since the preview. Nothing was changed; check the new "
        "preview and combine again.",
        code="stale",
    )
    if fingerprint != vehicle_groups_fingerprint(groups):
        raise stale
    proposed = {pair.value for group in groups for pair in group.pairs}
    if pairs is not None and not set(pairs) <= proposed:
        raise stale
    changes = ChangeSet()
    now = timezone.now()
    merged = combined_groups = 0
    kept_ids: list[int] = []
    removed_ids: list[int] = []
    moves = []
    for group in groups:
        chosen = [
            pair.duplicate
            for pair in group.pairs
            if (pair.value in pairs if pairs is not None else not pair.vin_conflict)
        ]
        if not chosen:
            continue
        # Planned again with only the chosen duplicates: an unticked one fills nothing.
        for pair in _group_pairs(group.survivor, chosen):
            combine_plan_apply(pair.plan, changes, now)
            moves.extend(pair.plan.moves)
            if pair.plan.field_changes and group.survivor.pk not in kept_ids:
                kept_ids.append(group.survivor.pk)  # blanks filled from the duplicate
        merged += len(chosen)
        combined_groups += 1
        removed_ids.extend(duplicate.pk for duplicate in chosen)
    if not merged:
        raise ServiceError("No pair of vehicles is ticked. Nothing was changed.")
    entry = utility_log_entry_record(
        by=by,
        utility=UtilityLogEntry.Utility.COMBINE_VEHICLES,
        summary=f"{merged} duplicate vehicle{'s' if merged != 1 else ''} combined into "
        f"{combined_groups} by {VEHICLE_MATCHES[match]}",
        changes=changes,
    )
    events.vehicles_combined.send(
        sender=Vehicle,
        vehicle_ids=sorted(kept_ids),
        removed_ids=sorted(removed_ids),
        moved_rows=rows_moved(moves),
        entry=entry,
        by=by,
    )
    return entry
