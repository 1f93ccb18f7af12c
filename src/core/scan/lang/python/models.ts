/**
 * Python model declarations: SQLAlchemy declarative classes (`__tablename__`, `__table_args__` schema,
 * `relationship(...)`) and Django models (`Meta.db_table`, else `<app_label>_<model>`, `ForeignKey`/`OneToOneField`).
 */
import type { Node } from 'web-tree-sitter';
import { declareSessionOpeners, OPENS_SESSIONS } from './session-openers.js';
import type { ExtractContext } from '../../extractor.js';
import type { ModelDeclaration } from '../../models.js';
import { keywordArgs, positionalArgs, simpleName, stringValue } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

const children = (node: Node | null | undefined): Node[] => (node?.namedChildren ?? []).filter((c): c is Node => c !== null);

/** `name = value` statements directly in a class body. */
function classAssignments(body: Node | null): Array<{ name: string; value: Node }> {
  const out: Array<{ name: string; value: Node }> = [];
  for (const statement of children(body)) {
    const assignment = statement.type === 'expression_statement' ? children(statement)[0] : undefined;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const value = assignment.childForFieldName('right');
    if (left?.type === 'identifier' && value !== null) out.push({ name: left.text, value });
  }
  return out;
}

function calledName(node: Node): string | undefined {
  return node.type === 'call' ? simpleName(node.childForFieldName('function') ?? undefined) : undefined;
}

/** Django's default app label: the package holding models.py (or the models/ package). */
function djangoAppLabel(file: string): string {
  const parts = file.replace(/\\/g, '/').split('/');
  const at = parts.lastIndexOf('models') >= 0 && parts.lastIndexOf('models') === parts.length - 2 ? parts.length - 3 : parts.length - 2;
  return (parts[at] ?? 'app').toLowerCase();
}

function sqlalchemyModel(context: ExtractContext, name: string, body: Node | null): ModelDeclaration | undefined {
  const assignments = classAssignments(body);
  const tableName = assignments.find((a) => a.name === '__tablename__');
  const table = tableName === undefined ? undefined : stringValue(tableName.value);
  if (table === undefined) return undefined;
  const args = assignments.find((a) => a.name === '__table_args__')?.value;
  const schemaNode =
    args?.type === 'dictionary'
      ? children(args)
          .find((p) => p.type === 'pair' && stringValue(p.childForFieldName('key') as Node) === 'schema')
          ?.childForFieldName('value')
      : undefined;
  const schema = schemaNode === undefined || schemaNode === null ? undefined : stringValue(schemaNode);
  const relations: Record<string, string> = {};
  for (const a of assignments) {
    if (calledName(a.value) !== 'relationship') continue;
    const target = simpleName(positionalArgs(a.value.childForFieldName('arguments') ?? undefined)[0]);
    if (target !== undefined) relations[a.name] = target;
  }
  return {
    language: 'python',
    name,
    table: schema === undefined ? table : `${schema}.${table}`,
    confidence: 'likely',
    relations,
    file: context.file,
    orm: 'sqlalchemy',
  };
}

/** A module that uses Django: its classes with bases from other modules may be models. */
export const DJANGO_IMPORT = /^\s*(from|import)\s+django\b/m;
/** Bases that say nothing about being a model. */
const NEVER_MODEL_BASES = new Set(['object', 'Enum', 'IntEnum', 'StrEnum', 'Exception', 'TypedDict', 'NamedTuple', 'Protocol', 'Generic']);

const DJANGO_RELATION_FIELDS = new Set(['ForeignKey', 'OneToOneField', 'ManyToManyField']);

function baseNames(classNode: Node): string[] {
  return children(classNode.childForFieldName('superclasses'))
    .filter((b) => b.type !== 'keyword_argument')
    .map((b) => b.text);
}

/** Abstract model classes of Django and common Django packages: a subclass is a model (`class User(AbstractBaseUser)`). */
const LIBRARY_MODEL_BASES = new Set(['AbstractUser', 'AbstractBaseUser', 'MPTTModel', 'PolymorphicModel']);

/** A base as the model index names classes: `core.models.ModelWithMetadata` → ModelWithMetadata, `Generic[T]` → Generic. */
const baseSimpleName = (base: string): string => base.replace(/\[.*$/s, '').split('.').pop() ?? base;

/** Django model classes: `models.Model` subclasses and, transitively, subclasses of those (abstract bases too). */
function djangoClassNames(classes: Node[]): Set<string> {
  const names = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const c of classes) {
      const name = c.childForFieldName('name')?.text;
      if (name === undefined || names.has(name)) continue;
      if (baseNames(c).some((b) => b === 'models.Model' || names.has(b) || LIBRARY_MODEL_BASES.has(baseSimpleName(b)))) {
        names.add(name);
        changed = true;
      }
    }
  }
  return names;
}

