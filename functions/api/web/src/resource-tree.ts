// The live objects of one app on one cluster as a tree: each node under its owner (parentUid),
// Deployment → ReplicaSet → Pod. Objects whose owner is not in the list are roots, so nothing
// the API sent is dropped.
import type { ResourceNode } from '../../../../shared/api/contract.ts';

export interface TreeItem {
  node: ResourceNode;
  children: TreeItem[];
}

const byKindAndName = (a: TreeItem, b: TreeItem): number =>
  a.node.kind.localeCompare(b.node.kind) || (a.node.namespace ?? '').localeCompare(b.node.namespace ?? '') || a.node.name.localeCompare(b.node.name);

export function nestTree(nodes: readonly ResourceNode[]): TreeItem[] {
  const items = nodes.map((node) => ({ node, children: [] as TreeItem[] }));
  const byUid = new Map<string, TreeItem>();
  for (const item of items) if (item.node.uid) byUid.set(item.node.uid, item);
  const roots: TreeItem[] = [];
  for (const item of items) {
    const parent = item.node.parentUid ? byUid.get(item.node.parentUid) : undefined;
    // An owner chain that loops back (a malformed answer) would hide the whole loop: root it.
    if (parent && parent !== item && !isAncestor(item, parent, byUid)) parent.children.push(item);
    else roots.push(item);
  }
  const sort = (list: TreeItem[]): TreeItem[] => {
    list.sort(byKindAndName);
    for (const item of list) sort(item.children);
    return list;
  };
  return sort(roots);
}

/** True when `item` is `candidate` or one of candidate's owners (following parentUid upward). */
function isAncestor(item: TreeItem, candidate: TreeItem, byUid: Map<string, TreeItem>): boolean {
  const seen = new Set<TreeItem>();
  for (let current: TreeItem | undefined = candidate; current && !seen.has(current);) {
    if (current === item) return true;
    seen.add(current);
    current = current.node.parentUid ? byUid.get(current.node.parentUid) : undefined;
  }
  return false;
}
