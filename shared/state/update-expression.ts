// Builds an UpdateItem expression from plain values, with placeholders for every name and
// value so attribute names never collide with DynamoDB's reserved words (`owner`, `name`, ...).

export interface UpdateParts {
  set?: Record<string, unknown>;
  /** Written only when the attribute does not exist yet. */
  setIfMissing?: Record<string, unknown>;
  add?: Record<string, number>;
  remove?: string[];
}

export interface UpdateExpression {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private readonly placeholders = new Map<string, string>();

  name(attribute: string): string {
    let placeholder = this.placeholders.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.placeholders.size}`;
      this.placeholders.set(attribute, placeholder);
      this.names[placeholder] = attribute;
    }
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  /** Names and values for a request; DynamoDB rejects an empty value map. */
  attributes(): Pick<UpdateExpression, 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
    return {
      ExpressionAttributeNames: this.names,
      ...(Object.keys(this.values).length > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

/** Undefined values are skipped: "not given" never means "delete" (that is what `remove` is for). */
export function buildUpdate(parts: UpdateParts, builder = new ExpressionBuilder()): UpdateExpression {
  const sets: string[] = [];
  for (const [attribute, value] of Object.entries(parts.set ?? {})) {
    if (value !== undefined) sets.push(`${builder.name(attribute)} = ${builder.value(value)}`);
  }
  for (const [attribute, value] of Object.entries(parts.setIfMissing ?? {})) {
    if (value === undefined) continue;
    const name = builder.name(attribute);
    sets.push(`${name} = if_not_exists(${name}, ${builder.value(value)})`);
  }
  const adds = Object.entries(parts.add ?? {}).map(([attribute, value]) => `${builder.name(attribute)} ${builder.value(value)}`);
  const removes = (parts.remove ?? []).map((attribute) => builder.name(attribute));
  const clauses = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
    removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
  ].filter((clause) => clause !== '');
  return { UpdateExpression: clauses.join(' '), ...builder.attributes() } as UpdateExpression;
}
