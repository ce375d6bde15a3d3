from django.http import HttpRequest

from shop.navigation import LandingPage, MenuEntry, add_landing_page, add_menu_entry
from shop.security import can


def _sees_board(request: HttpRequest) -> bool:
    return can(request.user, "view_board", request)


def _works_jobs(request: HttpRequest) -> bool:
    return can(request.user, "technician_jobs", request)


# A login lands on the first working page it may open: the counter's live board, else a
# technician's jobs (fleet logins land on their portal first: fleet/navigation.py).
add_landing_page(LandingPage("workorders:board", _sees_board, order=20))
add_landing_page(LandingPage("workorders:my_jobs", _works_jobs, order=30))

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
add_menu_entry(
    MenuEntry(
        "Today's vehicles",
        "workorders:board",
        "view_board",
        "The live board: appointments, estimates and repair orders with their timers.",
        COUNTER,
        190,
    )
)
add_menu_entry(
    MenuEntry(
        "My jobs",
        "workorders:my_jobs",
        "technician_jobs",
        "Your repair-order jobs in priority order, with the vehicle inspection.",
        "Shop floor",
        300,
    )
)
add_menu_entry(
    MenuEntry(
        "Inspection sheets",
        "workorders:sheets",
        "edit_inspection_sheets",
        "The digital inspection's sections and items; export and import them.",
        "Office",
        810,
    )
)
