/** Escapes LIKE/ILIKE wildcards in user text (queries use the default backslash escape). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}
