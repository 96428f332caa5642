#!/usr/bin/env bash
# Install what the project needs on a fresh machine: uv (from PyPI), the locked Python packages,
# gettext (for compiling the translation catalogues) and Chromium (for the browser tests), the last two
# with apt-get. Never downloads a Python interpreter or a browser build of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v msgfmt >/dev/null 2>&1; then
  echo "bootstrap: installing gettext (msgfmt) with apt-get"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gettext >/dev/null
fi

# The browser tests drive the system Chromium by its path (tests/browser); never `playwright install`.
if [ ! -x /usr/bin/chromium ]; then
  echo "bootstrap: installing chromium with apt-get (for the browser tests)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if ! command -v uv >/dev/null 2>&1 && ! python3 -m uv --version >/dev/null 2>&1; then
  echo "bootstrap: installing uv with pip"
  python3 -m pip install --quiet uv || python3 -m pip install --quiet --user uv
fi
UV="uv"; command -v uv >/dev/null 2>&1 || UV="python3 -m uv"

export UV_PYTHON_DOWNLOADS=never
$UV sync --frozen --python python3 --quiet
.venv/bin/python manage.py compilemessages --ignore=.venv --verbosity 0
