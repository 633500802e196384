"""trackers.file_contents: active content in PDFs, where images end, pixels only."""

import io

import pikepdf
import pytest
from PIL import Image

from tests.factories import MINIMAL_PDF
from tests.trackers import hostile_files
from trackers import file_contents


def opened(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def jpeg_with(**options) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (64, 48), "orange")
    image.paste("navy", (10, 10, 40, 30))
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def jpeg_with_a_thumbnail() -> bytes:
    """EXIF holding a JPEG thumbnail, whose own end marker comes before the picture's."""
    thumbnail = hostile_files.jpeg((8, 6))
    exif = Image.Exif()
    exif[0x0112] = 1
    return jpeg_with(exif=exif.tobytes() + thumbnail)


@pytest.mark.parametrize(
    ("build", "found"),
    [
        (hostile_files.payslip_pdf, None),
        (hostile_files.payslip_pdf_with_object_streams, None),
        (hostile_files.payslip_pdf_with_a_web_link, None),
        (hostile_files.pdf_with_javascript_in_the_names_tree, file_contents.JAVASCRIPT),
        (hostile_files.pdf_with_javascript_on_open, file_contents.JAVASCRIPT),
        (hostile_files.pdf_with_javascript_in_an_annotation, file_contents.JAVASCRIPT),
        (hostile_files.pdf_with_javascript_on_page_open, file_contents.JAVASCRIPT),
        (hostile_files.pdf_with_hex_escaped_javascript, file_contents.JAVASCRIPT),
        (hostile_files.pdf_that_launches_a_program, file_contents.LAUNCH),
        (hostile_files.pdf_that_submits_a_form, file_contents.OTHER_ACTION),
        (hostile_files.pdf_with_an_attached_executable, file_contents.ATTACHMENT),
        (hostile_files.pdf_with_rich_media, file_contents.MEDIA),
        (hostile_files.pdf_with_an_xfa_form, file_contents.XFA),
    ],
)
def test_active_content_names_what_a_viewer_would_run(build, found):
    with opened(build()) as pdf:
        result = file_contents.active_content(pdf)

    assert result == found


def test_active_content_finds_an_action_in_an_unreferenced_object():
    """An object no page refers to is still looked at: a viewer may reach it."""
    data = MINIMAL_PDF.replace(b"trailer", b"4 0 obj <</S /Launch /F (a.exe)>> endobj\ntrailer")

    with opened(data) as pdf:
        result = file_contents.active_content(pdf)

    assert result == file_contents.LAUNCH


@pytest.mark.parametrize(
    ("data", "image_format"),
    [
        (jpeg_with(), "JPEG"),
        (jpeg_with(progressive=True), "JPEG"),
        (jpeg_with(restart_marker_blocks=1), "JPEG"),
        (jpeg_with_a_thumbnail(), "JPEG"),
        (hostile_files.photo_on_its_side(), "JPEG"),
        (hostile_files.png(), "PNG"),
    ],
)
def test_image_end_is_the_end_of_the_image(data, image_format):
    end = file_contents.image_end(data + b"PK\x03\x04 hidden archive", image_format)

    assert end == len(data)


@pytest.mark.parametrize(
    ("data", "image_format"),
    [
        (jpeg_with()[:-2], "JPEG"),
        (jpeg_with()[:300], "JPEG"),
        (hostile_files.png()[:-12], "PNG"),
        (hostile_files.png()[:-6], "PNG"),
    ],
)
def test_image_end_of_an_image_cut_short_is_a_value_error(data, image_format):
    with pytest.raises(ValueError):
        file_contents.image_end(data, image_format)


def test_pixels_only_keeps_a_palette_pngs_transparency():
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.info["transparency"] = 1

    stored = Image.open(io.BytesIO(file_contents.pixels_only(image, "PNG")))

    assert (
        stored.mode,
        stored.info.get("transparency"),
        stored.convert("RGBA").getpixel((0, 0)),
    ) == (
        "P",
        1,
        (255, 0, 0, 0),
    )


def test_pixels_only_keeps_a_cmyk_jpeg_in_cmyk():
    image = Image.new("CMYK", (8, 8), (0, 0, 0, 255))

    stored = Image.open(io.BytesIO(file_contents.pixels_only(image, "JPEG")))

    assert (stored.format, stored.mode, stored.size) == ("JPEG", "CMYK", (8, 8))
