/**
 * Functions Django runs outside any transaction: a management command's `handle()` and a Celery task. With Django's
 * default autocommit, every statement they issue outside `transaction.atomic()` commits on its own, so a loop there
 * holds no row lock past the statement that took it (core/analyze/autocommit.ts follows this down the call graph).
 */
import type { Node } from 'web-tree-sitter';
import { definingClass } from './classes.js';
import { descendantsOfType } from '../../descendants.js';

/** Base classes of Django management commands (`class Command(BaseCommand)`), last dotted part. */
const COMMAND_BASES = /^(BaseCommand|LabelCommand|AppCommand)$/;
/** The methods Django's command runner calls. */
const COMMAND_METHODS = new Set(['handle', 'handle_label', 'handle_app_config']);
/** `@app.task`, `@shared_task(bind=True)`, `@celery_app.task`, `@periodic_task(…)`: Celery runs the body itself. */
const TASK_DECORATOR = /^@\s*(?:[\w.]+\.)?(task|shared_task|periodic_task)\s*(\(|$)/;

const named = (node: Node | null | undefined): Node[] => (node?.namedChildren ?? []).filter((c): c is Node => c !== null);

function isCommandClass(cls: Node, file: string): boolean {
  const bases = named(cls.childForFieldName('superclasses')).map((b) => b.text.split('.').pop() ?? '');
  if (bases.some((b) => COMMAND_BASES.test(b))) return true;
  // `class Command(SomeProjectCommand)` in management/commands/: Django runs it as a command whatever its base.
  return cls.childForFieldName('name')?.text === 'Command' && /(^|\/)management\/commands\/[^/]+\.py$/.test(file.replace(/\\/g, '/'));
}

function isTask(fn: Node): boolean {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  return named(decorated).some((d) => d.type === 'decorator' && TASK_DECORATOR.test(d.text.trim()));
}

/** Summary keys (`Class.method` or `function`) of this file's functions that Django runs in autocommit mode. */
export function autocommitEntries(root: Node, file: string): string[] {
  const keys: string[] = [];
  for (const fn of descendantsOfType(root, 'function_definition')) {
    const name = fn?.childForFieldName('name')?.text;
    if (fn === null || name === undefined) continue;
    const className = definingClass(fn);
    if (className !== undefined && COMMAND_METHODS.has(name)) {
      let cls: Node | null = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
      cls = cls?.parent ?? null;
      if (cls?.type === 'class_definition' && isCommandClass(cls, file)) keys.push(`${className}.${name}`);
      continue;
    }
    if (isTask(fn)) keys.push(className === undefined ? name : `${className}.${name}`);
  }
  return keys;
}
