/** renderWebviewHtml and makeNonce without a browser: the policy text, escaping, and what they refuse. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNonce } from '../../src/extension/nonce.js';
import { renderWebviewHtml, webviewCsp, type WebviewHtmlOptions } from '../../src/extension/webview-html.js';

const CSP_SOURCE = "'self' https://*.vscode-cdn.net";
const base: WebviewHtmlOptions = {
  title: 'Server Lock Profile',
  cspSource: CSP_SOURCE,
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.css',
  nonce: makeNonce(),
};

test('makeNonce gives 16 fresh random bytes in base64', () => {
  const nonces = new Set(Array.from({ length: 50 }, makeNonce));
  assert.equal(nonces.size, 50);
  for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
});

test('the policy denies by default and allows only the nonce script and the extension origin', () => {
  const csp = webviewCsp(CSP_SOURCE, 'AAAAAAAAAAAAAAAAAAAAAA==');
  assert.deepEqual(csp.split('; '), [
    "default-src 'none'",
    "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='",
    `style-src ${CSP_SOURCE}`,
    `font-src ${CSP_SOURCE}`,
    `img-src ${CSP_SOURCE}`,
    "base-uri 'none'",
    "form-action 'none'",
  ]);
  assert.doesNotMatch(csp, /unsafe-/);
});

test('the page carries the policy first, the nonce on its only script, and the view to mount', () => {
  const html = renderWebviewHtml({ ...base, codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css' });
  const head = html.slice(0, html.indexOf('</head>'));
  // The CSP meta must come before anything it governs.
  assert.ok(head.indexOf('http-equiv="Content-Security-Policy"') < head.indexOf('<link'));
  assert.equal(html.match(/<script\b/g)?.length, 1);
  assert.ok(html.includes(`<script type="module" nonce="${base.nonce}" src="${base.scriptUri}"></script>`));
  assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="[^"]+codicon\.css">/);
  assert.match(html, /<body data-view="server-profile">/);
  assert.doesNotMatch(renderWebviewHtml(base), /codicon/, 'no codicons link without codiconsUri');
});

test('text and URLs are escaped into the markup', () => {
  const html = renderWebviewHtml({ ...base, title: '<img src=x onerror=alert(1)> "q"', styleUri: 'https://x.test/a.css?a=1&b="2"' });
  assert.ok(!html.includes('<img'));
  assert.match(html, /<title>&#60;img src=x onerror=alert\(1\)&#62; &#34;q&#34;<\/title>/);
  assert.match(html, /href="https:\/\/x\.test\/a\.css\?a=1&#38;b=&#34;2&#34;"/);
});

const refused: [string, Partial<WebviewHtmlOptions>, RegExp][] = [
  ['an empty nonce', { nonce: '' }, /nonce/],
  ['a short nonce', { nonce: 'abc' }, /nonce/],
  ['a nonce that ends the source expression', { nonce: "AAAAAAAAAAAAAAAAAAAAAA==' 'unsafe-inline" }, /nonce/],
  ['a cspSource that adds a directive', { cspSource: "https://x.test; script-src 'unsafe-eval'" }, /CSP source/],
  ['a cspSource that ends the attribute', { cspSource: 'https://x.test" onload="x' }, /CSP source/],
];

for (const [name, options, message] of refused) {
  test(`renderWebviewHtml refuses ${name}`, () => {
    assert.throws(() => renderWebviewHtml({ ...base, ...options }), message);
  });
}
