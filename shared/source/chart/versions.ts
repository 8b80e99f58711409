// A chart's targetRevision resolved against the versions a repository lists, as Argo CD
// resolves it (util/versions: Masterminds/semver v3):
// - a version (`1.2.3`, also the loose `v1.2.3`, `1.2`, `1`) is a pin: that version and no other;
// - otherwise a constraint (`1.2.*`, `>=4.0.0 <5`, `~1.2`, `^1.2`, `1.2 - 1.4`, `>=1, <2 || 3.x`)
//   picks the highest listed version that satisfies it; versions that are not semver are skipped;
// - otherwise (not semver at all, e.g. an OCI tag `latest`) the tag of exactly that name.
//
// Versions are parsed and ordered with node-semver (SemVer 2.0 precedence, build metadata
// ignored), but constraints are NOT node-semver ranges, whose meaning differs from Masterminds'
// in ways a user would see. The differences handled here:
// - commas separate the comparators of an AND group (`>=1.0.0, <2`), as well as spaces;
// - `!=` exists (node-semver has no such operator), `!=1.2.x` excluding the whole 1.2 line;
// - pre-releases: Masterminds admits a pre-release version into an OR group as soon as any
//   comparator of that group names a pre-release (`>=1.2.0-0 <2` matches 1.5.0-beta), and into
//   no group otherwise; node-semver only admits pre-releases of the exact major.minor.patch a
//   comparator names (its `>=1.2.0-0` does not match 1.5.0-beta) unless told to admit all;
// - `*`, `~*` and `~0.0.0` match everything, `*-0` everything including pre-releases;
// - loose version forms: a `v` prefix, missing minor or patch (`1.2` is the version 1.2.0 when
//   it is the whole targetRevision, and `1.2.x` inside a constraint).
// Versions node-semver refuses (leading zeros: `01.2.3`) count as "not semver" and are skipped.
import semver, { type SemVer } from 'semver';

export type RevisionKind = 'version' | 'constraint' | 'name';

const IDENTIFIERS = String.raw`[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*`;
const LOOSE_VERSION = new RegExp(String.raw`^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-(${IDENTIFIERS}))?(?:\+(${IDENTIFIERS}))?$`);
// One comparator: an operator and a version whose parts may be x, X or *.
const PART = String.raw`(\d+|[xX*])`;
const COMPARATOR = new RegExp(String.raw`^(!=|>=|=>|<=|=<|~>|>|<|=|~|\^)?\s*v?${PART}(?:\.${PART})?(?:\.${PART})?(?:-(${IDENTIFIERS}))?(?:\+${IDENTIFIERS})?`);
const HYPHEN_RANGE = /(\S+)\s+-\s+(\S+)/g;

type Operator = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~' | '^';

interface Comparator {
  operator: Operator;
  /** The version the comparator names, x parts as 0 (`1.2.x` → 1.2.0). */
  base: SemVer;
  /** Some part was x or missing. */
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

interface OrGroup {
  comparators: Comparator[];
  /** A comparator names a pre-release: the group admits pre-release versions. */
  admitsPrerelease: boolean;
}

/** A version in Masterminds' loose form, as node-semver's SemVer; undefined if it is none. */
export function parseVersion(text: string): SemVer | undefined {
  const match = LOOSE_VERSION.exec(text.trim());
  if (!match) return undefined;
  const [, major, minor = '0', patch = '0', pre, build] = match;
  const normal = `${major}.${minor}.${patch}${pre ? `-${pre}` : ''}${build ? `+${build}` : ''}`;
  return semver.parse(normal) ?? undefined;
}

export function revisionKind(revision: string): RevisionKind {
  if (parseVersion(revision)) return 'version';
  return parseConstraint(revision) ? 'constraint' : 'name';
}

/** Whether `text` is already a canonical version (`1.2.3`, `1.2.3-rc.1`), the form index entries carry. */
export function isCanonicalVersion(text: string): boolean {
  return semver.valid(text) === text;
}

/**
 * The listed version `revision` resolves to, as listed (the original spelling), or undefined
 * when none does.
 */
export function resolveRevision(revision: string, available: readonly string[]): string | undefined {
  const pinned = parseVersion(revision);
  if (pinned) {
    // The same spelling first; then the same version written otherwise (`v1.2.0` for `1.2.0`).
    if (available.includes(revision)) return revision;
    return available.find((listed) => {
      const version = parseVersion(listed);
      return version !== undefined && semver.compare(version, pinned) === 0;
    });
  }
  const groups = parseConstraint(revision);
  if (!groups) return available.includes(revision) ? revision : undefined;
  let best: { listed: string; version: SemVer } | undefined;
  for (const listed of available) {
    const version = parseVersion(listed);
    if (!version || !satisfies(version, groups)) continue;
    if (!best || semver.compare(version, best.version) > 0) best = { listed, version };
  }
  return best?.listed;
}

/**
 * Up to `count` listed versions next to what `revision` asks for (its neighbours in version
 * order, alternately below and above), highest first: what an error shows instead of the
 * whole list. Pre-releases only when the request names one.
 */
export function nearestVersions(revision: string, available: readonly string[], count = 5): string[] {
  const anchor = parseVersion(revision) ?? parseConstraint(revision)?.[0]?.comparators[0]?.base;
  const wantsPrerelease = anchor ? anchor.prerelease.length > 0 : false;
  const versions = available
    .map((listed) => ({ listed, version: parseVersion(listed) }))
    .filter((entry): entry is { listed: string; version: SemVer } => entry.version !== undefined)
    .filter((entry) => wantsPrerelease || entry.version.prerelease.length === 0)
    .sort((a, b) => semver.compare(a.version, b.version));
  if (!anchor)
    return versions
      .slice(-count)
      .reverse()
      .map((entry) => entry.listed);
  let above = versions.findIndex((entry) => semver.compare(entry.version, anchor) > 0);
  if (above === -1) above = versions.length;
  let below = above - 1;
  const picked: typeof versions = [];
  while (picked.length < count && (below >= 0 || above < versions.length)) {
    if (below >= 0) picked.push(versions[below--]);
    if (picked.length < count && above < versions.length) picked.push(versions[above++]);
  }
  return picked.sort((a, b) => semver.rcompare(a.version, b.version)).map((entry) => entry.listed);
}

/** The OR groups of a Masterminds constraint, or undefined when `text` is not one. */
function parseConstraint(text: string): OrGroup[] | undefined {
  // `1.2 - 1.4.5` means `>= 1.2, <= 1.4.5`.
  const rewritten = text.replace(HYPHEN_RANGE, '>= $1, <= $2');
  const groups: OrGroup[] = [];
  for (const part of rewritten.split('||')) {
    const comparators = parseGroup(part);
    if (!comparators) return undefined;
    groups.push({ comparators, admitsPrerelease: comparators.some((comparator) => comparator.base.prerelease.length > 0) });
  }
  return groups;
}

function parseGroup(text: string): Comparator[] | undefined {
  const comparators: Comparator[] = [];
  let rest = text.trim();
  if (rest === '') return undefined;
  while (rest !== '') {
    const match = COMPARATOR.exec(rest);
    if (!match) return undefined;
    const comparator = toComparator(match);
    if (!comparator) return undefined;
    comparators.push(comparator);
    rest = rest.slice(match[0].length);
    // Comparators are separated by spaces or by a comma (with or without spaces).
    const separator = /^\s*,\s*|^\s+/.exec(rest);
    if (separator) rest = rest.slice(separator[0].length);
    else if (rest !== '') return undefined;
  }
  return comparators;
}

function toComparator(match: RegExpExecArray): Comparator | undefined {
  const [, written = '', major, minor, patch, pre] = match;
  const isX = (part: string | undefined): boolean => part === undefined || /^[xX*]$/.test(part);
  let version: string;
  let dirty = true;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major)) version = '0.0.0';
  else if (isX(minor)) {
    minorDirty = true;
    version = `${major}.0.0`;
  } else if (isX(patch)) {
    patchDirty = true;
    version = `${major}.${minor}.0`;
  } else {
    dirty = false;
    version = `${major}.${minor}.${patch}`;
  }
  const base = semver.parse(pre ? `${version}-${pre}` : version);
  if (!base) return undefined;
  return { operator: OPERATORS[written], base, dirty, minorDirty, patchDirty };
}

