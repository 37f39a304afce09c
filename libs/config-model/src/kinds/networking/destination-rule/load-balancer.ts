import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { exclusive, obj, report, warn } from '../../../schema/object.js';
import { duration, uint32 } from '../../../schema/primitives.js';
import { TOPOLOGY_LABELS, checkLocality, findLocalityOverlap } from './locality.js';

/** Envoy requires a prime Maglev table size below this. */
export const MAGLEV_MAX_TABLE_SIZE = 5_000_011;

export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n < 4) return true;
  if (n % 2 === 0) return false;
  for (let f = 3; f * f <= n; f += 2) if (n % f === 0) return false;
  return true;
}

const uint64 = () => z.int().min(0);

const httpCookie = () =>
  obj({
    name: z.string(),
    path: z.string().optional(),
    // A zero TTL is meaningful: a session cookie.
    ttl: duration({ allowZero: true }).optional(),
    attributes: z.array(obj({ name: z.string(), value: z.string().optional() })).optional(),
  }).superRefine((c, ctx) => {
    if (c.name === '') report(ctx, IssueCode.Value, 'cookie name must not be empty', { path: ['name'] });
  });

const maglev = () =>
  obj({ tableSize: uint64().optional() }).superRefine((m, ctx) => {
    const size = m.tableSize ?? 0;
    if (size === 0) report(ctx, IssueCode.Required, 'maglev needs a tableSize', { path: m.tableSize === undefined ? [] : ['tableSize'], hint: 'e.g. 65537, a prime' });
    else if (size >= MAGLEV_MAX_TABLE_SIZE) report(ctx, IssueCode.Value, `tableSize must be less than ${MAGLEV_MAX_TABLE_SIZE}, got ${size}`, { path: ['tableSize'] });
    else if (!isPrime(size)) report(ctx, IssueCode.Value, `tableSize must be a prime number, got ${size}`, { path: ['tableSize'], hint: 'e.g. 65537' });
  });

const HASH_KEYS = ['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName'] as const;

/** networking LoadBalancerSettings.ConsistentHashLB. */
export const consistentHash = () =>
  obj({
    httpHeaderName: z.string().optional(),
    httpCookie: httpCookie().optional(),
    useSourceIp: z.boolean().optional(),
    httpQueryParameterName: z.string().optional(),
    ringHash: obj({ minimumRingSize: uint64().optional() }).optional(),
    maglev: maglev().optional(),
    minimumRingSize: uint64().optional(),
  }).superRefine((h, ctx) => {
    exclusive(ctx, h, HASH_KEYS);
    exclusive(ctx, h, ['ringHash', 'maglev']);
    if (h.minimumRingSize !== undefined && h.minimumRingSize !== 0) {
      warn(ctx, IssueCode.Value, 'consistentHash minimumRingSize is deprecated, use ringHash.minimumRingSize instead', { path: ['minimumRingSize'] });
      if (h.ringHash !== undefined || h.maglev !== undefined) {
        report(ctx, IssueCode.Conflict, `minimumRingSize cannot be combined with ${h.ringHash !== undefined ? 'ringHash' : 'maglev'}`, {
          path: ['minimumRingSize'],
          hint: 'minimumRingSize is deprecated: use ringHash.minimumRingSize',
        });
      }
    }
  });

/** networking LocalityLoadBalancerSetting. */
export const localityLbSetting = () =>
  obj({
    distribute: z
      .array(
        obj({
          from: z.string().optional(),
          to: z.record(z.string(), uint32()).optional(),
        }),
      )
      .optional(),
    failover: z.array(obj({ from: z.string().optional(), to: z.string().optional() })).optional(),
    failoverPriority: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
  }).superRefine((lb, ctx) => {
    const distribute = lb.distribute ?? [];
    const failover = lb.failover ?? [];
    if (distribute.length > 0 && failover.length > 0) {
      report(ctx, IssueCode.Conflict, 'distribute and failover cannot both be set', { path: ['failover'] });
      return;
    }
    if (failover.length > 0) {
      (lb.failoverPriority ?? []).forEach((label, i) => {
        if (TOPOLOGY_LABELS.includes(label)) {
          report(ctx, IssueCode.Conflict, `failoverPriority cannot list the topology label "${label}" when failover is set`, {
            path: ['failoverPriority', i],
            hint: 'failover already orders endpoints by region, zone and subzone',
          });
        }
      });
    }
    distribute.forEach((d, i) => {
      const to = Object.entries(d.to ?? {});
      let weightsValid = true;
      for (const [locality, weight] of to) {
        if (weight < 1 || weight > 100) {
          report(ctx, IssueCode.Value, `locality weight must be between 1 and 100, got ${weight}`, { path: ['distribute', i, 'to', locality] });
          weightsValid = false;
        }
      }
      const total = to.reduce((sum, [, w]) => sum + w, 0);
      if (weightsValid && total !== 100) {
        report(ctx, IssueCode.Value, `the weights in "to" must add up to 100, got ${total}`, { path: ['distribute', i, 'to'] });
      }
      checkLocalityList(ctx, to.map(([l]) => l), (k) => ['distribute', i, 'to', to[k]![0]]);
    });
    checkLocalityList(ctx, distribute.map((d) => d.from ?? ''), (k) => ['distribute', k, 'from']);
    failover.forEach((f, i) => {
      const from = f.from ?? '';
      const to = f.to ?? '';
      if (from === to) report(ctx, IssueCode.Value, 'failover from and to must be different regions', { path: ['failover', i, 'to'] });
      if (from.includes('/') || to.includes('/')) {
        report(ctx, IssueCode.Value, 'failover from and to are regions: they cannot contain "/"', { path: ['failover', i, from.includes('/') ? 'from' : 'to'] });
      }
      if (from.includes('*') || to.includes('*')) {
        report(ctx, IssueCode.Value, 'failover regions cannot contain "*"', { path: ['failover', i, from.includes('*') ? 'from' : 'to'] });
      }
    });
  });

function checkLocalityList(ctx: z.RefinementCtx, localities: string[], pathOf: (index: number) => PropertyKey[]): void {
  for (let k = 0; k < localities.length; k++) {
    const err = checkLocality(localities[k]!);
    if (err !== undefined) {
      report(ctx, IssueCode.Value, err, { path: pathOf(k), hint: 'write region, region/zone or region/zone/subzone; "*" may end it' });
      return;
    }
  }
  const overlap = findLocalityOverlap(localities);
  if (overlap !== undefined) {
    report(ctx, IssueCode.Conflict, `locality "${localities[overlap.index]!}" overlaps "${overlap.earlier}"`, { path: pathOf(overlap.index) });
  }
}

/** networking WarmupConfiguration. */
const warmup = () =>
  obj({
    duration: duration(),
    minimumPercent: z.number().min(0).max(100).optional(),
    aggression: z.number().min(1).optional(),
  });

export const SIMPLE_LB = ['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST'] as const;

/** networking LoadBalancerSettings. */
export const loadBalancerSettings = () =>
  obj({
    simple: z.enum(SIMPLE_LB).optional(),
    consistentHash: consistentHash().optional(),
    localityLbSetting: localityLbSetting().optional(),
    warmupDurationSecs: duration().optional(),
    warmup: warmup().optional(),
  }).superRefine((lb, ctx) => {
    exclusive(ctx, lb, ['simple', 'consistentHash']);
  });

export type LoadBalancerOutput = z.output<ReturnType<typeof loadBalancerSettings>>;
