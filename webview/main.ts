/** Placeholder entry so the build has a webview bundle; replaced by the real webview app. */
export {};
