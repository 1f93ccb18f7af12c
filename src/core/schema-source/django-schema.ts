/**
 * Django models → DDL, as `manage.py migrate` would create the tables on PostgreSQL: reads settings
 * (DEFAULT_AUTO_FIELD, AUTH_USER_MODEL), each app's AppConfig (label, default_auto_field) and the model classes of
 * every models module, resolves inheritance, and emits tables first and foreign keys after (one source per file).
 */
import type { Node } from 'web-tree-sitter';
import { parseSource } from '../scan/grammars.js';
import { DjangoDdl } from './django-ddl.js';
import { isFieldCall } from './django-fields.js';
import { appDirOf, DjangoModels, fieldsOf, type DjangoSettings, type ModelClass } from './django-models.js';
import { classAssignments, pyValue, strOf } from './python-values.js';
import { placeAtLines, type PlacedStatement, type TranslatedSchema, type UntranslatedConstruct } from './types.js';

type SourceFile = { file: string; text: string };

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const dirName = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const lastPart = (dotted: string): string => dotted.slice(dotted.lastIndexOf('.') + 1);

/** A settings module: settings.py or any module of a settings/ package. */
export const isSettingsFile = (path: string): boolean => /(^|\/)settings(\.py|\/[^/]+\.py)$/.test(path);

/** Module-level classes (also decorated ones). */
function topLevelClasses(root: Node): Node[] {
  return root.namedChildren.flatMap((child) => {
    if (child === null) return [];
    if (child.type === 'class_definition') return [child];
    const inner = child.type === 'decorated_definition' ? child.childForFieldName('definition') : null;
    return inner?.type === 'class_definition' ? [inner] : [];
  });
}

/** A setting's string value in the settings modules (the last assignment wins, as the module runs top to bottom). */
function setting(files: readonly SourceFile[], name: string): string | undefined {
  let value: string | undefined;
  for (const { text } of files) for (const m of text.matchAll(new RegExp(`^${name}\\s*=\\s*["']([\\w.]+)["']`, 'gm'))) value = m[1];
  return value;
}

/** AppConfig subclasses of an apps.py: their label (or the last part of `name`) and default_auto_field. */
function appConfigs(root: Node): { label?: string; defaultAutoField?: string } | undefined {
  for (const cls of topLevelClasses(root)) {
    const bases = cls.childForFieldName('superclasses')?.text ?? '';
    const body = cls.childForFieldName('body');
    if (!/AppConfig/.test(bases) || body === null) continue;
    const values = new Map(
      classAssignments(body).flatMap((a) => (a.value === undefined ? [] : [[a.name, strOf(pyValue(a.value))] as const])),
    );
    const name = values.get('name');
    const label = values.get('label') ?? (name === undefined ? undefined : lastPart(name));
    const auto = values.get('default_auto_field');
    return { ...(label === undefined ? {} : { label }), ...(auto === undefined ? {} : { defaultAutoField: lastPart(auto) }) };
  }
  return undefined;
}

/** The classes of a models module that are (or may be) Django models, with their own fields and Meta. */
function modelClasses(file: string, root: Node): ModelClass[] {
  return topLevelClasses(root).flatMap((node) => {
    const body = node.childForFieldName('body');
    if (body === null) return [];
    const bases = (node.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((b) =>
      b === null || b.type === 'keyword_argument' ? [] : [lastPart(b.text)],
    );
    const metaNode = body.namedChildren.find((c) => c?.type === 'class_definition' && c.childForFieldName('name')?.text === 'Meta');
    const metaBody = metaNode?.childForFieldName('body') ?? null;
    const meta = new Map<string, Node>();
    for (const a of metaBody === null ? [] : classAssignments(metaBody)) if (a.value !== undefined) meta.set(a.name, a.value);
    const metaBases =
      metaNode === undefined || metaNode === null
        ? undefined
        : (metaNode.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((b) =>
            b !== null && b.text.endsWith('.Meta') ? [lastPart(b.text.slice(0, -'.Meta'.length))] : [],
          );
    return [
      {
        name: node.childForFieldName('name')?.text ?? '',
        file,
        node,
        appDir: appDirOf(file),
        bases,
        fields: fieldsOf(body, file, isFieldCall),
        meta,
        metaBases,
      },
    ];
  });
}

/** Keeps the classes that are models: a base is models.Model or a model; an unknown base counts when there are fields. */
function onlyModels(classes: readonly ModelClass[], untranslated: UntranslatedConstruct[]): ModelClass[] {
  const byName = new Map(classes.map((c) => [c.name, c]));
  const memo = new Map<string, boolean>();
  const isModel = (c: ModelClass, seen: Set<string>): boolean => {
    const known = memo.get(c.name);
    if (known !== undefined) return known;
    seen.add(c.name);
    const result = c.bases.some((b) => {
      const base = byName.get(b);
      return b === 'Model' || (base !== undefined && !seen.has(b) && isModel(base, seen));
    });
    memo.set(c.name, result);
    return result;
  };
  return classes.filter((c) => {
    if (isModel(c, new Set())) return true;
    const external = c.bases.filter((b) => !byName.has(b));
    if (c.fields.length === 0 || external.length === 0) return false;
    untranslated.push({
      file: c.file,
      line: c.node.startPosition.row + 1,
      construct: c.node.text.split('\n')[0] ?? c.name,
      reason: `base ${external.join(', ')} is not in the repository: taken for a model, its inherited fields are not created`,
    });
    return true;
  });
}

/** Translates a Django project's models (tree-sitter grammars must be loaded). Files: models modules, apps.py, settings. */
export function translateDjangoModels(files: readonly SourceFile[]): TranslatedSchema {
  const untranslated: UntranslatedConstruct[] = [];
  const settingsFiles = files.filter((f) => isSettingsFile(f.file));
  const settings: DjangoSettings = {
    defaultAutoField: lastPart(setting(settingsFiles, 'DEFAULT_AUTO_FIELD') ?? 'AutoField'),
    authUserModel: setting(settingsFiles, 'AUTH_USER_MODEL') ?? 'auth.User',
    apps: new Map(),
  };
  const classes: ModelClass[] = [];
  const trees = files.filter((f) => !isSettingsFile(f.file)).map(({ file, text }) => ({ file, tree: parseSource('python', text) }));
  try {
    for (const { file, tree } of trees) {
      if (baseName(file) === 'apps.py') {
        const config = appConfigs(tree.rootNode);
        if (config !== undefined) settings.apps.set(dirName(file), config);
      } else classes.push(...modelClasses(file, tree.rootNode));
    }
    const models = new DjangoModels(onlyModels(classes, untranslated), settings);
    const ddl = new DjangoDdl(models);
    for (const model of models.models) ddl.model(model);
    untranslated.push(...ddl.untranslated);
    const pass = (
      pick: (s: { tables: PlacedStatement[]; foreignKeys: PlacedStatement[] }) => PlacedStatement[],
    ): Array<{ file: string; text: string }> =>
      files.flatMap(({ file }) => {
        const out = ddl.byFile.get(file);
        const statements = out === undefined ? [] : [...pick(out)].sort((a, b) => a.line - b.line);
        return statements.length === 0 ? [] : [{ file, text: placeAtLines(statements) }];
      });
    return {
      sources: [...pass((s) => s.tables), ...pass((s) => s.foreignKeys)],
      untranslated: untranslated.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
    };
  } finally {
    for (const { tree } of trees) tree.delete();
  }
}
