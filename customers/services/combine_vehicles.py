"""Combine Vehicles: one customer's vehicle entered twice, found by VIN and/or plate.

The oldest active record is kept; each duplicate is combined into it like a
customer is (customers.services.combine): everything pointing at it moves,
blanks are filled, and the run is one undoable log entry.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from customers.changes import ChangeSet
from customers.models import UtilityLogEntry, Vehicle
from customers.services.combine import CombinePlan, combine_plan_apply, rows_pointing_at
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


@dataclass
class VehicleGroup:
    survivor: Vehicle
    merged: list[Vehicle]
    plans: list[CombinePlan]


def vehicle_duplicate_groups(*, match: str) -> list[VehicleGroup]:
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
        result.append(VehicleGroup(survivor, merged, []))
        if len(result) >= VEHICLE_GROUP_LIMIT:
            break
    for group in result:
        # Each duplicate is planned against the survivor as the previous ones left it.
        current = copy.copy(group.survivor)
        for other in group.merged:
            plan = _vehicle_plan(current, other)
            for name, (_old, new) in plan.field_changes.items():
                setattr(current, name, new)
            group.plans.append(plan)
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
    plan.moves = rows_pointing_at(merged, survivor, skip=set())
    return plan


def vehicle_groups_fingerprint(groups: list[VehicleGroup]) -> str:
    payload = [[plan.fingerprint for plan in group.plans] for group in groups]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:32]


@transaction.atomic
def vehicles_combine(*, by: User, match: str, fingerprint: str) -> UtilityLogEntry:
    """Combine Vehicles: every group of the preview, in one transaction, logged for undo."""
    # Two runs at once: the second waits for the first's locks, then sees the
    # duplicates gone (a different fingerprint) and is told so.
    several = (
        Vehicle.objects.values("customer_id")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values("customer_id")
    )
    list(Vehicle.objects.select_for_update().filter(customer_id__in=several).values_list("pk"))
    groups = vehicle_duplicate_groups(match=match)
    if not groups:
        raise ServiceError("No duplicate vehicles match that rule. Nothing was changed.")
    if fingerprint != vehicle_groups_fingerprint(groups):
        raise ServiceError(
            "The vehicles changed since the preview. Nothing was changed; check the new "
            "preview and combine again.",
            code="stale",
        )
    changes = ChangeSet()
    now = timezone.now()
    for group in groups:
        for plan in group.plans:
            combine_plan_apply(plan, changes, now)
    merged = sum(len(group.merged) for group in groups)
    return utility_log_entry_record(
        by=by,
        utility=UtilityLogEntry.Utility.COMBINE_VEHICLES,
        summary=f"{merged} duplicate vehicle{'s' if merged != 1 else ''} combined into "
        f"{len(groups)} by {VEHICLE_MATCHES[match]}",
        changes=changes,
    )
