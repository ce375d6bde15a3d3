"""Every write of messaging, by topic; callers import them from here:

- outbox.py: texts and e-mails into the shared outbox (outbox/): recipients, consent, providers.
- delivery.py: the providers' delivery reports.
- conversations.py: texts in (STOP/START), read marks, advisors' messages out.
- status_updates.py: the work orders' status texts and e-mails.
- customer_link.py: the customer's signed link and their approvals.

The outbox (`messaging.services.outbox`) is imported from its own module: it is moving to
an app of its own.
"""

from messaging.services.conversations import (
    conversation_mark_read,
    customer_for_phone_find,
    customer_message_send,
    email_address_get,
    inbound_text_receive,
    message_resend,
    texting_number_get,
    webhook_receipt_record,
    webhook_receipts_prune,
)
from messaging.services.customer_link import (
    customer_job_decide,
    customer_link_token_make,
    customer_link_url_make,
    customer_link_work_order_id_read,
)
from messaging.services.delivery import delivery_report_accept, delivery_report_record
from messaging.services.status_updates import (
    on_status_changed,
    status_message_render,
    status_update_enqueue,
)

__all__ = [
    "conversation_mark_read",
    "customer_for_phone_find",
    "customer_job_decide",
    "customer_link_token_make",
    "customer_link_url_make",
    "customer_link_work_order_id_read",
    "customer_message_send",
    "delivery_report_accept",
    "delivery_report_record",
    "email_address_get",
    "inbound_text_receive",
    "message_resend",
    "on_status_changed",
    "status_message_render",
    "status_update_enqueue",
    "texting_number_get",
    "webhook_receipt_record",
    "webhook_receipts_prune",
]
