from shop.security import register

AREA = "Payments and A/R"

register(
    "take_payments",
    "Take payments",
    default_level=4,
    area=AREA,
    description="Take a payment at an invoice (cash, check, card, other), a deposit on an "
    "estimate or repair order, a payment on account; see balances and paid history.",
)
register(
    "refund_payments",
    "Refund payments",
    default_level=2,
    area=AREA,
    description="Give money back from a payment, up to what it brought in, with a reason.",
)
register(
    "void_payments",
    "Void payments",
    default_level=2,
    area=AREA,
    description="Cancel a payment entered by mistake: its entries are reversed, with a reason.",
)
register(
    "payments_closed_day",
    "Payments on a closed day",
    default_level=1,
    area=AREA,
    description="Record a payment dated a day whose drawer was already closed (End of Day).",
)
register(
    "charge_to_account",
    "Charge to account",
    default_level=4,
    area=AREA,
    description="Charge an A/R customer's invoice to their account at bill-out.",
)
register(
    "charge_over_credit_limit",
    "Charge over the credit limit",
    default_level=2,
    area=AREA,
    description="Charge an invoice to an A/R account that it takes over its credit limit. "
    "Each time is recorded.",
)
register(
    "manage_ar_accounts",
    "A/R account terms",
    default_level=2,
    area=AREA,
    description="Set an A/R customer's credit limit and terms (net days).",
)
register(
    "end_of_day",
    "End of Day",
    default_level=3,
    area=AREA,
    description="Close a drawer's day: expected totals by tender, counted amounts, over/short.",
)
register(
    "daily_sales_report",
    "Daily Sales and Collections",
    default_level=2,
    area=AREA,
    description="The day's invoices, tax, payments by tender, A/R charges and receipts, "
    "deposits; CSV and PDF.",
)
register(
    "ar_aging_report",
    "A/R aging report",
    default_level=2,
    area=AREA,
    description="Every customer's open invoices as of a day by age (current, 31-60, 61-90, "
    "over 90 days); CSV and PDF.",
)
register(
    "send_pay_links",
    "Send pay links",
    default_level=4,
    area=AREA,
    description="Text or e-mail a customer the link that pays their invoice online, and ask "
    "for a deposit on an estimate or repair order paid the same way.",
)
register(
    "accounting_export",
    "Accountant's export",
    default_level=2,
    area=AREA,
    description="Download a day or a month of the ledger as a journal (CSV) for the "
    "accounting package.",
)
register(
    "accounting_settings",
    "Accounting settings",
    default_level=2,
    area=AREA,
    description="Name the accounts the accountant's export books to (receivable, sales, "
    "tax, tenders...).",
)
register(
    "send_statements",
    "Statements",
    default_level=2,
    area=AREA,
    description="Print or e-mail A/R customers' monthly statements (one customer or all), "
    "and print them again.",
)
register(
    "apply_finance_charges",
    "Apply finance charges",
    default_level=2,
    area=AREA,
    description="Charge the month's finance charge on past-due A/R balances (once per customer "
    "and month).",
)