const reverseOf = (reverse: Record<string, string>): { reverseRelations?: Record<string, string> } =>
  Object.keys(reverse).length === 0 ? {} : { reverseRelations: reverse };

function djangoModel(context: ExtractContext, name: string, body: Node | null): ModelDeclaration | undefined {
  const assignments = classAssignments(body);
  const meta = children(body).find((s) => s.type === 'class_definition' && s.childForFieldName('name')?.text === 'Meta');
  const metaValues = classAssignments(meta?.childForFieldName('body') ?? null);
  const dbTable = metaValues.find((a) => a.name === 'db_table');
  const appLabel = metaValues.find((a) => a.name === 'app_label');
  const relations: Record<string, string> = {};
  const reverse: Record<string, string> = {};
  for (const a of assignments) {
    if (!DJANGO_RELATION_FIELDS.has(calledName(a.value) ?? '')) continue;
    const keywords = keywordArgs(a.value.childForFieldName('arguments') ?? undefined);
    const target = simpleName(positionalArgs(a.value.childForFieldName('arguments') ?? undefined)[0]) ?? simpleName(keywords.get('to'));
    if (target === undefined) continue;
    relations[a.name] = target;
    const relatedName = keywords.get('related_name');
    const reverseName = relatedName === undefined ? undefined : stringValue(relatedName);
    if (reverseName !== undefined && /^\w+$/.test(reverseName)) reverse[reverseName] = target;
  }
  // Abstract bases have no table of their own: declared as such, so subclasses in other modules are models.
  if (metaValues.some((a) => a.name === 'abstract' && a.value.type === 'true'))
    return {
      language: 'python',
      name,
      table: '',
      confidence: 'guess',
      relations,
      ...reverseOf(reverse),
      file: context.file,
      orm: 'django',
      abstract: true,
    };
  const written = dbTable === undefined ? undefined : stringValue(dbTable.value);
  if (written !== undefined)
    return {
      language: 'python',
      name,
      table: written,
      confidence: 'likely',
      relations,
      ...reverseOf(reverse),
      file: context.file,
      orm: 'django',
    };
  const label = (appLabel === undefined ? undefined : stringValue(appLabel.value)) ?? djangoAppLabel(context.file);
  return {
    language: 'python',
    name,
    table: `${label}_${name.toLowerCase()}`,
    confidence: 'guess',
    relations,
    ...reverseOf(reverse),
    file: context.file,
    orm: 'django',
  };
}

/**
 * Django's `DATABASES = {'default': {…, 'ATOMIC_REQUESTS': True}}` wraps every view in a transaction. A settings file
 * is not a model, but the project index is how one file's declaration reaches the views in others: it is carried as
 * a declaration under a name no identifier can have.
 */
export const ATOMIC_REQUESTS = 'settings:ATOMIC_REQUESTS';

export function declaresAtomicRequests(text: string): boolean {
  return /['"]ATOMIC_REQUESTS['"]\s*:\s*True\b/.test(text);
}

export function declarePythonModels(context: ExtractContext): ModelDeclaration[] {
  const out: ModelDeclaration[] = [];
  if (declaresAtomicRequests(context.text))
    out.push({
      language: 'python',
      name: ATOMIC_REQUESTS,
      table: '',
      confidence: 'likely',
      relations: {},
      file: context.file,
      orm: 'django-settings',
    });
  if (OPENS_SESSIONS.test(context.text)) out.push(...declareSessionOpeners(context.tree.rootNode, context.file));
  const classes = descendantsOfType(context.tree.rootNode, 'class_definition');
  const django = djangoClassNames(classes);
  const importsDjango = DJANGO_IMPORT.test(context.text);
  for (const classNode of classes) {
    const name = classNode.childForFieldName('name')?.text;
    if (name === undefined || name === 'Meta') continue;
    const body = classNode.childForFieldName('body');
    const declared = sqlalchemyModel(context, name, body) ?? (django.has(name) ? djangoModel(context, name, body) : undefined);
    if (declared !== undefined) out.push(declared);
    else if (importsDjango) {
      // `class Order(ModelWithMetadata)` with the base in another module: a model when the index knows that base is.
      const bases = baseNames(classNode)
        .map(baseSimpleName)
        .filter((b) => !NEVER_MODEL_BASES.has(b));
      const candidate = bases.length === 0 ? undefined : djangoModel(context, name, body);
      if (candidate !== undefined) out.push({ ...candidate, bases });
    }
  }
  return out;
}
