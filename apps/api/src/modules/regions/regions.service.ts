import type { DataSource } from 'typeorm';
import { regionAncestry, RegionDetail, RegionView } from '@jobbridge/shared';
import { notFound } from '../../errors';
import { escapeLike } from '../../db/sql';
import { Region } from './region.entity';

/**
 * The division tree. Region names are public facts, so reading the tree is
 * open to every signed-in account; what the access rule guards is the people in it.
 */
export class RegionsService {
  constructor(private readonly ds: DataSource) {}

  async get(code: string): Promise<RegionDetail> {
    const path = await this.path(code);
    const self = path[path.length - 1];
    if (!self || self.code !== code) throw notFound('区域');
    const childCount = await this.ds.getRepository(Region).countBy({ parentCode: code });
    return { ...self, path, childCount };
  }

  /** Ancestors and the region itself; missing ancestors (partial imports) are skipped. */
  async path(code: string): Promise<RegionView[]> {
    const codes = regionAncestry(code);
    if (!codes.length) return [];
    const rows = await this.ds.getRepository(Region).createQueryBuilder('r').where('r.code IN (:...codes)', { codes }).getMany();
    return rows.sort((a, b) => a.code.length - b.code.length).map(view);
  }

  /** Children of a region; with no code, the provinces. */
  async children(code: string | null): Promise<RegionView[]> {
    if (code !== null && !(await this.ds.getRepository(Region).existsBy({ code }))) throw notFound('区域');
    const qb = this.ds.getRepository(Region).createQueryBuilder('r');
    if (code === null) qb.where('r.parent_code IS NULL');
    else qb.where('r.parent_code = :code', { code });
    return (await qb.orderBy('r.code').getMany()).map(view);
  }

  /** Name search, optionally within a region; exact and prefix matches first. */
  async search(q: string, within: string | null, limit: number): Promise<RegionView[]> {
    const qb = this.ds
      .getRepository(Region)
      .createQueryBuilder('r')
      .where('r.name ILIKE :pattern', { pattern: `%${escapeLike(q)}%` })
      .orderBy('CASE WHEN r.name = :q THEN 0 WHEN r.name ILIKE :prefix THEN 1 ELSE 2 END')
      .addOrderBy('length(r.code)')
      .addOrderBy('r.code')
      .setParameters({ q, prefix: `${escapeLike(q)}%` })
      .take(limit);
    if (within) qb.andWhere('r.code LIKE :within', { within: `${within}%` });
    return (await qb.getMany()).map(view);
  }
}

function view(r: Region): RegionView {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode };
}
