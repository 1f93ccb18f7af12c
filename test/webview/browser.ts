/** Loads the webview bundle in headless Debian Chromium with a recording acquireVsCodeApi, as VS Code would host it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderWebviewHtml } from '../../src/extension/webview-html.js';

const ROOT = join(__dirname, '..', '..');
const ORIGIN = 'https://lockscope-webview.test';
export const NONCE = 'dGVzdC1ub25jZS0xMjM0NQ==';

/** Theme variables as VS Code's Dark Modern theme sets them on the webview body. */
const DARK_THEME = `
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-foreground: #cccccc;
  --vscode-editor-background: #1f1f1f; --vscode-descriptionForeground: #9d9d9d; --vscode-widget-border: #313131;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-badge-background: #616161;
  --vscode-badge-foreground: #f8f8f8; --vscode-inputValidation-errorBackground: #5a1d1d; --vscode-inputValidation-errorBorder: #be1100;
  --vscode-errorForeground: #f85149;`;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WebviewPage {
  page: Page;
  /** Messages the page posted to the host, in order. */
  posted(): Promise<unknown[]>;
  /** Delivers a host message the way VS Code does (a window message event). */
  send(message: unknown): Promise<void>;
  errors: string[];
  cspViolations: string[];
}

export async function openWebview(browser: Browser): Promise<WebviewPage> {
  const bundle = join(ROOT, 'dist', 'webview.js');
  const html = renderWebviewHtml({ title: 'Server Lock Profile', cspSource: ORIGIN, scriptUri: `${ORIGIN}/dist/webview.js`, styleUri: `${ORIGIN}/media/webview.css`, nonce: NONCE });
  const page = await browser.newPage({ viewport: { width: 900, height: 520 } });
  const errors: string[] = [];
  const cspViolations: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.exposeFunction('reportCspViolation', (text: string) => cspViolations.push(text));
  // Plain script text: functions compiled by the test's TypeScript loader would carry helpers the page lacks.
  await page.addInitScript({
    content: `
      window.__posted = [];
      window.acquireVsCodeApi = function () {
        return { postMessage: function (m) { window.__posted.push(m); }, getState: function () {}, setState: function () {} };
      };
      document.addEventListener('securitypolicyviolation', function (e) { window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI); });`,
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/' || path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (path === '/dist/webview.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(bundle) });
    // VS Code gives webviews its theme as CSS variables; an inline style would (rightly) break our CSP, so they come with the stylesheet.
    if (path === '/media/webview.css') return route.fulfill({ contentType: 'text/css', body: `body {${DARK_THEME}}\n${readFileSync(join(ROOT, 'media', 'webview.css'), 'utf8')}` });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/index.html`);
  return {
    page,
    posted: () => page.evaluate('window.__posted.slice()') as Promise<unknown[]>,
    send: async (message) => {
      await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
    },
    errors,
    cspViolations,
  };
}