const OPERATORS: Record<string, Operator> = {
  '': '=',
  '=': '=',
  '!=': '!=',
  '>': '>',
  '<': '<',
  '>=': '>=',
  '=>': '>=',
  '<=': '<=',
  '=<': '<=',
  '~': '~',
  '~>': '~',
  '^': '^',
};

function satisfies(version: SemVer, groups: OrGroup[]): boolean {
  return groups.some((group) => {
    if (version.prerelease.length > 0 && !group.admitsPrerelease) return false;
    return group.comparators.every((comparator) => holds(version, comparator));
  });
}

function holds(v: SemVer, c: Comparator): boolean {
  const order = semver.compare(v, c.base);
  switch (c.operator) {
    case '=':
      return c.dirty ? tilde(v, c) : order === 0;
    case '!=':
      return notEqual(v, c, order);
    case '>':
      if (!c.dirty) return order > 0;
      if (v.major !== c.base.major) return v.major > c.base.major;
      // `>1` needs 2.x; `>1.2` needs 1.3 or higher.
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.base.minor;
      return order > 0;
    case '<':
      return order < 0;
    case '>=':
      return order >= 0;
    case '<=':
      // `<=1.2` admits every 1.2.z.
      if (!c.dirty) return order <= 0;
      if (v.major !== c.base.major) return v.major < c.base.major;
      return c.minorDirty || v.minor <= c.base.minor;
    case '~':
      return tilde(v, c);
    case '^':
      return caret(v, c, order);
  }
}

/** `~1.2.3`: ≥ 1.2.3 in the same minor; `~1`: in the same major; `~0.0.0` and `~*`: anything. */
function tilde(v: SemVer, c: Comparator): boolean {
  if (semver.lt(v, c.base)) return false;
  if (c.base.major === 0 && c.base.minor === 0 && c.base.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.base.major) return false;
  return c.minorDirty || v.minor === c.base.minor;
}

/** `^1.2.3`: ≥ 1.2.3 in the same major; below 1.0.0 the first non-zero part must stay. */
function caret(v: SemVer, c: Comparator, order: number): boolean {
  if (order < 0) return false;
  if (c.base.major > 0 || c.minorDirty) return v.major === c.base.major;
  if (v.major > 0) return false;
  if (c.base.minor > 0 || c.patchDirty) return v.minor === c.base.minor;
  if (v.minor > 0) return false;
  return v.patch === c.base.patch;
}

function notEqual(v: SemVer, c: Comparator, order: number): boolean {
  if (c.dirty) {
    if (v.major !== c.base.major) return true;
    if (c.minorDirty) return false;
    if (v.minor !== c.base.minor) return true;
    if (c.patchDirty) return (v.prerelease.length > 0 || c.base.prerelease.length > 0) && v.comparePre(c.base) !== 0;
    if (v.patch !== c.base.patch) return true;
  }
  return order !== 0;
}
