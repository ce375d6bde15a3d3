"""Every write of the customers app, by topic; callers import them from here.

- records.py: customers with phones and e-mails, vehicles (the counter's writes)
- mileage.py: odometer readings from visits and the annual mileage they give
- combine.py: Combine Customers (manual, automatic, Add As Family Member)
- combine_vehicles.py: Combine Vehicles
- cleanup.py: Delete Duplicate Phones, Separate Family Members, Change Area Code,
  Delete Customers with No Invoices
- log.py: the utilities' log entry and its undo
"""

from customers.services.cleanup import (
    DELETE_LIMIT,
    area_code_change,
    area_code_cities_list,
    area_code_fingerprint,
    area_code_plan,
    customers_delete_without_history,
    customers_without_history_find,
    customers_without_history_fingerprint,
    duplicate_phones_find,
    duplicate_phones_fingerprint,
    family_members_find,
    family_members_plan,
    family_members_separate,
    phones_delete_duplicates,
)
from customers.services.combine import (
    combine_plan_apply,
    customer_add_family_member,
    customer_groups_combine,
    customers_combine,
    customers_combine_plan,
    customers_stamp,
    family_member_plan,
    family_pair_order,
)
from customers.services.combine_vehicles import (
    VEHICLE_GROUP_LIMIT,
    VEHICLE_MATCHES,
    vehicle_duplicate_groups_find,
    vehicle_groups_fingerprint,
    vehicles_combine,
)
from customers.services.log import (
    UNDO_DAYS,
    UTILITY_FUNCTIONS,
    utility_log_entry_can_undo,
    utility_log_entry_record,
    utility_log_entry_undo,
    utility_undo_handler_register,
)
from customers.services.mileage import annual_mileage_estimate, vehicle_odometer_record
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
    "DELETE_LIMIT",
    "UNDO_DAYS",
    "UTILITY_FUNCTIONS",
    "VEHICLE_GROUP_LIMIT",
    "VEHICLE_MATCHES",
    "VIN_ELSEWHERE",
    "annual_mileage_estimate",
    "area_code_change",
    "area_code_cities_list",
    "area_code_fingerprint",
    "area_code_plan",
    "combine_plan_apply",
    "customer_add_family_member",
    "customer_create",
    "customer_groups_combine",
    "customer_update",
    "customers_combine",
    "customers_combine_plan",
    "customers_delete_without_history",
    "customers_stamp",
    "customers_without_history_find",
    "customers_without_history_fingerprint",
    "duplicate_phones_find",
    "duplicate_phones_fingerprint",
    "family_member_plan",
    "family_members_find",
    "family_members_plan",
    "family_members_separate",
    "family_pair_order",
    "phones_delete_duplicates",
    "plate_clean",
    "utility_log_entry_can_undo",
    "utility_log_entry_record",
    "utility_log_entry_undo",
    "utility_undo_handler_register",
    "vehicle_create",
    "vehicle_duplicate_groups_find",
    "vehicle_groups_fingerprint",
    "vehicle_odometer_record",
    "vehicle_set_active",
    "vehicle_update",
    "vehicles_combine",
]
