import { isIP } from 'node:net';

/**
 * Name, host and address formats. Each check returns an error message, or undefined
 * when the value is valid. Kubernetes' formats (object names, label keys and values)
 * are lower case where Kubernetes says so; Istio's checks accept either case, as
 * Istio's `labels.IsDNS1123Label` does.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL_ANY_CASE = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const KIND_NAME = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

// ---------------------------------------------------------------------------
// Kubernetes

/** Kubernetes DNS-1123 label (namespaces, port names, container names). */
export function checkDns1123Label(value: string): string | undefined {
  if (value.length > 63) return `"${value}" is longer than 63 characters`;
  if (!DNS1123_LABEL.test(value)) {
    return `"${value}" must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character`;
  }
  return undefined;
}

/** Kubernetes DNS-1123 subdomain (most object names). */
export function checkDns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return `"${value}" is longer than 253 characters`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return `"${value}" must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character`;
  }
  return undefined;
}

/** Kubernetes DNS-1035 label (Service names): a DNS-1123 label that starts with a letter. */
export function checkDns1035Label(value: string): string | undefined {
  if (value.length > 63) return `"${value}" is longer than 63 characters`;
  if (!DNS1035_LABEL.test(value)) {
    return `"${value}" must consist of lower case alphanumeric characters or '-', start with a letter and end with an alphanumeric character`;
  }
  return undefined;
}

/** Kubernetes' IsFullyQualifiedDomainName (EndpointSlice FQDN addresses): lower case, at least two labels. */
export function checkKubernetesFqdn(value: string): string | undefined {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0) return 'must not be empty';
  if (name.length > 253) return `"${value}" is longer than 253 characters`;
  if (!name.includes('.')) return `"${value}" must be a fully qualified domain name with at least two labels`;
  if (!DNS1123_SUBDOMAIN.test(name) || name.split('.').some((label) => label.length > 63)) {
    return `"${value}" must consist of lower case alphanumeric labels of at most 63 characters separated by '.'`;
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

/** An API group in a reference (Gateway API, Istio policy targets): empty (the core group) or a DNS subdomain. */
export function checkApiGroup(value: string): string | undefined {
  if (value === '' || checkDns1123Subdomain(value) === undefined) return undefined;
  return `"${value}" must be empty (the core group) or a lower case DNS subdomain`;
}

/** A kind in a reference: letters, digits and '-', starting with a letter, at most 63 characters. */
export function checkKindName(value: string): string | undefined {
  if (value.length <= 63 && KIND_NAME.test(value)) return undefined;
  return `"${value}" must be a Kind name: letters, digits and "-", starting with a letter, at most 63 characters`;
}

/** A Gateway API hostname: a lower case DNS name, optionally prefixed by `*.`, at most 253 characters. */
export function checkGatewayApiHostname(value: string): string | undefined {
  if (value.length === 0) return 'hostname must not be empty';
  if (value.length > 253) return `hostname "${value}" is longer than 253 characters`;
  const name = value.startsWith('*.') ? value.slice(2) : value;
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return `hostname "${value}" must be a lower case DNS name, optionally prefixed by "*." (no port, no trailing dot)`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Istio

/** Istio's DNS-1123 label (labels.IsDNS1123Label): letters of either case, digits and '-', at most 63 characters. */
export function isIstioDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL_ANY_CASE.test(value);
}

/** Istio's ValidatePortName: a port name is an Istio DNS label. */
export function checkIstioPortName(name: string): string | undefined {
  if (isIstioDnsLabel(name)) return undefined;
  return `invalid port name "${name}": use at most 63 letters, digits or '-', starting and ending with a letter or digit`;
}

/**
 * Istio's ValidateWildcardDomain: a DNS name whose first label may be `*` or start
 * with `*` (`*.example.com`, `*`), at most 255 characters. After the first label, the
 * last one may not be all digits (the name would read as an IP address).
 */
export function checkWildcardDomain(host: string): string | undefined {
  if (host.length === 0) return 'host must not be empty';
  if (host.length > 255) return `host "${host}" is longer than 255 characters`;
  const dot = host.indexOf('.');
  const first = dot === -1 ? host : host.slice(0, dot);
  if (!isWildcardLabel(first)) return `host "${host}" is invalid (label "${first}" invalid)`;
  return dot === -1 ? undefined : checkDnsLabels(host, host.slice(dot + 1));
}

/**
 * Istio's ValidateFQDN: a DNS name without wildcards (ServiceEntry endpoints, gateway
 * names, tunnel hosts), at most 255 characters, whose last label is not all digits.
 */
export function checkDnsName(host: string): string | undefined {
  if (host.length === 0) return 'host must not be empty';
  if (host.length > 255) return `host "${host}" is longer than 255 characters`;
  return checkDnsLabels(host, host);
}

function checkDnsLabels(host: string, labels: string): string | undefined {
  const parts = labels.split('.');
  const last = parts[parts.length - 1]!;
  // A trailing dot (fully qualified form) leaves one empty last label, which is allowed.
  if (parts.length > 1 && last === '') parts.pop();
  for (const label of parts) {
    if (label.length === 0 || label.length > 63 || !DNS1123_LABEL_ANY_CASE.test(label)) {
      return `host "${host}" is invalid (label "${label}" invalid)`;
    }
  }
  // As Istio reads it, the top-level domain of `a.123.` is the empty label after the dot.
  if (/^\d+$/.test(last)) return `host "${host}" is invalid (top-level domain "${last}" cannot be all-numeric)`;
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

// ---------------------------------------------------------------------------
// IP addresses

/** 4, 6, or 0 when `value` is not an IP address. */
export function ipFamily(value: string): 0 | 4 | 6 {
  return isIP(value) as 0 | 4 | 6;
}

export function isIpAddress(value: string): boolean {
  return ipFamily(value) !== 0;
}

/** A CIDR block (`10.244.0.0/24`, `fd00::/64`): its IP family, or an error message. */
export function cidrFamily(value: string): 4 | 6 | string {
  const slash = value.indexOf('/');
  const family = slash === -1 ? 0 : ipFamily(value.slice(0, slash));
  if (family === 0) return `"${value}" is not a CIDR block (address/prefix-length)`;
  const bits = value.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${value}" has an invalid prefix length (0-${max})`;
  return family;
}

/** An IP address or CIDR block (`10.0.0.0/8`, `2001:db8::/32`). */
export function checkIpOrCidr(value: string): string | undefined {
  const slash = value.indexOf('/');
  if (!isIpAddress(slash === -1 ? value : value.slice(0, slash))) return `"${value}" is not an IP address or CIDR block`;
  if (slash === -1) return undefined;
  const family = cidrFamily(value);
  return typeof family === 'string' ? family : undefined;
}
