#!/usr/bin/env bash
# Fetch the web page's front-end libraries from the npm registry and copy the built files
# into the package, so that the page needs no CDN and the wheel carries them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent vega@5 vega-lite@5 vega-embed@6 world-atlas@2
target="$here/src/crosscount/web/static/vendor"
mkdir -p "$target"
cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
   node_modules/vega-embed/build/vega-embed.min.js node_modules/world-atlas/countries-110m.json "$target/"
for package in vega vega-lite vega-embed world-atlas; do
  printf '%s %s\n' "$package" "$(node -p "require('./node_modules/$package/package.json').version")"
done > "$target/VERSIONS"
cp node_modules/vega/LICENSE "$target/LICENSE-vega" 2>/dev/null || true
cp node_modules/world-atlas/LICENSE* "$target/LICENSE-world-atlas" 2>/dev/null || true
