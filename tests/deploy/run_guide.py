#!/usr/bin/python3
# Turns docs/operations.md into one bash script: every ```sh block, in order, each followed by
# `checkpoint SECTION.BLOCK` (e.g. 5.2: the second block of section 5), where the package test
# checks what that block should have done.
# Placeholders in angle brackets (<token>, <new>, ...) are filled from KEY=VALUE arguments; a
# placeholder the test does not know fails here, so the guide cannot gain a step the test skips.
#   run_guide.py GUIDE.md '<token>=$(...)' ... > guide.sh
import re
import sys

guide, fills = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
out = ["# generated from " + guide + " by tests/deploy/run_guide.py"]
section, in_block, blocks, in_section = None, False, 0, 0
for n, line in enumerate(open(guide, encoding="utf-8"), 1):
    if not in_block:
        m = re.match(r"## (\d+)\. (.*)", line)
        if m:
            section, in_section = m.group(1), 0
            out.append(f"echo '== operations guide, section {section}: {m.group(2)}'")
        if line.strip() == "```sh":
            in_block, blocks, in_section = True, blocks + 1, in_section + 1
            out.append(f"echo '-- {guide}:{n + 1}'")
        continue
    if line.strip() == "```":
        in_block = False
        out.append(f"checkpoint {section}.{in_section}")
        continue
    for key, value in fills.items():
        line = line.replace(key, value)
    left = re.findall(r"<[A-Za-z][A-Za-z0-9 _-]*>", line)
    if left:
        sys.exit(f"{guide}:{n}: the test does not know how to fill {', '.join(left)}")
    out.append(line.rstrip("\n"))
if in_block:
    sys.exit(f"{guide}: unterminated ```sh block")
if blocks == 0:
    sys.exit(f"{guide}: no ```sh blocks")
print("\n".join(out))
