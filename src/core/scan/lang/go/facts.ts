/**
 * First pass over a Go file: imports, struct fields, `TableName()` overrides, package-level vars and consts, local
 * functions; and, lazily, the bindings each function declares (parameters, `:=`, `var`, `=`, range variables).
 */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';
import { assignmentOperator, baseTypeName, BINDING_FUNCTION_TYPES, before, named, stringValue, unqualified } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

export type DbLibrary = 'gorm' | 'sqlx' | 'sql' | 'pgx';

/** One way a name gets a value or a type. */
export interface Binding {
  /** The declaring node (parameter, spec or statement), for "declared before the use" checks. */
  at: Node;
  op: 'param' | 'var' | 'const' | ':=' | '=' | '+=' | 'range';
  type?: Node;
  value?: Node;
  /** Position on the left of a multi-value assignment from one call: `tx, err := db.Begin()` → tx is 0. */
  index: number;
  /** For `range`: the expression ranged over. */
  rangeOver?: Node;
}

export interface FileFacts {
  /** Local package name → import path. */
  packages: Map<string, string>;
  libraries: Set<DbLibrary>;
  /** Struct name → the table its `TableName()` method returns. */
  tableNames: Map<string, string>;
  /** Struct name → field name → field type node. */
  structs: Map<string, Map<string, Node>>;
  /** Struct name → the types it embeds (`type Svc struct { Base }`): their methods are its methods. */
  embedded: Map<string, string[]>;
  /** Interface types declared in this file: a call through one may reach any type implementing it. */
  interfaces: Set<string>;
  /** Function name → its first result type (`func NewStore(…) *Store`): what a constructor call returns. */
  results: Map<string, Node>;
  /** Receiver type name → the methods this file declares on it. */
  methodsByType: Map<string, string[]>;
  /** Any struct field name → its type node: resolves `r.db` without knowing r's type. */
  fieldTypes: Map<string, Node>;
  globals: Map<string, Binding[]>;
  /** Functions and methods declared in this file (targets of CallSites). */
  functionNames: Set<string>;
  methodNames: Set<string>;
  locals: Map<number, Map<string, Binding[]>>;
}

/** `github.com/jackc/pgx/v5/pgxpool` → `pgxpool`; `gorm.io/gorm` → `gorm`. */
function packageNameOf(path: string): string {
  const parts = path.split('/').filter((p) => !/^v\d+$/.test(p));
  return parts[parts.length - 1] ?? path;
}

function libraryOf(path: string): DbLibrary | undefined {
  if (path === 'gorm.io/gorm' || path === 'github.com/jinzhu/gorm') return 'gorm';
  if (path === 'github.com/jmoiron/sqlx') return 'sqlx';
  if (path === 'database/sql') return 'sql';
  if (path.startsWith('github.com/jackc/pgx')) return 'pgx';
  return undefined;
}

function push(map: Map<string, Binding[]>, name: string, binding: Binding): void {
  const list = map.get(name) ?? [];
  list.push(binding);
  map.set(name, list);
}

