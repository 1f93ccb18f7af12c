// Copies the screenshots the last test run took (.test-run/screenshots) over docs/images, after a person has looked
// at them: tests never write tracked files, so `git status` stays clean after `npm test`.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const from = join(root, '.test-run', 'screenshots');
const to = join(root, 'docs', 'images');
if (!existsSync(from)) {
  console.error('docs:images: no screenshots yet; run the webview and vscode test layers first (npm test).');
  process.exit(1);
}
mkdirSync(to, { recursive: true });
const names = readdirSync(from)
  .filter((n) => n.endsWith('.png'))
  .sort();
for (const name of names) copyFileSync(join(from, name), join(to, name));
console.log(`docs:images: copied ${names.length} screenshot(s) to docs/images: ${names.join(', ')}`);
