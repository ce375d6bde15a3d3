from shop.security import register

AREA = "Fleet approval"

register(
    "send_to_fleet",
    "Send to Fleet",
    default_level=4,
    area=AREA,
    description="Send a fleet account's work order to its fleet for approval, read and write "
    "Fleet Communication, cancel a request.",
)
register(
    "bill_out_unapproved_fleet",
    "Bill out unapproved fleet work",
    default_level=2,
    area=AREA,
    description="Bill out a fleet work order the fleet has not approved (or that changed "
    "since it was approved). Each time is recorded.",
)
register(
    "manage_fleet_companies",
    "Fleet companies",
    default_level=2,
    area=AREA,
    description="Fleet companies (Fleet Company ID, auto-approve limit, webhook), their "
    "accounts and their fleet users' logins.",
)
