from shop.security import register

AREA = "Moving in"

register(
    "import_history",
    "Import from another system",
    default_level=1,
    area=AREA,
    description=(
        "Bring customers, vehicles, invoices, A/R items and parts in from the old system's "
        "files; check them in a dry run, apply, and undo for 30 days."
    ),
)
