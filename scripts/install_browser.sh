#!/usr/bin/env bash
# Install Debian's Chromium, its driver, a Chinese font and an emoji font for tests/test_browser.py.
# Idempotent and quiet: does nothing when all are present. Needs root (or sudo) and apt.
set -euo pipefail

have_all() {
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] \
        && [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]
}

have_all && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install_browser.sh: run as root or install sudo" >&2; exit 1; }
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# fonts-wqy-zenhei: without a CJK font the Chinese quotes render as empty boxes; the emoji font
# draws the backend status dots.
$SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei fonts-noto-color-emoji >/dev/null
have_all || { echo "install_browser.sh: a package is still missing after apt-get" >&2; exit 1; }
