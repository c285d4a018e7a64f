#!/bin/sh
# Debian's Chromium and ChromeDriver for the browser tests (Playwright never downloads a browser here), and
# npm, which fetches axe-core for the accessibility tests. As root with apt-get: installed when missing.
# Otherwise a message says how; with CI=true that is a failure.
missing=""
[ -x /usr/bin/chromium ] || missing="chromium chromium-driver"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's $missing for the browser tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    [ -x /usr/bin/chromium ] && command -v npm >/dev/null 2>&1 && exit 0
fi
echo "The browser tests need Debian's Chromium at /usr/bin/chromium, and npm for axe-core." >&2
echo "Install them with:  sudo apt-get install -y$missing" >&2
if [ "${CI:-}" = "true" ]; then
    echo "CI=true: a missing browser is a failure." >&2
    exit 1
fi
echo "Without CI=true the browser tests are skipped on this machine." >&2
exit 0
