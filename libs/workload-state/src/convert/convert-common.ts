import type { workloadV1 } from '@ambit/xds';
import type { StateErrors } from '../errors.js';
import { ipFromBytes } from '../ip.js';
import type { GatewayAddress, NetworkAddress, PortMap } from '../types.js';

/** Raises the problem of one field; bound to the resource being converted. */
export type Fail = (field: string, problem: string) => never;

export function failFor(errors: StateErrors, type: string, resource: string): Fail {
  return (field, problem) => {
    throw errors.invalidResource(type, resource, field, problem);
  };
}

/** The HBONE port a gateway without one listens on. */
export const DEFAULT_HBONE_PORT = 15008;

export function required(value: string, field: string, fail: Fail): string {
  if (value === '') fail(field, 'is required');
  return value;
}

export function ip(bytes: Uint8Array, field: string, fail: Fail): string {
  const text = ipFromBytes(bytes);
  if (text === undefined) fail(field, `${bytes.length} bytes is not an IPv4 (4 bytes) or IPv6 (16 bytes) address`);
  return text!;
}

export function portNumber(value: number, field: string, fail: Fail, { zeroAllowed = false } = {}): number {
  if (!Number.isInteger(value) || value > 65535 || value < (zeroAllowed ? 0 : 1)) fail(field, `${value} is not a port (${zeroAllowed ? 0 : 1} to 65535)`);
  return value;
}

/** Name of a proto3 enum value; a number a newer control plane added is refused rather than guessed at. */
export function enumName<T extends string>(value: number, names: readonly T[], field: string, fail: Fail): T {
  const name = names[value];
  if (name === undefined) fail(field, `${value} is not one of ${names.map((n, i) => `${n} (${i})`).join(', ')}`);
  return name!;
}

export function networkAddress(address: workloadV1.NetworkAddress, field: string, fail: Fail): NetworkAddress {
  return { network: address.network, address: ip(address.address, `${field}.address`, fail) };
}

export function portMap(ports: readonly workloadV1.Port[], field: string, fail: Fail): PortMap {
  const map = new Map<number, number>();
  ports.forEach((p, i) => {
    const servicePort = portNumber(p.servicePort, `${field}[${i}].servicePort`, fail);
    if (map.has(servicePort)) fail(`${field}[${i}].servicePort`, `${servicePort} is listed twice`);
    map.set(servicePort, portNumber(p.targetPort, `${field}[${i}].targetPort`, fail, { zeroAllowed: true }));
  });
  return map;
}

export function gatewayAddress(gateway: workloadV1.GatewayAddress | null, field: string, fail: Fail): GatewayAddress | undefined {
  if (gateway === null) return undefined;
  // 0 is proto3's "unset": the HBONE port then is the default, as the proto says.
  const hboneMtlsPort = gateway.hboneMtlsPort === 0 ? DEFAULT_HBONE_PORT : portNumber(gateway.hboneMtlsPort, `${field}.hboneMtlsPort`, fail);
  switch (gateway.destination) {
    case 'hostname':
      return {
        destination: {
          hostname: {
            namespace: required(gateway.hostname.namespace, `${field}.hostname.namespace`, fail),
            hostname: required(gateway.hostname.hostname, `${field}.hostname.hostname`, fail),
          },
        },
        hboneMtlsPort,
      };
    case 'address':
      return { destination: { address: networkAddress(gateway.address, `${field}.address`, fail) }, hboneMtlsPort };
    default:
      return fail(`${field}.destination`, 'is required (a hostname or an address)');
  }
}
