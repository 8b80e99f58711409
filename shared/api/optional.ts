// `{ key: value }` when the value is there, `{}` when not: the answers leave absent fields out
// rather than sending nulls (exactOptionalPropertyTypes-friendly spreads).
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
