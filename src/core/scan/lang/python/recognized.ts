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
}

/** Receivers that are database sessions or connections, by the names code gives them. */
export const SESSION_NAME = /(^|\.)(session|sess|s|db|dbsession|db_session|conn|connection|engine|tx|trans|uow|async_session)$/i;
