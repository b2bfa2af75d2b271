#!/usr/bin/env python3
"""Check every ELF file under the given paths (default: dist/) for old-Linux portability.

An ELF passes when it needs no glibc symbol version newer than 2.17 (`objdump -T`) and
links only the C runtime (`readelf -d` NEEDED). Wheels, zips, tarballs and gems are
opened, nested archives too, so the check sees exactly what users install. Static
archives (`.a`) have no symbol versions of their own (the user's linker resolves them)
and are listed but not judged. Exit 1 if any ELF fails, or if none is found.
"""
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

MAX_GLIBC = (2, 17)
ALLOWED = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
    "libgcc_s.so.1", "ld-linux-x86-64.so.2",
}


def members(name: str, data: bytes):
    """Yield (display name, bytes) for a file and, recursively, what an archive holds."""
    if data[:4] == b"\x7fELF" or data[:8] == b"!<arch>\n":
        yield name, data
        return
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                if not info.is_dir():
                    yield from members(f"{name}!{info.filename}", z.read(info))
        return
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            for info in t.getmembers():
                if info.isfile():
                    yield from members(f"{name}!{info.name}", t.extractfile(info).read())
    except (tarfile.TarError, EOFError, OSError):
        return


def judge(name: str, data: bytes) -> bool:
    if data[:8] == b"!<arch>\n":
        print(f"static  {name}")
        return True
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        symbols = subprocess.run(["objdump", "-T", f.name], capture_output=True, text=True).stdout
        dynamic = subprocess.run(["readelf", "-d", f.name], capture_output=True, text=True).stdout
    versions = {tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", symbols)}
    newest = max(versions, default=(0,))
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))
    extra = sorted(needed - ALLOWED)
    ok = newest <= MAX_GLIBC and not extra
    glibc = ".".join(map(str, newest)) if versions else "none"
    print(f"{'ok' if ok else 'FAIL':7} {name}: glibc {glibc}, needs {', '.join(sorted(needed)) or 'nothing'}"
          + (f" — not allowed: {', '.join(extra)}" if extra else "")
          + (" — newer than 2.17" if newest > MAX_GLIBC else ""))
    return ok


def main() -> int:
    roots = [Path(p) for p in sys.argv[1:]] or [Path("dist")]
    found, failed = 0, 0
    for root in roots:
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                for name, data in members(str(path), path.read_bytes()):
                    found += 1
                    failed += not judge(name, data)
    if not found:
        print(f"check-elf: no ELF file under {', '.join(map(str, roots))}", file=sys.stderr)
        return 1
    print(f"check-elf: {found} ELF file(s), {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
