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
