// A status word with its color class (health, sync or drift), readable without the color.
export function Badge(props: { kind: 'health' | 'sync' | 'drift'; value: string; testId?: string }) {
  return (
    <span class={`badge ${props.kind}-${props.value}`} data-testid={props.testId}>
      {props.value}
    </span>
  );
}

/** The commit, linked to it when the API gave a link. */
export function Revision(props: { sha?: string; url?: string }) {
  if (!props.sha) return <span class="muted">none</span>;
  const short = props.sha.slice(0, 7);
  return props.url ? (
    <a href={props.url} title={props.sha} data-testid="revision" rel="noreferrer" target="_blank">
      <code>{short}</code>
    </a>
  ) : (
    <code title={props.sha} data-testid="revision">
      {short}
    </code>
  );
}
