/** Query fingerprints (libpg-query): the same statement with different constants or placeholders matches. */
import { fingerprintSync } from 'libpg-query';
import { assertParserLoaded } from './load.js';
import { normalizePlaceholders } from './placeholders.js';

export function fingerprintSql(text: string): string | undefined {
  assertParserLoaded();
  try {
    return fingerprintSync(normalizePlaceholders(text).text);
  } catch {
    return undefined;
  }
}
