/**
 * ModelIndex resolves classes that are models only through bases in other modules: by reachability over the bases
 * graph, once per name — many same-named classes with cyclic bases (as in saleor's GraphQL layer) once made the
 * depth-limited recursion exponential and the scan never finished.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelIndex, type ModelDeclaration } from '../../../src/core/scan/models.js';

const model = (name: string, extra: Partial<ModelDeclaration> = {}): ModelDeclaration => ({
  language: 'python',
  name,
  table: `app_${name.toLowerCase()}`,
  confidence: 'guess',
  relations: {},
  file: `app/${name.toLowerCase()}.py`,
  orm: 'django',
  ...extra,
});
const conditional = (name: string, bases: string[], file = `app/${name.toLowerCase()}.py`): ModelDeclaration =>
  model(name, { bases, file });

interface Case {
  name: string;
  declarations: ModelDeclaration[];
  ask: string;
  table: string | undefined;
}

const CASES: Case[] = [
  { name: 'base is a model', declarations: [model('Base'), conditional('Order', ['Base'])], ask: 'Order', table: 'app_order' },
  {
    name: 'through an abstract base two modules away',
    declarations: [model('Meta', { abstract: true, table: '' }), conditional('Mid', ['Meta']), conditional('Order', ['Mid'])],
    ask: 'Order',
    table: 'app_order',
  },
  { name: 'a cycle with no model', declarations: [conditional('A', ['B']), conditional('B', ['A'])], ask: 'A', table: undefined },
  {
    name: 'a cycle with an exit to a model',
    declarations: [conditional('A', ['B']), conditional('B', ['A', 'C']), conditional('C', ['Base']), model('Base')],
    ask: 'A',
    table: 'app_a',
  },
  {
    name: 'another ORM base is no model',
    declarations: [model('Base', { orm: 'sqlalchemy' }), conditional('Order', ['Base'])],
    ask: 'Order',
    table: undefined,
  },
];

for (const c of CASES) {
  test(`bases: ${c.name}`, () => {
    const index = new ModelIndex(c.declarations);
    assert.equal(index.lookup('python', c.ask)?.table, c.table);
  });
}

test('many same-named classes whose bases form cycles resolve at once (exponential before)', () => {
  // 40 classes named Type in 40 modules, each based on Node and Type; Node based on Type: every path cycles, none ends
  // at a model. The former recursion tried 40^16 paths.
  const declarations: ModelDeclaration[] = [conditional('Node', ['Type'])];
  for (let i = 0; i < 40; i++) declarations.push(conditional('Type', ['Node', 'Type'], `app/m${i}.py`));
  declarations.push(conditional('Order', ['Type']));
  const index = new ModelIndex(declarations);
  const start = performance.now();
  assert.equal(index.lookup('python', 'Order'), undefined);
  assert.equal(index.declarations('python').length, 0);
  assert.ok(performance.now() - start < 5_000, 'resolution must not explode');
});
