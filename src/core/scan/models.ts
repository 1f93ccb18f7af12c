/**
 * Models declared anywhere in the scanned tree (a class in models.py, a struct with TableName()), so a query in
 * services.py that names `Order` finds its table. Extractors declare models in a first pass over every file; the
 * second pass (extract) reads this index.
 */
import type { SourceLanguage } from './types.js';

export interface ModelDeclaration {
  language: SourceLanguage;
  /** The class / struct / model name as code refers to it ("Order", "OrderItem"). */
  name: string;
  table: string;
  /** likely: the table is written in the code (`__tablename__`, `db_table`, `self.table_name`); guess: a naming convention. */
  confidence: 'likely' | 'guess';
  /** Relationship attribute → the related model's name (for eager loading that joins). */
  relations: Record<string, string>;
  file: string;
  /** The ORM whose declaration this is ("django", "sqlalchemy"), where a language has several. */
  orm?: string;
  /** Set on a stand-in for a model a function receives as its parameter number `index` (the caller names it). */
  parameter?: { index: number; name: string };
}

export class ModelIndex {
  private readonly byName = new Map<string, ModelDeclaration>();
  /** declarations() per language family, built on first ask (every file of a scan asks). */
  private readonly byFamily = new Map<string, ModelDeclaration[]>();

  constructor(declarations: Iterable<ModelDeclaration> = []) {
    for (const d of declarations) this.add(d);
  }

  /** A later declaration with a written table wins over a convention-derived one of the same name. */
  add(declaration: ModelDeclaration): void {
    const key = `${declaration.language === 'tsx' || declaration.language === 'javascript' ? 'typescript' : declaration.language}:${declaration.name}`;
    const existing = this.byName.get(key);
    if (existing === undefined || (existing.confidence === 'guess' && declaration.confidence === 'likely'))
      this.byName.set(key, declaration);
    this.byFamily.clear();
  }

  lookup(language: SourceLanguage, name: string): ModelDeclaration | undefined {
    return this.byName.get(`${language === 'tsx' || language === 'javascript' ? 'typescript' : language}:${name}`);
  }

  /** Every declaration of a language family (TypeScript, TSX and JavaScript share one), in declaration order. */
  declarations(language: SourceLanguage): ModelDeclaration[] {
    const family = language === 'tsx' || language === 'javascript' ? 'typescript' : language;
    let list = this.byFamily.get(family);
    if (list === undefined) {
      list = [...this.byName.entries()].filter(([key]) => key.startsWith(`${family}:`)).map(([, d]) => d);
      this.byFamily.set(family, list);
    }
    return list;
  }

  get size(): number {
    return this.byName.size;
  }
}
