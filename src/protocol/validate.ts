/**
 * Tiny validators for what a webview sends: each returns undefined when the value fits, else a reason naming the
 * offending field. The page is our own code, but its messages cross a trust boundary and are checked before use.
 */

/** undefined: valid; a string: why not. */
export type Check = (value: unknown, path: string) => string | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const bool: Check = (v, path) => (typeof v === 'boolean' ? undefined : `${path} must be true or false`);

export const text =
  (maxLength = 10_000): Check =>
  (v, path) =>
    typeof v === 'string' && v.length <= maxLength ? undefined : `${path} must be a string of at most ${maxLength} characters`;

export const number =
  (min: number, max: number, integer = false): Check =>
  (v, path) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))
      ? undefined
      : `${path} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;

export const oneOf =
  (...allowed: readonly string[]): Check =>
  (v, path) =>
    typeof v === 'string' && allowed.includes(v) ? undefined : `${path} must be one of ${allowed.join(', ')}`;

export const optional =
  (check: Check): Check =>
  (v, path) =>
    v === undefined ? undefined : check(v, path);

export const arrayOf =
  (check: Check, maxLength = 1000): Check =>
  (v, path) => {
    if (!Array.isArray(v) || v.length > maxLength) return `${path} must be a list of at most ${maxLength} items`;
    for (const [i, item] of v.entries()) {
      const problem = check(item, `${path}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

/** An object with these fields (others are ignored, never read). */
export const object =
  (fields: Record<string, Check>): Check =>
  (v, path) => {
    if (!isRecord(v)) return `${path} must be an object`;
    for (const [key, check] of Object.entries(fields)) {
      const problem = check(v[key], path === '' ? key : `${path}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

/** Parameters of a command that takes none: an object (usually `{}`) or nothing. */
export const noParams: Check = (v, path) => (v === undefined || isRecord(v) ? undefined : `${path} must be an object`);
