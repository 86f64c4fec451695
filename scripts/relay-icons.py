#!/usr/bin/env python3
"""Draws the relay app's PNG icons (assets/relay/icon-192.png, icon-512.png) with
the standard library only: a white ring and dot on purple, full-bleed so that
they also work as maskable icons. Run once after changing the design."""
import struct
import zlib
from pathlib import Path


def png(size: int, path: Path) -> None:
    bg, fg = (0x5B, 0x21, 0x8A), (255, 255, 255)
    c, r_out, r_in = size / 2, size * 0.30, size * 0.19
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = ((x + 0.5 - c) ** 2 + (y + 0.5 - c) ** 2) ** 0.5
            row += bytes(fg if (r_in <= d <= r_out) or d <= size * 0.08 else bg)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    assets = Path(__file__).resolve().parent.parent / "assets" / "relay"
    for size in (192, 512):
        png(size, assets / f"icon-{size}.png")
