"""Whatever is uploaded — random bytes, random CSV, random workbooks — the import page
answers with the preview or a message, never a server error."""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.reconciliation.helpers import HEADINGS, build_world

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["2025-05-10", "31/02/2025", "£3,000 earnings", "AB123456C", "PO1", ""]),
)


@pytest.fixture
def page(supervisor_client):
    build_world()
    return supervisor_client


def upload(client, data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("reconciliation:upload"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200
    return response


@FUZZ
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
def test_random_bytes(page, data, name):
    upload(page, data, name)


@FUZZ
@given(
    header=st.lists(st.one_of(st.sampled_from(HEADINGS), st.text(max_size=10)), max_size=12),
    rows=st.lists(st.lists(cells, max_size=12), max_size=6),
)
def test_random_csv(page, header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    upload(page, out.getvalue().encode("utf-8", "surrogatepass"), "a.csv")


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                cells.filter(lambda s: s.isprintable()),
                st.integers(-(10**6), 10**6),
                st.floats(allow_nan=False, allow_infinity=False),
                st.dates(),
                st.none(),
            ),
            max_size=12,
        ),
        max_size=6,
    ),
    with_header=st.booleans(),
)
def test_random_xlsx(page, rows, with_header):
    workbook = Workbook()
    sheet = workbook.active
    if with_header:
        sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    upload(page, out.getvalue(), "a.xlsx")
