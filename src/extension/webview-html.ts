/** The webview page: a strict Content-Security-Policy, the bundle loaded by nonce, theme-aware CSS. Pure, no vscode. */

export interface WebviewHtmlOptions {
  title: string;
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri of dist/webview.js and media/webview.css */
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function renderWebviewHtml(options: WebviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${options.nonce}'`,
    // Lit (inside vscode-elements) styles its shadow roots with constructable stylesheets, which style-src allows.
    `style-src ${options.cspSource}`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<div class="toolbar">
  <vscode-button id="refresh">Refresh</vscode-button>
  <vscode-progress-ring id="busy" hidden aria-label="Reading the server"></vscode-progress-ring>
</div>
<main id="content" aria-live="polite"></main>
<script type="module" nonce="${options.nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>`;
}
