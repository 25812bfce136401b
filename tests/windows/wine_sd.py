#!/usr/bin/env python3
"""Prints the security descriptor Wine keeps for a file or directory, as an SDDL-like DACL.

Wine stores a file's security descriptor (when a program sets one) in the extended attribute
`user.wine.sd` of the Unix file: two bytes (revision 1, 0), then wineserver's
`struct security_descriptor` (control, owner_len, group_len, sacl_len, dacl_len: 32-bit each),
then the owner SID, group SID, SACL and DACL. Reading it from Linux shows exactly what the agent
asked for (SetNamedSecurityInfoW / CreateDirectoryW / CreateFileW with a descriptor); Wine itself
never enforces it (every Wine process runs as the same Unix user).

Output: `D:P(A;OICI;0x1f01ff;;;S-1-5-18)(A;OICI;0x1f01ff;;;S-1-5-32-544)` (P when the DACL is
protected), or `none` when the file has no descriptor of its own. Exit 2 on a malformed value.

Usage: wine_sd.py PATH
"""
import os
import struct
import sys

SE_DACL_PRESENT = 0x0004
SE_DACL_PROTECTED = 0x1000


def sid(b):
    if len(b) < 8:
        raise ValueError("short SID")
    rev, n = b[0], b[1]
    if len(b) < 8 + 4 * n:
        raise ValueError("short SID")
    auth = int.from_bytes(b[2:8], "big")
    subs = struct.unpack_from("<%dI" % n, b, 8)
    return "S-%d-%d" % (rev, auth) + "".join("-%d" % s for s in subs), 8 + 4 * n


def flags(f):
    return ("OI" if f & 1 else "") + ("CI" if f & 2 else "") + ("NP" if f & 4 else "") + \
        ("IO" if f & 8 else "") + ("ID" if f & 0x10 else "")


def main(path):
    try:
        raw = os.getxattr(path, "user.wine.sd")
    except OSError:
        print("none")
        return 0
    if len(raw) < 22 or raw[0] != 1:
        print("malformed: %r" % raw[:32], file=sys.stderr)
        return 2
    control, owner_len, group_len, sacl_len, dacl_len = struct.unpack_from("<5I", raw, 2)
    off = 22 + owner_len + group_len + sacl_len
    dacl = raw[off:off + dacl_len]
    if not control & SE_DACL_PRESENT or len(dacl) < 8:
        print("D:NO_DACL")
        return 0
    _, _, size, count, _ = struct.unpack_from("<BBHHH", dacl, 0)
    out, pos = [], 8
    for _ in range(count):
        ace_type, ace_flags, ace_size, mask = struct.unpack_from("<BBHI", dacl, pos)
        s, _ = sid(dacl[pos + 8:pos + ace_size])
        kind = {0: "A", 1: "D"}.get(ace_type, "T%d" % ace_type)
        out.append("(%s;%s;0x%x;;;%s)" % (kind, flags(ace_flags), mask, s))
        pos += ace_size
    print("D:" + ("P" if control & SE_DACL_PROTECTED else "") + "".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
