from shop.security import register

AREA = "Parts"

register(
    "view_parts",
    "Parts list",
    default_level=4,
    area=AREA,
    description="Browse and search the parts catalog with on hand, committed and prices; the "
    "editor's parts typeahead.",
)
register(
    "edit_parts",
    "Edit the parts catalog",
    default_level=3,
    area=AREA,
    description="Add and change parts, labor, fee and sublet items, vendors and vendors' part "
    "numbers and costs.",
)
register(
    "edit_pricing_matrix",
    "Parts pricing matrix",
    default_level=2,
    area=AREA,
    description="The cost bands and their markup or margin that price the catalog's parts.",
)
register(
    "adjust_stock",
    "Adjust stock",
    default_level=2,
    area=AREA,
    description="Change a part's quantity on hand with a reason, outside sales and receipts.",
)
register(
    "receive_parts",
    "Receive and count parts",
    default_level=3,
    area=AREA,
    description="Record parts received from a vendor and the counts of a physical inventory.",
)
register(
    "order_parts",
    "Purchase orders",
    default_level=3,
    area=AREA,
    description="Make purchase orders from the reorder suggestions or a repair order's "
    "special-order parts, edit, send (e-mail to the vendor) and cancel them; returns to the "
    "vendor and cores returned.",
)
register(
    "parts_reports",
    "Parts reports",
    default_level=2,
    area=AREA,
    description="Inventory valuation, low stock and reorder, parts sales and margin, and dead "
    "stock, with their CSV and PDF.",
)
