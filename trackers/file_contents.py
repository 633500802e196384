"""What a PDF or an image holds, read with pikepdf and Pillow (no Django here).

``active_content`` finds what a PDF viewer would run or open rather than show; ``image_end``
finds where a JPEG or PNG ends, so that a file hidden after it can be refused;
``pixels_only`` re-encodes an image so that only its pixels are kept.
"""

import io
import struct

import pikepdf
from PIL import Image, ImageOps

# What each kind of active content is called in messages.
JAVASCRIPT = "JavaScript"
LAUNCH = "a command that starts a program"
OTHER_ACTION = "an action that opens another file or sends data"
ATTACHMENT = "an attached file"
MEDIA = "embedded media"
XFA = "an XFA form, which can run scripts"

# Keys whose mere presence makes a dictionary active. The document's names tree keeps its
# scripts under /JavaScript and its attachments under /EmbeddedFiles.
_ACTIVE_KEYS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,
    "/EmbeddedFiles": ATTACHMENT,
    "/EF": ATTACHMENT,
    "/RichMediaContent": MEDIA,
    "/XFA": XFA,
}
# Action types (/S) that run or open something. Links to a page or a web address
# (/GoTo, /URI) are allowed: payslips and letters have them.
_ACTIVE_ACTIONS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/ImportData": OTHER_ACTION,
    "/SubmitForm": OTHER_ACTION,
    "/GoToR": OTHER_ACTION,
    "/GoToE": OTHER_ACTION,
    "/Rendition": MEDIA,
    "/RichMediaExecute": MEDIA,
}
_ACTIVE_TYPES = {"/EmbeddedFile": ATTACHMENT}
_ACTIVE_SUBTYPES = {"/FileAttachment": ATTACHMENT, "/RichMedia": MEDIA}


def _active_in_dictionary(dictionary: pikepdf.Dictionary | pikepdf.Stream) -> str | None:
    for key, kind in _ACTIVE_KEYS.items():
        if key in dictionary:
            return kind
    for key, kinds in (("/S", _ACTIVE_ACTIONS), ("/Type", _ACTIVE_TYPES),
                       ("/Subtype", _ACTIVE_SUBTYPES)):  # fmt: skip
        value = dictionary.get(key)
        if isinstance(value, pikepdf.Name) and str(value) in kinds:
            return kinds[str(value)]
    return None


def active_content(pdf: pikepdf.Pdf) -> str | None:
    """What the PDF holds that a viewer would run or open (JAVASCRIPT, LAUNCH, …), or None.

    Every object in the file is looked at, reachable from its pages or not: qpdf has
    already decoded hex-escaped names (``/#4A#53`` is ``/JS``) and unpacked object
    streams. Objects inside another are looked at through it; objects it refers to are
    looked at in their own turn.
    """
    waiting = [pdf.trailer, *pdf.objects]
    while waiting:
        obj = waiting.pop()
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            if found := _active_in_dictionary(obj):
                return found
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = obj
        else:
            continue
        waiting.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Object) and not child.is_indirect
        )
    return None


def _jpeg_end(data: bytes) -> int:
    """Where the JPEG's end-of-image marker ends, found by walking its segments."""
    position = 2  # after the start-of-image marker
    while True:
        if data[position] != 0xFF:
            raise ValueError("not a JPEG marker")
        while data[position] == 0xFF:  # a marker may be preceded by fill bytes
            position += 1
        marker = data[position]
        position += 1
        if marker == 0xD9:  # end of image
            return position
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            continue
        (length,) = struct.unpack_from(">H", data, position)
        position += length
        if marker == 0xDA:  # start of scan: compressed data up to the next real marker
            while True:
                position = data.index(b"\xff", position)
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart
                    position += 2
                elif following == 0xFF:
                    position += 1
                else:
                    break


def _png_end(data: bytes) -> int:
    """Where the PNG's IEND chunk ends, found by walking its chunks."""
    position = 8  # after the signature
    while True:
        length, kind = struct.unpack_from(">I4s", data, position)
        position += 12 + length  # length, type, data and CRC
        if kind == b"IEND":
            if position > len(data):
                raise ValueError("cut short")
            return position


def image_end(data: bytes, image_format: str) -> int:
    """The length of the image at the start of data ("JPEG" or "PNG"): anything after it
    is not part of the picture. Raises ValueError when the image has no end."""
    try:
        return _jpeg_end(data) if image_format == "JPEG" else _png_end(data)
    except (IndexError, struct.error) as error:
        raise ValueError("the image ends before its end marker") from error


def pixels_only(image: Image.Image, image_format: str) -> bytes:
    """The image encoded again in its format, turned upright as its EXIF orientation says,
    keeping only its pixels: no EXIF (places, times, cameras), comments, profiles or
    other data."""
    upright = ImageOps.exif_transpose(image)
    # Only transparency is kept: in a palette PNG it is part of the picture.
    upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
    buffer = io.BytesIO()
    if image_format == "JPEG":
        if upright.mode not in {"L", "RGB", "CMYK"}:
            upright = upright.convert("RGB")
        upright.save(buffer, "JPEG", quality=90)
    else:
        upright.save(buffer, "PNG")
    return buffer.getvalue()
