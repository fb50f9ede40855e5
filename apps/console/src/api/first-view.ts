import { api } from './client';

/**
 * The landing page's data asked for at sign-in, before the signed-in console has rendered: the request runs
 * while React draws the frame and the page's chunk, instead of after them (npm run bench -- console times
 * the click on 登录 to the dashboard drawn). The page takes the answer once, if it comes for the same path
 * within FRESH_MS; otherwise it asks itself.
 */
const FRESH_MS = 5_000;

let pending: { path: string; at: number; answer: Promise<unknown> } | null = null;

/** Starts GET `path` now, for the page that takes it. A failure is the taker's to show. */
export function askEarly(path: string): void {
  const answer = api.get(path);
  answer.catch(() => undefined);
  pending = { path, at: Date.now(), answer };
}

/** The early answer of GET `path`, once (null when none was asked, or it is older than FRESH_MS). */
export function takeEarly<T>(path: string): Promise<T> | null {
  const p = pending;
  pending = null;
  return p && p.path === path && Date.now() - p.at < FRESH_MS ? (p.answer as Promise<T>) : null;
}
