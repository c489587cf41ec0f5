"""Metadata read from a file is clean text: on one line, without characters XML cannot hold."""

from xml.etree import ElementTree

from pypdf import PdfWriter

from pustaka.digital.metadata import examine_pdf


def test_control_characters_in_a_pdf_title_and_author_are_dropped(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": "Sejarah\x01 Kota\x00\n  Lama\x1f", "/Author": "Dewi\x0b Lestari"})
    path = tmp_path / "kotor.pdf"
    with path.open("wb") as out:
        writer.write(out)

    found = examine_pdf(path)

    assert found.title == "Sejarah Kota Lama"
    assert found.authors == ["Dewi Lestari"]  # a vertical tab is white space: the words stay apart
    ElementTree.fromstring(f"<t>{found.title}</t>")  # what a feed will carry
