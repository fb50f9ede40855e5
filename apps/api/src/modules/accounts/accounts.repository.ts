import { ScopedRepository } from '../../access/scoped-repository';
import { Account } from './account.entity';

/** Accounts of the caller's area. Workers (no region) are visible only to the national scope here. */
export class AccountsRepository extends ScopedRepository<Account> {
  protected readonly entity = Account;
  protected readonly regionColumn = 'region_code';

  /** Loads an account of the area and locks its row for the rest of the transaction. */
  findForUpdate(id: string): Promise<Account | null> {
    return this.query('a').andWhere('a.id = :id', { id }).setLock('pessimistic_write').getOne();
  }
}
