from shop.navigation import MenuEntry, add_menu_entry

add_menu_entry(
    MenuEntry(
        "Customer messages",
        "messaging:inbox",
        "view_customer_messages",
        "Texts from customers, conversations, and messages that did not go out.",
        "Counter",
        300,
    )
)
