/** The longest value a record keeps of anything given (a description, a tag value, a source). */
export const MAX_VALUE_CHARS = 256;

/**
 * The value, cut to `max` characters with a marker of its full length, so a record stays
 * small whatever a mutation was given. Never splits a surrogate pair.
 */
export function clip(value: string, max = MAX_VALUE_CHARS): string {
  if (value.length <= max) return value;
  const end = /[\uD800-\uDBFF]/.test(value.charAt(max - 1)) ? max - 1 : max;
  return `${value.slice(0, end)}… (${value.length} characters)`;
}
