import type { l7V1 } from '@ambit/xds';

/** gRPC status codes by name, for `abort.grpcStatus` (Istio writes names). */
const GRPC_STATUS: Readonly<Record<string, number>> = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
};

/** What a fault decided for one request. */
export interface FaultDecision {
  /** Milliseconds to hold the request (response flag DI). */
  readonly delayMs: number;
  /** Answer instead of forwarding (response flag FI). */
  readonly abort: { readonly kind: 'http'; readonly status: number } | { readonly kind: 'grpc'; readonly code: number } | undefined;
}

/** The gRPC status number of a name (or a number written as text); undefined for an unknown name. */
export function grpcStatusCode(name: string): number | undefined {
  const upper = name.toUpperCase();
  if (upper in GRPC_STATUS) return GRPC_STATUS[upper];
  const code = Number(name);
  return Number.isInteger(code) && code >= 0 && code <= 16 ? code : undefined;
}

/**
 * Rolls Envoy's fault filter for one request: the delay and the abort each happen with
 * their own percentage (0-100 with fractions), the delay first.
 */
export function decideFault(fault: l7V1.FaultInjection, random: () => number): FaultDecision {
  const delay = fault.delay;
  const delayMs = delay !== null && delay.fixedDelayMs > 0 && roll(delay.percent, random) ? delay.fixedDelayMs : 0;
  const abort = fault.abort;
  if (abort === null || !roll(abort.percent, random)) return { delayMs, abort: undefined };
  switch (abort.error) {
    case 'httpStatus':
      return { delayMs, abort: { kind: 'http', status: abort.httpStatus } };
    case 'grpcStatus':
      return { delayMs, abort: { kind: 'grpc', code: grpcStatusCode(abort.grpcStatus) ?? GRPC_STATUS.UNAVAILABLE! } };
    default:
      return { delayMs, abort: undefined };
  }
}

function roll(percent: number, random: () => number): boolean {
  return percent >= 100 || random() * 100 < percent;
}
