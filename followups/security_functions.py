from shop.security import register

AREA = "Follow-ups and mailings"

register(
    "data_search",
    "Data Search",
    default_level=3,
    area=AREA,
    description="Build, save and run customer queries; output reports, files, labels, "
    "postcards, letters and e-mail; View/Print Last.",
)
register(
    "file_edit",
    "File Edit",
    default_level=3,
    area=AREA,
    description="Edit the saved form letters and e-mails.",
)
register(
    "follow_ups",
    "Follow Ups",
    default_level=3,
    area=AREA,
    description="Follow-up lists and their rules, and sending the follow-ups due.",
)
register(
    "follow_up_maintenance",
    "Follow Up Maintenance",
    default_level=2,
    area=AREA,
    description="List the generated follow-ups and delete those with a Date Sent.",
)
register(
    "follow_up_settings",
    "Follow-up settings",
    default_level=1,
    area=AREA,
    description="Turn Follow Ups on or off and set the days between mailings.",
)
