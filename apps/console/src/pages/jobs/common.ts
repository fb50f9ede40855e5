import { isWithinRegion, type Me } from '@jobbridge/shared';
import { ApiError } from '../../api/client';

/** The message of an error for an alert: the API's own Chinese words, or a generic one. */
export const messageOf = (err: unknown, fallback: string): string => (err instanceof Error && err.message ? err.message : fallback);

/** An optional text field as the API takes it: trimmed, blank is null. */
export const optionalText = (v: string | null | undefined): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** True for the API's answer to a stale version (someone else changed the record meanwhile). */
export const isStale = (err: unknown): boolean => err instanceof ApiError && err.code === 'CONFLICT' && 'version' in err.fields;

export const yuan = (min: number, max: number): string => (min === max ? `${min} 元` : `${min}-${max} 元`);

/**
 * Whether the signed-in account changes rows managed by `regionCode`: the server's rule (requireCovers:
 * the managing area lies in the account's own), so rows of the areas above, which it reads, show no
 * actions. The server decides anyway; this only keeps buttons it would refuse off the page.
 */
export const managesArea = (me: Me | null, regionCode: string): boolean => !!me && isWithinRegion(regionCode, me.region?.code ?? null);

export const UPPER_AREA_HINT = '由上级区域管理，本账号只能查看';
