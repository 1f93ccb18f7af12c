/** Which database the CLI and extension talk to, and how bad URLs are rejected and passwords hidden. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl, resolveConnectionTarget } from '../../src/db/connection-target.js';
import { DbError } from '../../src/db/errors.js';

test('explicit URL wins over DATABASE_URL, which wins over PG* variables', () => {
  const env = { DATABASE_URL: 'postgres://env@h/db', PGHOST: 'pghost' };
  assert.equal(resolveConnectionTarget('postgres://arg@h/db', env)?.origin, 'argument');
  assert.equal(resolveConnectionTarget(undefined, env)?.origin, 'DATABASE_URL');
  const libpq = resolveConnectionTarget(undefined, { PGHOST: '/run/pg', PGPORT: '5433', PGDATABASE: 'app' });
  assert.equal(libpq?.origin, 'PG* variables');
  assert.equal(libpq?.connectionString, undefined);
  assert.equal(libpq?.display, '/run/pg:5433/app');
  assert.equal(resolveConnectionTarget(undefined, {}), undefined);
});

test('malformed URLs are DbError bad-url with a readable message', () => {
  const bad = ['not a url', 'http://host/db', 'mysql://u@h/db', 'postgres://', 'postgres://h:notaport/db'];
  for (const url of bad) {
    assert.throws(
      () => resolveConnectionTarget(url, {}),
      (e: unknown) => DbError.is(e, 'bad-url') && !e.message.includes('\n    at '),
      url,
    );
  }
});

test('a raw "/", "#" or "?" in a password gets the percent-encoding hint, whichever way the URL fails to parse', () => {
  const hinted = [
    'postgres://u:Lk9/zQ7marker@127.0.0.1:5432/shop', // does not parse: port "Lk9"
    'postgres://u:abc/def@h/db',
    'postgres://u:a#b@h/db',
    'postgres://u:a?b@h:5432/db',
    'postgres://u:1/2@h/db', // parses (port 1), the '@' lands in the path
  ];
  for (const url of hinted) {
    assert.throws(
      () => resolveConnectionTarget(url, {}),
      (e: unknown) => DbError.is(e, 'bad-url') && /percent-encode/.test(e.message) && !e.message.includes('Lk9'),
      url,
    );
  }
  // An '@' in a query parameter is not a password.
  assert.equal(resolveConnectionTarget('postgres://h/db?user=me@server', {})?.origin, 'argument');
});

test('socket URLs without a host are accepted', () => {
  assert.equal(resolveConnectionTarget('postgres:///app?host=/var/run/postgresql', {})?.origin, 'argument');
});

test('passwords never appear in display strings', () => {
  const cases: Array<[string, string]> = [
    ['postgres://u:secret@h:5432/db', 'postgres://u:***@h:5432/db'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['garbage://u:secret@h', 'garbage://u:***@h'],
  ];
  for (const [input, expected] of cases) assert.equal(redactUrl(input), expected);
  const target = resolveConnectionTarget('postgres://u:secret@h/db', {});
  assert.ok(!target?.display.includes('secret'));
});
