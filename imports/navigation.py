from shop.navigation import MenuEntry, add_menu_entry

add_menu_entry(
    MenuEntry(
        "Import from another system",
        "imports:list",
        "import_history",
        "Bring the old system's customers, vehicles and invoice history in; dry run and undo.",
        "Office",
        810,
    )
)
