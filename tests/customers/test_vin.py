import pytest

from customers.vin import vin_check_digit, vin_decode
from shop.errors import ServiceError


def test_it_accepts_a_valid_vin_and_decodes_year_and_make():
    decoded = vin_decode(" 1hgcm82633a004352 ")
    assert decoded.vin == "1HGCM82633A004352"
    assert decoded.year == 2003
    assert decoded.make == "Honda"
    assert decoded.north_american


def test_it_decodes_the_2010_cycle_from_position_seven():
    decoded = vin_decode("5YJ3E1EA2KF317000")
    assert (decoded.year, decoded.make) == (2019, "Tesla")


def test_it_computes_x_as_a_check_digit():
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"


def test_it_does_not_apply_the_check_digit_outside_north_america():
    decoded = vin_decode("WBA3A5C51DF123456")
    assert (decoded.make, decoded.north_american) == ("BMW", False)


@pytest.mark.parametrize(
    ("vin", "message"),
    [
        ("1HGCM82633A00435", "17 characters"),
        ("1HGCM82633A0043522", "17 characters"),
        ("1HGCM82633AO04352", "I, O or Q"),
        ("1HGCM82643A004352", "check digit"),
        ("1HGCM8263$A004352", "letters and digits"),
    ],
)
def test_it_refuses_an_invalid_vin_saying_why(vin, message):
    with pytest.raises(ServiceError) as error:
        vin_decode(vin)
    assert message in error.value.message
    assert error.value.field == "vin"
