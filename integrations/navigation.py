from shop.navigation import MenuEntry, add_menu_entry

add_menu_entry(
    MenuEntry(
        "Integrations",
        "integrations:list",
        "manage_integrations",
        "API tokens for outside systems, and the API documentation.",
        "Office",
        900,
    )
)
