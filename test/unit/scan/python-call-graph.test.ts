/**
 * Python calls across files at any depth: service objects held in attributes (`self.svc = Svc()` in `__init__`),
 * typed parameters, module singletons, `super()`, inherited methods, models imported under aliases, statements built
 * across assignments, and recursion. Each case is a small tree; the assertion is where the row lock is seen.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyze } from '../../../src/core/analyze/analyze.js';
import { runRules } from '../../../src/core/rules/index.js';
import { scanFiles } from '../../../src/core/scan/registry.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

const MODELS = 'class Tool(Base):\n    __tablename__ = "tools"\n\nclass Gateway(Base):\n    __tablename__ = "gateways"\n';
const LOCKING = [
  'from sqlalchemy import select',
  '',
  'def get_for_update(db, model, entity_id):',
  '    stmt = select(model).where(model.id == entity_id)',
  '    stmt = stmt.with_for_update()',
  '    return db.execute(stmt).scalar_one()',
  '',
].join('\n');
const TOOL_SERVICE = [
  'from app.db import Tool as DbTool',
  'from app.locking import get_for_update',
  '',
  'class ToolService:',
  '    async def set_state(self, db, tool_id):',
  '        return get_for_update(db, DbTool, tool_id)',
  '',
].join('\n');

interface Case {
  name: string;
  /** The caller's file (app/caller.py); the loop's call must show the tools row lock. */
  caller: string[];
  /** Extra files of the tree. */
  extra?: Record<string, string>;
}

const header = ['from app.services.tool_service import ToolService', ''];
const CASES: Case[] = [
  {
    name: 'service object built in __init__',
    caller: [
      ...header,
      'class GatewayService:',
      '    def __init__(self):',
      '        self.tools = ToolService()',
      '    async def run(self, db, ids):',
      '        for i in ids:',
      '            await self.tools.set_state(db, i)  # here',
    ],
  },
  {
    name: 'service injected through a typed __init__ parameter',
    caller: [
      ...header,
      'class GatewayService:',
      '    def __init__(self, tools: ToolService):',
      '        self.tools = tools',
      '    async def run(self, db, ids):',
      '        for i in ids:',
      '            await self.tools.set_state(db, i)  # here',
    ],
  },
  {
    name: 'class-level annotation',
    caller: [
      ...header,
      'class GatewayService:',
      '    tools: ToolService',
      '    async def run(self, db, ids):',
      '        for i in ids:',
      '            await self.tools.set_state(db, i)  # here',
    ],
  },
  {
    name: 'typed parameter of the function',
    caller: [...header, 'async def run(db, tools: ToolService, ids):', '    for i in ids:', '        await tools.set_state(db, i)  # here'],
  },
  {
    name: 'module singleton',
    caller: [
      ...header,
      'tools = ToolService()',
      '',
      'async def run(db, ids):',
      '    for i in ids:',
      '        await tools.set_state(db, i)  # here',
    ],
  },
  {
    name: 'inherited method called through self',
    caller: [
      ...header,
      'class GatewayService(ToolService):',
      '    async def run(self, db, ids):',
      '        for i in ids:',
      '            await self.set_state(db, i)  # here',
    ],
  },
  {
    name: 'super()',
    caller: [
      ...header,
      'class GatewayService(ToolService):',
      '    async def set_state(self, db, ids):',
      '        for i in ids:',
      '            await super().set_state(db, i)  # here',
    ],
  },
  {
    name: 'three levels down, a helper passing its model parameter on',
    caller: [
      'from app.db import Tool',
      'from app.locking import get_for_update',
      '',
      'def lock_one(db, model, entity_id):',
      '    return get_for_update(db, model, entity_id)',
      '',
      'def lock_tool(db, tool_id):',
      '    return lock_one(db, Tool, tool_id)',
      '',
      'def run(db, ids):',
      '    for i in ids:',
      '        lock_tool(db, i)  # here',
    ],
  },
];

function findingsFor(files: Record<string, string>) {
  const analysis = analyze(scanFiles(Object.entries(files).map(([file, text]) => ({ file, text }))), undefined);
  return { analysis, findings: runRules(analysis) };
}

for (const c of CASES) {
  test(`call graph: ${c.name}`, () => {
    const { analysis, findings } = findingsFor({
      'app/db.py': MODELS,
      'app/locking.py': LOCKING,
      'app/services/tool_service.py': TOOL_SERVICE,
      'app/caller.py': c.caller.join('\n'),
      ...c.extra,
    });
    const line = c.caller.findIndex((l) => l.includes('# here'));
    const atCall = analysis.sites.filter((a) => a.site.file === 'app/caller.py' && a.site.range.start.line === line);
    assert.deepEqual(
      atCall.map((a) => a.site.sql),
      ['SELECT * FROM tools WHERE id = $1 FOR UPDATE'],
    );
    assert.ok(
      findings.some((f) => f.ruleId === 'row-lock-in-loop' && f.file === 'app/caller.py' && f.range.start.line === line),
      JSON.stringify(findings.map((f) => [f.ruleId, f.file, f.range.start.line])),
    );
  });
}

test('call graph: an unrelated class with the same method name is not linked', () => {
  const { analysis } = findingsFor({
    'app/db.py': MODELS,
    'app/locking.py': LOCKING,
    'app/services/tool_service.py': TOOL_SERVICE,
    'app/caller.py': [
      'class Other:',
      '    def set_state(self, db, i):',
      '        return i',
      '',
      'def run(db, ids, o: Other):',
      '    for i in ids:',
      '        o.set_state(db, i)',
    ].join('\n'),
  });
  assert.deepEqual(
    analysis.sites.filter((a) => a.site.file === 'app/caller.py').map((a) => a.site.sql),
    [],
  );
});

test('call graph: mutual recursion terminates and still reports the lock', () => {
  const { analysis } = findingsFor({
    'app/db.py': MODELS,
    'app/locking.py': LOCKING,
    'app/walk.py': [
      'from app.db import Gateway',
      'from app.locking import get_for_update',
      '',
      'def down(db, node):',
      '    get_for_update(db, Gateway, node)',
      '    up(db, node)',
      '',
      'def up(db, node):',
      '    for child in node.children:',
      '        down(db, child)',
    ].join('\n'),
  });
  const inLoop = analysis.sites.filter((a) => a.site.file === 'app/walk.py' && a.site.loops.length > 0);
  assert.ok(inLoop.some((a) => a.site.sql === 'SELECT * FROM gateways WHERE id = $1 FOR UPDATE'));
});
