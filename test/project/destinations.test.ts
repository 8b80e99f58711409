// A project's destinations, as Argo CD's docs (docs/user-guide/projects.md) state them: "a
// destination is considered valid if ... _Any_ allow destination rule ... permits the
// destination AND *no* deny destination (i.e. a rule which is prefixed with `!`) rejects" it.
import { describe, expect, it } from 'vitest';
import type { ProjectDestination } from '../../shared/config/types.ts';
import { destinationPermitted } from '../../shared/project/destinations.ts';

const permitted = (destinations: ProjectDestination[], cluster: { name: string; server?: string }, namespace: string) =>
  destinationPermitted({ destinations }, cluster, namespace);
const inCluster = { name: 'in-cluster', server: 'https://kubernetes.default.svc' };
const team1 = { name: 'team1', server: 'https://team1-eks.example.com' };

describe('project destinations', () => {
  // The docs' example, entry by entry.
  const docs: ProjectDestination[] = [
    { namespace: '!kube-system', server: '*' }, // "Do not allow any app to be installed in `kube-system`"
    { namespace: '*', server: '!https://team1-*' }, // "Or any cluster that has a URL of `team1-*`"
    { namespace: '*', server: '*' }, // "Any other namespace or server is fine though."
  ];

  it('"Do not allow any app to be installed in kube-system"', () => {
    expect(permitted(docs, inCluster, 'kube-system')).toBe(false);
    expect(permitted(docs, inCluster, 'shop')).toBe(true);
  });

  it('"Or any cluster that has a URL of team1-*"', () => {
    expect(permitted(docs, team1, 'shop')).toBe(false);
  });

  it('!kube-system refuses kube-system and allows team-a-* beside an allow entry for team-a-*', () => {
    const destinations: ProjectDestination[] = [
      { cluster: '*', namespace: 'team-a-*' },
      { cluster: '*', namespace: '!kube-system' },
    ];
    expect(permitted(destinations, inCluster, 'kube-system')).toBe(false);
    expect(permitted(destinations, inCluster, 'team-a-web')).toBe(true);
  });

  it('an entry with a negated namespace also allows what it does not deny (Argo CD isDestinationMatched)', () => {
    expect(permitted([{ server: '*', namespace: '!kube-system' }], inCluster, 'anything')).toBe(true);
    expect(permitted([{ server: '*', namespace: '!kube-system' }], inCluster, 'kube-system')).toBe(false);
  });

  it('a deny entry refuses even when another entry allows', () => {
    expect(
      permitted(
        [
          { cluster: '*', namespace: '*' },
          { cluster: '*', namespace: '!kube-*' },
        ],
        inCluster,
        'kube-public',
      ),
    ).toBe(false);
  });

  it('without any entry nothing is permitted; the namespace must match as well as the cluster', () => {
    expect(permitted([], inCluster, 'shop')).toBe(false);
    expect(permitted([{ cluster: 'in-cluster', namespace: 'team-a' }], inCluster, 'team-b')).toBe(false);
    expect(permitted([{ cluster: 'other', namespace: 'team-a' }], inCluster, 'team-a')).toBe(false);
    expect(permitted([{ cluster: 'in-cluster', namespace: 'team-a' }], inCluster, 'team-a')).toBe(true);
  });

  it('clusters match by name or by server URL, the URL compared normalised', () => {
    expect(permitted([{ server: 'HTTPS://Kubernetes.default.svc/', namespace: 'shop' }], inCluster, 'shop')).toBe(true);
    expect(permitted([{ server: 'https://team1-*', namespace: 'shop' }], team1, 'shop')).toBe(true);
    expect(permitted([{ server: '*', namespace: 'shop' }], { name: 'local' }, 'shop')).toBe(true);
  });

  it('a negated server does not refuse a cluster registered without a server URL (it is not that server)', () => {
    expect(permitted([{ server: '!https://team1-*', namespace: '*' }], { name: 'local' }, 'shop')).toBe(true);
  });
});
