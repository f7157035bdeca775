/**
 * The sources a catalog can come from. The reference is always one side of a comparison; the other is the
 * migrated scratch database or a running database.
 */
export type SideName = 'reference' | 'migrations' | 'live' | 'setup';

/** How messages and reports speak of a side, decided once here rather than re-worded after the fact. */
export interface SideWords {
  name: SideName;
  /** Column headers and location labels: "Reference", "Migrations", "Live". */
  title: string;
  /** "the migrations", "the live database". */
  noun: string;
  /** What it means for an object to be on this side: "produced by the migrations", "in the live database". */
  has: string;
  /** Where a differently named object was found: "by the migrations", "in the live database". */
  names: string;
}

export const SIDE_WORDS: Record<SideName, SideWords> = {
  reference: { name: 'reference', title: 'Reference', noun: 'the reference', has: 'in the reference', names: 'in the reference' },
  migrations: { name: 'migrations', title: 'Migrations', noun: 'the migrations', has: 'produced by the migrations', names: 'by the migrations' },
  live: { name: 'live', title: 'Live', noun: 'the live database', has: 'in the live database', names: 'in the live database' },
  setup: { name: 'setup', title: 'Setup', noun: 'the setup script', has: 'in a database set up by the setup script', names: 'by the setup script' },
};

/** The side a report compares with the reference: the migrations unless it names another. */
export function otherSide(sides: readonly SideName[] | undefined): SideWords {
  return SIDE_WORDS[sides?.find((s) => s !== 'reference') ?? 'migrations'];
}
