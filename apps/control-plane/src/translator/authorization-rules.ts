import { securityV1 } from '@ambit/xds';
import type { AuthorizationRule } from '@ambit/mesh-model';
import { cidrBlock } from './ip-bytes.js';
import { stringMatch } from './string-match.js';

type Match = securityV1.Match;
type Rules = securityV1.Rules;

// Every field at its default, as a decoder gives it: the list stays right when the proto grows.
const EMPTY_MATCH: Match = securityV1.Match.decode(securityV1.Match.encode({}));

/** A Match with the given fields set and the others empty. */
export function match(fields: Partial<Match>): Match {
  return { ...EMPTY_MATCH, ...fields };
}

/**
 * Who evaluates the rules: ztunnel sees connection attributes only (`l4`); a waypoint
 * sees the HTTP request too (`l7`).
 */
export type Layer = 'l4' | 'l7';

/** One rule converted: its clauses, and the attributes the layer cannot evaluate (left out of them). */
export interface ConvertedRule {
  readonly rules: Rules[];
  /** Field names or `when` keys, sorted and unique; empty when the layer enforces the whole rule. */
  readonly unsupported: readonly string[];
}

/**
 * One rule as Istio's handleRule builds it: its `to` matches, then its `from` matches,
 * then one Rules per `when` condition, all AND-ed. What the layer cannot evaluate is
 * left out (a `when` on such a key becomes an empty match) and named in `unsupported`,
 * so that the caller decides: drop the rule (ALLOW, AUDIT) or keep the rest (DENY).
 */
export function convertRule(rule: AuthorizationRule, namespace: string, layer: Layer): ConvertedRule {
  const unsupported = new Set<string>();
  const l7 = layer === 'l7';
  const rules: Rules[] = [];
  const to = (rule.to ?? []).map(({ operation: op }) => {
    const fields: Partial<Match> = { destinationPorts: ports(op?.ports), notDestinationPorts: ports(op?.notPorts) };
    if (!l7) return match(fields);
    const paths = pathMatches(op?.paths, 'paths', unsupported);
    const notPaths = pathMatches(op?.notPaths, 'notPaths', unsupported);
    return match({ ...fields, hosts: hosts(op?.hosts), notHosts: hosts(op?.notHosts), methods: strings(op?.methods), notMethods: strings(op?.notMethods), paths, notPaths });
  });
  const from = (rule.from ?? []).map(({ source: src }) => {
    const fields: Partial<Match> = {
      sourceIps: cidrs(src?.ipBlocks),
      notSourceIps: cidrs(src?.notIpBlocks),
      namespaces: strings(src?.namespaces),
      notNamespaces: strings(src?.notNamespaces),
      principals: [...strings(src?.principals), ...serviceAccounts(src?.serviceAccounts, namespace)],
      notPrincipals: [...strings(src?.notPrincipals), ...serviceAccounts(src?.notServiceAccounts, namespace)],
    };
    if (!l7) return match(fields);
    return match({
      ...fields,
      remoteIps: cidrs(src?.remoteIpBlocks),
      notRemoteIps: cidrs(src?.notRemoteIpBlocks),
      requestPrincipals: strings(src?.requestPrincipals),
      notRequestPrincipals: strings(src?.notRequestPrincipals),
    });
  });
  if (to.length > 0) rules.push({ matches: to });
  if (from.length > 0) rules.push({ matches: from });
  for (const when of rule.when ?? []) {
    const converted = whenMatch(when.key, when.values ?? [], when.notValues ?? [], namespace, layer);
    if (converted === undefined) unsupported.add(when.key);
    rules.push({ matches: [converted ?? EMPTY_MATCH] });
  }
  return { rules, unsupported: [...unsupported].sort() };
}

