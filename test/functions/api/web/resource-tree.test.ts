// The app view's resource tree: objects nested by their owner reference, as Kubernetes'
// controllers own them (a Deployment owns ReplicaSets, a ReplicaSet owns Pods).
import { describe, expect, it } from 'vitest';
import type { ResourceNode } from '../../../../shared/api/contract.ts';
import { nestTree, type TreeItem } from '../../../../functions/api/web/src/resource-tree.ts';

const node = (kind: string, name: string, uid: string, parentUid?: string, managed = !parentUid): ResourceNode => ({
  group: kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps' : '',
  kind,
  namespace: 'shop',
  name,
  uid,
  parentUid,
  health: 'Healthy',
  managed,
});

const shape = (items: TreeItem[]): unknown[] => items.map((item) => (item.children.length ? { [item.node.name]: shape(item.children) } : item.node.name));

describe('nestTree', () => {
  it('hangs Pods under their ReplicaSet and the ReplicaSet under its Deployment, roots and children sorted by kind and name', () => {
    const nodes = [
      node('Pod', 'web-7d9-b', 'p2', 'rs1'),
      node('Service', 'web', 's1'),
      node('ReplicaSet', 'web-7d9', 'rs1', 'd1'),
      node('Pod', 'web-7d9-a', 'p1', 'rs1'),
      node('Deployment', 'web', 'd1'),
      node('ConfigMap', 'web-config', 'c1'),
    ];
    expect(shape(nestTree(nodes))).toEqual(['web-config', { web: [{ 'web-7d9': ['web-7d9-a', 'web-7d9-b'] }] }, 'web']);
  });

  it('keeps an object whose owner is not in the answer as a root, so nothing sent is dropped', () => {
    const tree = nestTree([node('Pod', 'orphan', 'p9', 'gone')]);
    expect(shape(tree)).toEqual(['orphan']);
  });

  it('roots the members of an owner loop (a malformed answer) instead of losing them', () => {
    const tree = nestTree([node('ReplicaSet', 'a', 'u1', 'u2'), node('ReplicaSet', 'b', 'u2', 'u1')]);
    expect(shape(tree)).toEqual(['a', 'b']);
  });
});
