from shop.security import register

AREA = "Work orders"

register(
    "view_work_orders",
    "View work orders",
    default_level=5,
    area=AREA,
    description="Open work orders, their list, print them, and see customers' and vehicles' "
    "history.",
)
register(
    "edit_work_orders",
    "Write estimates and repair orders",
    default_level=4,
    area=AREA,
    description="Create work orders, add jobs and lines, change their status, bill them out.",
)
register(
    "reopen_invoices",
    "Reopen invoices",
    default_level=2,
    area=AREA,
    description="Reopen a billed-out invoice so it can be changed again; reopening is recorded.",
)
register(
    "edit_statuses",
    "Edit statuses",
    default_level=2,
    area=AREA,
    description="The shop's statuses, their numbers, colours, timers and customer updates, and "
    "the work-order settings (stage ranges, default labor line).",
)
register(
    "edit_packages",
    "Edit packages",
    default_level=2,
    area=AREA,
    description="Canned jobs: the labor and parts a package inserts.",
)
register(
    "manage_appointments",
    "Appointments",
    default_level=4,
    area=AREA,
    description="Book appointments and turn them into work orders.",
)
register(
    "view_board",
    "Today’s Vehicles Page",
    default_level=4,
    area=AREA,
    description="The live board of the day: appointments, estimates and repair orders by status, "
    "with their timers; set a card's status and technician priority from it.",
)
register(
    "technician_jobs",
    "Technician's jobs (tablet)",
    default_level=5,
    area=AREA,
    description="A technician's own repair-order jobs in priority order: notes, done, and the "
    "digital vehicle inspection. Technicians never see estimates.",
)
register(
    "inspect_vehicles",
    "Digital vehicle inspections",
    default_level=5,
    area=AREA,
    description="Fill a work order's inspection: rate items, add notes and photos, turn an item "
    "into a recommended job.",
)
register(
    "edit_inspection_sheets",
    "Inspection sheets",
    default_level=2,
    area=AREA,
    description="The inspection sheets' sections and items; export and import them as files.",
)
register(
    "view_estimates",
    "See estimates",
    default_level=4,
    area=AREA,
    description="Open estimates (before the customer approves). Below this level, the work-order "
    "list, pages and API show repair orders and invoices only: technicians never see estimates.",
)
