"""The one XML-cleaning helper: what every XML writer relies on."""

from xml.etree import ElementTree

from pustaka.core.xml import has_illegal, xml_attr, xml_safe, xml_text

DIRTY = "Judul\x00 buku\x0b \x1f\ufffe\uffff\ud800akhir"


def test_characters_xml_cannot_hold_are_dropped_and_the_rest_kept():
    assert xml_safe(DIRTY) == "Judul buku akhir"
    assert xml_safe("tab\tnewline\ncr\r é ü 中文 😀") == "tab\tnewline\ncr\r é ü 中文 😀"
    assert xml_safe(None) == ""


def test_text_and_attributes_are_escaped_and_parse_as_xml():
    attribute = xml_attr('x\x01 & "y"')
    body = f"<r a={attribute}>{xml_text('<b>' + DIRTY + ' & co')}</r>"
    root = ElementTree.fromstring(body)
    assert root.get("a") == 'x & "y"'
    assert root.text == "<b>Judul buku akhir & co"


def test_a_request_with_such_a_character_is_recognised():
    assert has_illegal("verb=Identify\x07")
    assert not has_illegal("verb=Identify\t\n")
