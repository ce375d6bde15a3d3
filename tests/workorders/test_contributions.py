"""The slots other apps draw into the work-order pages (workorders/contributions.py)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils.html import format_html

from workorders import contributions


@pytest.fixture
def clean_slot():
    saved = {slot: contributions.contributions_for(slot) for slot in contributions.SLOTS}
    yield
    contributions._registry.update(saved)


def _draw(source: str, **values) -> str:
    return Template("{% load workorders %}" + source).render(Context(values))


def test_it_refuses_a_slot_that_does_not_exist():
    with pytest.raises(ValueError, match="No slot 'editor_panels'"):
        contributions.register("editor_panels", "tests", lambda *a, **k: "x")


def test_it_draws_contributions_in_order_and_replaces_a_second_registration(clean_slot):
    contributions._registry["line_form"] = []
    contributions.register("line_form", "b", lambda c, wo, *, oob, job: f"<b>{job}</b>", order=20)
    contributions.register("line_form", "a", lambda c, wo, *, oob, job: "<a>old</a>", order=30)
    contributions.register("line_form", "a", lambda c, wo, *, oob, job: f"<a>{wo}</a>", order=10)
    html = _draw('{% contributions "line_form" wo job=job %}', wo="WO1", job="J1")
    assert html == "<a>WO1</a><b>J1</b>"


def test_a_renderer_that_returns_nothing_draws_nothing(clean_slot):
    contributions._registry["editor_panel"] = []
    contributions.register("editor_panel", "quiet", lambda c, wo, *, oob: None, order=1)
    contributions.register("editor_panel", "loud", lambda c, wo, *, oob: "<p>here</p>")
    assert "<p>here</p>" in _draw('{% contributions "editor_panel" wo %}', wo="WO1")


def test_the_plain_save_button_is_drawn_when_no_app_contributes_one_and_never_out_of_band(
    clean_slot,
):
    contributions._registry["editor_save_button"] = []
    assert _draw("{% save_button wo %}", wo="WO1") == (
        '<button class="btn btn--primary" type="submit" id="wo-save-button">Save</button>'
    )
    assert _draw("{% save_button wo oob=True %}", wo="WO1") == ""


def test_the_first_contributed_save_button_wins(clean_slot):
    contributions._registry["editor_save_button"] = []
    contributions.register("editor_save_button", "never", lambda c, wo, *, oob: None, order=1)
    contributions.register(
        "editor_save_button",
        "mine",
        lambda c, wo, *, oob: format_html("<button>Save {}</button>", wo),
        order=50,
    )
    assert _draw("{% save_button wo %}", wo="WO1") == "<button>Save WO1</button>"
