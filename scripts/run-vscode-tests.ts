/**
 * The real-VS-Code test layer: packages the extension (.vsix), installs it into a fresh code-server (VS Code 1.100.3
 * from npm), starts a throwaway PostgreSQL cluster, and runs test/vscode/suite inside the real extension host, driven
 * from headless Debian Chromium. Ends with "vscode: N passed, N failed"; exits non-zero when a test fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { SCREENSHOTS_DIR } from '../test/support/screenshots.js';
import { CLUSTER_PASSWORD, freePort, startCluster, type PgCluster } from '../test/support/pg-cluster.js';

const ROOT = resolve(__dirname, '..');
const RUN = join(ROOT, '.test-run', 'vscode');
const CODE_SERVER = join(ROOT, '.cache', 'code-server', 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// The whole main suite (26 tests, a workload sampling and the embedded database among them) takes 2–4 minutes on two
// busy cores: 240 s was too close.
const TIMEOUT_MS = Number(process.env['LOCKSCOPE_VSCODE_TIMEOUT_MS'] ?? 480_000);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with ${result.status}`);
}

/** The extension host inherits code-server's environment: no stray database settings may leak into the tests. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(PG|DATABASE_URL$|NODE_OPTIONS$)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('code-server did not become healthy');
}

/** The .vsix carries what runs (bundles, WASM, data, media) and nothing of the sources, tests or node_modules. */
function checkPackagedContents(extensionPath: string): void {
  const required = [
    'package.json',
    'readme.md',
    'LICENSE.txt',
    'dist/extension.js',
    'dist/cli.js',
    'dist/webview.js',
    'dist/embedded-worker.js',
    'dist/analysis-worker.js',
    'dist/scan-worker.js',
    'dist/libpg-query.wasm',
    'dist/pglite.wasm',
    'dist/initdb.wasm',
    'dist/pglite.data',
    'dist/codicons/codicon.css',
    'dist/grammars/tree-sitter.wasm',
    'dist/grammars/tree-sitter-python.wasm',
    'docs/rules/slow-path-locks.md',
    'media/webview.css',
  ];
  const missing = required.filter((file) => !existsSync(join(extensionPath, file)));
  const forbidden = ['src', 'test', 'node_modules', 'webview', 'scripts', 'bench', 'tsconfig.json'].filter((file) =>
    existsSync(join(extensionPath, file)),
  );
  if (missing.length > 0 || forbidden.length > 0) {
    throw new Error(
      `the packaged extension is wrong: missing ${missing.join(', ') || 'nothing'}; should not contain ${forbidden.join(', ') || 'anything else'}`,
    );
  }
  console.log(`packaged extension: ${required.length} required files present, no sources, tests or node_modules`);
}

