// The Kubernetes CEL libraries, with the results the Kubernetes documentation ("CEL in
// Kubernetes": quantity, list, regex and URL libraries, the strings extension) gives for them.
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../shared/policy/cel/environment.ts';

const run = (expression: string, activation: Record<string, unknown> = {}) => compileExpression(expression)(activation);

describe('Kubernetes CEL libraries', () => {
  it.each([
    ["quantity('50M').isLessThan(quantity('100M'))", true],
    ["quantity('1Gi').isGreaterThan(quantity('1000Mi'))", true],
    ["quantity('200M').compareTo(quantity('0.2G'))", 0n],
    ["quantity('1Mi').compareTo(quantity('1M'))", 1n],
    ["quantity('50k').asInteger()", 50000n],
    ["quantity('50.703k').asApproximateFloat()", 50703],
    ["quantity('500000G').isInteger()", true],
    ["quantity('9999999999999999999999999999999999999G').isInteger()", false],
    ["quantity('50k').add(20).compareTo(quantity('50020'))", 0n],
    ["quantity('50k').sub(quantity('20k')).asInteger()", 30000n],
    ["quantity('-5m').sign()", -1n],
    ["isQuantity('20')", true],
    ["isQuantity('20M ')", false],
    ['[1, 2, 3, 4].isSorted()', true],
    ["['b', 'a'].isSorted()", false],
    ['[1, 2, 3].sum()', 6n],
    ['[1.5, 2.5].sum()', 4],
    ['[3, 1, 2].min()', 1n],
    ["['a', 'c', 'b'].max()", 'c'],
    ['[1, 2, 2, 3].indexOf(2)', 1n],
    ['[1, 2, 2, 3].lastIndexOf(2)', 2n],
    ["'hello'.replace('l', 'L')", 'heLLo'],
    ["'hello'.replace('l', 'L', 1)", 'heLlo'],
    ["'Hello'.lowerAscii() + 'x'.upperAscii()", 'helloX'],
    ["'a,b,c'.split(',').join('-')", 'a-b-c'],
    ["'  x '.trim()", 'x'],
    ["'hello'.substring(1, 3)", 'el'],
    ["'hello'.charAt(1)", 'e'],
    ["'abc'.reverse()", 'cba'],
    ["'%s has %d replicas'.format(['web', 3])", 'web has 3 replicas'],
    ["'%.2f'.format([1.005e1])", '10.05'],
    ["'abc 123'.find('[0-9]+')", '123'],
    ["'abc'.find('[0-9]+')", ''],
    ["'123 abc 456'.findAll('[0-9]+')", ['123', '456']],
    ["'123 abc 456'.findAll('[0-9]+', 1)", ['123']],
    ["url('https://example.com:80/').getHost()", 'example.com:80'],
    ["url('https://example.com/path').getScheme()", 'https'],
    ["url('https://example.com:8080/').getPort()", '8080'],
    ["url('https://[::1]:80/').getHostname()", '::1'],
    ["url('https://example.com/path with spaces/').getEscapedPath()", '/path%20with%20spaces/'],
    ["url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()['k2']", ['b', 'c']],
    ["isURL('https://example.com/')", true],
    ["isURL('not a url')", false],
  ])('%s', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('has() and optional fields read absent fields without an error', () => {
    const object = { metadata: { name: 'web' }, spec: {} };
    expect(run('has(object.spec.replicas)', { object })).toBe(false);
    expect(run('object.?spec.?replicas.orValue(1)', { object })).toBe(1n);
  });

  it('quantity() of text that is no quantity is an error', () => {
    expect(() => run("quantity('five')")).toThrow(/quantities must match/);
  });
});
