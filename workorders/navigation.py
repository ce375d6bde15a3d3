from shop.navigation import MenuEntry, add_menu_entry

COUNTER = "Counter"

add_menu_entry(
    MenuEntry(
        "Work orders",
        "workorders:list",
        "view_work_orders",
        "Estimates, repair orders and invoices: find, filter, open.",
        COUNTER,
        200,
    )
)
add_menu_entry(
    MenuEntry(
        "New estimate",
        "workorders:new",
        "edit_work_orders",
        "Find the vehicle and start writing its estimate.",
        COUNTER,
        210,
    )
)
add_menu_entry(
    MenuEntry(
        "Appointments",
        "workorders:appointments",
        "manage_appointments",
        "The day's appointments; book one, turn one into a work order.",
        COUNTER,
        220,
    )
)
add_menu_entry(
    MenuEntry(
        "Statuses",
        "workorders:statuses",
        "edit_statuses",
        "The shop's statuses, stage ranges and default labor line.",
        "Office",
        800,
    )
)
