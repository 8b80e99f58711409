// Expected values: Argo CD's "Tracking and Deployment Strategies" (Helm) page and its
// util/versions behaviour (a version is a pin, a constraint picks the highest match, invalid
// tags are skipped), and Masterminds/semver v3's documented ranges (~, ^, x, hyphen, ||, commas,
// pre-releases only when the group names one).
import { describe, expect, it } from 'vitest';
import { nearestVersions, resolveRevision, revisionKind } from '../../../shared/source/chart/versions.ts';

const LISTED = [
  '0.9.0',
  '1.0.0',
  '1.1.0',
  '1.2.0',
  '1.2.1',
  '1.2.7',
  '1.3.0-beta.1',
  '1.3.0',
  '2.0.0-rc.1',
  '4.0.0',
  '4.2.1',
  '4.9.9',
  '5.0.0',
  'latest',
  'not-a-version',
];

describe('revisionKind', () => {
  it('reads versions (also loose ones) as pins, ranges as constraints, anything else as a tag', () => {
    for (const pin of ['1.2.0', 'v1.2.0', '1.2', '1', '1.2.3-rc.1', '1.2.3+build.5']) expect(revisionKind(pin)).toBe('version');
    for (const range of ['1.2.*', '1.2.x', '>=1.2.0 <1.3.0', '>=4.0.0 <5', '~1.2', '^1.2', '*', '*-0', '>=0.0.0-0', '1.2 - 1.4', '>=1, <2 || 3.x', '!=1.2.0']) {
      expect(revisionKind(range), range).toBe('constraint');
    }
    for (const tag of ['latest', 'main', 'stable-2024', '1.2.3.4']) expect(revisionKind(tag), tag).toBe('name');
  });
});

describe('resolveRevision: the documented tracking strategies', () => {
  it('pins a version: that one, whatever is newer', () => {
    expect(resolveRevision('1.2.0', LISTED)).toBe('1.2.0');
    expect(resolveRevision('v1.2.0', LISTED)).toBe('1.2.0');
    expect(resolveRevision('1.2', LISTED)).toBe('1.2.0');
    expect(resolveRevision('1.2.2', LISTED)).toBeUndefined();
  });

  it('tracks patches with 1.2.* or >=1.2.0 <1.3.0', () => {
    expect(resolveRevision('1.2.*', LISTED)).toBe('1.2.7');
    expect(resolveRevision('1.2.x', LISTED)).toBe('1.2.7');
    expect(resolveRevision('>=1.2.0 <1.3.0', LISTED)).toBe('1.2.7');
    expect(resolveRevision('~1.2', LISTED)).toBe('1.2.7');
    expect(resolveRevision('~1.2.1', LISTED)).toBe('1.2.7');
  });

  it('tracks minor releases with 1.* or >=1.0.0 <2.0.0, never a pre-release', () => {
    expect(resolveRevision('1.*', LISTED)).toBe('1.3.0');
    expect(resolveRevision('>=1.0.0 <2.0.0', LISTED)).toBe('1.3.0');
    expect(resolveRevision('^1.0', LISTED)).toBe('1.3.0');
  });

  it('uses the latest with * or >=0.0.0, and the latest pre-release too only with the -0 suffix', () => {
    expect(resolveRevision('*', LISTED)).toBe('5.0.0');
    expect(resolveRevision('>=0.0.0', LISTED)).toBe('5.0.0');
    const early = ['1.0.0', '1.1.0-alpha.1', '2.0.0-rc.1'];
    expect(resolveRevision('*', early)).toBe('1.0.0');
    expect(resolveRevision('*-0', early)).toBe('2.0.0-rc.1');
    expect(resolveRevision('>=0.0.0-0', early)).toBe('2.0.0-rc.1');
  });

  it('compares pre-releases only when the constraint names one (>=1.2.2 vs >=1.2.2-0)', () => {
    const versions = ['1.2.1', '1.2.3-beta.2'];
    expect(resolveRevision('>=1.2.2', versions)).toBeUndefined();
    expect(resolveRevision('>=1.2.2-0', versions)).toBe('1.2.3-beta.2');
    // Masterminds admits any pre-release to a group that names one (node-semver would not: 1.5.0-beta is not 1.2.0-x).
    expect(resolveRevision('>=1.2.0-0 <2.0.0', ['1.2.0', '1.5.0-beta'])).toBe('1.5.0-beta');
  });

  it('takes the highest of a range with an upper bound written short (>=4.0.0 <5)', () => {
    expect(resolveRevision('>=4.0.0 <5', LISTED)).toBe('4.9.9');
    expect(resolveRevision('>=4.0.0, <5', LISTED)).toBe('4.9.9');
  });

  it('reads Masterminds ranges: caret below 1.0, hyphen, OR, !=, > with a short version', () => {
    expect(resolveRevision('^0.9', LISTED)).toBe('0.9.0');
    expect(resolveRevision('^1.2.1', LISTED)).toBe('1.3.0');
    expect(resolveRevision('1.0 - 1.2', LISTED)).toBe('1.2.7');
    expect(resolveRevision('1.1.x || 4.2.x', LISTED)).toBe('4.2.1');
    expect(resolveRevision('1.2.x, !=1.2.7', LISTED)).toBe('1.2.1');
    expect(resolveRevision('>1.2 <2', LISTED)).toBe('1.3.0');
    expect(resolveRevision('<=1.2', LISTED)).toBe('1.2.7');
  });

  it('skips listed tags that are not versions, and finds a plain tag by its name', () => {
    expect(resolveRevision('>=0.0.0', ['latest', '0.1.0', 'abc'])).toBe('0.1.0');
    expect(resolveRevision('latest', LISTED)).toBe('latest');
    expect(resolveRevision('stable', LISTED)).toBeUndefined();
  });

  it('answers a constraint nothing satisfies with undefined', () => {
    expect(resolveRevision('>=6', LISTED)).toBeUndefined();
    expect(resolveRevision('3.x', LISTED)).toBeUndefined();
  });
});

describe('nearestVersions', () => {
  it('lists released versions of the nearest line, highest first', () => {
    expect(nearestVersions('1.2.5', LISTED, 3)).toEqual(['1.2.7', '1.2.1', '1.2.0']);
    expect(nearestVersions('>=6', LISTED, 2)).toEqual(['5.0.0', '4.9.9']);
  });
});
