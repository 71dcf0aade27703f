#!/usr/bin/env bash
# Debian packages the test suite needs: chromium (browser tests, kaleido), poppler-utils
# (PDF pages to PNG), PostgreSQL server binaries, fonts-dejavu-core (the reports' font),
# libreoffice-impress (the deck layout test), nginx (the proxy test).
# Installs only what is missing, and only as root; otherwise it says what to install.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# DejaVu Sans: the Unicode font embedded in the PDF briefing (kpi/reports/pdf.py).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# nginx: the reverse proxy in front of several dashboard processes (tests/browser/test_proxy_browser.py).
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
# LibreOffice Impress: the deck layout test converts the PowerPoint as a reader without Calibri sees it.
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-impress)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Ontbrekende Debian-pakketten: ${missing[*]} (installeer ze als root: apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "Installeren: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# A fresh postgresql package starts a cluster of its own; the tests run their own server.
if printf '%s\n' "${missing[@]}" | grep -qx postgresql; then
  pg_ctlcluster --help >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
    pg_ctlcluster "$ver" "$name" stop || true
  done
fi
