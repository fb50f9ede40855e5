import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { AreaScope } from './area-scope';

/**
 * Base of every repository of personal data: the only way to get a query is
 * `query()`, which already carries the caller's area. Subclasses name the
 * entity and the column holding its region code.
 */
export abstract class ScopedRepository<T extends ObjectLiteral> {
  protected abstract readonly entity: EntityTarget<T>;
  /** Column (not property) holding the row's region code. */
  protected abstract readonly regionColumn: string;

  constructor(
    protected readonly manager: EntityManager,
    protected readonly scope: AreaScope,
  ) {}

  /** A query over the rows of the caller's area only. */
  query(alias: string): SelectQueryBuilder<T> {
    return this.scope.restrict(this.manager.createQueryBuilder(this.entity, alias), `${alias}.${this.regionColumn}`);
  }
}