/** Bindings declared by one declaration-like node (not descending into it). */
function bindingsOf(node: Node, into: Map<string, Binding[]>): void {
  switch (node.type) {
    case 'parameter_declaration': {
      const type = node.childForFieldName('type') ?? undefined;
      for (const n of node.childrenForFieldName('name')) if (n !== null) push(into, n.text, { at: node, op: 'param', type, index: 0 });
      break;
    }
    case 'var_spec':
    case 'const_spec': {
      const type = node.childForFieldName('type') ?? undefined;
      const values = node.childForFieldName('value');
      const valueList = values === null ? [] : named(values);
      const names = node.childrenForFieldName('name').filter((n): n is Node => n !== null);
      names.forEach((n, i) => {
        const multi = valueList.length === 1 && names.length > 1;
        push(into, n.text, {
          at: node,
          op: node.type === 'var_spec' ? 'var' : 'const',
          type,
          value: multi ? valueList[0] : valueList[i],
          index: multi ? i : 0,
        });
      });
      break;
    }
    case 'short_var_declaration':
    case 'assignment_statement': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left === null || right === null) break;
      const names = named(left);
      const values = named(right);
      const op = node.type === 'short_var_declaration' ? ':=' : assignmentOperator(node) === '+=' ? '+=' : '=';
      if (op === '=' && assignmentOperator(node) !== '=') break; // -=, |=…: not string or handle building
      names.forEach((n, i) => {
        if (n.type !== 'identifier' || n.text === '_') return;
        const multi = values.length === 1 && names.length > 1;
        push(into, n.text, { at: node, op, value: multi ? values[0] : values[i], index: multi ? i : 0 });
      });
      break;
    }
    case 'range_clause': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right') ?? undefined;
      if (left === null) break;
      named(left).forEach((n, i) => {
        if (n.type === 'identifier' && n.text !== '_') push(into, n.text, { at: node, op: 'range', index: i, rangeOver: right });
      });
      break;
    }
    default:
  }
}

const DECLARATIONS = new Set([
  'parameter_declaration',
  'var_spec',
  'const_spec',
  'short_var_declaration',
  'assignment_statement',
  'range_clause',
]);

/** Bindings a function (or func literal) declares itself: parameters and its body, not nested func literals'. */
function functionBindings(fn: Node): Map<string, Binding[]> {
  const map = new Map<string, Binding[]>();
  for (const field of ['receiver', 'parameters', 'result']) {
    const list = fn.childForFieldName(field);
    if (list?.type === 'parameter_list') for (const p of named(list)) bindingsOf(p, map);
  }
  const visit = (node: Node): void => {
    if (node.type === 'func_literal') return;
    if (DECLARATIONS.has(node.type)) bindingsOf(node, map);
    for (const c of named(node)) visit(c);
  };
  const body = fn.childForFieldName('body');
  if (body !== null) visit(body);
  return map;
}

export function collectFacts(root: Node): FileFacts {
  const facts: FileFacts = {
    packages: new Map(),
    libraries: new Set(),
    tableNames: new Map(),
    structs: new Map(),
    embedded: new Map(),
    interfaces: new Set(),
    results: new Map(),
    methodsByType: new Map(),
    fieldTypes: new Map(),
    globals: new Map(),
    functionNames: new Set(),
    methodNames: new Set(),
    locals: new Map(),
  };
  for (const spec of descendantsOfType(root, 'import_spec')) {
    const pathNode = spec?.childForFieldName('path');
    const path = pathNode === null || pathNode === undefined ? undefined : stringValue(pathNode);
    if (spec === null || path === undefined) continue;
    const alias = spec.childForFieldName('name')?.text;
    facts.packages.set(alias !== undefined && alias !== '_' && alias !== '.' ? alias : packageNameOf(path), path);
    const library = libraryOf(path);
    if (library !== undefined) facts.libraries.add(library);
  }
  for (const top of named(root)) {
    if (top.type === 'function_declaration') {
      const name = top.childForFieldName('name')?.text;
      if (name !== undefined) facts.functionNames.add(name);
      const result = firstResultType(top);
      if (name !== undefined && result !== undefined) facts.results.set(name, result);
    } else if (top.type === 'method_declaration') {
      const name = top.childForFieldName('name')?.text;
      if (name !== undefined && name !== 'TableName') facts.methodNames.add(name);
      if (name === 'TableName') readTableName(top, facts);
      const owner = receiverTypeName(top);
      if (name !== undefined && owner !== undefined) facts.methodsByType.set(owner, [...(facts.methodsByType.get(owner) ?? []), name]);
    } else if (top.type === 'var_declaration' || top.type === 'const_declaration') {
      for (const spec of descendantsOfType(top, ['var_spec', 'const_spec'])) if (spec !== null) bindingsOf(spec, facts.globals);
    } else if (top.type === 'type_declaration') {
      for (const spec of descendantsOfType(top, 'type_spec')) if (spec !== null) readStruct(spec, facts);
    }
  }
  return facts;
}

