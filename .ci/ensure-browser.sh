#!/bin/sh
# Debian's Chromium and ChromeDriver for the browser tests (Playwright never downloads a browser here).
# As root with apt-get: installed when missing. Otherwise a message says how; with CI=true that is a failure.
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium and chromium-driver for the browser tests ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    [ -x /usr/bin/chromium ] && exit 0
fi
echo "The browser tests need Debian's Chromium at /usr/bin/chromium." >&2
echo "Install it with:  sudo apt-get install -y chromium chromium-driver" >&2
if [ "${CI:-}" = "true" ]; then
    echo "CI=true: a missing browser is a failure." >&2
    exit 1
fi
echo "Without CI=true the browser tests are skipped on this machine." >&2
exit 0
