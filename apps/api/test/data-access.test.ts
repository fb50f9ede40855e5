import path from 'node:path';
import ts from 'typescript';
import { AreaScope } from '../src/access/area-scope';
import type { Actor } from '../src/access/actor';
import { PERSONAL_TABLES, PersonalData } from '../src/access/personal-data';
import { Laborer } from '../src/modules/survey/laborer.entity';
import { Visit } from '../src/modules/survey/visit.entity';
import { AREAS, R } from './fixtures';
import { createTestApp, TestApp } from './helpers';
import { uuid } from './survey-fixtures';

/**
 * "Cannot forget the area", checked: personal tables are reached only through
 * `PersonalData` (src/access/personal-data.ts). This reads the API's own
 * source with the TypeScript compiler (types resolved) and fails on
 *
 * - SQL text naming a personal table (FROM/JOIN/INTO/UPDATE x, or a table
 *   name given to a query builder) anywhere but inside the text builder of
 *   `PersonalData.sql` or `.fragment`, which refuse text that asks for no scope;
 * - a personal entity class used as a value (getRepository(Laborer),
 *   manager.update(Laborer, ...), createQueryBuilder(Laborer, ...),
 *   innerJoin(Laborer, ...)) anywhere but as the entity argument of a
 *   `PersonalData` method (or of getMetadata, which reads column metadata).
 *
 * Outside src/access/ only these are allowed, each for its reason:
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'src/db/migrations/': 'the schema itself (DDL), run before any request',
  'src/db/entities.ts': 'the list of entities TypeORM loads',
  'src/seed/': 'demo data written from the command line, no request and no caller',
  'src/bench/': 'benchmarks that set up and measure their own data',
  'src/cli/': 'developer commands (migration generation)',
};

const API = path.resolve(__dirname, '..');
const TABLES = Object.keys(PERSONAL_TABLES);
const SQL_NAMING = new RegExp(`\\b(from|join|into|update|table)\\s+"?(${TABLES.join('|')})"?\\b`, 'i');
/** Query-builder and manager methods that take a table name. */
const TABLE_ARGUMENT_OF = new Set(['from', 'innerJoin', 'leftJoin', 'innerJoinAndSelect', 'leftJoinAndSelect', 'innerJoinAndMapOne', 'leftJoinAndMapOne', 'getRepository', 'createQueryBuilder', 'into', 'update', 'delete', 'insert', 'query']);
const PERSONAL_DATA_FILE = path.join(API, 'src/access/personal-data.ts');

interface Finding {
  file: string;
  line: number;
  what: string;
}

function program(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(API, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error('cannot read apps/api/tsconfig.json');
  return ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true } });
}

/** The declaration file of the function a call expression calls. */
function calleeFile(checker: ts.TypeChecker, call: ts.CallExpression): string | null {
  const sig = checker.getResolvedSignature(call);
  const decl = sig?.getDeclaration();
  return decl ? path.resolve(decl.getSourceFile().fileName) : null;
}

function calleeName(call: ts.CallExpression): string {
  const e = call.expression;
  return ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : '';
}

/** The calls `node` is (inside) an argument of, innermost first. */
function enclosingCalls(node: ts.Node): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    if (ts.isCallExpression(n.parent) && n.parent.arguments.includes(n as ts.Expression)) out.push(n.parent);
  }
  return out;
}

