// Kubernetes' quantity library for CEL (`quantity('1Gi')`, isQuantity, compareTo, add, sub,
// isLessThan, isGreaterThan, isInteger, asInteger, asApproximateFloat, sign), on exact
// rationals so `quantity('1Gi').isGreaterThan(quantity('1000Mi'))` is decided without rounding.
// The quantity grammar is Kubernetes' resource.Quantity: a signed decimal number, then a binary
// suffix (Ki … Ei), a decimal suffix (n u m k M G T P E) or a decimal exponent (e3, E-2).

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const GRAMMAR = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

export class Quantity {
  /** value = numerator / denominator, denominator > 0. */
  readonly numerator: bigint;
  readonly denominator: bigint;
  readonly text: string;

  constructor(numerator: bigint, denominator: bigint, text: string) {
    const divisor = gcd(numerator < 0n ? -numerator : numerator, denominator) || 1n;
    this.numerator = numerator / divisor;
    this.denominator = denominator / divisor;
    this.text = text;
  }

  compareTo(other: Quantity): bigint {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    return left < right ? -1n : left > right ? 1n : 0n;
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.numerator * other.denominator + other.numerator * this.denominator, this.denominator * other.denominator, '');
  }

  negate(): Quantity {
    return new Quantity(-this.numerator, this.denominator, '');
  }

  isInteger(): boolean {
    return this.numerator % this.denominator === 0n && this.numerator / this.denominator <= INT64_MAX && this.numerator / this.denominator >= INT64_MIN;
  }

  asInteger(): bigint {
    if (this.numerator % this.denominator !== 0n) throw new Error(`quantity ${this.text || this.toString()} is not an integer`);
    const value = this.numerator / this.denominator;
    if (value > INT64_MAX || value < INT64_MIN) throw new Error(`quantity ${this.text || this.toString()} does not fit in an int64`);
    return value;
  }

  asApproximateFloat(): number {
    return Number(this.numerator) / Number(this.denominator);
  }

  sign(): bigint {
    return this.numerator < 0n ? -1n : this.numerator > 0n ? 1n : 0n;
  }

  toString(): string {
    return this.denominator === 1n ? String(this.numerator) : `${this.numerator}/${this.denominator}`;
  }
}

/** The quantity `text` stands for, or undefined when it is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  const parts = GRAMMAR.exec(text);
  if (!parts) return undefined;
  const [, sign, number, suffix] = parts as unknown as [string, string, string, string];
  const [whole, fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole || '0'}${fraction}`) * (sign === '-' ? -1n : 1n);
  let denominator = 10n ** BigInt(fraction.length);
  if (suffix in BINARY) {
    numerator *= 2n ** BigInt(BINARY[suffix]!);
  } else {
    const exponent = suffix in DECIMAL ? DECIMAL[suffix]! : /^[eE][+-]?\d+$/.test(suffix) ? Number(suffix.slice(1)) : undefined;
    if (exponent === undefined) return undefined;
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  return new Quantity(numerator, denominator, text);
}

export function quantityOf(text: string): Quantity {
  const quantity = parseQuantity(text);
  if (!quantity) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(text)}`);
  return quantity;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
