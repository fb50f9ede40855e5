import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/**
 * Puts the API's per-field messages (`error.fields`; a query's fields come as `query.name`) next to the
 * form's fields of those names. Returns the messages of fields the form does not have, for an alert.
 */
export function applyFieldErrors(form: FormInstance<any>, err: unknown, names: readonly string[]): string[] {
  if (!(err instanceof ApiError)) return [];
  const rest: string[] = [];
  const placed: { name: string; errors: string[] }[] = [];
  for (const [key, msg] of Object.entries(err.fields)) {
    const name = key.replace(/^query\./, '');
    if (names.includes(name)) placed.push({ name, errors: [msg] });
    else rest.push(msg);
  }
  form.setFields(placed);
  return rest;
}

/** True when the error carried a message for one of the form's fields (shown there). */
export function placedOnFields(err: unknown, names: readonly string[]): boolean {
  return err instanceof ApiError && Object.keys(err.fields).some((k) => names.includes(k.replace(/^query\./, '')));
}

/**
 * The alert's text when some of the API's field messages have no field on the form (`rest`, from
 * applyFieldErrors): the API's own message, which names each field in Chinese (a bare "必填" alone would not say
 * what is missing); null when every message sits beside its field.
 */
export function unplacedText(err: unknown, rest: readonly string[]): string | null {
  if (!rest.length) return null;
  return err instanceof Error && err.message ? err.message : rest.join('；');
}
