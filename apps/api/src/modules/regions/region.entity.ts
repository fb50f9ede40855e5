import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RegionLevel } from '@jobbridge/shared';

/**
 * One administrative division. Codes use collation "C" everywhere in the schema
 * so that `code LIKE '4514%'` (the area test) is served by a plain btree index.
 */
@Entity('regions')
@Index('idx_regions_parent_code', ['parentCode'])
@Index('idx_regions_name_trgm', { synchronize: false })
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 12, collation: 'C' })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  level!: RegionLevel;

  @Column({ name: 'parent_code', type: 'varchar', length: 12, collation: 'C', nullable: true })
  parentCode!: string | null;
}
