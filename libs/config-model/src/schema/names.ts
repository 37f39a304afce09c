import { isIP } from 'node:net';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL_ANY_CASE = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Kubernetes DNS-1123 label (namespaces, service names, port names): an error or undefined. */
export function checkDns1123Label(value: string): string | undefined {
  if (value.length > 63) return `"${value}" is longer than 63 characters`;
  if (!DNS1123_LABEL.test(value)) {
    return `"${value}" must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character`;
  }
  return undefined;
}

/** Kubernetes DNS-1123 subdomain (most object names): an error or undefined. */
export function checkDns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return `"${value}" is longer than 253 characters`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return `"${value}" must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character`;
  }
  return undefined;
}

/** Kubernetes label or annotation key: `[prefix/]name`. */
export function checkQualifiedName(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined) {
    if (prefix.length === 0) return `key "${key}" has an empty prefix`;
    const err = checkDns1123Subdomain(prefix);
    if (err !== undefined) return `key "${key}" prefix ${err}`;
  }
  if (name.length === 0 || name.length > 63) return `key "${key}" name part must be 1 to 63 characters`;
  if (!LABEL_NAME.test(name)) {
    return `key "${key}" must consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character`;
  }
  return undefined;
}

export function checkLabelValue(value: string): string | undefined {
  if (value.length > 63) return `label value "${value}" is longer than 63 characters`;
  if (!LABEL_VALUE.test(value)) {
    return `label value "${value}" must be empty or consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`;
  }
  return undefined;
}

/**
 * Istio's ValidateWildcardDomain: a DNS name whose first label may be `*` or start
 * with `*` (e.g. `*.example.com`, `*`); at most 255 characters.
 */
export function checkWildcardDomain(host: string): string | undefined {
  if (host.length === 0) return 'host must not be empty';
  if (host.length > 255) return `host "${host}" is longer than 255 characters`;
  const dot = host.indexOf('.');
  const first = dot === -1 ? host : host.slice(0, dot);
  const rest = dot === -1 ? undefined : host.slice(dot + 1);
  if (!isWildcardLabel(first)) return `host "${host}" is invalid (label "${first}" invalid)`;
  return rest === undefined ? undefined : checkDnsLabels(host, rest);
}

/** A DNS name with no wildcard at all (e.g. ServiceEntry endpoints, JWKS hosts). */
export function checkDnsName(host: string): string | undefined {
  if (host.length === 0) return 'host must not be empty';
  if (host.length > 255) return `host "${host}" is longer than 255 characters`;
  return checkDnsLabels(host, host);
}

function checkDnsLabels(host: string, labels: string): string | undefined {
  const parts = labels.split('.');
  // A trailing dot (fully qualified form) leaves one empty last label, which is allowed.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  for (const label of parts) {
    if (label.length === 0 || label.length > 63 || !DNS1123_LABEL_ANY_CASE.test(label)) {
      return `host "${host}" is invalid (label "${label}" invalid)`;
    }
  }
  return undefined;
}

function isWildcardLabel(label: string): boolean {
  if (label.length === 0 || label.length > 63) return false;
  if (DNS1123_LABEL_ANY_CASE.test(label)) return true;
  if (label === '*') return true;
  if (!label.startsWith('*')) return false;
  const rest = label.slice(1);
  return /^-?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/.test(rest) || /^[A-Za-z0-9-]*$/.test(rest);
}

export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

/** An IP address or CIDR block (`10.0.0.0/8`, `2001:db8::/32`): an error or undefined. */
export function checkIpOrCidr(value: string): string | undefined {
  const slash = value.indexOf('/');
  const ip = slash === -1 ? value : value.slice(0, slash);
  const family = isIP(ip);
  if (family === 0) return `"${value}" is not an IP address or CIDR block`;
  if (slash === -1) return undefined;
  const bits = value.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${value}" has an invalid prefix length (0-${max})`;
  return undefined;
}
