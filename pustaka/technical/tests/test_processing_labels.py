"""Label sheets: spine and barcode labels as PDF for the A4 3×8 and 3×10 layouts, and the labels page."""

import re
import subprocess

import pytest
from django.urls import reverse

from pustaka.printing.labels import (
    LAYOUTS,
    BarcodeLabel,
    SpineLabel,
    labels_for_items,
    layout_named,
    render_sheet,
    spine_lines,
)
from pustaka.technical.errors.processing import NotPrintableInCode39, UnknownLabelLayout


def page_count(pdf: bytes) -> int:
    """The page count of the PDF's page tree (``/Count n`` in the ``/Type /Pages`` dictionary)."""
    return int(re.search(rb"/Count (\d+)[^>]*/Type /Pages", pdf, re.S).group(1))


def test_a_call_number_is_split_as_libraries_print_it_on_the_spine():
    assert spine_lines("005.133 SUT p") == ["005.133", "SUT", "p"]
    assert spine_lines("R 899.221 3 PRA l") == ["R", "899.221 3", "PRA", "l"]
    assert spine_lines("") == []


@pytest.mark.parametrize("key,per_page", [("a4-3x8", 24), ("a4-3x10", 30)])
def test_labels_fill_pages_of_each_layout(key, per_page):
    layout = layout_named(key)
    assert layout.per_page == per_page
    labels = [SpineLabel.for_call_number("005.133 SUT p") for _ in range(per_page)]
    labels.append(BarcodeLabel("B000123", caption="Pemrograman Python", heading="Perpustakaan Pusat"))
    pdf = render_sheet(labels, layout=layout, compress=False)
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 2
    assert b"(005.133) Tj" in pdf and b"(SUT) Tj" in pdf and b"(p) Tj" in pdf
    assert b"(B000123) Tj" in pdf


def test_every_label_lies_inside_the_page():
    for layout in LAYOUTS.values():
        width, height = layout.page_size
        for position in (0, layout.per_page - 1):
            x, y = layout.origin(position)
            assert x >= 0 and y >= -0.01
            assert x + layout.label_width <= width + 0.01 and y + layout.label_height <= height + 0.01


def test_starting_further_down_a_used_sheet_pushes_labels_to_the_next_page():
    layout = LAYOUTS["a4-3x8"]
    labels = [SpineLabel.for_call_number("1") for _ in range(3)]
    assert page_count(render_sheet(labels, layout=layout, compress=False, start_position=22)) == 2
    assert page_count(render_sheet(labels, layout=layout, compress=False, start_position=0)) == 1


def test_code39_refuses_what_it_cannot_encode_and_an_unknown_layout_is_named():
    BarcodeLabel("B-000123", symbology="code39")
    with pytest.raises(NotPrintableInCode39):
        BarcodeLabel("b_1", symbology="code39")
    with pytest.raises(UnknownLabelLayout):
        layout_named("a5-1x1")


def test_pdftotext_reads_the_call_number_and_barcode(tmp_path):
    pdf = render_sheet(
        [SpineLabel.for_call_number("005.133 SUT p"), BarcodeLabel("B000123", symbology="code39")],
        layout=LAYOUTS["a4-3x10"],
    )
    path = tmp_path / "labels.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "005.133" in text and "SUT" in text and "B000123" in text


@pytest.mark.django_db
def test_labels_for_items_use_the_effective_call_number(make_item):
    item = make_item("B100", status="in_processing", call_number="R 005.133 SUT p")
    labels = labels_for_items([item], kind="both")
    assert labels[0].lines == ["R", "005.133", "SUT", "p"]
    assert labels[1].value == "B100"


@pytest.mark.django_db
@pytest.mark.parametrize("layout", ["a4-3x8", "a4-3x10"])
def test_technician_prints_labels_for_ticked_items(client, technician, make_item, layout):
    make_item("B100", status="received")
    make_item("B101", status="in_processing")
    client.force_login(technician)
    response = client.get(
        reverse("technical:processing_labels"),
        {"barcode": ["B100", "B101"], "layout": layout, "kind": "both", "symbology": "code128"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert page_count(response.content) == 1


@pytest.mark.django_db
def test_printing_with_nothing_chosen_says_so(client, technician):
    client.force_login(technician)
    response = client.get(reverse("technical:processing_labels"), {"layout": "a4-3x8"}, follow=True)
    assert "Scan at least one barcode." in response.content.decode()


@pytest.mark.django_db
def test_circulation_cannot_print_processing_labels(client, circulation):
    client.force_login(circulation)
    assert client.get(reverse("technical:processing_labels")).status_code == 403
