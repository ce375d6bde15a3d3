"""Every write of messaging, by topic:

- outbox.py: enqueue, send exactly once, retry, relay.
- delivery.py: the providers' delivery reports.
- conversations.py: texts in (STOP/START), read marks, advisors' messages out.
- status_updates.py: the work orders' status texts and e-mails.
- customer_link.py: the customer's signed link and their approvals.
"""
