// Fault injection: make chosen requests fail, stall or lose their connection, so the
// engine's retries and timeouts can be tested against a server that misbehaves on cue.

export interface FaultRule {
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  status?: 429 | 500 | 503;
  retryAfterSeconds?: number;
  /** Destroy the socket instead of answering. */
  drop?: boolean;
  latencyMs?: number;
  /** Only the next N matching requests. */
  times?: number;
  /** Probability 0..1 that a matching request is hit. */
  rate?: number;
}

export interface FaultTarget {
  verb: string;
  resource?: string;
  namespace?: string;
  name?: string;
}

export interface FaultOutcome {
  latencyMs: number;
  status?: 429 | 500 | 503;
  retryAfterSeconds?: number;
  drop: boolean;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export class Faults {
  /** Added to every request, faults or not. */
  latencyMs: number;
  private rules: ActiveRule[] = [];
  private readonly random: () => number;

  constructor(latencyMs = 0, random: () => number = Math.random) {
    this.latencyMs = latencyMs;
    this.random = random;
  }

  inject(rule: FaultRule): void {
    this.rules.push({ rule: { ...rule }, remaining: rule.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  /** @internal Decides what happens to one request; consumes `times` of the rules it hits. */
  evaluate(target: FaultTarget): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: this.latencyMs, drop: false };
    for (const active of this.rules) {
      const { rule } = active;
      if (active.remaining <= 0 || !applies(rule, target)) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      active.remaining -= 1;
      outcome.latencyMs += rule.latencyMs ?? 0;
      if (rule.drop) outcome.drop = true;
      if (rule.status && outcome.status === undefined) {
        outcome.status = rule.status;
        outcome.retryAfterSeconds = rule.retryAfterSeconds;
      }
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return outcome;
  }
}

function applies(rule: FaultRule, target: FaultTarget): boolean {
  return (
    (rule.verb === undefined || rule.verb === target.verb) &&
    (rule.resource === undefined || rule.resource === target.resource) &&
    (rule.namespace === undefined || rule.namespace === target.namespace) &&
    (rule.name === undefined || rule.name === target.name)
  );
}
