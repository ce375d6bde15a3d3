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
def test_it_refuses_what_is_not_a_phone_number_with_a_clear_message(db, typed):
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


@pytest.fixture
def area_code_217(db):
    from shop.models import ShopProfile

    ShopProfile.objects.update_or_create(
        pk=1, defaults={"name": "Main Street Auto", "default_area_code": "217"}
    )


@pytest.mark.parametrize("typed", ["555-0188", "5550188", "555 0188", "555.0188"])
def test_seven_digits_take_the_shops_default_area_code(area_code_217, typed):
    phone = phone_normalize(typed)
    assert phone.e164 == "+12175550188"
    assert phone.national == "(217) 555-0188"


def test_seven_digits_keep_their_extension(area_code_217):
    phone = phone_normalize("555-0188 ext. 4")
    assert (phone.e164, phone.extension) == ("+12175550188", "4")


def test_a_whole_number_keeps_its_own_area_code(area_code_217):
    assert phone_normalize("(312) 555-0188").e164 == "+13125550188"


def test_seven_digits_without_a_default_area_code_are_refused_saying_what_to_do(db):
    with pytest.raises(ServiceError) as error:
        phone_normalize("555-0188")
    assert "has no area code" in error.value.message
    assert "default area code in Shop settings" in error.value.message


@pytest.mark.parametrize("typed", ["555-01", "55501888", "1 555 0188"])
def test_a_bad_number_is_still_refused_with_a_default_area_code(area_code_217, typed):
    with pytest.raises(ServiceError) as error:
        phone_normalize(typed)
    assert "is not a valid phone number" in error.value.message


def test_the_lenient_parser_used_for_texting_reads_seven_digits_too(area_code_217):
    from messaging.phones import phone_to_e164

    assert phone_to_e164("555-0121") == "+12175550121"