async function main(): Promise<number> {
  if (!existsSync(CODE_SERVER)) throw new Error('code-server is missing: run scripts/install-code-server.sh (bash .ci/run does).');
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM} (apt-get install chromium).`);
  rmSync(RUN, { recursive: true, force: true });
  for (const dir of ['ud/User', 'ext', 'xdg']) mkdirSync(join(RUN, dir), { recursive: true });

  run('npm', ['run', '--silent', 'package']);
  run(
    CODE_SERVER,
    ['--extensions-dir', join(RUN, 'ext'), '--user-data-dir', join(RUN, 'ud'), '--install-extension', join(ROOT, 'dist', 'lockscope.vsix')],
    cleanEnv({ XDG_CONFIG_HOME: join(RUN, 'xdg'), XDG_DATA_HOME: join(RUN, 'xdg') }),
  );
  const installed = readdirSync(join(RUN, 'ext')).find((d) => d.startsWith('lockscope.lockscope-'));
  if (installed === undefined) throw new Error('the .vsix did not install');
  const extensionPath = join(RUN, 'ext', installed);
  checkPackagedContents(extensionPath);

  const only = process.env['LOCKSCOPE_VSCODE_SUITE'];
  // LOCKSCOPE_VSCODE_SUITE=bench runs the editor benchmark; =main or =untrusted one suite of the default two.
  const suites: Suite[] =
    only === 'bench'
      ? [{ name: 'bench', entry: 'test/vscode/bench/index.ts', trusted: true }]
      : [
          { name: 'main', entry: 'test/vscode/suite/index.ts', trusted: true },
          { name: 'untrusted', entry: 'test/vscode/untrusted/index.ts', trusted: false },
        ].filter((s) => only === undefined || s.name === only);
  let cluster: PgCluster | undefined;
  try {
    // pg_stat_statements is loaded for the Lock Cost tests, which sample the `workload` database (the shop's schema and
    // the extension); the shop database itself stays without it.
    cluster = await startCluster({ settings: { shared_preload_libraries: 'pg_stat_statements' } });
    cluster.psql('CREATE DATABASE shop; CREATE DATABASE workload;');
    const shopSchema = `CREATE TABLE orders (id bigserial PRIMARY KEY, customer int, total numeric);
                  CREATE INDEX orders_customer_idx ON orders (customer);
                  CREATE TABLE customers (id int PRIMARY KEY, email text UNIQUE);`;
    cluster.psql(shopSchema, 'shop');
    cluster.psql(`${shopSchema} CREATE EXTENSION pg_stat_statements;`, 'workload');
    let passed = 0;
    let failed = 0;
    for (const suite of suites) {
      const outcome = await runSuite(suite, cluster, extensionPath);
      passed += outcome.passed;
      failed += outcome.failed;
    }
    console.log(`vscode: ${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    cluster?.stop();
  }
}

interface Suite {
  name: string;
  entry: string;
  /** false: workspace trust is on and the folder is not trusted (restricted mode). */
  trusted: boolean;
}

