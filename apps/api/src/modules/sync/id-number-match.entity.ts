import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Each new laborer an account sent whose ID number was already registered
 * (answered DUPLICATE_PERSON or REGISTERED_ELSEWHERE). Such an answer says
 * that the number exists, so guessing numbers through sync would confirm
 * them: an account gets `SYNC_ID_MATCHES_PER_DAY` such answers in 24 hours,
 * counted here in PostgreSQL so the limit holds across replicas and devices.
 */
@Entity('id_number_matches')
@Index('idx_id_number_matches_account_at', ['accountId', 'at'])
export class IdNumberMatch {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
