/** The field study's app list (apps.json) with its types, and where snapshots and extracted apps live on this machine. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FieldApp {
  /** Folder name under the apps folder. */
  name: string;
  /** GitHub owner/name. */
  repo: string;
  /** The pinned commit every figure in docs/field-study.md was measured at. */
  commit: string;
  family: 'python-sqlalchemy' | 'django' | 'rails' | 'typescript' | 'go';
  /** Folders of the app that hold its server code, relative to its root: what is scanned and grepped. */
  scan: string[];
}

export const STUDY_DIR = __dirname;
export const APPS_DIR = process.env.FIELD_APPS ?? '/work/field-apps';
export const MIRRORS_DIR = process.env.FIELD_MIRRORS ?? '/work/.mirror';

export function loadApps(): FieldApp[] {
  const parsed = JSON.parse(readFileSync(join(STUDY_DIR, 'apps.json'), 'utf8')) as { apps: FieldApp[] };
  return parsed.apps;
}
