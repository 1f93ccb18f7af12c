/** Rule ids are typed and registered once; severity settings are validated; messages render from their ids. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import packageJson from '../../../package.json';
import { parseSeverityConfig, RULE_IDS, RULES } from '../../../src/core/rules/index.js';
import { renderMessage, RuleMessageError } from '../../../src/core/rules/messages.js';
import { registeredRule, ruleTests } from '../../support/rule-harness.js';

test('every declared rule id has exactly one registered rule, in the same order', () => {
  assert.deepEqual(
    RULES.map((r) => r.meta.id),
    [...RULE_IDS],
  );
});

test('a rule test of a misspelt id fails instead of passing its valid cases unchecked', () => {
  assert.throws(() => registeredRule('row-lock-in-lop'), /no rule "row-lock-in-lop"/);
  // And it does not compile: the id and the message ids are literal types (tsc runs in npm test).
  const misspelt = (): void => {
    // @ts-expect-error a rule id that does not exist
    ruleTests('row-lock-in-lop', { valid: [], invalid: [] });
    ruleTests('row-lock-in-loop', {
      valid: [],
      // @ts-expect-error a message id the rule does not declare
      invalid: [{ name: 'x', input: '', line: 1, messageId: 'perIteratoin' }],
    });
  };
  void misspelt;
});

const severityCases: Array<[name: string, raw: unknown, config: object, problems: RegExp[]]> = [
  ['nothing set', undefined, {}, []],
  [
    'known rules and levels',
    { subtransaction: 'warning', 'hot-table-indexes': 'off' },
    { subtransaction: 'warning', 'hot-table-indexes': 'off' },
    [],
  ],
  ['a misspelt rule id is reported, not ignored', { 'row-lock-in-lop': 'error' }, {}, [/unknown rule "row-lock-in-lop"/]],
  [
    'an unknown level is reported',
    { subtransaction: 'fatal' },
    {},
    [/subtransaction: level must be error, warning, info or off, got "fatal"/],
  ],
  ['a level that is not a string', { subtransaction: 3 }, {}, [/got 3/]],
  ['not an object', ['subtransaction'], {}, [/must be an object/]],
  ['good and bad together keep the good', { subtransaction: 'error', nope: 'info' }, { subtransaction: 'error' }, [/unknown rule "nope"/]],
];

for (const [name, raw, config, problems] of severityCases) {
  test(`severity settings: ${name}`, () => {
    const parsed = parseSeverityConfig(raw);
    assert.deepEqual(parsed.config, config);
    assert.equal(parsed.problems.length, problems.length, parsed.problems.join(' | '));
    problems.forEach((re, i) => assert.match(parsed.problems[i] ?? '', re));
  });
}

test('messages render from their id and data; an unknown id or a missing placeholder is a typed error', () => {
  const messages = { perRow: 'Row lock on {{table}} per {{loop}} iteration' };
  assert.equal(renderMessage('r', messages, 'perRow', { table: 't', loop: 'for' }), 'Row lock on t per for iteration');
  assert.throws(() => renderMessage('r', messages, 'perRw', {}), RuleMessageError);
  assert.throws(() => renderMessage('r', messages, 'perRow', { table: 't' }), /no data for \{\{loop\}\}/);
  assert.throws(() => renderMessage('r', messages, 'toString', {}), /no such message/);
});

test('every message template of every rule has only well-formed placeholders', () => {
  for (const rule of RULES)
    for (const [id, template] of Object.entries(rule.messages)) {
      const stray = template.replace(/\{\{\s*\w+\s*\}\}/g, '');
      assert.ok(!stray.includes('{{') && !stray.includes('}}'), `${rule.meta.id}.${id} has a malformed placeholder`);
    }
});

test('the lockscope.ruleSeverity setting offers exactly the registered rule ids', () => {
  const setting = packageJson.contributes.configuration.properties['lockscope.ruleSeverity'];
  assert.deepEqual(setting.propertyNames.enum, [...RULE_IDS]);
});
