#!/bin/sh
# The zh_CN message catalogue is complete for every program (wardenctl, warden-agent,
# warden-collector, the report):
#  1. the merged catalogue (build/common/locale/zh_CN.po, every common/i18n/po/*.zh_CN.po) has no
#     untranslated (empty msgstr) and no fuzzy entry;
#  2. every message the sources of agent/, collector/ and common/ mark (tr, trf, trf_in, trn, trnf, trnf_in, N_)
#     has an entry in it (xgettext extracts them, msgcmp compares).
# Usage: i18n_catalogue_test.sh SOURCE_DIR MERGED_PO
set -eu
src=$1
po=$2
[ -f "$po" ] || { echo "no merged catalogue at $po: build warden_common first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

msgfmt --check --statistics -o /dev/null "$po" 2>"$work/stats" || { cat "$work/stats"; exit 1; }
cat "$work/stats"
untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
# msgattrib prints the header entry (msgid "") with any selection that is not empty.
if [ "$untranslated" -gt 0 ]; then
  echo "untranslated entries in $po:" >&2
  msgattrib --untranslated --no-obsolete "$po" >&2
  exit 1
fi
if [ "$fuzzy" -gt 0 ]; then
  echo "fuzzy entries in $po:" >&2
  msgattrib --only-fuzzy --no-obsolete "$po" >&2
  exit 1
fi

find "$src/agent" "$src/collector" "$src/common" \( -name '*.cpp' -o -name '*.hpp' \) | sort >"$work/files"
xgettext --from-code=UTF-8 -C --keyword=tr --keyword=trf --keyword=trf_in:2 --keyword=trn:1,2 \
  --keyword=trnf:1,2 --keyword=trnf_in:2,3 --keyword=N_ --omit-header \
  -o "$work/warden.pot" -f "$work/files"
count=$(grep -c '^msgid ' "$work/warden.pot" || true)
echo "$count messages marked in the sources"
[ "$count" -gt 100 ] || { echo "expected the programs' messages, found $count" >&2; exit 1; }
# msgcmp fails on a message the sources use that the catalogue lacks ("used but not defined");
# messages other programs use are reported as "not used", which is fine.
if ! msgcmp "$po" "$work/warden.pot" 2>"$work/cmp"; then
  grep -v 'this message is not used' "$work/cmp" >&2 || true
  echo "messages without a translation: add them to common/i18n/po/<area>.zh_CN.po" >&2
  exit 1
fi
echo "every message has a zh_CN translation"
