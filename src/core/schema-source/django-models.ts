/**
 * Reads Django models the way Django's ModelBase builds them: app labels (from the app's folder, its AppConfig's
 * `label`/`name`, or `Meta.app_label`), `db_table` (default `<app_label>_<modelname>`), the implicit primary key of
 * DEFAULT_AUTO_FIELD (or the AppConfig's `default_auto_field`), fields inherited from abstract bases, Meta inherited
 * from an abstract base or subclassed from one, multi-table inheritance (`<parent>_ptr`), proxy and unmanaged models.
 */
import type { Node } from 'web-tree-sitter';
import { truncateName } from './django-names.js';
import { classAssignments, isTrue, pyValue, strOf, type PyValue } from './python-values.js';

export type Call = Extract<PyValue, { kind: 'call' }>;

/** One field attribute of a model class (`name = models.XField(...)`), or the implicit id / parent link. */
export interface FieldDecl {
  name: string;
  call: Call;
  node: Node;
  file: string;
  /** Django added it: the implicit `id`, or the `<parent>_ptr` of multi-table inheritance. */
  autoCreated?: boolean;
}

/** A model class as declared, before inheritance is resolved. */
export interface ModelClass {
  name: string;
  file: string;
  node: Node;
  /** The app folder (repository-relative) the module belongs to. */
  appDir: string;
  bases: string[];
  fields: FieldDecl[];
  /** Own `class Meta` assignments, by name. */
  meta: Map<string, Node>;
  /** `class Meta(Base.Meta)`: the classes whose Meta this one extends; undefined when there is no own Meta. */
  metaBases: string[] | undefined;
}

/** A resolved model: its table, app, fields in column order, effective Meta. */
export interface Model {
  cls: ModelClass;
  app: string;
  table: string;
  fields: FieldDecl[];
  meta: Map<string, Node>;
  abstract: boolean;
  proxy: boolean;
  managed: boolean;
  /** The concrete parent of multi-table inheritance. */
  parent: Model | undefined;
}

/** Project-wide settings and per-app configuration that shape tables. */
export interface DjangoSettings {
  /** DEFAULT_AUTO_FIELD's class name (AutoField when unset, Django's default). */
  defaultAutoField: string;
  /** AUTH_USER_MODEL as `app_label.Model` (`auth.User` when unset). */
  authUserModel: string;
  /** Per app folder: its AppConfig's label and default_auto_field. */
  apps: Map<string, { label?: string; defaultAutoField?: string }>;
}

const dirName = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const lastPart = (dotted: string): string => dotted.slice(dotted.lastIndexOf('.') + 1);

/** The app folder of a models module: `shop/models.py` and `shop/models/order.py` both belong to `shop`. */
export function appDirOf(file: string): string {
  const dir = dirName(file);
  return /(^|\/)models$/.test(dir) ? dirName(dir) : dir;
}

const fieldCall = (call: Call, name: string): Call => ({ kind: 'call', name, callee: name, args: [], kwargs: new Map(), node: call.node });

export class DjangoModels {
  readonly models: Model[] = [];
  private readonly byKey = new Map<string, Model>();

  constructor(
    classes: readonly ModelClass[],
    private readonly settings: DjangoSettings,
  ) {
    const byName = new Map(classes.map((c) => [c.name, c]));
    const resolved = new Map<string, Model>();
    const resolve = (cls: ModelClass, seen: Set<string>): Model => {
      const done = resolved.get(cls.name);
      if (done !== undefined) return done;
      seen.add(cls.name);
      const parents = cls.bases.flatMap((b) => {
        const base = byName.get(b);
        return base === undefined || seen.has(b) ? [] : [resolve(base, seen)];
      });
      const model = this.build(cls, parents);
      resolved.set(cls.name, model);
      return model;
    };
    for (const cls of classes) this.models.push(resolve(cls, new Set()));
    for (const model of this.models) if (!model.abstract) this.byKey.set(`${model.app}.${model.cls.name.toLowerCase()}`, model);
  }

