#!/usr/bin/env bash
# Runs every test layer in order (types, build, unit, integration, webview, vscode) and prints one closing line
# "lockscope: N passed, N failed". A layer that fails fails the run; later layers still run so one report shows all.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .test-run
status=0
summaries=()

step() {
  local name=$1; shift
  echo "=== $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee ".test-run/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "=== $name finished in $((SECONDS - start))s (exit $rc)"
  [ "$rc" -eq 0 ] || status=1
  local line
  line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed$' ".test-run/$name.log" | tail -n 1)
  [ -n "$line" ] && summaries+=("$line")
  return 0
}

step typecheck npx tsc -p tsconfig.json --noEmit
step build npm run --silent build
step unit node scripts/run-node-tests.mjs test/unit
step integration node scripts/run-node-tests.mjs test/integration --test-concurrency=1
step webview node scripts/run-node-tests.mjs test/webview --test-concurrency=1
if [ -f scripts/run-vscode-tests.ts ] || [ -f scripts/run-vscode-tests.mjs ]; then
  step vscode npm run --silent test:vscode
fi

passed=0; failed=0
for s in "${summaries[@]}"; do
  echo "  $s"
  p=$(sed -E 's/^[a-z]+: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$s")
  f=$(sed -E 's/^[a-z]+: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$s")
  passed=$((passed + p)); failed=$((failed + f))
done
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "lockscope: $passed passed, $failed failed"
exit $status
