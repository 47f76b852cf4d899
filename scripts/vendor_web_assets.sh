#!/usr/bin/env bash
# Fetch the web page's front-end libraries from the npm registry and copy the built files
# into the package, so that the page needs no CDN and the wheel carries them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent vega@5 vega-lite@5 vega-embed@6 world-atlas@2 swagger-ui-dist@5.17.14 redoc@2.1.5
target="$here/src/crosscount/web/static/vendor"
mkdir -p "$target"
cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
   node_modules/vega-embed/build/vega-embed.min.js node_modules/world-atlas/countries-110m.json \
   node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
   node_modules/redoc/bundles/redoc.standalone.js node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt "$target/"
# ReDoc's footer shows a logo from cdn.redoc.ly: an empty image instead, so that no page
# asks another host.
sed -i 's#src:"https://cdn.redoc.ly/redoc/logo-mini.svg"#src:"data:,"#' "$target/redoc.standalone.js"
for package in vega vega-lite vega-embed world-atlas swagger-ui-dist redoc; do
  printf '%s %s\n' "$package" "$(node -p "require('./node_modules/$package/package.json').version")"
done > "$target/VERSIONS"
echo "redoc: its footer logo (cdn.redoc.ly) is replaced by an empty image" >> "$target/VERSIONS"
cp node_modules/vega/LICENSE "$target/LICENSE-vega" 2>/dev/null || true
cp node_modules/world-atlas/LICENSE* "$target/LICENSE-world-atlas" 2>/dev/null || true
cp node_modules/swagger-ui-dist/LICENSE "$target/LICENSE-swagger-ui"
cp node_modules/redoc/LICENSE "$target/LICENSE-redoc"
