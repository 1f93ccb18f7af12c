/** Table names ORMs derive from class names by convention: snake_case, English plurals (Rails, GORM, Sequelize). */

/** "OrderItem" → "order_item", "HTTPRequest" → "http_request". */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}

const IRREGULAR: Record<string, string> = {
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  mouse: 'mice',
  goose: 'geese',
  ox: 'oxen',
};
const UNCOUNTABLE = new Set([
  'equipment',
  'information',
  'rice',
  'money',
  'species',
  'series',
  'fish',
  'sheep',
  'news',
  'metadata',
  'data',
]);

/** English plural as ActiveSupport's and GORM's inflectors produce it for ordinary words. */
export function pluralize(word: string): string {
  const lower = word.toLowerCase();
  if (UNCOUNTABLE.has(lower)) return word;
  const irregular = IRREGULAR[lower];
  if (irregular !== undefined) return word[0] === word[0]?.toUpperCase() ? irregular[0]?.toUpperCase() + irregular.slice(1) : irregular;
  if (/(quiz)$/i.test(word)) return `${word}zes`;
  if (/(matr|vert|ind)(?:ix|ex)$/i.test(word)) return word.replace(/(ix|ex)$/i, 'ices');
  if (/(x|ch|ss|sh|s|z)$/i.test(word)) return `${word}es`;
  if (/[^aeiouy]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(?:([^f])fe|([lr])f)$/i.test(word)) return word.replace(/fe?$/i, 'ves');
  if (/(bu)s$/i.test(word)) return `${word}es`;
  if (/(tomat|potat|her|vet)o$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

/** Pluralizes the last word of a snake_case name: "order_item" → "order_items". */
export function pluralizeSnake(name: string): string {
  const at = name.lastIndexOf('_');
  return at < 0 ? pluralize(name) : name.slice(0, at + 1) + pluralize(name.slice(at + 1));
}
