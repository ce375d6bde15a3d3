"""Every write and every rule of follow-ups and mailings, by topic:

- `records`: settings, saved queries, letters and e-mails (File Edit), follow-up lists;
- `outputs`: output jobs, from start to a file kept for download, and their cancellation;
- `follow_ups`: the daily generation of follow-ups and Follow Up Maintenance.
"""
