/** VS Code theme variables (Dark Modern, Light Modern) as VS Code sets them on a webview's <html>, for the browser tests. */

export interface WebviewTheme {
  /** The body class VS Code adds: vscode-dark, vscode-light, vscode-high-contrast. */
  kind: 'vscode-dark' | 'vscode-light';
  /** --vscode-* custom properties, without the leading dashes. */
  variables: Record<string, string>;
}

/** What VS Code sets regardless of theme (Linux font stack, default sizes). */
const COMMON: Record<string, string> = {
  'vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'vscode-font-size': '13px',
  'vscode-font-weight': 'normal',
  'vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  'vscode-editor-font-size': '14px',
};

export const DARK_MODERN: WebviewTheme = {
  kind: 'vscode-dark',
  variables: {
    ...COMMON,
    'vscode-foreground': '#cccccc',
    'vscode-editor-foreground': '#cccccc',
    'vscode-editor-background': '#1f1f1f',
    'vscode-descriptionForeground': '#9d9d9d',
    'vscode-widget-border': '#313131',
    'vscode-panel-border': '#2b2b2b',
    'vscode-focusBorder': '#0078d4',
    'vscode-button-background': '#0078d4',
    'vscode-button-foreground': '#ffffff',
    'vscode-button-hoverBackground': '#026ec1',
    'vscode-button-border': '#ffffff12',
    'vscode-badge-background': '#616161',
    'vscode-badge-foreground': '#f8f8f8',
    'vscode-progressBar-background': '#0078d4',
    'vscode-icon-foreground': '#cccccc',
    'vscode-errorForeground': '#f85149',
    'vscode-inputValidation-errorBackground': '#5a1d1d',
    'vscode-inputValidation-errorBorder': '#be1100',
    'vscode-textLink-foreground': '#4daafc',
    'vscode-textPreformat-foreground': '#d0d0d0',
    'vscode-textPreformat-background': '#3c3c3c',
  },
};

export const LIGHT_MODERN: WebviewTheme = {
  kind: 'vscode-light',
  variables: {
    ...COMMON,
    'vscode-foreground': '#3b3b3b',
    'vscode-editor-foreground': '#3b3b3b',
    'vscode-editor-background': '#ffffff',
    'vscode-descriptionForeground': '#6e6e6e',
    'vscode-widget-border': '#e5e5e5',
    'vscode-panel-border': '#e5e5e5',
    'vscode-focusBorder': '#005fb8',
    'vscode-button-background': '#005fb8',
    'vscode-button-foreground': '#ffffff',
    'vscode-button-hoverBackground': '#0258a8',
    'vscode-button-border': '#0000001a',
    'vscode-badge-background': '#cccccc',
    'vscode-badge-foreground': '#3b3b3b',
    'vscode-progressBar-background': '#005fb8',
    'vscode-icon-foreground': '#3b3b3b',
    'vscode-errorForeground': '#f85149',
    'vscode-inputValidation-errorBackground': '#f2dede',
    'vscode-inputValidation-errorBorder': '#be1100',
    'vscode-textLink-foreground': '#005fb8',
    'vscode-textPreformat-foreground': '#3b3b3b',
    'vscode-textPreformat-background': '#0000001f',
  },
};