  private build(cls: ModelClass, parents: readonly Model[]): Model {
    const abstractParents = parents.filter((p) => p.abstract);
    // Meta: own (extended from `Base.Meta` bases), else the first abstract base's; `abstract` is never inherited.
    const meta = new Map<string, Node>();
    const inheritedMeta = cls.metaBases ?? abstractParents.slice(0, 1).map((p) => p.cls.name);
    for (const baseName of [...inheritedMeta].reverse()) {
      const base = parents.find((p) => p.cls.name === baseName) ?? undefined;
      for (const [k, v] of base?.meta ?? []) if (k !== 'abstract') meta.set(k, v);
    }
    for (const [k, v] of cls.meta) meta.set(k, v);
    const flag = (name: string): boolean => {
      const node = meta.get(name);
      return node !== undefined && isTrue(pyValue(node));
    };
    const abstract = cls.meta.has('abstract') && flag('abstract');
    const managedNode = meta.get('managed');
    const managed = managedNode === undefined || pyValue(managedNode).kind !== 'boolean' || isTrue(pyValue(managedNode));
    const appConfig = this.settings.apps.get(cls.appDir);
    const app =
      strOf(meta.get('app_label') === undefined ? undefined : pyValue(meta.get('app_label') as Node)) ??
      appConfig?.label ??
      lastPart(cls.appDir.replace(/\//g, '.'));
    const dbTable = meta.get('db_table');
    const table = (dbTable === undefined ? undefined : strOf(pyValue(dbTable))) ?? truncateName(`${app}_${cls.name.toLowerCase()}`);
    const proxy = flag('proxy');
    const parent = proxy ? undefined : parents.find((p) => !p.abstract && !p.proxy);
    // Fields: the abstract bases' (copied into this table), then the class's own; an own field overrides by name.
    const own = new Set(cls.fields.map((f) => f.name));
    const inherited = abstractParents.flatMap((p) => p.fields.filter((f) => !f.autoCreated && !own.has(f.name)));
    const fields = [...inherited, ...cls.fields];
    const model: Model = { cls, app, table, fields, meta, abstract, proxy, managed, parent };
    if (!abstract && !proxy) this.addPrimaryKey(model);
    return model;
  }

  /** The `<parent>_ptr` link of multi-table inheritance, else the implicit `id` when no field is the primary key. */
  private addPrimaryKey(model: Model): void {
    const call = model.cls.fields[0]?.call ?? { kind: 'call', name: '', callee: '', args: [], kwargs: new Map(), node: model.cls.node };
    if (model.parent !== undefined) {
      const declared = model.fields.some((f) => f.call.name === 'OneToOneField' && isTrue(f.call.kwargs.get('parent_link')));
      if (!declared) {
        const link = fieldCall(call, 'OneToOneField');
        link.args.push({ kind: 'string', value: `${model.parent.app}.${model.parent.cls.name}` });
        link.kwargs.set('primary_key', { kind: 'boolean', value: true });
        const name = `${model.parent.cls.name.toLowerCase()}_ptr`;
        model.fields.unshift({
          name,
          call: { ...link, node: model.cls.node },
          node: model.cls.node,
          file: model.cls.file,
          autoCreated: true,
        });
      }
      return;
    }
    if (model.fields.some((f) => isTrue(f.call.kwargs.get('primary_key')))) return;
    const id = fieldCall(call, this.autoField(model));
    id.kwargs.set('primary_key', { kind: 'boolean', value: true });
    model.fields.unshift({
      name: 'id',
      call: { ...id, node: model.cls.node },
      node: model.cls.node,
      file: model.cls.file,
      autoCreated: true,
    });
  }

  /** The class name of the app's default auto field (AppConfig.default_auto_field, else DEFAULT_AUTO_FIELD). */
  autoField(model: Model): string {
    return this.settings.apps.get(model.cls.appDir)?.defaultAutoField ?? this.settings.defaultAutoField;
  }

  /** The concrete model a relation's `to` names ('self', 'Model', 'app.Model', AUTH_USER_MODEL), if in the repository. */
  target(from: Model, to: string): Model | undefined {
    const name = to === 'AUTH_USER_MODEL' ? this.settings.authUserModel : to === 'self' ? `${from.app}.${from.cls.name}` : to;
    const key = name.includes('.')
      ? `${name.slice(0, name.indexOf('.'))}.${lastPart(name).toLowerCase()}`
      : `${from.app}.${name.toLowerCase()}`;
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    // A bare class name from another app (imported): unique among the repository's models.
    const matches = name.includes('.') ? [] : this.models.filter((m) => !m.abstract && m.cls.name === name);
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** A concrete table-owning model: a proxy uses its concrete ancestor's table. */
  concrete(model: Model): Model {
    if (!model.proxy) return model;
    const base = model.cls.bases.map((b) => this.models.find((m) => m.cls.name === b)).find((m) => m !== undefined && !m.abstract);
    return base === undefined ? model : this.concrete(base);
  }

  /** The model's primary key field. */
  primaryKey(model: Model): FieldDecl | undefined {
    const concrete = this.concrete(model);
    return concrete.fields.find((f) => isTrue(f.call.kwargs.get('primary_key')));
  }

  /** The column of a field: `db_column`, else the name (`<name>_id` for a relation). */
  static columnOf(field: FieldDecl): string {
    const dbColumn = strOf(field.call.kwargs.get('db_column'));
    if (dbColumn !== undefined) return dbColumn;
    return field.call.name === 'ForeignKey' || field.call.name === 'OneToOneField' ? `${field.name}_id` : field.name;
  }
}

/** Field attributes of a class body (`x = models.XField(...)`), with the file. */
export function fieldsOf(body: Node, file: string, isField: (value: PyValue) => value is Call): FieldDecl[] {
  return classAssignments(body).flatMap((a) => {
    if (a.value === undefined) return [];
    const value = pyValue(a.value);
    return isField(value) ? [{ name: a.name, call: value, node: a.node, file }] : [];
  });
}