/** `func (Order) TableName() string { return "legacy_orders" }`. */
function readTableName(method: Node, facts: FileFacts): void {
  const type = receiverTypeName(method);
  const returned = descendantsOfType(method, 'return_statement')[0];
  const value = returned === null || returned === undefined ? undefined : named(returned)[0];
  const literal = value === undefined ? undefined : value.type === 'expression_list' ? named(value)[0] : value;
  const table = literal === undefined ? undefined : stringValue(literal);
  if (type !== undefined && table !== undefined) facts.tableNames.set(type, table);
}

/** The type a method is declared on, without pointer or type parameters: `func (s *Store[T]) Get()` → `Store`. */
export function receiverTypeName(method: Node): string | undefined {
  const receiver = method.childForFieldName('receiver');
  const type = receiver === null ? undefined : baseTypeName(named(receiver)[0]?.childForFieldName('type') ?? null);
  return type === undefined ? undefined : unqualified(type);
}

/** `func NewStore(db *sql.DB) (*Store, error)` → the `*Store` node. */
function firstResultType(fn: Node): Node | undefined {
  const result = fn.childForFieldName('result');
  if (result === null) return undefined;
  if (result.type !== 'parameter_list') return result;
  return named(result)[0]?.childForFieldName('type') ?? undefined;
}

function readStruct(spec: Node, facts: FileFacts): void {
  const name = spec.childForFieldName('name')?.text;
  const type = spec.childForFieldName('type');
  if (name !== undefined && type?.type === 'interface_type') facts.interfaces.add(name);
  if (name === undefined || type?.type !== 'struct_type') return;
  const fields = new Map<string, Node>();
  const embedded: string[] = [];
  for (const field of descendantsOfType(type, 'field_declaration')) {
    const fieldType = field?.childForFieldName('type');
    if (field === null || fieldType === null || fieldType === undefined || field.parent?.parent?.id !== type.id) continue;
    const embeds = field.childrenForFieldName('name').length === 0 ? baseTypeName(fieldType) : undefined;
    if (embeds !== undefined) embedded.push(unqualified(embeds));
    for (const n of field.childrenForFieldName('name')) {
      if (n === null) continue;
      fields.set(n.text, fieldType);
      facts.fieldTypes.set(n.text, fieldType);
    }
  }
  facts.structs.set(name, fields);
  if (embedded.length > 0) facts.embedded.set(name, embedded);
}

/** The bindings of `name` visible at `use`: the innermost function declaring it before the use, else package level. */
export function lookup(facts: FileFacts, name: string, use: Node): Binding[] {
  for (let a = parentOf(use); a !== null; a = parentOf(a)) {
    if (!(BINDING_FUNCTION_TYPES as readonly string[]).includes(a.type)) continue;
    let map = facts.locals.get(a.id);
    if (map === undefined) {
      map = functionBindings(a);
      facts.locals.set(a.id, map);
    }
    const visible = (map.get(name) ?? []).filter((b) => b.op === 'param' || before(b.at, use));
    if (visible.length > 0) return visible;
  }
  return facts.globals.get(name) ?? [];
}

/** A package name in scope (`sqlx`, `gorm`) that no local binding shadows: the canonical package it imports. */
export function packageOf(facts: FileFacts, node: Node): string | undefined {
  if (node.type !== 'identifier' && node.type !== 'package_identifier') return undefined;
  const path = facts.packages.get(node.text);
  if (path === undefined || lookup(facts, node.text, node).length > 0) return undefined;
  return packageNameOf(path);
}

/** The canonical package of a qualified type's package part (`sq.DB` with `sq "…/sqlx"` → `sqlx`). */
export function canonicalPackage(facts: FileFacts, local: string): string {
  const path = facts.packages.get(local);
  return path === undefined ? local : packageNameOf(path);
}
