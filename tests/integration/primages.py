"""primages: test images for pressroom's photo tests, standard library only.

Pixels come from pr-mkimage (tests/tools/mkimage.c, built beside the other
tests); metadata is written here byte by byte, as cameras and editors
write it, so that a test says exactly what a file carries:

    import primages
    jpeg = primages.make("jpeg", 1600, 1000)            # bytes
    jpeg = primages.with_exif(jpeg, description="...", artist="...",
                              gps=True, orientation=6)
    jpeg = primages.with_iptc(jpeg, caption="...", byline="...", credit="...")
    primages.jpeg_size(b), primages.webp_size(b)        # (width, height)
    primages.jpeg_metadata(b), primages.webp_metadata(b) # what is left
"""

import os
import struct
import subprocess
import tempfile
import zlib

import prtest

MKIMAGE = os.path.join(prtest.BUILD_DIR, "tests", "pr-mkimage")


def make(kind, width, height):
    """The bytes of a KIND image (see mkimage.c) of width x height."""
    fd, path = tempfile.mkstemp(suffix=".img")
    os.close(fd)
    try:
        subprocess.run([MKIMAGE, kind, str(width), str(height), path],
                       check=True, timeout=120)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


# JPEG segments

def jpeg_segments(b):
    """(marker, payload) of each segment before the image data."""
    assert b[:2] == b"\xff\xd8", "not a JPEG"
    out, i = [], 2
    while i + 4 <= len(b) and b[i] == 0xFF:
        marker = b[i + 1]
        if marker == 0xD9:
            break
        n = struct.unpack(">H", b[i + 2:i + 4])[0]
        out.append((marker, b[i + 4:i + 2 + n]))
        if marker == 0xDA:
            break
        i += 2 + n
    return out


def jpeg_size(b):
    """(width, height) from the frame header."""
    for marker, p in jpeg_segments(b):
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", p[1:5])
            return w, h
    raise AssertionError("no frame header")


def jpeg_metadata(b):
    """Names of the metadata segments: EXIF, XMP, ICC, IPTC, COM."""
    names = []
    for marker, p in jpeg_segments(b):
        if marker == 0xE1 and p.startswith(b"Exif"):
            names.append("EXIF")
        elif marker == 0xE1:
            names.append("XMP")
        elif marker == 0xE2:
            names.append("ICC")
        elif marker == 0xED:
            names.append("IPTC")
        elif marker == 0xFE:
            names.append("COM")
    return names


def jpeg_insert(b, marker, payload):
    """b with a segment added after SOI and any APP0 (JFIF)."""
    i = 2
    if b[2:4] == b"\xff\xe0":
        i = 4 + struct.unpack(">H", b[4:6])[0]
    seg = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2)
    return b[:i] + seg + payload + b[i:]


# EXIF

def _ifd(entries, start, tail_at):
    """An IFD at offset start (little-endian TIFF) with its values after it
    from tail_at; entries are (tag, type, count, bytes). Returns the IFD's
    bytes and the values' bytes."""
    body, tail = b"", b""
    for tag, typ, count, value in sorted(entries):
        if len(value) <= 4:
            body += struct.pack("<HHI", tag, typ, count) + value.ljust(4,
                                                                      b"\0")
        else:
            body += struct.pack("<HHII", tag, typ, count,
                                tail_at + len(tail))
            tail += value + (b"\0" if len(value) % 2 else b"")
    return struct.pack("<H", len(entries)) + body + b"\0\0\0\0", tail


def _ascii(s):
    v = s.encode("utf-8") + b"\0"
    return (2, len(v), v)


def _rationals(*pairs):
    return (5, len(pairs), b"".join(struct.pack("<II", a, b)
                                    for a, b in pairs))


def _layout(ifds):
    """TIFF bytes for a chain of IFDs given as lists of entries; an entry
    value "IFD:k" becomes the offset of IFD k."""
    offs, pos, parts = [], 8, []
    for entries in ifds:
        n = len(entries)
        offs.append(pos)
        size = 2 + 12 * n + 4
        tail = sum(len(v) + len(v) % 2 for _, _, _, v in entries
                   if not isinstance(v, str) and len(v) > 4)
        pos += size + tail
    for k, entries in enumerate(ifds):
        fixed = []
        for tag, typ, count, v in entries:
            if isinstance(v, str) and v.startswith("IFD:"):
                v = struct.pack("<I", offs[int(v[4:])])
            fixed.append((tag, typ, count, v))
        n = len(fixed)
        head, tail = _ifd(fixed, offs[k], offs[k] + 2 + 12 * n + 4)
        parts.append(head + tail)
    return b"II*\0" + struct.pack("<I", 8) + b"".join(parts)


