/** .env parsing for DATABASE_URL discovery: table-driven. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDotenv } from '../../src/core/config/dotenv.js';

const cases: Array<[text: string, key: string, value: string | undefined]> = [
  ['DATABASE_URL=postgres://app@db/shop', 'DATABASE_URL', 'postgres://app@db/shop'],
  ['export DATABASE_URL="postgres://app:p#w@db/shop"', 'DATABASE_URL', 'postgres://app:p#w@db/shop'],
  ["DATABASE_URL='postgres://app@db/shop' ", 'DATABASE_URL', 'postgres://app@db/shop'],
  ['DATABASE_URL=postgres://app@db/shop # staging', 'DATABASE_URL', 'postgres://app@db/shop'],
  ['# DATABASE_URL=postgres://commented/out', 'DATABASE_URL', undefined],
  ['\n\nOTHER=1\r\nDATABASE_URL = postgres://x/y\r\n', 'DATABASE_URL', 'postgres://x/y'],
  ['not a line\nDATABASE_URL=', 'DATABASE_URL', ''],
];

for (const [text, key, value] of cases) {
  test(`dotenv: ${JSON.stringify(text)}`, () => assert.equal(parseDotenv(text).get(key), value));
}
