/** The one redaction function: every spelling of a password in a URL, keyword string or env echo is removed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactDeep, redactSecrets, redactUrl } from '../../src/core/redact.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { DbError, classifyDbError } from '../../src/db/errors.js';

const SECRET = 'Zq7uniqSecret';

/** Every way a user or a driver spells the password (issue #11, #18), with what must survive around it. */
const SPELLINGS: Array<{ name: string; text: string; keeps: string[] }> = [
  { name: 'userinfo', text: `postgres://app:${SECRET}@db:5432/shop`, keeps: ['postgres://app:***@db:5432/shop'] },
  { name: 'encoded userinfo', text: `postgres://app:${SECRET}%2Fx%40y@db/shop`, keeps: ['@db/shop'] },
  { name: 'raw slash', text: `postgres://app:ab/${SECRET}@db/shop`, keeps: ['app:***@db/shop'] },
  { name: 'raw at', text: `postgres://app:a@${SECRET}@db/shop`, keeps: ['app:***@db/shop'] },
  { name: 'raw hash', text: `postgres://app:a#${SECRET}@db/shop`, keeps: ['app:***@db/shop'] },
  { name: 'raw question mark', text: `postgres://app:a?${SECRET}@db/shop`, keeps: ['app:***@db/shop'] },
  { name: 'empty user', text: `postgresql://:${SECRET}@db/shop`, keeps: ['postgresql://:***@db/shop'] },
  { name: 'query parameter', text: `postgres://app@db/shop?password=${SECRET}&sslmode=require`, keeps: ['sslmode=require'] },
  {
    name: 'sslpassword parameter',
    text: `postgres://app@db/shop?sslmode=verify-full&sslpassword=${SECRET}`,
    keeps: ['sslmode=verify-full'],
  },
  { name: 'keyword string', text: `host=db password=${SECRET} dbname=shop`, keeps: ['host=db', 'dbname=shop'] },
  { name: 'quoted keyword', text: `host=db password = 'a b\\' ${SECRET}' dbname=shop`, keeps: ['dbname=shop'] },
  { name: 'env echo', text: `PGPASSWORD=${SECRET} psql`, keeps: ['psql'] },
  { name: 'env echo with colon', text: `PGPASSWORD: ${SECRET}`, keeps: ['PGPASSWORD'] },
  { name: 'json echo', text: `{"PGPASSWORD":"${SECRET}","PGHOST":"db"}`, keeps: ['"PGHOST":"db"'] },
  { name: 'quoted in a message', text: `Not a PostgreSQL connection URL: "postgres://u:x/${SECRET}@h/d". Expected`, keeps: ['Expected'] },
];

test('every spelling of a password is redacted, the rest of the text is kept', () => {
  for (const { name, text, keeps } of SPELLINGS) {
    const out = redactSecrets(text);
    assert.ok(!out.includes(SECRET), `${name}: ${out}`);
    for (const kept of keeps) assert.ok(out.includes(kept), `${name} keeps ${kept}: ${out}`);
  }
});

test('a secret inside JSON output is redacted and the JSON still parses', () => {
  const json = JSON.stringify({ label: `User.create!(email:, password: ${SECRET})`, sql: 'INSERT', raw: `password=a"${SECRET}` }, null, 2);
  const out = redactSecrets(json);
  assert.ok(!out.includes(SECRET), out);
  const parsed = JSON.parse(out) as { label: string; sql: string };
  assert.equal(parsed.label, 'User.create!(email:, password: ***');
  assert.equal(parsed.sql, 'INSERT');
});

test('text without secrets is unchanged, placeholders are not values', () => {
  const plain = [
    'postgres://app@db:5432/shop',
    'postgres://db:5432/shop?sslmode=require',
    'password authentication failed for user "app"',
    'UPDATE users SET password = $1 WHERE id = $2',
    'SELECT 1',
  ];
  for (const text of plain) assert.equal(redactSecrets(text), text);
});

test('redactUrl treats its whole argument as one URL: spaces and quotes in a password go too', () => {
  assert.equal(redactUrl(`postgres://u:a "b ${SECRET}@h/db`), 'postgres://u:***@h/db');
  assert.equal(redactUrl('postgres://u@h/db'), 'postgres://u@h/db');
  assert.ok(!redactUrl(`not a url password=${SECRET}`).includes(SECRET));
});

test('bad URLs never echo the password, and a raw "/" in a password is refused with advice', () => {
  const urls = [
    `postgres://u:ab/${SECRET}@h/db`,
    `postgres://u:12/${SECRET}@h/db`,
    `postgres://u:a#${SECRET}@h/db`,
    `postgres://u:a?${SECRET}@h/db`,
    `mysql://u:${SECRET}@h/db`,
    `postgres://u:${SECRET}@h:port/db`,
  ];
  for (const url of urls) {
    assert.throws(
      () => resolveConnectionTarget(url, {}),
      (e: unknown) => DbError.is(e, 'bad-url') && !e.message.includes(SECRET) && !(e.stack ?? '').includes(SECRET),
      url,
    );
  }
  const target = resolveConnectionTarget(`postgres://u@h/db?password=${SECRET}`, {});
  assert.ok(target !== undefined && !target.display.includes(SECRET));
});

test('DbError messages are redacted whatever the driver said', () => {
  const driver = Object.assign(new Error(`could not connect with "host=h password=${SECRET}"`), { code: '08001' });
  const error = classifyDbError(driver, `postgres://u:${SECRET}@h/db`);
  assert.ok(!error.message.includes(SECRET), error.message);
  assert.ok(!new DbError('auth', `postgres://u:${SECRET}@h`).message.includes(SECRET));
});

test('redactDeep redacts every string of a webview message and keeps its shape', () => {
  const message = { method: 'probe/error', params: { message: `at postgres://u:${SECRET}@h`, n: 3, list: [`password=${SECRET}`, null] } };
  const out = redactDeep(message);
  assert.ok(!JSON.stringify(out).includes(SECRET));
  assert.equal(out.params.n, 3);
  assert.equal(out.params.list[1], null);
  assert.equal(out.method, 'probe/error');
});
