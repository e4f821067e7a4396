"""Contact photos: check an image as it really is, and keep a small clean copy.

A file is accepted only when Pillow decodes it whole as a JPEG, PNG, GIF or WebP
of sensible size, whatever its name or declared type says; it is then turned the
right way up, cropped square and re-encoded as a 256 px JPEG, which drops
everything else the file carried (EXIF, location, scripts in comments).
"""

import base64
import binascii
import io
from dataclasses import dataclass

from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6000  # pixels; a phone photo is ~4000
MIN_SIDE = 16
# Decompression bombs: refuse before decoding anything this large (Pillow's own
# warning comes at 89 million pixels, far above any face).
MAX_PIXELS = MAX_SIDE * MAX_SIDE
FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
SIZE = 256
QUALITY = 85


class PhotoError(ValueError):
    """The file is not a usable photo; the message says why, for the person."""


@dataclass(frozen=True)
class Photo:
    data: bytes
    width: int
    height: int


def photo_from_bytes(raw: bytes) -> Photo:
    """Check `raw` (size, type by content, decoded dimensions) and re-encode it."""
    if not raw:
        raise PhotoError(gettext("The photo file is empty."))
    if len(raw) > MAX_BYTES:
        raise PhotoError(too_large_message())
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format or ""
            width, height = probe.size
            if kind not in FORMATS:
                raise PhotoError(gettext("Use a JPEG, PNG, GIF or WebP image for the photo."))
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise PhotoError(
                    gettext(
                        "The photo is %(width)s by %(height)s pixels; use one of at most "
                        "%(most)s pixels a side."
                    )
                    % {"width": width, "height": height, "most": MAX_SIDE}
                )
            if min(width, height) < MIN_SIDE:
                raise PhotoError(
                    gettext("The photo is too small (%(width)s by %(height)s pixels).")
                    % {"width": width, "height": height}
                )
            probe.load()  # decode it all: a truncated or corrupt file fails here
            image = ImageOps.exif_transpose(probe).convert("RGB")
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise PhotoError(gettext("This file is not an image we can read.")) from error
    square = ImageOps.fit(image, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return Photo(data=out.getvalue(), width=SIZE, height=SIZE)


def photo_from_base64(value: object) -> Photo:
    """A photo written as base64 text (the JSON backup's "photo"), checked as an upload is."""
    if not isinstance(value, str):
        raise PhotoError(gettext("The photo is not base64 text."))
    if len(value) > MAX_BYTES * 4 // 3 + 4:
        raise PhotoError(too_large_message())
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise PhotoError(gettext("The photo is not valid base64.")) from error
    return photo_from_bytes(raw)


def too_large_message() -> str:
    """Also the contact form's message for an upload over the limit."""
    return gettext("The photo is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
