import { ROLES, type Role } from '@jobbridge/shared';
import { HOME_ROUTES, homeRouteFor, LOGIN_ROUTE, rolesForRoute } from '../src/services/routes';

/** Pages declared in app.config.ts, main package and subpackages, as `/root/page`. */
function declaredPages(): string[] {
  (globalThis as { defineAppConfig?: unknown }).defineAppConfig = (config: unknown) => config;
  const config = require('../src/app.config').default as {
    pages: string[];
    subPackages?: { root: string; pages: string[] }[];
  };
  return [
    ...config.pages.map((p) => `/${p}`),
    ...(config.subPackages ?? []).flatMap((s) => s.pages.map((p) => `/${s.root}/${p}`)),
  ];
}

describe('home routes', () => {
  it.each<[Role, string]>([
    ['admin', '/pages/staff/index'],
    ['staff', '/pages/staff/index'],
    ['officer', '/pages/officer/index'],
    ['grid_leader', '/pages/grid/index'],
    ['worker', '/pages/worker/index'],
  ])('sends %s to %s', (role, route) => {
    expect(homeRouteFor(role)).toBe(route);
  });

  it('has a home for every role', () => {
    expect(Object.keys(HOME_ROUTES).sort()).toEqual([...ROLES].sort());
  });

  it('lets admin and staff share the staff home and nobody else', () => {
    expect(rolesForRoute('/pages/staff/index')).toEqual(['admin', 'staff']);
    expect(rolesForRoute('/pages/worker/index')).toEqual(['worker']);
    expect(rolesForRoute(LOGIN_ROUTE)).toEqual([]);
  });

  it('points only at pages declared in app.config.ts', () => {
    const pages = declaredPages();
    expect(pages[0]).toBe(LOGIN_ROUTE); // the first page is where the app opens
    for (const route of Object.values(HOME_ROUTES)) expect(pages).toContain(route);
  });
});
