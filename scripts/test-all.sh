#!/usr/bin/env bash
# Runs every test layer in order (types, lint, format, build, unit, integration, webview, reliability, vscode) and prints one closing line
# "lockscope: N passed, N failed". A layer that fails fails the run; later layers still run so one report shows all.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .test-run
# A test run must not write tracked files (screenshots go to .test-run/screenshots): compare git status before and after.
git_state() { git status --porcelain --untracked-files=all 2>/dev/null | grep -v '^?? \.test-run/' || true; }
before=$(git_state)
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
step lint npx eslint --max-warnings 0 .
step format npx prettier --check --log-level warn .
step build npm run --silent build
step unit node scripts/run-node-tests.mjs test/unit
step integration node scripts/run-node-tests.mjs test/integration --test-concurrency=1
step webview node scripts/run-node-tests.mjs test/webview --test-concurrency=1
# Faults and escapes against throwaway clusters it kills and freezes; runs the built CLI (the build step above).
step reliability node scripts/run-node-tests.mjs test/reliability --test-concurrency=1
if [ -f scripts/run-vscode-tests.ts ] || [ -f scripts/run-vscode-tests.mjs ]; then
  step vscode npm run --silent test:vscode
fi

after=$(git_state)
if [ "$before" != "$after" ]; then
  echo "=== the test run changed files in the checkout (tests must write only under .test-run/):"
  diff <(echo "$before") <(echo "$after") | sed -n 's/^> /  /p'
  status=1
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
