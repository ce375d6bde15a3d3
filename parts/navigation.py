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
