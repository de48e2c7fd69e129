"""Telegram's rules for uploaded photos and documents, and the photo sizes it keeps.

The image size is read from the PNG or JPEG header itself: the sandbox needs no image library.
"""

from __future__ import annotations

import struct

from sandbox.errors import ApiError, bad_request

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_PHOTO_SIDES = 10_000  # width + height
MAX_PHOTO_RATIO = 20
# Telegram keeps a photo in several sizes, the longest side scaled to each of these.
_SIDES = (90, 320, 800, 1280)
_LARGEST_SIDE = 2560
_PNG = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def image_size(content: bytes) -> tuple[int, int, str] | None:
    """(width, height, MIME type) of a PNG or JPEG; None for anything else."""
    if content.startswith(_PNG) and content[12:16] == b"IHDR" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return width, height, "image/png"
    if not content.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(content):
        if content[at] != 0xFF:
            return None
        marker = content[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", content[at + 2 : at + 4])
        if marker in _SOF and at + 9 <= len(content):
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return width, height, "image/jpeg"
        at += 2 + length
    return None


def check_photo(content: bytes) -> tuple[int, int, str]:
    """The photo's width, height and type, or Telegram's refusal."""
    if len(content) > MAX_PHOTO_BYTES:
        raise bad_request("PHOTO_SAVE_FILE_INVALID")
    size = image_size(content)
    if size is None:
        raise bad_request("IMAGE_PROCESS_FAILED")
    width, height, _ = size
    if width <= 0 or height <= 0 or width + height > MAX_PHOTO_SIDES:
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    if max(width, height) / min(width, height) > MAX_PHOTO_RATIO:
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return size


def check_document(content: bytes) -> None:
    if not content:
        raise bad_request("file must be non-empty")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ApiError(413, "Request Entity Too Large")


def photo_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """The sizes Telegram keeps, smallest first: thumbnails, then the photo itself, scaled down
    when its longest side is over 2560."""
    longest = max(width, height)

    def scaled(side: int) -> tuple[int, int]:
        return max(1, round(width * side / longest)), max(1, round(height * side / longest))

    sizes = [scaled(side) for side in _SIDES if side < longest]
    sizes.append(scaled(_LARGEST_SIDE) if longest > _LARGEST_SIDE else (width, height))
    return sizes
