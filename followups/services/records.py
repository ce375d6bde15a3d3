"""Settings, saved queries, saved letters and e-mails, and follow-up lists."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from followups.criteria import criteria_clean, fields_clean
from followups.merge import merge_fields_check
from followups.models import (
    Collect,
    FollowUpList,
    FollowUpSettings,
    LetterTemplate,
    SavedQuery,
)
from followups.selectors.settings import followup_settings_get
from shop.errors import ServiceError
from shop.models import User


@transaction.atomic
def follow_up_settings_update(*, enabled: bool, min_days_between_mailings: int) -> FollowUpSettings:
    row = followup_settings_get()
    row.enabled = enabled
    row.min_days_between_mailings = min_days_between_mailings
    row.save()
    return row


@transaction.atomic
def saved_query_save(
    *,
    by: User | None,
    name: str,
    collect: str,
    criteria: dict,
    fields: list[str],
    query: SavedQuery | None = None,
) -> SavedQuery:
    """Save a new query or change one; criteria and fields are checked first."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("Name the query to save it.", field="name")
    if collect not in Collect.values:
        raise ServiceError("Choose per customer or per invoice.", field="collect")
    criteria = criteria_clean(criteria)
    fields = fields_clean(fields, collect)
    if SavedQuery.objects.filter(name__iexact=name).exclude(pk=getattr(query, "pk", None)).exists():
        raise ServiceError(f"A query named “{name}” is already saved.", field="name")
    query = query or SavedQuery(created_by=by)
    query.name, query.collect, query.criteria, query.fields = name, collect, criteria, fields
    query.save()
    return query


@transaction.atomic
def saved_query_delete(*, query: SavedQuery) -> None:
    query.delete()


@transaction.atomic
def letter_template_save(
    *,
    name: str,
    kind: str,
    subject: str,
    body: str,
    template: LetterTemplate | None = None,
) -> LetterTemplate:
    """Save a letter or e-mail; an unknown merge field is refused and named."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("Name the letter.", field="name")
    if not (body or "").strip():
        raise ServiceError("Write the letter.", field="body")
    if kind == LetterTemplate.Kind.EMAIL and not (subject or "").strip():
        raise ServiceError("An e-mail needs a subject.", field="subject")
    try:
        merge_fields_check(subject)
    except ServiceError as error:
        raise ServiceError(error.message, field="subject", code=error.code) from None
    merge_fields_check(body)
    template = template or LetterTemplate()
    template.name, template.kind, template.subject, template.body = name, kind, subject, body
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise ServiceError(f"A letter named “{name}” is already saved.", field="name") from None
    return template


@transaction.atomic
def follow_up_list_save(*, follow_up_list: FollowUpList | None = None, **fields) -> FollowUpList:
    """Save a follow-up list; its rule needs its numbers."""
    rule = fields.get("rule")
    if rule == FollowUpList.Rule.SERVICE_DUE:
        if not fields.get("category"):
            raise ServiceError("Choose the service category of the reminder.", field="category")
        if not (fields.get("due_months") or fields.get("due_miles")):
            raise ServiceError("Give the months or the miles after which it is due.",
                               field="due_months")  # fmt: skip
    elif rule == FollowUpList.Rule.THANK_YOU:
        if fields.get("days_after") is None:
            raise ServiceError("Give the number of days after the invoice.", field="days_after")
    else:
        raise ServiceError("Choose the rule of the list.", field="rule")
    template = fields.get("template")
    if template is not None:
        wanted = LetterTemplate.Kind.EMAIL if fields.get("by_email") else LetterTemplate.Kind.LETTER
        if template.kind != wanted:
            raise ServiceError(
                "An e-mail list needs a saved e-mail; a mail list a saved letter.", field="template"
            )
    follow_up_list = follow_up_list or FollowUpList()
    for key, value in fields.items():
        setattr(follow_up_list, key, value)
    try:
        with transaction.atomic():
            follow_up_list.save()
    except IntegrityError:
        raise ServiceError(f"A list named “{fields.get('name')}” exists.", field="name") from None
    return follow_up_list
