/**
 * Django model field classes → the column type Django's postgresql backend gives them (DatabaseWrapper.data_types and
 * data_type_check_constraints), the defaults that decide indexes (SlugField and ForeignKey are db_index=True), and
 * the type a foreign key to the field gets (rel_db_type: an AutoField is referenced by an integer).
 */
import { strOf, type PyValue } from './python-values.js';

type Call = Extract<PyValue, { kind: 'call' }>;

/** What a field class makes: its column type, whether it is an auto-incrementing key, its CHECK. */
export interface FieldType {
  /** The column type as Django writes it (`varchar(20)`, `timestamp with time zone`). */
  type: string;
  /** AutoField/BigAutoField/SmallAutoField: an identity column (Django ≥ 4.1). */
  auto: boolean;
  /** The type of a foreign key referencing this field. */
  relType: string;
  /** data_type_check_constraints: the column's CHECK (PositiveIntegerField's `>= 0`). */
  check?: string;
  /** Indexed unless told otherwise (SlugField). */
  dbIndexDefault: boolean;
}

const numberOf = (value: PyValue | undefined): string | undefined => (value?.kind === 'number' ? value.text : undefined);

/** max_length: the keyword, else the class's default (EmailField 254, URLField 200, SlugField 50, FileField 100). */
function varchar(call: Call, fallback: number | undefined): string {
  const length = numberOf(call.kwargs.get('max_length')) ?? (fallback === undefined ? undefined : String(fallback));
  return length === undefined ? 'varchar' : `varchar(${length})`;
}

const plain = (type: string, extra: Partial<FieldType> = {}): FieldType => ({
  type,
  auto: false,
  relType: type,
  dbIndexDefault: false,
  ...extra,
});

/** Field classes whose column type depends on nothing but the class. */
const FIXED: Readonly<Record<string, FieldType>> = {
  AutoField: plain('integer', { auto: true }),
  BigAutoField: plain('bigint', { auto: true }),
  SmallAutoField: plain('smallint', { auto: true }),
  BinaryField: plain('bytea'),
  BooleanField: plain('boolean'),
  NullBooleanField: plain('boolean'),
  DateField: plain('date'),
  DateTimeField: plain('timestamp with time zone'),
  DurationField: plain('interval'),
  FloatField: plain('double precision'),
  IntegerField: plain('integer'),
  BigIntegerField: plain('bigint'),
  SmallIntegerField: plain('smallint'),
  IPAddressField: plain('inet'),
  GenericIPAddressField: plain('inet'),
  JSONField: plain('jsonb'),
  TextField: plain('text'),
  TimeField: plain('time'),
  UUIDField: plain('uuid'),
  HStoreField: plain('hstore'),
  CICharField: plain('citext'),
  CIEmailField: plain('citext'),
  CITextField: plain('citext'),
  PositiveBigIntegerField: plain('bigint', { check: '>= 0' }),
  PositiveIntegerField: plain('integer', { check: '>= 0' }),
  PositiveSmallIntegerField: plain('smallint', { check: '>= 0' }),
};

/** Classes with a max_length and its default. */
const VARCHAR_DEFAULTS: Readonly<Record<string, number | undefined>> = {
  CharField: undefined,
  EmailField: 254,
  URLField: 200,
  SlugField: 50,
  FileField: 100,
  ImageField: 100,
  FilePathField: 100,
};

/** Field classes that make no column (generic relations, reverse sides). */
export const COLUMNLESS_FIELDS: ReadonlySet<string> = new Set(['GenericForeignKey', 'GenericRelation', 'ManyToManyField']);

/** Relation field classes: their column is `<name>_id` typed after the target's key. */
export const RELATION_FIELDS: ReadonlySet<string> = new Set(['ForeignKey', 'OneToOneField']);

/** True for a call that declares a model field (`models.CharField(...)`, `ForeignKey(...)`, `ArrayField(...)`). */
export function isFieldCall(value: PyValue): value is Call {
  return value.kind === 'call' && (/Field$/.test(value.name) || RELATION_FIELDS.has(value.name) || COLUMNLESS_FIELDS.has(value.name));
}

/** The column type of a (non-relation) field call, or undefined for a class this translation does not know. */
export function fieldType(call: Call): FieldType | undefined {
  const fixed = FIXED[call.name];
  if (fixed !== undefined) return fixed;
  if (call.name in VARCHAR_DEFAULTS) {
    const type = varchar(call, VARCHAR_DEFAULTS[call.name]);
    return plain(type, { dbIndexDefault: call.name === 'SlugField' });
  }
  if (call.name === 'DecimalField') {
    const digits = numberOf(call.kwargs.get('max_digits'));
    const places = numberOf(call.kwargs.get('decimal_places'));
    return digits === undefined || places === undefined ? plain('numeric') : plain(`numeric(${digits}, ${places})`);
  }
  if (call.name === 'ArrayField') {
    const base = call.args[0] ?? call.kwargs.get('base_field');
    const inner = base?.kind === 'call' ? fieldType(base) : undefined;
    if (inner === undefined) return undefined;
    const size = numberOf(call.kwargs.get('size'));
    return plain(`${inner.type}[${size ?? ''}]`);
  }
  return undefined;
}

/** The operator class of the second index Django adds on varchar/text columns that are indexed or unique (LIKE). */
export function likeOpclass(type: string): string | undefined {
  if (type.includes('[')) return undefined;
  if (type.startsWith('varchar')) return 'varchar_pattern_ops';
  if (type.startsWith('text')) return 'text_pattern_ops';
  return undefined;
}

/** A `to=` target as written: 'app.Model', 'Model', 'self', a class name, or settings.AUTH_USER_MODEL. */
export function relationTarget(call: Call): string | undefined {
  const to = call.args[0] ?? call.kwargs.get('to');
  if (to === undefined) return undefined;
  if (to.kind === 'string') return to.value;
  if (to.kind === 'name') return to.value.endsWith('AUTH_USER_MODEL') ? 'AUTH_USER_MODEL' : to.value.slice(to.value.lastIndexOf('.') + 1);
  return strOf(to);
}
