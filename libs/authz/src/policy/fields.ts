import type { securityV1 } from '@ambit/xds';
import { CidrSet } from '../ip/cidr-set.js';
import { StringMatchers } from '../match/string-matchers.js';

/** Reports a bad field (its path below the match) and does not return. */
export type FieldFailure = (field: string, reason: string) => never;

export function strings(values: readonly securityV1.StringMatch[], field: string, fail: FieldFailure): StringMatchers | undefined {
  if (values.length === 0) return undefined;
  return StringMatchers.compile(values, (i, reason) => fail(`${field}[${i}]`, reason));
}

export function cidrs(values: readonly securityV1.CidrBlock[], field: string, fail: FieldFailure): CidrSet | undefined {
  if (values.length === 0) return undefined;
  return CidrSet.compile(values, (i, part, reason) => fail(`${field}[${i}].${part}`, reason));
}

/** Ports travel as uint32; ztunnel truncates them to u16 (65536 becomes 0), Ambit refuses them. */
export function ports(values: readonly number[], field: string, fail: FieldFailure): Uint16Array | undefined {
  if (values.length === 0) return undefined;
  values.forEach((port, i) => {
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`${field}[${i}]`, `${port} is not a port (0-65535)`);
  });
  return Uint16Array.from(values);
}
