#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3: the last release whose engines accept Node 20) from the npm registry
# into .cache/code-server, for the real-VS-Code test layer. Idempotent. Works with only npm and Debian's packages:
#  - @vscode/ripgrep's postinstall would download rg from GitHub: its cache is seeded with Debian's rg instead;
#  - code-server's postinstall refuses root without unsafe-perm; node-pty runs `npx node-gyp`, which must not prompt;
#  - kerberos builds from source and needs libkrb5-dev (installed by .ci/run).
set -euo pipefail
VERSION=4.100.3
RIPGREP_PACKAGE_VERSION=1.15.11 # @vscode/ripgrep as pinned in code-server 4.100.3's shrinkwrap
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PREFIX="$ROOT/.cache/code-server"
BIN="$PREFIX/node_modules/.bin/code-server"

installed_version() { "$BIN" --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -n1; }
if [ -x "$BIN" ] && [ "$(installed_version)" = "$VERSION" ]; then
  echo "code-server $VERSION already installed"
  exit 0
fi
for tool in rg; do command -v "$tool" >/dev/null || { echo "install-code-server: $tool is missing (apt-get install ripgrep)" >&2; exit 1; }; done

mkdir -p "$PREFIX"
[ -f "$PREFIX/package.json" ] || echo '{"name":"lockscope-code-server","private":true}' > "$PREFIX/package.json"
CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
mkdir -p "$CACHE"
STAGE=$(mktemp -d)
cp "$(command -v rg)" "$STAGE/rg"
tar czf "$CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$STAGE" rg
rm -rf "$STAGE"

cd "$PREFIX"
echo "installing code-server $VERSION (native modules build from source; takes a few minutes)"
npm_config_unsafe_perm=true npm_config_yes=true npm_config_audit=false npm_config_fund=false \
  npm install --no-save --loglevel=error --foreground-scripts=false "code-server@$VERSION" >/dev/null
echo "installed code-server $(installed_version)"
