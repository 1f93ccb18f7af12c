/**
 * What one top-level statement of a Python file contributes to the context every other statement is read in: the
 * names it imports, the classes it defines (bases, attribute types), its plain functions, and its module-level
 * assignments and call chains. A file's context is these facts merged in order, so the incremental scanner can tell
 * from them alone whether an edit inside one function can change what any other statement extracts (it cannot when
 * every statement's facts are unchanged). Facts hold no positions and no tree nodes: they outlive the tree.
 */
import type { Node } from 'web-tree-sitter';
import { definingClass, pythonClasses, type PythonClass } from './classes.js';
import { importedNames } from './environment.js';
import { outsideFunctions } from './file-index.js';
import { OPENS_SESSIONS } from './session-openers.js';
import { chainOf, continuesChain } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

export interface PythonChunkFacts {
  /** Local name → imported name (`from .db import lock_by_pk as lock_row`), in source order. */
  imports: Array<[local: string, defined: string]>;
  /** Classes in source order; the first of a name wins across the file. */
  classes: Array<{ name: string; bases: string[]; attributes: Array<[string, string]> }>;
  /** Functions that are not methods (nested ones too): calls to them are linked by name. */
  functions: string[];
  /** The statement defines a class somewhere inside: the model pass reads it. */
  declaresClass: boolean;
  /** The statement may declare a session factory or wrapper (session-openers.ts): the model pass reads it too. */
  opensSessions: boolean;
  /** `name=value` of each assignment outside any function (module constants, class attributes), in order. */
  moduleAssignments: string[];
  /** Names rooting call chains outside any function, in order (a module-level query continued through a name). */
  moduleChains: string[];
}

export function chunkFacts(chunk: Node): PythonChunkFacts {
  const moduleAssignments: string[] = [];
  const moduleChains: string[] = [];
  for (const node of outsideFunctions(chunk)) {
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier' && right !== null) moduleAssignments.push(`${left.text}=${right.text}`);
    } else if (node.type === 'call' && !continuesChain(node)) {
      const root = chainOf(node).root;
      if (root.type === 'identifier') moduleChains.push(root.text);
    }
  }
  const declaresClass = chunk.type === 'class_definition' || descendantsOfType(chunk, 'class_definition').length > 0;
  return {
    imports: [...importedNames(chunk)],
    classes: declaresClass ? [...pythonClasses(chunk).values()].map((c) => ({ ...c, attributes: [...c.attributes] })) : [],
    functions: descendantsOfType(chunk, 'function_definition')
      .filter((f) => definingClass(f) === undefined)
      .map((f) => f.childForFieldName('name')?.text)
      .filter((n): n is string => n !== undefined),
    declaresClass,
    opensSessions: OPENS_SESSIONS.test(chunk.text),
    moduleAssignments,
    moduleChains,
  };
}

/** A file's context from its statements' facts, merged as a whole-file read would have found them. */
export interface PythonFileFacts {
  imports: Map<string, string>;
  classes: Map<string, PythonClass>;
  functions: Set<string>;
}

export function mergeFacts(facts: readonly PythonChunkFacts[]): PythonFileFacts {
  const imports = new Map<string, string>();
  const classes = new Map<string, PythonClass>();
  const functions = new Set<string>();
  for (const f of facts) {
    for (const [local, defined] of f.imports) imports.set(local, defined);
    for (const c of f.classes) if (!classes.has(c.name)) classes.set(c.name, { ...c, attributes: new Map(c.attributes) });
    for (const name of f.functions) functions.add(name);
  }
  return { imports, classes, functions };
}