/** One code-server session with a fresh user-data dir and a copy of the fixture workspace, running one suite. */
async function runSuite(suite: Suite, cluster: PgCluster, extensionPath: string): Promise<{ passed: number; failed: number }> {
  const dir = join(RUN, suite.name);
  for (const sub of ['ud/User', 'ws']) mkdirSync(join(dir, sub), { recursive: true });
  await build({
    entryPoints: [join(ROOT, suite.entry)],
    outfile: join(dir, 'suite.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'pg-native'],
    logLevel: 'warning',
  });
  // The whole fixture workspace: SQL files and the small multi-language app under app/.
  cpSync(join(ROOT, 'test/vscode/fixtures'), join(dir, 'ws'), { recursive: true });
  if (!suite.trusted) {
    // Workspace settings an attacker could commit: in restricted mode VS Code must ignore them (restrictedConfigurations).
    mkdirSync(join(dir, 'ws', '.vscode'), { recursive: true });
    writeFileSync(join(dir, 'ws', '.vscode', 'settings.json'), JSON.stringify({ 'lockscope.databaseUrl': cluster.urlFor('shop') }));
  }
  let server: ChildProcess | undefined;
  let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
  try {
    const relations = cluster
      .psql(
        `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog','information_schema','pg_toast') AND c.relkind IN ('r','p','i','I','S','v','m','f')`,
        'shop',
      )
      .trim();
    writeFileSync(
      join(dir, 'ud/User/settings.json'),
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'telemetry.telemetryLevel': 'off',
          'update.mode': 'none',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          'workbench.enableExperiments': false,
          'security.workspace.trust.enabled': !suite.trusted,
          'chat.disableAIFeatures': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.banner': 'never',
          'workbench.colorTheme': 'Default Dark Modern',
          'git.openRepositoryInParentFolders': 'never',
          'git.enabled': false,
        },
        null,
        2,
      ),
    );
    const port = await freePort();
    const resultsFile = join(dir, 'results.json');
    server = spawn(
      CODE_SERVER,
      [
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        ...(suite.trusted ? ['--disable-workspace-trust'] : []),
        '--disable-getting-started-override',
        '--user-data-dir',
        join(dir, 'ud'),
        '--extensions-dir',
        join(RUN, 'ext'),
        join(dir, 'ws'),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: cleanEnv({
          XDG_CONFIG_HOME: join(RUN, 'xdg'),
          XDG_DATA_HOME: join(RUN, 'xdg'),
          LOCKSCOPE_TEST_RESULTS: resultsFile,
          LOCKSCOPE_TEST_DB_URL: cluster.urlFor('shop'),
          LOCKSCOPE_TEST_WORKLOAD_URL: cluster.urlFor('workload'),
          LOCKSCOPE_TEST_BAD_PASSWORD_URL: cluster.urlFor('shop', 'not-the-password'),
          LOCKSCOPE_TEST_DEAD_URL: `postgres://postgres@127.0.0.1:${await freePort()}/shop`,
          LOCKSCOPE_TEST_PASSWORD: CLUSTER_PASSWORD,
          LOCKSCOPE_TEST_RELATIONS: relations,
          LOCKSCOPE_TEST_PG_MAJOR: String(cluster.major),
          LOCKSCOPE_TEST_RESTART_COMMAND: cluster.restartCommand,
        }),
      },
    );
    const serverLog: string[] = [];
    server.stdout?.on('data', (d: Buffer) => serverLog.push(d.toString()));
    server.stderr?.on('data', (d: Buffer) => serverLog.push(d.toString()));
    await waitForHealth(port);

    const authority = `127.0.0.1:${port}`;
    const remote = (p: string): string => `vscode-remote://${authority}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(join(dir, 'suite.js'))],
    ];
    const url = `http://${authority}/?folder=${encodeURIComponent(join(dir, 'ws'))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const exitCode = new Promise<number>((resolveExit) => {
      void page.exposeFunction('codeAutomationLog', async (_type: string, args: unknown[]) => {
        console.log(`[${suite.name}]`, ...args);
        // A test asks for a picture of what the user sees now (hover, CodeLens): "LOCKSCOPE_SCREENSHOT name".
        const request = /LOCKSCOPE_SCREENSHOT (\S+)/.exec(args.map(String).join(' '));
        if (request !== null)
          await page.screenshot({ path: join(SCREENSHOTS_DIR, `${request[1] ?? 'screen'}.png`) }).catch(() => undefined);
      });
      void page.exposeFunction('codeAutomationExit', async (code: number) => {
        // The main suite's last test leaves the profile panel open: that is the README's screenshot.
        mkdirSync(SCREENSHOTS_DIR, { recursive: true });
        if (suite.name === 'main')
          await page.screenshot({ path: join(SCREENSHOTS_DIR, 'server-profile-vscode.png') }).catch(() => undefined);
        resolveExit(code);
      });
    });
    page.on('console', (m) => {
      const text = m.text();
      if (/^(ok {2}|FAIL|\d+ passed|editor bench)/.test(text) || process.env['DEBUG'] !== undefined) console.log(text);
    });
    // A loaded machine (CI beside other jobs) can take longer than Playwright's 30 s default to serve the workbench.
    await page.goto(url, { timeout: TIMEOUT_MS, waitUntil: 'domcontentloaded' });
    const code = await Promise.race([exitCode, new Promise<number>((r) => setTimeout(() => r(-1), TIMEOUT_MS))]);
    if (code === -1) {
      await page.screenshot({ path: join(dir, 'timeout.png') }).catch(() => undefined);
      console.error(
        `extension tests (${suite.name}) timed out after ${TIMEOUT_MS} ms; code-server log:\n${serverLog.join('').slice(-4000)}`,
      );
    }
    const results = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Array<{ ok: boolean }>) : [];
    const failed = results.filter((r) => !r.ok).length + (code === 0 ? 0 : results.length === 0 ? 1 : 0);
    console.log(`vscode ${suite.name}: ${results.length - results.filter((r) => !r.ok).length} passed, ${failed} failed`);
    return { passed: results.length - results.filter((r) => !r.ok).length, failed: failed + (code === 0 || failed > 0 ? 0 : 1) };
  } finally {
    await browser?.close().catch(() => undefined);
    server?.kill('SIGTERM');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`vscode tests could not run: ${error instanceof Error ? error.message : String(error)}`);
    console.log('vscode: 0 passed, 1 failed');
    process.exit(1);
  },
);
