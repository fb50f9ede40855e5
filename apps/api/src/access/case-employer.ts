import type { EntityManager } from 'typeorm';
import { Employer } from '../modules/jobs/employer.entity';
import { RecommendationRow } from '../modules/recommendations/recommendation.entity';
import { PersonalData } from './personal-data';
import type { RequestContext } from './request-context';

/** What a caller is told of an employer id beyond their reach: the same words whether it exists or not. */
const CASE_EMPLOYER_REFUSED = {
  /** An office account (officer, staff, admin). */
  office: '不在本账号可见的用工单位名单中',
  /** A worker (我要求助). */
  worker: '只能选择推荐给您的岗位所属的单位，其他单位请直接填写名称',
} as const;

/**
 * THE rule for tying a labor-rights case to an employer of the list (`employerId`), wherever a case is opened or
 * its employer changed: POST /rights/cases, POST /me/rights-cases, PATCH /rights/cases/:id, and the sync ops
 * `rightsCase.open` and `rightsCase.update`. The case then shows the employer's name from the list, so naming an
 * id is also asking for its name.
 *
 * - An office account (`rights.open`: officer, staff, admin) names an employer its area sees on the job supply
 *   list (`AreaScope.seesShared`: managed by its area, below it, or by an area above it), exactly as
 *   GET /employers lists them for it, whatever the employer's status.
 * - A worker names only an employer they have a relation to on record: the employer of a posting recommended to
 *   them (their own `recommendations`, as 我的推荐 shows them: suggested, interested, applied, hired, or declined;
 *   not withdrawn). Any other employer is free text (`employerName`) only. (A worker's own employment on the
 *   survey record is free text too, `laborers.employer`, with no id to name.)
 * - Any other role names none.
 *
 * An id that doesn't exist and one beyond the rule get the same answer, so the refusal says nothing of which
 * employers exist. Returns the employer's name, or the refusal's words for the field `employerId`.
 */
export async function caseEmployer(m: EntityManager, ctx: RequestContext, employerId: string): Promise<{ name: string } | { refused: string }> {
  if (ctx.actor.role === 'worker') {
    const row: { name: string } | undefined = await PersonalData.for(m, ctx)
      .select(RecommendationRow, 'r')
      .select('e.name', 'name')
      .innerJoin('postings', 'p', 'p.id = r.posting_id')
      .innerJoin(Employer, 'e', 'e.id = p.employer_id')
      .andWhere('e.id = :employerId', { employerId })
      .andWhere(`r.status <> 'withdrawn'`)
      .limit(1)
      .getRawOne();
    return row ? { name: row.name } : { refused: CASE_EMPLOYER_REFUSED.worker };
  }
  const e = await m.getRepository(Employer).findOne({ select: { name: true, regionCode: true }, where: { id: employerId } });
  return e && ctx.scope.seesShared(e.regionCode) ? { name: e.name } : { refused: CASE_EMPLOYER_REFUSED.office };
}