function scan(): { findings: Finding[]; files: number } {
  const prog = program();
  const checker = prog.getTypeChecker();
  const personalEntities = new Set<ts.Symbol>();
  // The entity classes, from the table list's own entries (so a table added there is checked here at once).
  const pdSource = prog.getSourceFile(PERSONAL_DATA_FILE)!;
  ts.forEachChild(pdSource, function visit(n) {
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'entity' && ts.isIdentifier(n.initializer)) {
      const s = checker.getSymbolAtLocation(n.initializer);
      if (s) personalEntities.add(s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
    }
    ts.forEachChild(n, visit);
  });
  expect(personalEntities.size).toBe(TABLES.length);

  const findings: Finding[] = [];
  let files = 0;
  for (const sf of prog.getSourceFiles()) {
    const file = path.relative(API, path.resolve(sf.fileName)).split(path.sep).join('/');
    if (!file.startsWith('src/') || file.startsWith('src/access/') || file.endsWith('.entity.ts')) continue;
    if (Object.keys(ALLOWED).some((a) => file === a || (a.endsWith('/') && file.startsWith(a)))) continue;
    files++;
    const at = (n: ts.Node, what: string) => findings.push({ file, line: sf.getLineAndCharacterOfPosition(n.getStart()).line + 1, what });
    const visit = (n: ts.Node): void => {
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
        const text = n.text;
        // A bare table name counts where a query builder takes one (innerJoin('laborers', ...)); elsewhere it is a word (an OpenAPI tag).
        const builderArg = ts.isCallExpression(n.parent) && TABLE_ARGUMENT_OF.has(calleeName(n.parent));
        const names = SQL_NAMING.test(text) || (builderArg && TABLES.includes(text.trim()));
        if (names && !ts.isImportDeclaration(n.parent) && !ts.isExportDeclaration(n.parent)) {
          const insideSql = enclosingCalls(n).some((c) => ['sql', 'fragment'].includes(calleeName(c)) && calleeFile(checker, c) === PERSONAL_DATA_FILE);
          if (!insideSql) at(n, `SQL on a personal table outside PersonalData.sql/fragment: ${text.trim().slice(0, 60)}`);
        }
      }
      if (ts.isIdentifier(n) && !isTypePosition(n)) {
        const s = checker.getSymbolAtLocation(n);
        const target = s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        if (target && personalEntities.has(target) && !ts.isImportSpecifier(n.parent) && !ts.isImportClause(n.parent)) {
          const call = enclosingCalls(n)[0];
          const ok = call && (calleeFile(checker, call) === PERSONAL_DATA_FILE || calleeName(call) === 'getMetadata');
          if (!ok) at(n, `personal entity ${n.text} used outside PersonalData`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { findings, files };
}

function isTypePosition(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isTypeNode(p) && !ts.isExpressionWithTypeArguments(p)) return true;
    if (ts.isExpression(p) || ts.isStatement(p)) return false;
  }
  return false;
}

describe('personal data only through PersonalData', () => {
  it('no code outside src/access/ (and the explained allow-list) queries a personal table directly', () => {
    const { findings, files } = scan();
    expect(files).toBeGreaterThan(40);
    expect(findings.map((f) => `${f.file}:${f.line} ${f.what}`)).toEqual([]);
  }, 120_000);
});

describe('PersonalData itself refuses what would drop the scope', () => {
  let t: TestApp;
  const actor: Actor = { accountId: uuid(), role: 'officer', regionCode: AREAS.crossing.village, sessionId: uuid() };
  const pd = () => PersonalData.for(t.ds.manager, { actor, scope: AreaScope.for(actor) });
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('runs no raw statement that never asked for the scope', async () => {
    await expect(pd().sql(() => 'SELECT count(*) FROM laborers')).rejects.toThrow(/never asked for the scope/);
    // Asked for: the officer's village only.
    const [{ n }] = await pd().sql((s) => `SELECT count(*)::int AS n FROM laborers l WHERE ${s.scoped('laborers', 'l')} AND l.region_code NOT LIKE '${AREAS.crossing.village}%'`);
    expect(n).toBe(0);
  });

  it('a scoped query takes no where/orWhere (which would replace or sit beside the area)', () => {
    expect(() => pd().select(Laborer, 'l').where('TRUE')).toThrow(/andWhere/);
    expect(() => pd().select(Laborer, 'l').orWhere('TRUE')).toThrow(/andWhere/);
  });

  it('refuses to insert a row outside the area, naming the field, before writing anything', async () => {
    const id = uuid();
    await expect(pd().insert(Visit, [{ id, householdId: uuid(), regionCode: R.pengjiangTown + '001', officerId: actor.accountId, visitedAt: new Date(), changedFields: [] }])).rejects.toMatchObject({
      code: 'OUT_OF_AREA',
      fields: { regionCode: '超出本账号的服务区域' },
    });
    expect(await t.ds.query('SELECT 1 FROM visits WHERE id = $1', [id])).toEqual([]);
  });

  it('a worker reaches no area, and background work must say why it runs unscoped', async () => {
    const worker: Actor = { accountId: uuid(), role: 'worker', regionCode: null, sessionId: uuid() };
    const asWorker = PersonalData.for(t.ds.manager, { actor: worker, scope: AreaScope.for(worker) });
    expect(await asWorker.select(Visit, 'v').getCount()).toBe(0);
    await expect(asWorker.own()).rejects.toMatchObject({ code: 'NOT_BOUND' });
    expect(() => PersonalData.system(t.ds.manager, ' ')).toThrow(/reason/);
  });
});
