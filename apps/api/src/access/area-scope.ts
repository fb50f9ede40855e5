import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isWithinRegion, regionAncestry } from '@jobbridge/shared';
import type { Actor } from './actor';
import { AppError } from '../errors';

/**
 * THE access rule of JobBridge: "one cadre, one account; one account serves one
 * area" (一个账号服务一个区域). An account bound to region R sees and changes only
 * R and what lies below it, i.e. rows whose region code starts with R.
 *
 * Every query of personal data is built through `restrict()` (directly, or via a
 * `ScopedRepository`), and every write names its target region through
 * `requireCovers()`. Nothing else in the code base decides who may see whom, so
 * this file and its tests are where to look when the rule changes.
 *
 * Workers have no area: they cover nothing here and reach only their own
 * records through their own account id.
 */
export class AreaScope {
  private constructor(
    /** Region-code prefix of the area; '' = everywhere; null = nowhere. */
    private readonly prefix: string | null,
  ) {}

  static for(actor: Actor): AreaScope {
    if (actor.role === 'worker') return new AreaScope(null);
    if (actor.regionCode === null) {
      // Only the national admin may be unbound; anything else unbound sees nothing.
      return new AreaScope(actor.role === 'admin' ? '' : null);
    }
    return new AreaScope(actor.regionCode);
  }

  /** The whole country, for background work that no account asked for (`PersonalData.system`). */
  static national(): AreaScope {
    return new AreaScope('');
  }

  /** True for the whole country. */
  get isNational(): boolean {
    return this.prefix === '';
  }

  /** The code of the area, null for the whole country (or for no area at all). */
  get areaCode(): string | null {
    return this.prefix === '' ? null : this.prefix;
  }

  /** True when `regionCode` lies in this area. */
  covers(regionCode: string | null | undefined): boolean {
    if (this.prefix === null || regionCode == null) return this.prefix === '' && regionCode != null;
    return this.prefix === '' ? true : isWithinRegion(regionCode, this.prefix);
  }

  /**
   * For writes and filters that name a region: throws OUT_OF_AREA (403) naming
   * `field` when the region lies outside the area.
   */
  requireCovers(regionCode: string, field = 'regionCode'): void {
    if (!this.covers(regionCode)) {
      throw new AppError('OUT_OF_AREA', undefined, { [field]: '超出本账号的服务区域' });
    }
  }

  /**
   * The area condition on `column` as SQL, its parameter bound by `bind`
   * (which answers the placeholder): what `PersonalData` adds to every query.
   * Same meaning as `restrict`.
   */
  condition(column: string, bind: (value: unknown) => string): string {
    if (this.prefix === '') return 'TRUE';
    if (this.prefix === null) return 'FALSE';
    // Region codes are digits only (checked at every entry), so no LIKE escaping is needed.
    return `${column} LIKE ${bind(`${this.prefix}%`)}`;
  }

  /**
   * Adds the area condition on `column` (e.g. `a.region_code`) to a query. Rows
   * with a null region are visible only to the national scope. An actor with no
   * area gets a query that matches nothing.
   */
  restrict<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string): SelectQueryBuilder<T> {
    if (this.prefix === '') return qb;
    if (this.prefix === null) return qb.andWhere('1 = 0');
    // Region codes are digits only (checked at every entry), so no LIKE escaping is needed;
    // the parameter name is unique per column so two restrictions can share a query.
    const param = `area_${column.replace(/\W/g, '_')}`;
    return qb.andWhere(`${column} LIKE :${param}`, { [param]: `${this.prefix}%` });
  }

  /**
   * For shared, non-personal supply such as job postings: rows of the area,
   * below it, or of the areas above it (a county's job supply list serves its
   * villages' officers). Writes still go through `requireCovers`.
   */
  restrictShared<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string): SelectQueryBuilder<T> {
    if (this.prefix === '') return qb;
    if (this.prefix === null) return qb.andWhere('1 = 0');
    const param = `shared_${column.replace(/\W/g, '_')}`;
    return qb.andWhere(`(${column} LIKE :${param}_prefix OR ${column} IN (:...${param}_above))`, {
      [`${param}_prefix`]: `${this.prefix}%`,
      [`${param}_above`]: regionAncestry(this.prefix),
    });
  }

  /** True when a shared row of `regionCode` is visible (see `restrictShared`). */
  seesShared(regionCode: string): boolean {
    if (this.prefix === null) return false;
    return this.covers(regionCode) || regionAncestry(this.prefix).includes(regionCode);
  }
}
