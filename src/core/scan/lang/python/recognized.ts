/** What a Python ORM recognizer returns for a chain, and the environment it resolves names in. */
import type { Node } from 'web-tree-sitter';
import type { ModelDeclaration } from '../../models.js';
import type { OrmQuery } from '../../orm/synthesize.js';
import type { SiteOrigin } from '../../types.js';

export interface RecognizedQuery {
  origin: SiteOrigin;
  query: OrmQuery;
  confidence: 'likely' | 'guess';
  /** Said in the label: "selectinload(items) runs a second query". */
  notes: string[];
  /** The model the query is about (for instance variables and continued querysets). */
  model: ModelDeclaration | undefined;
}

export interface PythonEnvironment {
  /** A model by class name, from the scanned tree or this file. */
  model(name: string): ModelDeclaration | undefined;
  /** The model of a variable holding an instance (`order = session.get(Order, 1)`), at a use. */
  instanceModel(use: Node): ModelDeclaration | undefined;
  /** A stand-in model when the name is a parameter of the enclosing function (`def get_for_update(db, model, id)`). */
  parameterModel(use: Node): ModelDeclaration | undefined;
  /**
   * The Django model a reverse relation names (`product.variants` with `related_name="variants"` on ProductVariant):
   * the one pointing to `owner`, or, with the owner unknown, the only model of the tree declaring that related_name.
   */
  reverseRelation?(relation: string, owner: string | undefined): ModelDeclaration | undefined;
}

/** Receivers that are database sessions or connections, by the names code gives them. */
export const SESSION_NAME = /(^|\.)(session|sess|s|db|dbsession|db_session|conn|connection|engine|tx|trans|uow|async_session)$/i;

/** Stand-in table of a model Lockscope cannot name: no prediction is made for it (analyze.ts). */
const UNNAMED_MODEL_TABLE = 'lockscope_unnamed_model';

/** A model known only at run time, named by the expression that holds it: a stand-in table, no prediction. */
export function runTimeModel(expression: string): ModelDeclaration {
  return {
    language: 'python',
    name: expression,
    table: UNNAMED_MODEL_TABLE,
    confidence: 'guess',
    relations: {},
    file: '',
    parameter: { index: -1, name: expression },
  };
}
