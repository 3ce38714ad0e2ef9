#!/usr/bin/env python3
"""Writes an ESP32 boot image from an ELF (what the boot ROM loads from flash
offset 0x1000), in the format Espressif documents for esptool ("Firmware
Image Format"):

  header, 8 bytes:   magic 0xE9, segment count, SPI flash mode, SPI speed
                     (low nibble) and size (high nibble), entry point (u32)
  extended header,   WP pin (0xEE: none), 3 bytes of SPI pin drive, chip id
  16 bytes:          (u16, 0 = ESP32), min chip revision (u8), min and max
                     full chip revision (u16 each), 4 reserved bytes,
                     hash appended (u8, 1: a SHA-256 follows the checksum)
  segments:          load address (u32), length (u32, a multiple of 4), data
  checksum:          zero padding so that the checksum byte ends a 16-byte
                     block; the byte is 0xEF XOR every byte of segment data
  SHA-256:           of everything before it (when hash appended is 1)

All fields little-endian. Segments are the ELF's loadable program headers
with file contents (NOLOAD sections, e.g. .bss, are not written).
Standard library only: the ELF reader handles 32-bit little-endian ELF.
"""
import argparse
import hashlib
import struct
import sys

MAGIC = 0xE9
CHECKSUM_SEED = 0xEF
FLASH_MODES = {"qio": 0, "qout": 1, "dio": 2, "dout": 3}
FLASH_FREQS = {"40m": 0x0, "26m": 0x1, "20m": 0x2, "80m": 0xF}
FLASH_SIZES = {"1MB": 0x00, "2MB": 0x10, "4MB": 0x20, "8MB": 0x30, "16MB": 0x40}
CHIP_ID_ESP32 = 0
MAX_SEGMENTS = 16


def elf_segments(data: bytes):
    """(entry, [(vaddr, bytes)]) of a 32-bit little-endian ELF's PT_LOAD
    program headers that have file contents."""
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        raise ValueError("not a 32-bit little-endian ELF")
    (e_entry,) = struct.unpack_from("<I", data, 24)
    (e_phoff,) = struct.unpack_from("<I", data, 28)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 42)
    segs = []
    for i in range(e_phnum):
        p_type, p_offset, p_vaddr, _paddr, p_filesz, _memsz, _flags, _align = struct.unpack_from(
            "<8I", data, e_phoff + i * e_phentsize)
        if p_type == 1 and p_filesz > 0:  # PT_LOAD
            segs.append((p_vaddr, data[p_offset:p_offset + p_filesz]))
    return e_entry, segs


def checksum(segments) -> int:
    c = CHECKSUM_SEED
    for _addr, payload in segments:
        for b in payload:
            c ^= b
    return c


def make_image(entry: int, segments, flash_mode="dio", flash_freq="40m", flash_size="4MB",
               hash_appended=True) -> bytes:
    if not segments or len(segments) > MAX_SEGMENTS:
        raise ValueError(f"an image holds 1 to {MAX_SEGMENTS} segments, not {len(segments)}")
    padded = []
    for addr, payload in segments:
        if addr % 4:
            raise ValueError(f"segment at 0x{addr:08x} is not 4-byte aligned")
        payload = bytes(payload) + b"\0" * (-len(payload) % 4)
        padded.append((addr, payload))
    out = bytearray(struct.pack("<BBBBI", MAGIC, len(padded), FLASH_MODES[flash_mode],
                                FLASH_FREQS[flash_freq] | FLASH_SIZES[flash_size], entry))
    # WP pin, SPI drive (3 bytes), chip id, min rev, min/max full rev, reserved, hash flag
    out += struct.pack("<B3sHBHH4sB", 0xEE, b"\0\0\0", CHIP_ID_ESP32, 0, 0, 0xFFFF, b"\0" * 4,
                       1 if hash_appended else 0)
    for addr, payload in padded:
        out += struct.pack("<II", addr, len(payload)) + payload
    out += b"\0" * (15 - len(out) % 16)
    out.append(checksum(padded))
    if hash_appended:
        out += hashlib.sha256(out).digest()
    return bytes(out)


def parse_image(image: bytes):
    """(entry, segments, header fields) of an image made above; checks the
    checksum and the hash. Used by the tests and by `--check`."""
    magic, count, mode, speed_size, entry = struct.unpack_from("<BBBBI", image, 0)
    if magic != MAGIC:
        raise ValueError("bad magic")
    wp, _drv, chip, _minrev, _minfull, _maxfull, _res, hashed = struct.unpack_from("<B3sHBHH4sB", image, 8)
    pos = 24
    segs = []
    for _ in range(count):
        addr, length = struct.unpack_from("<II", image, pos)
        pos += 8
        segs.append((addr, image[pos:pos + length]))
        pos += length
    pos += 15 - pos % 16
    if image[pos] != checksum(segs):
        raise ValueError("bad checksum")
    pos += 1
    if hashed:
        if image[pos:pos + 32] != hashlib.sha256(image[:pos]).digest():
            raise ValueError("bad SHA-256")
        pos += 32
    if pos != len(image):
        raise ValueError("trailing bytes")
    return entry, segs, {"mode": mode, "speed_size": speed_size, "wp": wp, "chip": chip, "hash": hashed}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("elf")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--flash-mode", default="dio", choices=FLASH_MODES)
    ap.add_argument("--flash-freq", default="40m", choices=FLASH_FREQS)
    ap.add_argument("--flash-size", default="4MB", choices=FLASH_SIZES)
    ap.add_argument("--no-hash", action="store_true")
    a = ap.parse_args(argv)
    with open(a.elf, "rb") as f:
        entry, segs = elf_segments(f.read())
    image = make_image(entry, segs, a.flash_mode, a.flash_freq, a.flash_size, not a.no_hash)
    parse_image(image)
    with open(a.output, "wb") as f:
        f.write(image)
    summary = ", ".join(f"0x{addr:08x} {len(p)} B" for addr, p in segs)
    print(f"esp32_image: {a.output}: {len(image)} bytes, entry 0x{entry:08x}, segments: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
