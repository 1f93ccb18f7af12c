/**
 * Models declared anywhere in the scanned tree (a class in models.py, a struct with TableName()), so a query in
 * services.py that names `Order` finds its table. Extractors declare models in a first pass over every file; the
 * second pass (extract) reads this index.
 */
import { nearestDefinition } from './nearest-definition.js';
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
  /**
   * Django: the `related_name` of this model's relation fields → the model they point to (`product =
   * ForeignKey(Product, related_name="variants")` gives `variants: Product`), so `product.variants` names this model.
   */
  reverseRelations?: Record<string, string>;
  file: string;
  /** The ORM whose declaration this is ("django", "sqlalchemy"), where a language has several. */
  orm?: string;
  /** Set on a stand-in for a model a function receives as its parameter number `index` (the caller names it). */
  parameter?: { index: number; name: string };
  /**
   * A class whose file cannot tell whether it is a model: its bases are defined in other modules (Django's
   * `class Order(ModelWithMetadata)`). It is one only when a base is a model or an abstract model of the same ORM.
   */
  bases?: string[];
  /** An abstract model (Django `Meta.abstract`): no table of its own, but its subclasses in other modules are models. */
  abstract?: boolean;
}

export class ModelIndex {
  private readonly byName = new Map<string, ModelDeclaration>();
  /** Every direct declaration of a name, when several files declare it (fixtures, a monorepo's apps). */
  private readonly sameName = new Map<string, ModelDeclaration[]>();
  /** declarations() per language family, built on first ask (every file of a scan asks). */
  private readonly byFamily = new Map<string, ModelDeclaration[]>();
  /** Abstract models and classes that are models only through their bases (`bases`), by language:name. */
  private readonly conditional = new Map<string, ModelDeclaration[]>();
  /** conditional lookups answered, by language:name (null: not a model). */
  private readonly resolved = new Map<string, ModelDeclaration | null>();
  /** isModelClass answers, by ORM and language:name (cleared with `resolved`). */
  private readonly modelClass = new Map<string, boolean>();

  constructor(declarations: Iterable<ModelDeclaration> = []) {
    for (const d of declarations) this.add(d);
  }

  /** A later declaration with a written table wins over a convention-derived one of the same name. */
  add(declaration: ModelDeclaration): void {
    const key = `${familyOf(declaration.language)}:${declaration.name}`;
    if (declaration.bases !== undefined || declaration.abstract === true) {
      this.conditional.set(key, [...(this.conditional.get(key) ?? []), declaration]);
      this.resolved.clear();
      this.modelClass.clear();
      this.byFamily.clear();
      return;
    }
    const existing = this.byName.get(key);
    this.modelClass.clear();
    this.sameName.set(key, [...(this.sameName.get(key) ?? []), declaration]);
    if (existing === undefined || (existing.confidence === 'guess' && declaration.confidence === 'likely'))
      this.byName.set(key, declaration);
    this.byFamily.clear();
  }

  /**
   * The model a name means. Asked from a file (`fromFile`), a name several files declare is the declaration nearest
   * that file: two apps of one tree that each define `Order` keep their own tables. A tie falls back to the default.
   */
  lookup(language: SourceLanguage, name: string, fromFile?: string): ModelDeclaration | undefined {
    const key = `${familyOf(language)}:${name}`;
    const nearest = fromFile === undefined ? undefined : this.nearestOf(key, fromFile);
    return nearest ?? this.byName.get(key) ?? (this.conditional.has(key) ? this.throughBases(key) : undefined);
  }

  private nearestOf(key: string, fromFile: string): ModelDeclaration | undefined {
    const candidates = this.sameName.get(key);
    if (candidates === undefined || candidates.length < 2) return undefined;
    const file = nearestDefinition(
      fromFile,
      candidates.map((d) => d.file),
    );
    return file === undefined ? undefined : candidates.find((d) => d.file === file);
  }

  /** The first conditional declaration of this name whose bases make it a model (abstract ones never are). */
  private throughBases(key: string): ModelDeclaration | undefined {
    const known = this.resolved.get(key);
    if (known !== undefined) return known ?? undefined;
    const family = key.slice(0, key.indexOf(':'));
    const found = (this.conditional.get(key) ?? []).find(
      (d) => d.abstract !== true && (d.bases ?? []).some((b) => this.isModelClass(family, b, d.orm)),
    );
    this.resolved.set(key, found ?? null);
    return found;
  }

  /**
   * Is `name` a model or an abstract model of this ORM, directly or through its own bases? A search over the bases
   * graph that visits each name once: many same-named classes with cyclic bases (saleor's GraphQL types) made the
   * former depth-limited recursion exponential. Answers are kept per name and ORM until a declaration is added.
   */
  private isModelClass(family: string, name: string, orm: string | undefined): boolean {
    const memo = `${orm ?? ''}|${family}:${name}`;
    const known = this.modelClass.get(memo);
    if (known !== undefined) return known;
    const answer = this.reachesModel(family, name, orm, new Set());
    this.modelClass.set(memo, answer);
    return answer;
  }

  private reachesModel(family: string, name: string, orm: string | undefined, visited: Set<string>): boolean {
    const key = `${family}:${name}`;
    if (visited.has(key)) return false; // already searched from here in this question
    visited.add(key);
    const direct = this.byName.get(key);
    if (direct !== undefined) return direct.orm === orm;
    return (this.conditional.get(key) ?? []).some(
      (d) =>
        d.orm === orm &&
        ((d.abstract === true && d.bases === undefined) || (d.bases ?? []).some((b) => this.reachesModel(family, b, orm, visited))),
    );
  }

  /** Every declaration of a language family (TypeScript, TSX and JavaScript share one), in declaration order. */
  declarations(language: SourceLanguage): ModelDeclaration[] {
    const family = familyOf(language);
    let list = this.byFamily.get(family);
    if (list === undefined) {
      list = [...this.byName.entries()].filter(([key]) => key.startsWith(`${family}:`)).map(([, d]) => d);
      for (const key of this.conditional.keys()) {
        const model = key.startsWith(`${family}:`) && !this.byName.has(key) ? this.throughBases(key) : undefined;
        if (model !== undefined) list.push(model);
      }
      this.byFamily.set(family, list);
    }
    return list;
  }

  get size(): number {
    return this.byName.size;
  }
}

/** TypeScript, TSX and JavaScript share one family of models. */
function familyOf(language: SourceLanguage): string {
  return language === 'tsx' || language === 'javascript' ? 'typescript' : language;
}
