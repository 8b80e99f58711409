// Object names as the API server validates them (k8s.io/apimachinery/pkg/util/validation):
// most kinds take a DNS-1123 subdomain, Namespaces and Services a DNS-1123 label, some a
// DNS-1035 label. The sync checks names before the first write; the sandbox refuses them.

export type NameRule = 'subdomain' | 'label' | 'dns1035';

export const NAME_RULES: Readonly<Record<NameRule, { pattern: RegExp; max: number }>> = {
  subdomain: { pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, max: 253 },
  label: { pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, max: 63 },
  dns1035: { pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, max: 63 },
};

export function isValidName(name: string, rule: NameRule): boolean {
  const { pattern, max } = NAME_RULES[rule];
  return name.length <= max && pattern.test(name);
}
