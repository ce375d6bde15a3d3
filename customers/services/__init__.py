"""Every write of the customers app, by topic.

- records.py: customers with phones and e-mails, vehicles (the counter's writes)
- mileage.py: odometer readings from visits and the annual mileage they give
- combine.py: Combine Customers (manual, automatic, Add As Family Member)
- combine_vehicles.py: Combine Vehicles
- cleanup.py: Delete Duplicate Phones, Separate Family Members, Change Area Code,
  Delete Customers with No Invoices
- log.py: the utilities' log entry and its undo
"""

from customers.services.records import (
    VIN_ELSEWHERE,
    customer_create,
    customer_update,
    plate_clean,
    vehicle_create,
    vehicle_set_active,
    vehicle_update,
)

__all__ = [
    "VIN_ELSEWHERE",
    "customer_create",
    "customer_update",
    "plate_clean",
    "vehicle_create",
    "vehicle_set_active",
    "vehicle_update",
]
