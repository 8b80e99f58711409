// Kubernetes objects (JSON) as CEL values: whole numbers become CEL ints (BigInt), as the API
// server reads int64 fields, so `string(object.spec.replicas)` is "5", not "5.0", and
// `object.spec.replicas + 1` type-checks. Other values pass as they are.

export function celValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(celValue);
  if (value !== null && typeof value === 'object') {
    const converted: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) converted[key] = celValue(item);
    return converted;
  }
  return value;
}

/** A CEL result back as JSON-friendly text, for messages. */
export function celText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}
