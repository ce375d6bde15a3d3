from shop.navigation import MenuEntry, add_menu_entry

add_menu_entry(
    MenuEntry(
        "End of Day",
        "payments:end_of_day",
        "end_of_day",
        "Close a drawer's day: expected by tender, counted, over/short.",
        "Counter",
        150,
    )
)
add_menu_entry(
    MenuEntry(
        "Daily Sales and Collections",
        "payments:daily_sales",
        "daily_sales_report",
        "A day's invoices, tax, payments by tender, A/R charges and receipts, deposits.",
        "Reports and marketing",
        640,
    )
)
add_menu_entry(
    MenuEntry(
        "A/R aging",
        "payments:ar_aging",
        "ar_aging_report",
        "Open invoices of every customer as of a day, by age; CSV and PDF.",
        "Reports and marketing",
        650,
    )
)
add_menu_entry(
    MenuEntry(
        "Accountant's export",
        "payments:accounting_export",
        "accounting_export",
        "A day or a month of the ledger as a journal (CSV) for the accounting package.",
        "Reports and marketing",
        660,
    )
)
add_menu_entry(
    MenuEntry(
        "Accounting settings",
        "payments:accounting_settings",
        "accounting_settings",
        "The account names the accountant's export books to.",
        "Reports and marketing",
        661,
    )
)
add_menu_entry(
    MenuEntry(
        "Statements",
        "payments:statements",
        "send_statements",
        "Monthly statements of A/R customers (print or e-mail) and finance charges.",
        "Counter",
        160,
    )
)
