#!/usr/bin/env bash
# Draws the timeline of docs/explain.md: the SVG with the CLI, then the PNG with Debian's headless Chromium
# (apt-get install chromium). Not part of npm test; run it after changing the example or the SVG layout, and commit both.
#
# Usage: scripts/render-explain-png.sh [manifest] [KIND/NAME] [svg] [png]
set -euo pipefail
cd "$(dirname "$0")/.."
manifest="${1:-examples/explain-shop.yaml}"
object="${2:-Pod/web}"
svg="${3:-docs/explain-timeline.svg}"
png="${4:-docs/explain-timeline.png}"
chromium="${CHROMIUM:-/usr/bin/chromium}"

npx ts-node --swc src/cli/main.ts explain --format svg --object "$object" "$manifest" > "$svg"

# the window is the picture: width and height from the <svg> element
width=$(grep -o '<svg [^>]*' "$svg" | head -1 | sed -n 's/.* width="\([0-9]*\)".*/\1/p')
height=$(grep -o '<svg [^>]*' "$svg" | head -1 | sed -n 's/.* height="\([0-9]*\)".*/\1/p')
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$(realpath "$png")" --window-size="${width},${height}" "file://$(realpath "$svg")" 2>/dev/null
echo "wrote $svg and $png (${width}x${height})"
