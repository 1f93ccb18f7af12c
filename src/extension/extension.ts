/** Placeholder entry; replaced by the extension activation. */
export function activate(): void {}
export function deactivate(): void {}