def exif(description=None, artist=None, copyright=None, taken=None,
         orientation=None, gps=False):
    """An EXIF block (TIFF, little-endian): IFD0 with the text fields and
    the orientation, the Exif IFD with DateTimeOriginal ("2021:11:18
    09:30:00"), a GPS IFD with a position in Nur-Sultan."""
    ifd0, sub, gpsd = [], [], []
    for tag, v in ((0x010E, description), (0x013B, artist),
                   (0x8298, copyright)):
        if v is not None:
            ifd0.append((tag,) + _ascii(v))
    if orientation is not None:
        ifd0.append((0x0112, 3, 1, struct.pack("<H", orientation)))
    if taken is not None:
        sub.append((0x9003,) + _ascii(taken))
    if gps:
        gpsd += [(0x0001,) + _ascii("N"),
                 (0x0002,) + _rationals((51, 1), (10, 1), (0, 1)),
                 (0x0003,) + _ascii("E"),
                 (0x0004,) + _rationals((71, 1), (26, 1), (0, 1))]
    ifds = [ifd0]
    if sub:
        ifd0.append((0x8769, 4, 1, "IFD:%d" % len(ifds)))
        ifds.append(sub)
    if gpsd:
        ifd0.append((0x8825, 4, 1, "IFD:%d" % len(ifds)))
        ifds.append(gpsd)
    return _layout(ifds)


def with_exif(jpeg, **fields):
    return jpeg_insert(jpeg, 0xE1, b"Exif\0\0" + exif(**fields))


def looping_exif():
    """EXIF whose IFD0 points to itself as its next IFD and as its Exif
    IFD, with an entry whose count runs far past the end."""
    ifd = struct.pack("<H", 3)
    ifd += struct.pack("<HHII", 0x010E, 2, 0x7FFFFFFF, 8)
    ifd += struct.pack("<HHII", 0x8769, 4, 1, 8)
    ifd += struct.pack("<HHII", 0x8825, 4, 1, 0xFFFFFFF0)
    ifd += struct.pack("<I", 8)
    return b"II*\0" + struct.pack("<I", 8) + ifd


def with_raw_exif(jpeg, tiff):
    return jpeg_insert(jpeg, 0xE1, b"Exif\0\0" + tiff)


# IPTC

def _iim(rec, ds, value):
    v = value.encode("utf-8")
    return struct.pack(">BBBH", 0x1C, rec, ds, len(v)) + v


def iptc(caption=None, byline=None, credit=None, date=None):
    """An APP13 payload: Photoshop 3.0 with an 8BIM IPTC-IIM resource."""
    data = _iim(1, 90, "\x1b%G")
    for ds, v in ((120, caption), (80, byline), (110, credit), (55, date)):
        if v is not None:
            data += _iim(2, ds, v)
    res = b"8BIM\x04\x04\0\0" + struct.pack(">I", len(data)) + data
    if len(data) % 2:
        res += b"\0"
    return b"Photoshop 3.0\0" + res


def with_iptc(jpeg, **fields):
    return jpeg_insert(jpeg, 0xED, iptc(**fields))


# WebP

def webp_chunks(b):
    assert b[:4] == b"RIFF" and b[8:12] == b"WEBP", "not a WebP"
    out, i = [], 12
    while i + 8 <= len(b):
        fourcc, n = b[i:i + 4], struct.unpack("<I", b[i + 4:i + 8])[0]
        out.append((fourcc, b[i + 8:i + 8 + n]))
        i += 8 + n + (n & 1)
    return out


def webp_size(b):
    for fourcc, p in webp_chunks(b):
        if fourcc == b"VP8X":
            w = int.from_bytes(p[4:7], "little") + 1
            h = int.from_bytes(p[7:10], "little") + 1
            return w, h
        if fourcc == b"VP8 ":
            w, h = struct.unpack("<HH", p[6:10])
            return w & 0x3FFF, h & 0x3FFF
        if fourcc == b"VP8L":
            bits = int.from_bytes(p[1:5], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise AssertionError("no image chunk")


def webp_metadata(b):
    """Metadata chunks (EXIF, XMP, ICCP) and VP8X flags that announce
    them."""
    names = [c.decode().strip() for c, _ in webp_chunks(b)
             if c in (b"EXIF", b"XMP ", b"ICCP")]
    for c, p in webp_chunks(b):
        if c == b"VP8X" and p[0] & 0x2C:
            names.append("VP8X flags %#x" % p[0])
    return names


# PNG

def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_bomb(width=50000, height=50000):
    """A small PNG whose header claims width x height: a decompression
    bomb as far as any decoder that trusts it is concerned."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = zlib.compress(b"\0" * (3 * 64 + 1) * 64, 9)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) +
            png_chunk(b"IDAT", raw) + png_chunk(b"IEND", b""))
