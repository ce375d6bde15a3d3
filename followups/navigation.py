from shop.navigation import MenuEntry, add_menu_entry

# Beside the reports: the marketing side of the office.
SECTION = "Reports and marketing"
add_menu_entry(
    MenuEntry(
        "Data Search",
        "followups:search_list",
        "data_search",
        "Query customers and invoices; labels, postcards, letters, files and e-mail.",
        SECTION,
        700,
    )
)
add_menu_entry(
    MenuEntry(
        "Vehicle Inspection Search",
        "followups:inspection_search",
        "data_search",
        "Vehicles by last inspection date, to any output.",
        SECTION,
        705,
    )
)
add_menu_entry(
    MenuEntry(
        "Follow Ups",
        "followups:lists",
        "follow_ups",
        "Oil-change reminders and thank-you cards, generated every day.",
        SECTION,
        710,
    )
)
add_menu_entry(
    MenuEntry(
        "File Edit",
        "followups:templates",
        "file_edit",
        "Edit the saved form letters and e-mails.",
        SECTION,
        720,
    )
)
add_menu_entry(
    MenuEntry(
        "Follow Up Maintenance",
        "followups:maintenance",
        "follow_up_maintenance",
        "The follow-ups generated; delete those already sent.",
        SECTION,
        730,
    )
)
add_menu_entry(
    MenuEntry(
        "Follow-up settings",
        "followups:settings",
        "follow_up_settings",
        "Follow Ups on or off; minimum days between mailings.",
        "Office",
        925,
    )
)
