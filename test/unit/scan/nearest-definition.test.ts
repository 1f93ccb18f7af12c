/** nearestDefinition: a call to a name several files define reaches the definition nearest the caller, or none on a tie. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearestDefinition } from '../../../src/core/scan/nearest-definition.js';

const cases: Array<{ name: string; caller: string; candidates: string[]; expected: string | undefined }> = [
  {
    name: 'two apps in one tree: the caller’s own app wins',
    caller: 'fixtures/cascade/service/app/services/gateway.py',
    candidates: ['fixtures/field/reassigned/locking.py', 'fixtures/cascade/service/app/utils/locking.py'],
    expected: 'fixtures/cascade/service/app/utils/locking.py',
  },
  {
    name: 'the same file’s folder is nearest',
    caller: 'src/orders/service.ts',
    candidates: ['src/orders/lock.ts', 'src/lock.ts'],
    expected: 'src/orders/lock.ts',
  },
  {
    name: 'two siblings equally near: unresolved',
    caller: 'app/services/a.py',
    candidates: ['app/utils/locking.py', 'app/helpers/locking.py'],
    expected: undefined,
  },
  { name: 'one candidate', caller: 'a/b.py', candidates: ['c/d.py'], expected: 'c/d.py' },
  {
    name: 'Windows separators compare like slashes',
    caller: 'repo\\app\\services\\a.py',
    candidates: ['repo\\app\\utils\\locking.py', 'other\\locking.py'],
    expected: 'repo\\app\\utils\\locking.py',
  },
  { name: 'no candidates', caller: 'a.py', candidates: [], expected: undefined },
];

for (const c of cases) test(c.name, () => assert.equal(nearestDefinition(c.caller, c.candidates), c.expected));
