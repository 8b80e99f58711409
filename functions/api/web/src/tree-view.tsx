// The live resources of one app on one cluster, nested under their owners, with health.
import type { ResourceTree } from '../../../../shared/api/contract.ts';
import { Badge } from './badge.tsx';
import { nestTree, type TreeItem } from './resource-tree.ts';

export function TreeView(props: { tree: ResourceTree }) {
  const roots = nestTree(props.tree.nodes);
  if (roots.length === 0) return <p class="muted">No live resources.</p>;
  return (
    <ul class="tree" data-testid="resource-tree" aria-label="Resources">
      {roots.map((item) => (
        <TreeNode key={nodeKey(item)} item={item} />
      ))}
    </ul>
  );
}

const nodeKey = (item: TreeItem): string => item.node.uid ?? `${item.node.group}/${item.node.kind}/${item.node.namespace ?? ''}/${item.node.name}`;

function TreeNode(props: { item: TreeItem }) {
  const { node, children } = props.item;
  return (
    <li data-testid="tree-node" data-kind={node.kind} data-name={node.name}>
      <span class="node">
        <span class="kind">{node.kind}</span> {node.namespace ? `${node.namespace}/` : ''}
        {node.name} <Badge kind="health" value={node.health} />
        {!node.managed && <span class="muted"> (made by a controller)</span>}
      </span>
      {children.length > 0 && (
        <ul>
          {children.map((child) => (
            <TreeNode key={nodeKey(child)} item={child} />
          ))}
        </ul>
      )}
    </li>
  );
}
