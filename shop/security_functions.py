from shop.security import register

AREA = "Shop and security"

register(
    "set_security",
    "Set Security",
    default_level=1,
    area=AREA,
    description="Change the level each function requires.",
)
register(
    "use_admin_site",
    "Admin site",
    default_level=1,
    area=AREA,
    description="Open the admin site, where Set Security is edited.",
)
register(
    "manage_administrators",
    "Manage Administrators",
    default_level=1,
    area=AREA,
    description="Add new administrators, change employees' roles, levels and access.",
)
register(
    "view_employees",
    "View employees",
    default_level=3,
    area=AREA,
    description="See the list of employees, in the app and through the API.",
)
register(
    "edit_shop_settings",
    "Edit shop settings",
    default_level=1,
    area=AREA,
    description="The shop's name, address, hours, tax rate and labor rate.",
)
register(
    "view_system_status",
    "System status",
    default_level=2,
    area=AREA,
    description="Whether the background worker and scheduler are running.",
)
register(
    "unlock_logins",
    "Locked-out logins",
    default_level=1,
    area=AREA,
    description="See the logins locked after too many wrong passwords, and unlock them.",
)
