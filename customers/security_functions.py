from shop.security import register

AREA = "Customers and vehicles"

register(
    "view_customers",
    "Look up customers",
    default_level=4,
    area=AREA,
    description="The counter, customer search, customer and vehicle details, and the API's reads.",
)
register(
    "edit_customers",
    "Add and edit customers",
    default_level=4,
    area=AREA,
    description="Add and change customers, their phones, e-mails and family; through the API too.",
)
register(
    "edit_vehicles",
    "Add, edit and disable vehicles",
    default_level=4,
    area=AREA,
    description="Add and change a customer's vehicles, disable a vehicle that was sold.",
)
register(
    "view_utility_log",
    "Customer utilities log",
    default_level=2,
    area=AREA,
    description="What the clean-up utilities changed; undo needs the utility's own level.",
)
register(
    "combine_customers",
    "Combine Customers",
    default_level=2,
    area=AREA,
    description="Merge duplicate customers (manual or automatic) or add one as a family member.",
)
register(
    "combine_vehicles",
    "Combine Vehicles",
    default_level=2,
    area=AREA,
    description="Merge a customer's duplicate vehicles by VIN and/or plate.",
)
register(
    "delete_duplicate_phones",
    "Delete Duplicate Phones",
    default_level=2,
    area=AREA,
    description="Remove phones with the same number and type on one customer.",
)
register(
    "separate_family_members",
    "Separate Family Members",
    default_level=2,
    area=AREA,
    description="A family member leaves the household; A/R stays with the main customer.",
)
register(
    "change_area_code",
    "Change Area Code",
    default_level=1,
    area=AREA,
    description="Change an area code for the customers of chosen cities.",
)
register(
    "delete_customers_no_invoices",
    "Delete Customers with No Invoices",
    default_level=1,
    area=AREA,
    description="Delete customers with no estimate, invoice or other history on file.",
)
register(
    "edit_customer_sources",
    "Customer sources",
    default_level=2,
    area=AREA,
    description="The list of sources (Google, Yelp, referral...) the counter picks from.",
)
