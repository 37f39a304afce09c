import type { securityV1 } from '@ambit/xds';
import type { StateErrors } from '../errors.js';
import { enumName, failFor, ip, portNumber, required, type Fail } from './convert-common.js';
import type { Policy } from '../types.js';

const SCOPES = ['GLOBAL', 'NAMESPACE', 'WORKLOAD_SELECTOR'] as const;
const ACTIONS = ['ALLOW', 'DENY', 'AUDIT'] as const;
const CIDR_FIELDS = ['sourceIps', 'notSourceIps', 'destinationIps', 'notDestinationIps'] as const;
const PORT_FIELDS = ['destinationPorts', 'notDestinationPorts'] as const;
const STRING_FIELDS = ['namespaces', 'notNamespaces', 'principals', 'notPrincipals'] as const;

/**
 * Validates an Authorization resource. The policy is kept in its wire form (what
 * libs/authz evaluates); this only refuses what an evaluator could not read safely:
 * unknown scopes or actions, malformed CIDRs and ports, empty string matches.
 */
export function convertPolicy(name: string, authorization: securityV1.Authorization, errors: StateErrors): Policy {
  const fail = failFor(errors, 'Authorization', name);
  const namespace = required(authorization.namespace, 'namespace', fail);
  const key = `${namespace}/${required(authorization.name, 'name', fail)}`;
  if (key !== name) fail('name', `${JSON.stringify(key)} (namespace/name) differs from the resource name`);
  enumName(authorization.scope, SCOPES, 'scope', fail);
  enumName(authorization.action, ACTIONS, 'action', fail);
  authorization.groups.forEach((group, g) =>
    group.rules.forEach((rules, r) => rules.matches.forEach((match, m) => checkMatch(match, `groups[${g}].rules[${r}].matches[${m}]`, fail))),
  );
  return { key, authorization };
}

function checkMatch(match: securityV1.Match, field: string, fail: Fail): void {
  for (const name of CIDR_FIELDS) {
    match[name].forEach((cidr, i) => {
      const bits = ip(cidr.address, `${field}.${name}[${i}].address`, fail).includes(':') ? 128 : 32;
      if (cidr.length > bits) fail(`${field}.${name}[${i}].length`, `${cidr.length} is longer than the address (${bits} bits)`);
    });
  }
  for (const name of PORT_FIELDS) match[name].forEach((p, i) => portNumber(p, `${field}.${name}[${i}]`, fail));
  for (const name of STRING_FIELDS) {
    match[name].forEach((s, i) => {
      if (s.matchType === undefined) fail(`${field}.${name}[${i}]`, 'has no match (exact, prefix, suffix or presence)');
    });
  }
}
