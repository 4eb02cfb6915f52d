#!/usr/bin/env bash
# Self-test of Tests/browser/check_pages.py against its own fixtures:
#   fixtures/good/  must pass (exit 0, every page "ok")
#   fixtures/bad/   every page must FAIL, each for the reason named in its
#                   "<!-- expect: ... -->" comment (one browser run for all)
#   an empty folder must give exit 2
# Ends with "selftest: N passed, M failed"; exit 1 if any check went wrong.
# Env: PYTHON (default python3), SCREENSHOT_DIR (default: a fresh temp dir).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
CHECK="$HERE/check_pages.py"
FIX="$HERE/fixtures"
SHOTS="${SCREENSHOT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/browser-selftest.XXXXXX")}"
mkdir -p "$SHOTS"
start=$EPOCHREALTIME
passed=0
failed=0

ok()   { echo "  ok   $*"; passed=$((passed + 1)); }
bad()  { echo "  FAIL $*"; failed=$((failed + 1)); }
indent() { sed 's/^/    | /'; }

# 1. good fixtures must pass
echo "selftest: check_pages.py on fixtures/good (must pass)"
out="$("$PYTHON" "$CHECK" "$FIX/good" "$SHOTS/good" 2>&1)"; rc=$?
echo "$out" | indent
n_good=$(find "$FIX/good" -name '*.html' | wc -l)
if [ "$rc" = 0 ] && echo "$out" | grep -qx "$n_good passed, 0 failed"; then
  ok "fixtures/good: $n_good page(s) pass (exit 0)"
else
  bad "fixtures/good: expected exit 0 and '$n_good passed, 0 failed', got exit $rc"
fi
for f in "$FIX"/good/*.html; do
  png="$SHOTS/good/$(basename "${f%.html}").png"
  if [ -s "$png" ] && [ -s "${png%.png}-print.png" ]; then ok "screenshots for good/$(basename "$f")"
  else bad "no screenshot $png (or -print.png)"; fi
done

# 2. bad fixtures must each fail, for the expected reason
echo "selftest: check_pages.py on fixtures/bad (every page must fail)"
out="$("$PYTHON" "$CHECK" "$FIX/bad" "$SHOTS/bad" 2>&1)"; rc=$?
echo "$out" | indent
n_bad=$(find "$FIX/bad" -name '*.html' | wc -l)
if [ "$rc" = 1 ] && echo "$out" | grep -qx "0 passed, $n_bad failed"; then
  ok "fixtures/bad: exit 1 and '0 passed, $n_bad failed'"
else
  bad "fixtures/bad: expected exit 1 and '0 passed, $n_bad failed', got exit $rc"
fi
for f in "$FIX"/bad/*.html; do
  name="$(basename "$f")"
  expect="$(sed -n 's/.*<!-- expect: \(.*\) -->.*/\1/p' "$f" | head -n1)"
  line="$(echo "$out" | grep -F "FAIL $name:" || true)"
  if [ -z "$expect" ]; then
    bad "bad/$name has no <!-- expect: ... --> comment"
  elif [ -z "$line" ]; then
    bad "bad/$name did not fail"
  elif ! echo "$line" | grep -qF -- "$expect"; then
    bad "bad/$name failed, but not for '$expect': $line"
  else
    ok "bad/$name fails: $expect"
  fi
done

# 3. no html at all -> exit 2
empty="$(mktemp -d "${TMPDIR:-/tmp}/browser-selftest-empty.XXXXXX")"
"$PYTHON" "$CHECK" "$empty" "$SHOTS/empty" >/dev/null 2>&1; rc=$?
rmdir "$empty"
if [ "$rc" = 2 ]; then ok "empty SITE_DIR exits 2"; else bad "empty SITE_DIR: expected exit 2, got $rc"; fi

secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')
echo "selftest: screenshots in $SHOTS; ${secs}s"
echo "selftest: $passed passed, $failed failed"
[ "$failed" = 0 ]
