import { regionAncestry } from '@jobbridge/shared';

/**
 * Which employers a grid leader may invite contacts for: those of their county's supply list as their grid
 * sees it, i.e. managed by the grid's own area or below it, or by an area above it down from the county
 * (the county, the township): not the city's or province's lists, not a neighbouring township's. The same
 * rule offers employer contacts to the grid leader's employer groups (chat.service.ts `candidates`).
 */
export function gridEmployerAreas(gridCode: string): { below: string; above: string[] } {
  return { below: gridCode, above: regionAncestry(gridCode).filter((c) => c.length >= 6 && c !== gridCode) };
}

export function gridReaches(gridCode: string, employerRegion: string): boolean {
  const { below, above } = gridEmployerAreas(gridCode);
  return employerRegion.startsWith(below) || above.includes(employerRegion);
}
