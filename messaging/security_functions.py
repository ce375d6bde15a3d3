from shop.security import register

AREA = "Customer messages"

register(
    "view_customer_messages",
    "Read customer messages",
    default_level=3,
    area=AREA,
    description="Read customers' text conversations, e-mails sent to them and failed messages.",
)
register(
    "send_customer_messages",
    "Send customer messages",
    default_level=3,
    area=AREA,
    description="Text or e-mail a customer, and answer their texts.",
)
register(
    "view_dev_sms",
    "Development text messages",
    default_level=3,
    area=AREA,
    description=(
        "The developer's page of texts kept by the development backend "
        "(only when that backend is on, or in debug mode)."
    ),
)
