"""tools/esp32_image.py against the format Espressif documents for esptool
("Firmware Image Format"); with --built DIR, checks a built esp32_devkitc
image against its ELF."""
import hashlib
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
import esp32_image  # noqa: E402


class Esp32ImageFormat(unittest.TestCase):
    def setUp(self):
        self.segs = [(0x3FFB0000, bytes(range(10))), (0x40080400, b"\x12\x34\x56\x78")]
        self.img = esp32_image.make_image(0x40080404, self.segs)

    def test_header(self):
        magic, count, mode, speed_size, entry = struct.unpack_from("<BBBBI", self.img, 0)
        self.assertEqual((magic, count, entry), (0xE9, 2, 0x40080404))
        self.assertEqual(mode, 2)             # DIO
        self.assertEqual(speed_size, 0x20)    # 40 MHz (0x0), 4 MB (0x2 << 4)
        wp, drv, chip, minrev, minfull, maxfull, res, hashed = struct.unpack_from("<B3sHBHH4sB", self.img, 8)
        self.assertEqual((wp, chip, hashed), (0xEE, 0, 1))

    def test_segments_padded_to_words(self):
        addr, length = struct.unpack_from("<II", self.img, 24)
        self.assertEqual((addr, length), (0x3FFB0000, 12))
        self.assertEqual(self.img[32:44], bytes(range(10)) + b"\0\0")
        addr2, length2 = struct.unpack_from("<II", self.img, 44)
        self.assertEqual((addr2, length2), (0x40080400, 4))

    def test_checksum_and_hash(self):
        body = self.img[:-32]
        self.assertEqual(len(body) % 16, 0)   # the checksum byte ends a 16-byte block
        c = 0xEF
        for b in bytes(range(10)) + b"\0\0" + b"\x12\x34\x56\x78":
            c ^= b
        self.assertEqual(body[-1], c)
        self.assertEqual(self.img[-32:], hashlib.sha256(body).digest())

    def test_parse_round_trip_and_corruption(self):
        entry, segs, _ = esp32_image.parse_image(self.img)
        self.assertEqual(entry, 0x40080404)
        self.assertEqual(segs[1], (0x40080400, b"\x12\x34\x56\x78"))
        bad = bytearray(self.img)
        bad[33] ^= 1
        with self.assertRaises(ValueError):
            esp32_image.parse_image(bytes(bad))

    def test_limits(self):
        with self.assertRaises(ValueError):
            esp32_image.make_image(0, [])
        with self.assertRaises(ValueError):
            esp32_image.make_image(0, [(0x3FFB0002, b"ab")])


def check_built(build_dir: str) -> int:
    elf = os.path.join(build_dir, "tinyperf.elf")
    binf = os.path.join(build_dir, "tinyperf.bin")
    if not os.path.exists(elf):
        print(f"SKIPPED: no {elf} (the build was skipped)")
        return 0
    with open(elf, "rb") as f:
        entry, segs = esp32_image.elf_segments(f.read())
    with open(binf, "rb") as f:
        ientry, isegs, _ = esp32_image.parse_image(f.read())
    assert ientry == entry, (hex(ientry), hex(entry))
    assert [a for a, _ in isegs] == [a for a, _ in segs]
    for (a, p), (_, ip) in zip(segs, isegs):
        assert ip[:len(p)] == p, f"segment 0x{a:08x} differs"
        # every segment in the ESP32's internal RAM the ROM loads into
        assert 0x3FFAE000 <= a < 0x3FFE0000 or 0x40080000 <= a < 0x400A0000, hex(a)
    print(f"esp32 image ok: entry 0x{entry:08x}, {len(segs)} segments")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--built":
        sys.exit(check_built(sys.argv[2]))
    unittest.main()
