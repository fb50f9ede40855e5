import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { AreaScope } from '../../access/area-scope';
import { Account } from './account.entity';

/**
 * Accounts of the caller's area (the area rule of `AreaScope`; accounts are
 * the staff's own records, not the personal data `PersonalData` guards).
 * Workers (no region) are visible only to the national scope here.
 */
export class AccountsRepository {
  constructor(
    private readonly manager: EntityManager,
    private readonly scope: AreaScope,
  ) {}

  query(alias: string): SelectQueryBuilder<Account> {
    return this.scope.restrict(this.manager.createQueryBuilder(Account, alias), `${alias}.region_code`);
  }

  /** Loads an account of the area and locks its row for the rest of the transaction. */
  findForUpdate(id: string): Promise<Account | null> {
    return this.query('a').andWhere('a.id = :id', { id }).setLock('pessimistic_write').getOne();
  }
}
