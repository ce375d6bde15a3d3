"""The one reader of uploaded text files: its encodings, its refusals and its delimiters."""

import codecs
import io

import pytest

from shop.text_files import UnreadableText, delimiter_sniff, encoding_detect, utf8_bad_line

NAMES = "Name,City\nJosé Müller,Zürich\nRenée O’Brien,Québec\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (NAMES.encode(), "utf-8"),
        (codecs.BOM_UTF8 + NAMES.encode(), "utf-8-sig"),
        (NAMES.encode("utf-16"), "utf-16"),
        (NAMES.encode("cp1252"), "cp1252"),
    ],
)
def test_it_tells_the_encodings_it_reads(data, encoding):
    handle = io.BytesIO(data)
    assert encoding_detect(handle) == encoding
    assert handle.tell() == 0  # left at the start for the reader


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b" \n\n", "empty"),
        (b"Name,City\x00\x01\x02", "binary"),
        ("номер,имя\n1,Иван Петров\n2,Мария\n".encode("koi8_r"), "encoding"),
    ],
)
def test_it_says_why_a_file_is_not_text_it_reads(data, reason):
    with pytest.raises(UnreadableText) as refused:
        encoding_detect(io.BytesIO(data))
    assert refused.value.reason == reason


def test_a_caller_may_read_every_file_that_is_not_utf8_as_one_encoding():
    # A price file with a byte Windows-1252 does not have: read, and the row marked later.
    damaged = "Item,Description\nXX-1,Pièce \udc81\n".encode("cp1252", errors="surrogateescape")
    with pytest.raises(UnreadableText):
        encoding_detect(io.BytesIO(damaged))
    assert encoding_detect(io.BytesIO(damaged), otherwise="cp1252") == "cp1252"
    assert encoding_detect(io.BytesIO(NAMES.encode()), otherwise="cp1252") == "utf-8"


def test_it_names_the_first_line_that_is_not_utf8():
    data = ("a\nb\n" + "x\n" * 3).encode() + "José\n".encode("cp1252")
    assert utf8_bad_line(io.BytesIO(data)) == 6
    assert utf8_bad_line(io.BytesIO(NAMES.encode())) is None


@pytest.mark.parametrize(
    ("sample", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,50;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ('Item;Description\n"A-1";"Oil, 5 qt; synthetic"\n', ";"),
        ("one column\nvalue\n", ","),
        ("", ","),
    ],
)
def test_it_sniffs_the_delimiter_from_the_first_lines(sample, delimiter):
    assert delimiter_sniff(sample) == delimiter
