#!/usr/bin/env bash
# Installs what Tests/browser/check_pages.py needs, and only what is missing.
# Idempotent: a second run installs nothing.
#
#   Debian 12:  chromium, chromium-driver  (/usr/bin/chromium, /usr/bin/chromedriver),
#               poppler-utils (pdftotext: the printed pages are read back)
#   PyPI:       selenium==4.51.0, selenium-axe-python==2.2.0 (ships axe-core 4.9.1's
#               axe.min.js inside the package; nothing is fetched at run time)
#
# Only Debian's apt repositories and PyPI are used; no browser/driver downloads.
# Env: PYTHON (default python3) = the interpreter check_pages.py will run with.
set -euo pipefail

PYTHON="${PYTHON:-python3}"
APT_PACKAGES=(chromium chromium-driver poppler-utils)
PIP_PACKAGES=(selenium==4.51.0 selenium-axe-python==2.2.0)

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install.sh: not root and no sudo; cannot apt-get install" >&2
  fi
fi

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    echo "install.sh: apt-get update"
    $SUDO apt-get update -q >/dev/null
    apt_updated=1
  fi
  echo "install.sh: apt-get install $*"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# --- Debian packages -------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
  missing+=(python3-pip)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  apt_install "${missing[@]}"
fi

# --- PyPI packages ---------------------------------------------------------
need_pip=()
for spec in "${PIP_PACKAGES[@]}"; do
  name="${spec%%==*}"; want="${spec##*==}"
  have="$("$PYTHON" -c "import importlib.metadata as m, sys
try: print(m.version(sys.argv[1]))
except m.PackageNotFoundError: pass" "$name" 2>/dev/null || true)"
  if [ "$have" != "$want" ]; then
    need_pip+=("$spec")
  fi
done
if [ "${#need_pip[@]}" -gt 0 ]; then
  pip_flags=(--disable-pip-version-check -q --root-user-action=ignore)
  # Debian's own /usr/bin/python3 is "externally managed" (PEP 668).
  if "$PYTHON" -c 'import sys, sysconfig, os; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) and sys.prefix == sys.base_prefix else 1)'; then
    pip_flags+=(--break-system-packages)
  fi
  echo "install.sh: pip install ${need_pip[*]}"
  "$PYTHON" -m pip install "${pip_flags[@]}" "${need_pip[@]}"
fi

# --- sanity ----------------------------------------------------------------
"$PYTHON" - <<'EOF'
import importlib.metadata as m, os, selenium_axe_python
js = os.path.join(os.path.dirname(selenium_axe_python.__file__), "axe-core", "axe.min.js")
assert os.path.isfile(js), js
print("install.sh: ok: selenium", m.version("selenium"),
      "| selenium-axe-python", m.version("selenium-axe-python"), "| axe.min.js", js)
EOF
echo "install.sh: ok: $(/usr/bin/chromium --version 2>/dev/null) | $(/usr/bin/chromedriver --version | cut -d' ' -f1-2)"