/** A `when` condition the layer evaluates, or undefined for a key it cannot. */
function whenMatch(key: string, values: readonly string[], notValues: readonly string[], namespace: string, layer: Layer): Match | undefined {
  switch (key) {
    case 'source.namespace':
      return match({ namespaces: strings(values), notNamespaces: strings(notValues) });
    case 'source.principal':
      return match({ principals: strings(values), notPrincipals: strings(notValues) });
    case 'source.ip':
      return match({ sourceIps: cidrs(values), notSourceIps: cidrs(notValues) });
    case 'destination.ip':
      return match({ destinationIps: cidrs(values), notDestinationIps: cidrs(notValues) });
    case 'destination.port':
      return match({ destinationPorts: ports(values), notDestinationPorts: ports(notValues) });
  }
  if (layer === 'l4') return undefined;
  switch (key) {
    case 'source.serviceAccount':
      return match({ principals: serviceAccounts(values, namespace), notPrincipals: serviceAccounts(notValues, namespace) });
    case 'remote.ip':
      return match({ remoteIps: cidrs(values), notRemoteIps: cidrs(notValues) });
    case 'request.auth.principal':
      return match({ requestPrincipals: strings(values), notRequestPrincipals: strings(notValues) });
    case 'request.auth.audiences':
      return match({ audiences: strings(values), notAudiences: strings(notValues) });
    case 'request.auth.presenter':
      return match({ presenters: strings(values), notPresenters: strings(notValues) });
    case 'connection.sni':
      return match({ serverNames: strings(values), notServerNames: strings(notValues) });
  }
  const header = bracketed(key, 'request.headers');
  if (header !== undefined && header.length === 1) return match({ headers: [{ key: [header[0]!.toLowerCase()], values: strings(values), notValues: strings(notValues) }] });
  const claim = bracketed(key, 'request.auth.claims');
  if (claim !== undefined) return match({ claims: [{ key: claim, values: strings(values), notValues: strings(notValues) }] });
  // request.experimental.inline.headers[…], experimental.envoy.filters.…: Envoy internals Ambit does not have.
  return undefined;
}

/** The bracketed names after `prefix`: `request.auth.claims[a][b]` gives ['a', 'b']; undefined if the key is not of that form. */
function bracketed(key: string, prefix: string): string[] | undefined {
  if (!key.startsWith(`${prefix}[`) || !key.endsWith(']')) return undefined;
  const inner = key.slice(prefix.length + 1, -1);
  const parts = inner.split('][');
  return parts.some((p) => p === '' || p.includes('[') || p.includes(']')) ? [inner] : parts;
}

function strings(values: readonly string[] | undefined): securityV1.StringMatch[] {
  return (values ?? []).map(stringMatch);
}

/** Host patterns, lower case: the waypoint lower-cases `:authority` too (Istio's HostMatcher ignores case). */
function hosts(values: readonly string[] | undefined): securityV1.StringMatch[] {
  return (values ?? []).map((v) => stringMatch(v.toLowerCase()));
}

/** Paths; a template (`{*}`, `{**}`) is not supported yet and is named in `unsupported`, its field left out. */
function pathMatches(values: readonly string[] | undefined, field: string, unsupported: Set<string>): securityV1.StringMatch[] {
  const list = values ?? [];
  if (list.some((p) => p.includes('{*}') || p.includes('{**}'))) {
    unsupported.add(`${field} (template)`);
    return [];
  }
  return list.map(stringMatch);
}

/**
 * `serviceAccounts` (`name` in the policy's namespace, or `namespace/name`) as a
 * principal suffix `/ns/<namespace>/sa/<name>`. Istio's newer workload API has a
 * dedicated match that ignores the trust domain; a suffix does the same, because no
 * trust domain, namespace or account name contains a "/".
 */
function serviceAccounts(values: readonly string[] | undefined, namespace: string): securityV1.StringMatch[] {
  return (values ?? []).map((value) => {
    const slash = value.indexOf('/');
    const [ns, sa] = slash < 0 ? [namespace, value] : [value.slice(0, slash), value.slice(slash + 1)];
    return { matchType: 'suffix', suffix: `/ns/${ns}/sa/${sa}` };
  });
}

/** Istio's stringToPort: decimal ports up to 65535; anything else is skipped. */
function ports(values: readonly string[] | undefined): number[] {
  return (values ?? []).filter((v) => /^\d+$/.test(v) && Number(v) <= 65535).map(Number);
}

/** Istio's stringToIP: IPs (full-length prefixes) and CIDRs; anything else is skipped. */
function cidrs(values: readonly string[] | undefined): securityV1.CidrBlock[] {
  return (values ?? []).flatMap((v) => {
    const block = cidrBlock(v);
    return block === undefined ? [] : [block];
  });
}
