/**
 * Methods Rails runs outside any transaction: a background job's `perform` (ActiveJob, Sidekiq). With ActiveRecord,
 * every statement outside `transaction do … end` commits on its own, so a loop there (`in_batches { update_all }`)
 * holds no row lock past the statement that took it (core/analyze/autocommit.ts follows this down the call graph).
 */
import type { Node } from 'web-tree-sitter';

/** `< ApplicationJob`, `< ClockJob`, `< ActiveJob::Base`: the job classes' bases end in "Job" by Rails convention. */
const JOB_BASE = /(^|::)(\w*Job|ActiveJob::Base)$/;
/** `include Sidekiq::Job` / `Sidekiq::Worker`. */
const SIDEKIQ = /^include\s+Sidekiq::(Job|Worker)\b/m;

function isJobClass(cls: Node): boolean {
  const superclass = cls.childForFieldName('superclass')?.namedChildren[0]?.text;
  if (superclass !== undefined && JOB_BASE.test(superclass)) return true;
  return SIDEKIQ.test(cls.childForFieldName('body')?.text ?? '');
}

/** Summary keys of this file's methods a job runner calls with no transaction open: each job class's `perform`. */
export function rubyAutocommitEntries(root: Node): string[] {
  const keys = new Set<string>();
  for (const cls of root.descendantsOfType('class')) {
    if (cls === null || !isJobClass(cls)) continue;
    const body = cls.childForFieldName('body');
    if (body?.namedChildren.some((m) => m?.type === 'method' && m.childForFieldName('name')?.text === 'perform') === true)
      keys.add('perform');
  }
  return [...keys];
}
