from reports.navigation import SECTION as REPORTS_SECTION
from shop.navigation import MenuEntry, add_menu_entry

add_menu_entry(
    MenuEntry(
        "Parts list",
        "parts:list",
        "view_parts",
        "The parts catalog with on hand, committed, bins and prices.",
        "Counter",
        230,
    )
)
add_menu_entry(
    MenuEntry(
        "Vendors",
        "parts:vendors",
        "view_parts",
        "The shop's parts suppliers, contacts and account numbers.",
        "Office",
        820,
    )
)
add_menu_entry(
    MenuEntry(
        "Parts pricing matrix",
        "parts:pricing",
        "edit_pricing_matrix",
        "Cost bands with their markup or margin: how catalog parts are priced.",
        "Office",
        830,
    )
)
add_menu_entry(
    MenuEntry(
        "Purchase orders",
        "parts:purchase_orders",
        "order_parts",
        "Orders to vendors: from the reorder suggestions or special orders; send, receive, return.",
        "Counter",
        232,
    )
)
add_menu_entry(
    MenuEntry(
        "Physical count",
        "parts:count_sheets",
        "receive_parts",
        "Print a count sheet by bin or category, type the counts, post the differences.",
        "Office",
        835,
    )
)

# The parts reports, beside the other reports in the reports menu.
for entry in [
    MenuEntry(
        "Inventory valuation",
        "parts:report_valuation",
        "parts_reports",
        "Parts on hand at average cost, by category, as of today.",
        REPORTS_SECTION,
        660,
    ),
    MenuEntry(
        "Low stock and reorder",
        "parts:report_low_stock",
        "parts_reports",
        "Stocked parts below their reorder point and what to order.",
        REPORTS_SECTION,
        665,
    ),
    MenuEntry(
        "Parts sales and margin",
        "parts:report_sales",
        "parts_reports",
        "Parts sold in a period with cost, gross profit and margin, by category and vendor.",
        REPORTS_SECTION,
        670,
    ),
    MenuEntry(
        "Dead stock",
        "parts:report_dead_stock",
        "parts_reports",
        "Parts on the shelf that have not sold in N months.",
        REPORTS_SECTION,
        675,
    ),
]:
    add_menu_entry(entry)
