"""Customers (with their phones and e-mails) and vehicles, for the apply job's writer."""

from __future__ import annotations

from django.db import transaction

from customers.models import (
    Customer,
    CustomerEmail,
    CustomerPhone,
    Vehicle,
)
from imports.fields import FileKind
from imports.models import (
    ExternalId,
)
from imports.rows import ReadRow
from imports.services.copying import rows_copy
from imports.services.plan import vehicle_mileage
from imports.services.records import (
    CUSTOMER_FIELDS,
    VEHICLE_FIELDS,
    customer_fields,
    fields_changed,
    vehicle_fields,
)


def _label(model) -> str:
    return model._meta.label_lower


class PeopleWriter:
    """Mixed into ImportWriter, whose helpers (`_count`, `_advance`, `_batches`, ...) it uses."""

    # --- customers ------------------------------------------------------------------------

    def _phase_customers(self, phase: str, skip: int) -> None:
        kind = FileKind.CUSTOMERS
        for position, rows in self._batches(kind, skip):
            with transaction.atomic():
                self._customers(self._usable(kind, rows))
                self._advance(phase, position, len(rows))

    def _customers(self, rows: list[ReadRow]) -> None:
        kind = FileKind.CUSTOMERS
        existing = [r for r in rows if r.values["key"] in self.customer_ids]
        current = {
            row.pop("pk"): row
            for row in Customer.objects.filter(
                pk__in=[self.customer_ids[r.values["key"]] for r in existing]
            ).values("pk", *CUSTOMER_FIELDS)
        }
        changes: dict[int, dict] = {}
        contacts: list[tuple[int, dict]] = []
        for row in existing:
            pk = self.customer_ids[row.values["key"]]
            changed = (
                {}
                if row.values["key"] in self.plan.merged
                else fields_changed(customer_fields(row.values), current.get(pk, {}))
            )
            if changed:
                changes[pk] = changed
            self._count(kind, "update" if changed else "unchanged")
            contacts.append((pk, row.values))
        self._update_rows(Customer, changes, CUSTOMER_FIELDS)

        new = [r for r in rows if r.values["key"] not in self.customer_ids]
        created = [r for r in new if r.values["key"] not in self.merges]
        customers = rows_copy(Customer, [customer_fields(r.values) for r in created], now=self.now)
        pairs = []
        for row, pk in zip(created, customers, strict=True):
            self.customer_ids[row.values["key"]] = pk
            pairs.append((row.values["key"], pk))
            contacts.append((pk, row.values))
        self._journal(Customer, customers)
        self._count(kind, "create", len(customers))
        merged = set()
        for row in new:
            key = row.values["key"]
            if key not in self.merges:
                continue
            target = self._merge_target(key)
            if target is None:
                # The customer chosen to merge into is gone since the dry run: a new one.
                customer = Customer.objects.create(**customer_fields(row.values))
                self._journal(Customer, [customer.pk])
                self._count(kind, "create")
                target = customer.pk
            else:
                merged.add(key)
                self._count(kind, "merge")
            self.customer_ids[key] = target
            pairs.append((key, target))
            contacts.append((target, row.values))
        self._external_ids(ExternalId.Kind.CUSTOMER, pairs, merged=merged)
        self._contacts(contacts)

    def _merge_target(self, key: str) -> int | None:
        target = self.merges[key]
        seen = {key}
        while target.startswith("k"):
            other = target[1:]
            if other in self.customer_ids:
                return self.customer_ids[other]
            if other in seen or other not in self.merges:
                return None
            seen.add(other)
            target = self.merges[other]
        customer_id = int(target[1:])
        return customer_id if Customer.objects.filter(pk=customer_id).exists() else None

    def _contacts(self, contacts: list[tuple[int, dict]]) -> None:
        """Phones and e-mails the customers do not have yet."""
        ids = {pk for pk, _values in contacts}
        phones = set(
            CustomerPhone.objects.filter(customer_id__in=ids).values_list("customer_id", "e164")
        )
        emails = {
            (pk, address.lower())
            for pk, address in CustomerEmail.objects.filter(customer_id__in=ids).values_list(
                "customer_id", "address"
            )
        }
        new_phones, new_emails = [], []
        for pk, values in contacts:
            for phone_kind, phone in values["phones"]:
                if (pk, phone.e164) not in phones:
                    phones.add((pk, phone.e164))
                    new_phones.append(
                        {
                            "customer_id": pk,
                            "kind": phone_kind,
                            "number": phone.number[:40],
                            "e164": phone.e164,
                        }
                    )
            email = values["email"]
            if email and (pk, email.lower()) not in emails:
                emails.add((pk, email.lower()))
                new_emails.append({"customer_id": pk, "address": email[:254]})
        self._journal(CustomerPhone, rows_copy(CustomerPhone, new_phones, now=self.now))
        self._journal(CustomerEmail, rows_copy(CustomerEmail, new_emails, now=self.now))
        self._count("phones", "create", len(new_phones))
        self._count("emails", "create", len(new_emails))

    # --- vehicles -------------------------------------------------------------------------

    def _phase_vehicles(self, phase: str, skip: int) -> None:
        kind = FileKind.VEHICLES
        for position, rows in self._batches(kind, skip):
            with transaction.atomic():
                self._vehicles(self._usable(kind, rows))
                self._advance(phase, position, len(rows))

    def _vehicles(self, rows: list[ReadRow]) -> None:
        kind = FileKind.VEHICLES
        existing = [r for r in rows if r.values["key"] in self.vehicle_ids]
        current = {
            row.pop("pk"): row
            for row in Vehicle.objects.filter(
                pk__in=[self.vehicle_ids[r.values["key"]] for r in existing]
            ).values("pk", *VEHICLE_FIELDS, "customer_id")
        }
        changes = {}
        for row in existing:
            pk = self.vehicle_ids[row.values["key"]]
            wanted = {
                **vehicle_fields(row.values),
                "customer_id": self.customer_ids[row.values["customer_key"]],
            }
            changed = fields_changed(wanted, current.get(pk, {}))
            if changed:
                changes[pk] = changed
            self._count(kind, "update" if changed else "unchanged")
        self._update_rows(Vehicle, changes, [*VEHICLE_FIELDS, "customer_id"])
        created = [r for r in rows if r.values["key"] not in self.vehicle_ids]
        new_rows = []
        for row in created:
            # Its odometer and mileage from the invoices' readings, written now rather than
            # updated after (imports.services.plan.vehicle_mileage).
            values = row.values
            odometer, mileage = vehicle_mileage(self.plan, values["key"], values["odometer"])
            new = {
                "customer_id": self.customer_ids[row.values["customer_key"]],
                "odometer": odometer,
                **vehicle_fields(row.values),
            }
            if mileage is not None:
                new["annual_mileage"] = mileage
            new_rows.append(new)
        vehicles = rows_copy(Vehicle, new_rows, now=self.now)
        for row, pk in zip(created, vehicles, strict=True):
            self.vehicle_ids[row.values["key"]] = pk
        self._journal(Vehicle, vehicles)
        self._external_ids(
            ExternalId.Kind.VEHICLE,
            [(r.values["key"], pk) for r, pk in zip(created, vehicles, strict=True)],
        )
        self._count(kind, "create", len(vehicles))
