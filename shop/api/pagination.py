"""Cursor pages for the API's big lists (customers, vehicles, work orders, messages…).

Page numbers cost a COUNT(*) and an OFFSET that grow with the table; a cursor page is
one indexed range scan whatever the page. Each list names its `ordering`: fields with an
index, never null, ending with `id` so that no two rows share a position. The cursor
holds the whole key of the last row read, so rows with equal timestamps are neither
skipped nor repeated (DRF's own cursor keeps only the first field and counts ties).
"""

from __future__ import annotations

import json
import operator
from datetime import UTC, datetime
from functools import reduce
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, _reverse_ordering
from rest_framework.request import Request


class KeysetCursorPagination(CursorPagination):
    """`next` and `previous` links walk the list; `page_size` asks for up to 500 rows."""

    ordering: tuple[str, ...] = ("-id",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    page_size_query_description = "Rows per page (at most 500; 100 when not given)."

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list | None:
        # DRF's CursorPagination.paginate_queryset, filtering on the whole key.
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        if self.ordering[-1].lstrip("-") not in {"id", "pk"}:
            raise ValueError(f"{type(self).__name__}: the ordering must end with id.")

        self.cursor = self.decode_cursor(request)
        if self.cursor is None:
            offset, reverse, current_position = 0, False, None
        else:
            offset, reverse, current_position = self.cursor

        if reverse:
            queryset = queryset.order_by(*_reverse_ordering(self.ordering))
        else:
            queryset = queryset.order_by(*self.ordering)
        if current_position is not None:
            queryset = queryset.filter(self._beyond(queryset.model, current_position, reverse))

        # One row more than the page tells whether a next page exists.
        results = list(queryset[offset : offset + self.page_size + 1])
        self.page = results[: self.page_size]
        has_following_position = len(results) > len(self.page)
        following_position = (
            self._get_position_from_instance(results[-1], self.ordering)
            if has_following_position
            else None
        )
        if reverse:
            self.page.reverse()
            self.has_next = current_position is not None or offset > 0
            self.has_previous = has_following_position
            if self.has_next:
                self.next_position = current_position
            if self.has_previous:
                self.previous_position = following_position
        else:
            self.has_next = has_following_position
            self.has_previous = current_position is not None or offset > 0
            if self.has_next:
                self.next_position = following_position
            if self.has_previous:
                self.previous_position = current_position
        if (self.has_previous or self.has_next) and self.template is not None:
            self.display_page_controls = True
        return self.page

    def paginate_ranked(self, queryset: QuerySet, request: Request) -> list:
        """A search's best matches (a bounded number), best first, as one page: a cursor
        cannot follow a relevance order, and a search never needs a second page."""
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.cursor = None
        self.has_next = self.has_previous = False
        self.page = list(queryset)
        return self.page

    def _get_position_from_instance(self, instance: Model | dict, ordering) -> str:
        values = []
        for name in ordering:
            attr = name.lstrip("-")
            value = instance[attr] if isinstance(instance, dict) else getattr(instance, attr)
            values.append(str(value))
        return json.dumps(values)

    def _beyond(self, model: type[Model], position: str, reverse: bool) -> Q:
        """Rows after `position` in the walking direction: (a, b) > (x, y) spelled out as
        a > x OR (a = x AND b > y), which every database runs on the index."""
        values = self._decode_position(model, position)
        key = [(name.lstrip("-"), name.startswith("-") != reverse) for name in self.ordering]
        branches = []
        for depth, (attr, descending) in enumerate(key):
            equal = {name: value for (name, _), value in zip(key[:depth], values, strict=False)}
            beyond = {f"{attr}__{'lt' if descending else 'gt'}": values[depth]}
            branches.append(Q(**equal, **beyond))
        return reduce(operator.or_, branches)

    def _decode_position(self, model: type[Model], position: str) -> list[Any]:
        try:
            raw = json.loads(position)
            if not isinstance(raw, list) or len(raw) != len(self.ordering):
                raise ValueError
            values = []
            for name, value in zip(self.ordering, raw, strict=True):
                attr = name.lstrip("-")
                # clean(): the field's type and, for integers, the database's range.
                value = model._meta.get_field("id" if attr == "pk" else attr).clean(value, None)
                if isinstance(value, datetime):
                    value = value.astimezone(UTC)  # an offset PostgreSQL takes
                values.append(value)
        except (ValueError, TypeError, OverflowError, ValidationError):
            raise NotFound(self.invalid_cursor_message) from None
        return values
