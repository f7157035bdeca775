import { describe, expect, it } from 'vitest';
import { compareVersions, orderFlywayFolder, parseFlywayName } from '../src/inputs/formats/flyway-naming.js';
import { comparePaths, compareNatural } from '../src/inputs/natural-order.js';

describe('Flyway names', () => {
  it('classifies versioned, repeatable, undo and other files', () => {
    expect(parseFlywayName('V1_1__add_kind.sql')).toEqual({ type: 'versioned', version: ['1', '1'], description: 'add kind' });
    expect(parseFlywayName('V010__x.sql')).toMatchObject({ type: 'versioned', version: ['010'] });
    expect(parseFlywayName('R__views.sql')).toEqual({ type: 'repeatable', description: 'views' });
    expect(parseFlywayName('U2__undo.sql')).toMatchObject({ type: 'undo' });
    expect(parseFlywayName('v1__lowercase.sql')).toEqual({ type: 'other' });
    expect(parseFlywayName('V1_add.sql')).toEqual({ type: 'other' });
    expect(parseFlywayName('notes.sql')).toEqual({ type: 'other' });
  });

  it('compares versions numerically: V1 < V1.1 < V2 < V9 < V10 = V010', () => {
    const v = (s: string) => s.split('.');
    expect(compareVersions(v('1'), v('1.1'))).toBeLessThan(0);
    expect(compareVersions(v('1.1'), v('2'))).toBeLessThan(0);
    expect(compareVersions(v('9'), v('10'))).toBeLessThan(0);
    expect(compareVersions(v('10'), v('010'))).toBe(0);
    expect(compareVersions(v('1'), v('1.0'))).toBe(0);
    expect(compareVersions(v('20260101120000'), v('20260101120001'))).toBeLessThan(0);
  });

  it('orders a folder: versioned by version, then repeatable by description; skips undo and others with a reason', () => {
    const ordered = orderFlywayFolder('/m', ['/m/R__b_views.sql', '/m/V10__d.sql', '/m/V2__c.sql', '/m/notes.sql', '/m/V1.1__b.sql', '/m/R__a_funcs.sql', '/m/U2__c.sql', '/m/sub/V1__a.sql']);
    expect(ordered.files.map((f) => f.path)).toEqual(['/m/sub/V1__a.sql', '/m/V1.1__b.sql', '/m/V2__c.sql', '/m/V10__d.sql', '/m/R__a_funcs.sql', '/m/R__b_views.sql']);
    expect(ordered.skipped.map((s) => s.path).sort()).toEqual(['/m/U2__c.sql', '/m/notes.sql']);
  });

  it('rejects two files with the same version, naming both', () => {
    expect(() => orderFlywayFolder('/m', ['/m/V1__a.sql', '/m/V1.0__b.sql'])).toThrow(/duplicate migration version 1: \/m\/V1\.0__b\.sql and \/m\/V1__a\.sql; give one of them a new version/);
  });
});

describe('path order', () => {
  it('orders numeric prefixes by value and keeps folders together', () => {
    const paths = ['10_views/a.sql', '02_indexes/b.sql', '01_tables/2_b.sql', '01_tables/10_c.sql', '01_tables/1_a.sql', '2_x.sql'];
    expect([...paths].sort(comparePaths)).toEqual(['01_tables/1_a.sql', '01_tables/2_b.sql', '01_tables/10_c.sql', '02_indexes/b.sql', '2_x.sql', '10_views/a.sql']);
    expect(compareNatural('a2', 'a10')).toBeLessThan(0);
  });
});
