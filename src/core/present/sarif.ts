/** SARIF 2.1.0 for code-scanning tools: one run, Lockscope's rules, results with regions, related locations and fixes. */
import { RULES } from '../rules/index.js';
import type { Finding, Severity } from '../rules/types.js';
import type { SourceRange } from '../scan/types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

const region = (range: SourceRange): Record<string, number> => ({
  startLine: range.start.line + 1,
  startColumn: range.start.character + 1,
  endLine: range.end.line + 1,
  endColumn: range.end.character + 1,
});

const uri = (file: string): string => file.split('\\').join('/').replace(/^\.\//, '');

export function toSarif(findings: readonly Finding[], version: string): string {
  const rules = RULES.map((r) => ({
    id: r.meta.id,
    name: r.meta.id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: r.meta.description },
    helpUri: r.meta.docs,
    defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
  }));
  const results = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: RULES.findIndex((r) => r.meta.id === f.ruleId),
    level: LEVEL[f.severity],
    message: { text: `${f.message} ${f.help}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.file) }, region: region(f.range) } }],
    relatedLocations: f.related.map((r, i) => ({
      id: i + 1,
      message: { text: r.message },
      physicalLocation: { artifactLocation: { uri: uri(r.file) }, region: region(r.range) },
    })),
    ...(f.fix === undefined
      ? {}
      : {
          fixes: [f.fix, ...(f.moreFixes ?? [])].map((fix) => ({
            description: { text: fix.description },
            artifactChanges: fix.edits.map((e) => ({
              artifactLocation: { uri: uri(e.file) },
              replacements: [{ deletedRegion: region(e.range), insertedContent: { text: e.newText } }],
            })),
          })),
        }),
  }));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        { tool: { driver: { name: 'Lockscope', version, informationUri: 'https://github.com/lockscope/lockscope', rules } }, results },
      ],
    },
    null,
    2,
  );
}
