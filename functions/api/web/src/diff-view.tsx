// Git vs live as a unified diff, monospace, added lines green and removed ones red.
import { diffLines } from './diff-lines.ts';

export function DiffView(props: { diff: string; message?: string }) {
  const lines = diffLines(props.diff);
  // An empty diff with a message is one that could not be computed, not a clean cluster.
  if (lines.length === 0 && props.message)
    return (
      <p class="muted" data-testid="diff-unavailable">
        {props.message}
      </p>
    );
  if (lines.length === 0) return <p class="muted">No differences: the cluster matches Git.</p>;
  return (
    <pre class="diff" data-testid="diff">
      {lines.map((line, index) => (
        <span key={index} class={`line ${line.kind}`}>
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
