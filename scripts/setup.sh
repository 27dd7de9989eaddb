#!/usr/bin/env bash
# One command on a fresh Debian/Ubuntu machine with Node ≥ 20: install what huibian needs
# (Chromium to print, poppler-utils and qpdf to check PDFs in tests, LibreOffice to import .doc/.wps and to read the
# Word export back in tests, with a CJK font to render it; pandoc as the tests' second Word reader), install the npm
# packages, build,
# and compile the sample compilation into out/ (HTML and PDF).
# Usage: bash scripts/setup.sh [--no-compile]
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || need+=(chromium)
command -v pdffonts >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
# LibreOffice converts .doc and .wps submissions for `huibian import` (and its tests run the real conversion).
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
# LibreOffice draws Chinese only with a system CJK font (Chromium uses huibian's packaged fonts and needs none).
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; then need+=(fonts-noto-cjk); fi
# The Word export's tests read the .docx with pandoc too, a reader independent of the writer.
command -v pandoc >/dev/null 2>&1 || need+=(pandoc)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: 安装 ${need[*]}（apt-get）" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: 请先安装 ${need[*]}（Chrome/Chromium 与 poppler-utils），再运行本脚本" >&2
    exit 2
  fi
fi

echo "setup: npm ci" >&2
npm ci --no-audit --no-fund
npm run build

if [ "${1:-}" != "--no-compile" ]; then
  node bin/huibian.js compile
fi
