#!/usr/bin/env bash
# Render both reports of the sample tender to PDF and PNG pages, for a reviewer and the README.
#
#   bash bench/render_reports.sh            # → docs/reports/*.pdf (not committed) and *.png
#   DPI=100 XLSX_DPI=150 bash bench/render_reports.sh   # sharper pages
#
# Word pages default to 60 dpi; Excel pages to 100 dpi, as they are landscape and scaled
# down to fit the page width.
#
# The reports are made exactly as a user makes them (`tender evaluate … --xlsx --docx`),
# in Chinese (Word and Excel) and in English (Word). LibreOffice and poppler-utils are
# installed with apt-get when missing (as root), like the CJK fonts of `make setup`.
set -euo pipefail
cd "$(dirname "$0")/.."

DPI="${DPI:-60}"
XLSX_DPI="${XLSX_DPI:-100}"
OUT=docs/reports
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

need() {  # need COMMAND PACKAGE...: install the Debian packages when the command is missing
    local command="$1"; shift
    command -v "$command" >/dev/null 2>&1 && return 0
    echo "installing $* …" >&2
    if [ "$(id -u)" != 0 ]; then
        echo "$command is missing: run as root, or apt-get install $*" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need soffice libreoffice-writer-nogui libreoffice-calc-nogui
need pdftoppm poppler-utils
make --no-print-directory setup >/dev/null 2>&1

SAMPLE=(samples/tender.json samples/bids/*.json --panel samples/panel.json)
.venv/bin/tender evaluate "${SAMPLE[@]}" --xlsx "$WORK/scoring-summary-zh.xlsx" \
    --docx "$WORK/evaluation-report-zh.docx" >/dev/null
.venv/bin/tender evaluate "${SAMPLE[@]}" --lang en --docx "$WORK/evaluation-report-en.docx" >/dev/null

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.pdf
# a private LibreOffice profile: no clash with a running instance, nothing left in $HOME
soffice -env:UserInstallation="file://$WORK/profile" --headless --convert-to pdf --outdir "$OUT" \
    "$WORK"/*.docx "$WORK"/*.xlsx >/dev/null 2>&1
for pdf in "$OUT"/*.pdf; do
    case "$pdf" in *scoring-summary*) dpi="$XLSX_DPI" ;; *) dpi="$DPI" ;; esac
    pdftoppm -png -r "$dpi" "$pdf" "${pdf%.pdf}"
done
# 64-colour palette PNGs: a third of the size, text still crisp
.venv/bin/python - "$OUT"/*.png <<'PY'
import sys
from PIL import Image
for path in sys.argv[1:]:
    Image.open(path).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
PY
ls -1 "$OUT"/*.png | sed 's/^/  /'
du -ch "$OUT"/*.png | tail -1 | sed 's/^/  PNG pages: /'
