#!/bin/sh
# Debian's poppler-utils (pdftotext, pdftoppm: the report tests read the PDFs back) and fonts-dejavu-core
# (the font embedded in the PDF reports). As root with apt-get: installed when missing. Otherwise a message
# says how; with CI=true that is a failure.
missing=""
command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || missing="poppler-utils"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] \
    || missing="$missing fonts-dejavu-core"
if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's$missing for the written reports ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
fi
echo "The report tests need Debian's$missing." >&2
echo "Install with:  sudo apt-get install -y$missing" >&2
if [ "${CI:-}" = "true" ]; then
    echo "CI=true: missing report tools are a failure." >&2
    exit 1
fi
echo "Without CI=true the report tests that need them are skipped on this machine." >&2
exit 0
