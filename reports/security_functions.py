from shop.security import register

AREA = "Reports and marketing"

register(
    "map_customer_sources",
    "Customer Source Mapping",
    default_level=2,
    area=AREA,
    description="Edit the source categories, map the counter's customer sources into them, "
    "and mark the mapping done.",
)
register(
    "set_customer_source",
    "Set a customer's source from the board",
    default_level=4,
    area=AREA,
    description="Click a flashing customer name and pick how the customer found the shop.",
)
register(
    "edit_marketing_spend",
    "Marketing spend",
    default_level=2,
    area=AREA,
    description="Enter what was spent on each customer source per month.",
)
register(
    "customer_source_report",
    "Customer Source report",
    default_level=2,
    area=AREA,
    description="New and returning customers, invoices, revenue and marketing return per "
    "source category and source.",
)
register(
    "vehicle_analysis_report",
    "Vehicle Analysis report",
    default_level=2,
    area=AREA,
    description="Vehicles serviced by mileage band (and vehicle year): count, totals, margin.",
)
register(
    "fleet_activity_report",
    "Fleet Activity report",
    default_level=2,
    area=AREA,
    description="Fleet customers and their vehicles serviced: visits, average invoice, total.",
)
register(
    "owner_dashboard",
    "Owner’s dashboard",
    default_level=2,
    area=AREA,
    description="Car count, average repair order, gross profit and hours sold by day, "
    "advisor and technician.",
)
register(
    "edit_report_settings",
    "Report settings",
    default_level=2,
    area=AREA,
    description="The mileage bands of the Vehicle Analysis report.",
)
