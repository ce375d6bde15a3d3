from shop.navigation import MenuEntry, add_menu_entry

SECTION = "Counter"
add_menu_entry(
    MenuEntry(
        "Counter",
        "customers:counter",
        "view_customers",
        "Start with the caller's phone number: find the customer or add them.",
        SECTION,
        100,
    )
)
add_menu_entry(
    MenuEntry(
        "Customers",
        "customers:list",
        "view_customers",
        "Search by name, phone, plate or VIN; customers, vehicles and families.",
        SECTION,
        110,
    )
)
add_menu_entry(
    MenuEntry(
        "Customer utilities",
        "customers:utilities",
        "view_utility_log",
        "Combine duplicates, clean up phones and families, change an area code; undo.",
        "Office",
        800,
    )
)
add_menu_entry(
    MenuEntry(
        "Customer sources",
        "admin:customers_customersource_changelist",
        "edit_customer_sources",
        "How customers found the shop: the list the counter picks from.",
        "Office",
        810,
    )
)
