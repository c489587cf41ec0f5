"""A small EPUB 3 built in memory for the reader tests (with hostile bits the reader must drop)."""

import io
import zipfile

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:1234</dc:identifier><dc:title>Hikayat Contoh</dc:title><dc:language>id</dc:language>
  </metadata>
  <manifest>
    <item id="c1" href="text/bab1.xhtml" media-type="application/xhtml+xml"/>
    <item id="c2" href="text/bab%202.xhtml" media-type="application/xhtml+xml"/>
    <item id="img" href="images/gambar.png" media-type="image/png"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine><itemref idref="c1"/><itemref idref="c2"/></spine>
</package>"""

CHAPTER_1 = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Bab 1</title><link rel="stylesheet" href="../style.css"/><script>alert('head')</script></head>
<body onload="alert('body')">
  <h1 id="awal">Bab Satu: Permulaan</h1>
  <p style="color:red" onclick="steal()">Pada zaman dahulu <em>kala</em> ada seorang raja.</p>
  <script>document.cookie</script>
  <p><a href="bab%202.xhtml#lanjut">Ke bab dua</a> · <a href="javascript:alert(1)">jahat</a>
     · <a href="https://example.org/">luar</a></p>
  <img src="../images/gambar.png" alt="Gambar raja" onerror="alert(2)"/>
  <img src="https://tracker.example/pixel.png" alt="pelacak"/>
  <iframe src="https://evil.example/"></iframe>
  <form action="https://evil.example/"><input name="x"/></form>
  <custom-tag>isi tetap ada</custom-tag>
</body></html>"""

CHAPTER_2 = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Bab 2</title></head>
<body><h2 id="lanjut">Bab Dua: Akhir</h2><p>Tamat.</p></body></html>"""


def build_epub() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", OPF)
        archive.writestr("OEBPS/text/bab1.xhtml", CHAPTER_1)
        archive.writestr("OEBPS/text/bab 2.xhtml", CHAPTER_2)
        archive.writestr("OEBPS/images/gambar.png", PNG)
        archive.writestr("OEBPS/style.css", "body { background: url(https://evil.example/) }")
    return buffer.getvalue()
