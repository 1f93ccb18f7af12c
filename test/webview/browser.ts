/** Hosts a webview page in headless Debian Chromium the way VS Code does: own origin, CSP, theme, acquireVsCodeApi. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { renderWebviewHtml, type WebviewHtmlOptions } from '../../src/extension/webview-html.js';
import { DARK_MODERN, type WebviewTheme } from './themes.js';

const ROOT = join(__dirname, '..', '..');
/** The page's origin (VS Code: vscode-webview://<uuid>). */
const PAGE_URL = 'https://webview.lockscope.test/index.html';
/** Where asWebviewUri points (VS Code: https://file+.vscode-resource.vscode-cdn.net/<path>): another origin. */
const RESOURCE_ORIGIN = 'https://file+.vscode-resource.lockscope-cdn.test';
/** webview.cspSource, shaped like VS Code's. */
export const CSP_SOURCE = "'self' https://*.lockscope-cdn.test";
/** localResourceRoots of the panel. */
const RESOURCE_ROOTS = ['dist', 'media'];
const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf' };

/** Fails with instructions when dist/webview.js is missing or older than the code it is built from. */
export function assertBundleFresh(): void {
  const bundle = join(ROOT, 'dist', 'webview.js');
  if (!existsSync(bundle) || !existsSync(join(ROOT, 'dist', 'codicons', 'codicon.css'))) {
    throw new Error('dist/webview.js or dist/codicons/ is missing: run `npm run build` before the webview tests.');
  }
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const full = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
    }, 0);
  const sources = Math.max(newest(join(ROOT, 'webview')), newest(join(ROOT, 'src', 'protocol')));
  if (statSync(bundle).mtimeMs < sources) {
    throw new Error('dist/webview.js is older than webview/ or src/protocol/: run `npm run build` before the webview tests.');
  }
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium with a fresh profile directory, offline flags, no sandbox (we run as root in CI). */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`${executablePath} not found: apt-get install chromium (or set CHROMIUM_PATH).`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'lockscope-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    locale: 'en-US',
    viewport: { width: 860, height: 600 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/** The page as VS Code's webview host (pre/index.html) produces it: default styles and theme variables put in front of
 *  the page's own CSP, the theme class on <body>. Here the variables are a rule on <html>; VS Code sets them through
 *  documentElement.style — either way they are not inline content the page's policy could block. */
function hostedHtml(html: string, theme: WebviewTheme): string {
  const variables = Object.entries(theme.variables)
    .map(([name, value]) => `--${name}: ${value};`)
    .join(' ');
  const defaults = `<style id="_defaultStyles">
html { ${variables} background: var(--vscode-editor-background); }
body { background-color: transparent; color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family);
  font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
</style>`;
  return html
    .replace('<head>', `<head>\n${defaults}`)
    .replace('<body', `<body class="${theme.kind}" data-vscode-theme-kind="${theme.kind}" role="document"`);
}

/** Records what the page sends to the host and which CSP violations it reports; as an init script it runs before any
 *  page script and is not subject to the page's CSP. A string, so tsx's helper-wrapped functions never reach the page. */
const FAKE_VSCODE_API = `(() => {
  const posted = [];
  const cspViolations = [];
  Object.defineProperty(window, '__lockscope', { value: { posted, cspViolations } });
  let acquired = false;
  let state;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      // VS Code structured-clones messages to the host; a JSON round trip also proves they are plain data.
      postMessage: (message) => { posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => state,
      setState: (value) => { state = value; return value; },
    });
  };
  document.addEventListener('securitypolicyviolation', (e) => {
    cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
  });
})();`;

export interface CspViolation {
  directive: string;
  blocked: string;
  sample: string;
}

export interface WebviewPage {
  page: Page;
  /** Messages the page posted to the host, in order. */
  posted(): Promise<unknown[]>;
  /** Waits until the page has posted `count` messages in all, and returns them. */
  waitForPosted(count: number): Promise<unknown[]>;
  /** Delivers a host message as VS Code does: a message event on the page's window. */
  send(message: unknown): Promise<void>;
  cspViolations(): Promise<CspViolation[]>;
  /** Page errors, console errors and warnings, failed or unexpected requests: all should stay empty. */
  problems: string[];
}

export interface OpenOptions {
  theme?: WebviewTheme;
  /** Link the codicon font (the panel passes codiconsUri); default true. */
  codicons?: boolean;
  html?: Partial<WebviewHtmlOptions>;
}

/** A valid makeNonce()-shaped nonce; fixed, so failures are reproducible. */
export const TEST_NONCE = 'bG9ja3Njb3BlLXRlc3Qtbm9uY2U=';

export async function openWebview(browser: TestBrowser, options: OpenOptions = {}): Promise<WebviewPage> {
  const html = renderWebviewHtml({
    title: 'Server Lock Profile',
    cspSource: CSP_SOURCE,
    scriptUri: `${RESOURCE_ORIGIN}/dist/webview.js`,
    styleUri: `${RESOURCE_ORIGIN}/media/webview.css`,
    ...(options.codicons === false ? {} : { codiconsUri: `${RESOURCE_ORIGIN}/dist/codicons/codicon.css` }),
    nonce: TEST_NONCE,
    ...options.html,
  });
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  await page.addInitScript({ content: FAKE_VSCODE_API });
  // Nothing reaches the network: the page and the extension's resources are served here, anything else is a bug.
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.href === PAGE_URL) return route.fulfill({ contentType: 'text/html', body: hostedHtml(html, options.theme ?? DARK_MODERN) });
    const path = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
    const allowed =
      url.origin === RESOURCE_ORIGIN && RESOURCE_ROOTS.some((root) => path.startsWith(root + sep)) && existsSync(join(ROOT, path));
    if (!allowed) {
      problems.push(`unexpected request: ${url.href}`);
      return route.fulfill({ status: 404, body: '' });
    }
    // VS Code's resource service worker answers with Access-Control-Allow-Origin: *, which module scripts and fonts
    // from another origin need.
    return route.fulfill({
      contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: readFileSync(join(ROOT, path)),
    });
  });
  await page.goto(PAGE_URL);
  const read = <T>(key: 'posted' | 'cspViolations'): Promise<T> =>
    page.evaluate(`JSON.parse(JSON.stringify(window.__lockscope.${key}))`) as Promise<T>;
  return {
    page,
    posted: () => read<unknown[]>('posted'),
    async waitForPosted(count) {
      await page.waitForFunction(`window.__lockscope.posted.length >= ${count}`);
      return read<unknown[]>('posted');
    },
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    cspViolations: () => read<CspViolation[]>('cspViolations'),
    problems,
  };
}
