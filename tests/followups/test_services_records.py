import pytest

from followups.models import LetterTemplate, SavedQuery
from followups.services.records import letter_template_save, saved_query_save
from shop.errors import ServiceError

pytestmark = pytest.mark.django_db


def test_it_refuses_a_letter_with_an_unknown_merge_field_and_names_it():
    with pytest.raises(ServiceError) as error:
        letter_template_save(
            name="Spring", kind="letter", subject="", body="Dear {{ frist_name }}, come back!"
        )
    assert "{{ frist_name }}" in error.value.message
    assert error.value.field == "body"
    assert not LetterTemplate.objects.exists()


def test_it_refuses_a_merge_field_left_open():
    with pytest.raises(ServiceError, match="not closed"):
        letter_template_save(name="Spring", kind="letter", subject="", body="Dear {{ first_name")


def test_it_checks_the_e_mail_subject_too():
    with pytest.raises(ServiceError) as error:
        letter_template_save(name="Mail", kind="email", subject="Hi {{ nickname }}", body="Hello")
    assert error.value.field == "subject"
    assert "nickname" in error.value.message


def test_it_saves_a_letter_with_known_merge_fields():
    letter = letter_template_save(
        name="Spring", kind="letter", subject="", body="Dear {{first_name}}, see {{ shop_name }}."
    )
    assert letter.pk


def test_it_saves_a_query_and_refuses_an_inverted_range(owner):
    query = saved_query_save(
        by=owner, name="Lapsed", collect="customer", criteria={"city": "Springfield"},
        fields=["name", "city"],
    )  # fmt: skip
    assert query.criteria == {"city": "Springfield"}
    with pytest.raises(ServiceError, match="empty or inverted"):
        saved_query_save(
            by=owner, name="Bad", collect="customer",
            criteria={"last_visit_after": "2025-05-01", "last_visit_before": "2025-04-01"},
            fields=["name"],
        )  # fmt: skip
    assert SavedQuery.objects.count() == 1


def test_it_refuses_invoice_fields_when_collecting_per_customer(owner):
    with pytest.raises(ServiceError, match="only when collecting per invoice"):
        saved_query_save(
            by=owner, name="X", collect="customer", criteria={}, fields=["invoice_total"]
        )
