/** Where tests write screenshots: an untracked folder, so a test run leaves `git status` clean (npm run docs:images copies them). */
import { join } from 'node:path';

export const SCREENSHOTS_DIR = join(__dirname, '..', '..', '.test-run', 'screenshots');
