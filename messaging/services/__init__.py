"""Every write of messaging, by topic:

- outbox.py: texts and e-mails into the shared outbox (outbox/): recipients, consent, providers.
- delivery.py: the providers' delivery reports.
- conversations.py: texts in (STOP/START), read marks, advisors' messages out.
- status_updates.py: the work orders' status texts and e-mails.
- customer_link.py: the customer's signed link and their approvals.
"""
