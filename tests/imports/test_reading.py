"""Files as shops have them: encodings, delimiters, Excel, and what cannot be read."""

from __future__ import annotations

import codecs
import io

import pytest

from imports.reading import TableReader
from shop.errors import ServiceError


def read(data: bytes, name: str = "export.csv") -> tuple[TableReader, list[dict]]:
    reader = TableReader(io.BytesIO(data), name)
    return reader, [row for _line, row in reader.rows()]


def test_it_reads_windows_1252_names():
    data = "Cust No,First,Last\n1,José,Müller\n2,Zoë,O’Brien\n".encode("cp1252")
    reader, rows = read(data)
    assert reader.shape.encoding == "cp1252"
    assert [(r["First"], r["Last"]) for r in rows] == [("José", "Müller"), ("Zoë", "O’Brien")]


def test_it_reads_a_single_windows_1252_name_that_looks_cyrillic_to_statistics():
    reader, rows = read("id;name\n1;José\n".encode("cp1252"))
    assert reader.shape.encoding == "cp1252"
    assert rows == [{"id": "1", "name": "José"}]


def test_it_reads_utf8_with_and_without_a_byte_order_mark():
    text = "Cust No,Name\n7,Müller\n"
    plain, plain_rows = read(text.encode("utf-8"))
    marked, marked_rows = read(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert plain.shape.encoding == "utf-8"
    assert marked.shape.encoding == "utf-8-sig"
    # The mark is not part of the first header.
    assert marked.shape.headers == ["Cust No", "Name"]
    assert plain_rows == marked_rows == [{"Cust No": "7", "Name": "Müller"}]


def test_it_reads_utf16_with_its_byte_order_mark():
    reader, rows = read("id\tname\n1\tJosé\n".encode("utf-16"))
    assert reader.shape.delimiter == "\t"
    assert rows == [{"id": "1", "name": "José"}]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_it_sniffs_the_delimiter(delimiter):
    data = delimiter.join(["No", "Name", "City"]) + "\n" + delimiter.join(["1", "Ann", "Urbana"])
    reader, rows = read(data.encode())
    assert reader.shape.delimiter == delimiter
    assert rows == [{"No": "1", "Name": "Ann", "City": "Urbana"}]


def test_it_keeps_commas_inside_quotes_and_numbers_lines_as_in_the_file():
    data = b'No;Address;Total\n1;"12 Oak St, Apt 3";"1.234,50"\n\n2;"9 Elm";"7"\n'
    reader, _rows = read(data)
    lines = list(reader.rows())
    assert reader.shape.delimiter == ";"
    assert lines[0] == (2, {"No": "1", "Address": "12 Oak St, Apt 3", "Total": "1.234,50"})
    # The blank line is skipped but the next row keeps its own line number.
    assert lines[1][0] == 4


def test_it_reads_an_xlsx_workbook_streaming(tmp_path):
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Part #", "Price", "Qty", "Received"])
    sheet.append(["PF-48", 8.99, 12, datetime.datetime(2024, 3, 7)])
    sheet.append([None, None, None, None])
    sheet.append(["BP-1210", 64.95, 2.0, None])
    path = tmp_path / "parts.xlsx"
    book.save(path)
    reader, rows = read(path.read_bytes(), "parts.xlsx")
    assert reader.shape.format == "xlsx"
    assert rows == [
        {"Part #": "PF-48", "Price": "8.99", "Qty": "12", "Received": "2024-03-07"},
        {"Part #": "BP-1210", "Price": "64.95", "Qty": "2", "Received": ""},
    ]


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"", "empty.csv", "empty"),
        (b"   \n\n", "blank.csv", "empty"),
        (b"%PDF-1.7\x00\x01\x02binary", "statement.pdf", "not a CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.csv", "not a CSV"),
        (b"PK\x03\x04 not really a workbook", "book.xlsx", "cannot be opened"),
        ("お客様番号,名前\n1,山田太郎\n2,鈴木花子\n".encode("shift_jis"), "jp.csv", "encoding"),
        ("номер,имя\n1,Иван Петров\n2,Мария\n".encode("koi8_r"), "ru.csv", "encoding"),
        (b"No,Name,No\n1,Ann,2\n", "twice.csv", "appears twice"),
    ],
)
def test_it_refuses_what_it_cannot_read_saying_why(data, name, says):
    with pytest.raises(ServiceError) as refused:
        TableReader(io.BytesIO(data), name)
    assert says in refused.value.message


def test_it_refuses_an_old_binary_excel_file():
    with pytest.raises(ServiceError, match="xlsx"):
        TableReader(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"x" * 100), "old.xls")
