"""The finder weighs only pairs that share a contact detail: the quick look
(`contacts_may_agree`) must never dismiss a pair `pair_evidence` would propose."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from customers.duplicates import record_add_phone, record_make
from customers.duplicates.evidence import contacts_may_agree, contacts_read, pair_evidence

# Few values, so that records often share or almost share a phone, e-mail or address.
PHONES = ["+12175550110", "+12175550101", "+12175551010", "+13095550140", "+12175550110"]
records = st.builds(
    lambda pk, company, first, last, street, postcode, phones, emails: (
        pk, company, first, last, street, postcode, phones, emails
    ),
    st.integers(1, 10**6),
    st.booleans(),
    st.sampled_from(["Lisa", "Lsia", "Bob", "Robert", "Anderson", "Ann", "Paul Jr"]),
    st.sampled_from(["Anderson", "Andersen", "Lisa", "Smith", "Smith Jr", "Keller"]),
    st.sampled_from(["", "12 Maple Dr", "12 Maple Drive Apt 3", "21 Maple Dr", "12 Oak St",
                     "Maple Dr", "12-3 Maple"]),
    st.sampled_from(["61820", "61821", ""]),
    st.lists(st.tuples(st.sampled_from(PHONES), st.sampled_from(["cell", "home", "work"])),
             max_size=3),
    st.lists(st.sampled_from(["lisa@example.com", "bob@example.com"]), max_size=2),
)  # fmt: skip


def _record(values):
    pk, company, first, last, street, postcode, phones, emails = values
    record = record_make(
        pk, company=company, first_name=first, last_name=last,
        company_name=f"{first} {last} Plumbing", street=street, postcode=postcode,
    )  # fmt: skip
    for e164, kind in phones:
        record_add_phone(record, e164, kind)
    record.emails.update(emails)
    return record


@settings(max_examples=600, deadline=None)
@given(records, records)
def test_the_quick_look_never_dismisses_a_pair_the_evidence_would_propose(one, other):
    a, b = _record(one), _record(other)
    if a.pk == b.pk:
        return
    if pair_evidence(a, b) is not None:
        assert contacts_may_agree(contacts_read(a), contacts_read(b))
