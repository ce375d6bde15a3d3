import pytest

from customers.phones import phone_normalize, phone_with_new_area_code
from shop.errors import ServiceError


@pytest.mark.parametrize(
    "typed",
    [
        "(217) 555-0142",
        "217-555-0142",
        "217.555.0142",
        "2175550142",
        "+1 217 555 0142",
        "1-217-555-0142",
    ],
)
def test_it_normalizes_any_format_to_e164(typed):
    assert phone_normalize(typed).e164 == "+12175550142"


def test_it_keeps_the_extension_and_gives_the_national_form():
    phone = phone_normalize("217-555-0142 ext. 12")
    assert phone.extension == "12"
    assert phone.national == "(217) 555-0142"
    assert phone.area_code == "217"


def test_it_uses_the_configured_region(settings):
    settings.SHOP_PHONE_REGION = "GB"
    assert phone_normalize("020 7946 0018").e164 == "+442079460018"


@pytest.mark.parametrize("typed", ["", "hello", "555-0142", "(000) 555-0142", "12"])
def test_it_refuses_what_is_not_a_phone_number_with_a_clear_message(typed):
    with pytest.raises(ServiceError) as error:
        phone_normalize(typed)
    assert "phone number" in error.value.message


def test_it_changes_the_area_code_keeping_the_typed_format():
    assert phone_with_new_area_code("(217) 555-0142", "+12175550142", "447") == (
        "(447) 555-0142",
        "+14475550142",
    )
    assert phone_with_new_area_code("555-0142", "+12175550142", "447") == (
        "(447) 555-0142",
        "+14475550142",
    )
