import { BlockList } from 'node:net';
import { cpus } from 'node:os';
import { AuthorizationEngine, PolicyStore, type Connection } from '@ambit/authz';
import { SpiffeId } from '@ambit/crypto';
import { securityV1 } from '@ambit/xds';
import { medianMs } from './measure.js';

/**
 * L4 authorization throughput: `AuthorizationEngine.decide` for inbound connections to a
 * workload with 0, 1, 100 and 1,000 policies in scope, beside the baseline of Node's
 * native `BlockList.check` of one address against one subnet, measured in the same run.
 * Every policy in scope is evaluated (the only matching one sorts last), so the figures
 * are the worst case for each count. Allocation per decision is the heap growth over a
 * batch that fits in the young generation (run with --expose-gc and a 64 MiB
 * semi-space, as the command in docs/benchmarks.md does). `--quick` for a short run;
 * AMBIT_BENCH_DECISIONS sets decisions per round (fewer with many policies, so that a
 * round stays near a second); AMBIT_BENCH_POLICIES the counts, e.g. "0,1,100,1000".
 */
const quick = process.argv.includes('--quick');
const decisions = Number(process.env['AMBIT_BENCH_DECISIONS'] ?? (quick ? 20_000 : 100_000));
const runs = quick ? 3 : 7;
const NAMESPACE = 'bench';

const ip = (a: number, b: number, c: number, d: number): Uint8Array => Uint8Array.of(a, b, c, d);
const exact = (value: string): securityV1.StringMatch => ({ matchType: 'exact', exact: value });
function match(fields: Partial<securityV1.Match>): securityV1.Match {
  return {
    namespaces: [], notNamespaces: [], principals: [], notPrincipals: [], sourceIps: [], notSourceIps: [], destinationIps: [], notDestinationIps: [], destinationPorts: [], notDestinationPorts: [],
    hosts: [], notHosts: [], methods: [], notMethods: [], paths: [], notPaths: [], remoteIps: [], notRemoteIps: [], requestPrincipals: [], notRequestPrincipals: [],
    audiences: [], notAudiences: [], presenters: [], notPresenters: [], serverNames: [], notServerNames: [], headers: [], claims: [],
    ...fields,
  };
}

/** Policy i of a realistic mix that never matches the benchmark's callers: a fifth DENY by namespace and address, the rest ALLOW by principal and port. */
function policy(i: number, count: number): securityV1.Authorization {
  const name = i === count - 1 ? 'zz-allow-callers' : `p-${String(i).padStart(5, '0')}`;
  const base = { name, namespace: NAMESPACE, scope: securityV1.Scope.NAMESPACE, services: [], dryRun: false };
  if (i === count - 1) {
    return { ...base, action: securityV1.Action.ALLOW, groups: [{ rules: [{ matches: [match({ principals: [{ matchType: 'prefix', prefix: 'cluster.local/ns/callers/' }] })] }, { matches: [match({ destinationPorts: [8080] })] }] }] };
  }
  if (i % 5 === 0) {
    return { ...base, action: securityV1.Action.DENY, groups: [{ rules: [{ matches: [match({ namespaces: [exact(`blocked-${i}`)] }), match({ sourceIps: [{ address: ip(192, 168, i % 256, 0), length: 24 }] })] }] }] };
  }
  const principals = [0, 1, 2].map((k) => exact(`cluster.local/ns/team-${i}/sa/svc-${k}`));
  return { ...base, action: securityV1.Action.ALLOW, groups: [{ rules: [{ matches: [match({ principals, notSourceIps: [{ address: ip(10, 99, 0, 0), length: 16 }] })] }, { matches: [match({ destinationPorts: [8080, 8443] })] }] }] };
}

function engineWith(count: number): AuthorizationEngine {
  const store = new PolicyStore();
  const upserted = Array.from({ length: count }, (_, i) => ({ name: `${NAMESPACE}/${policy(i, count).name}`, version: '1', resource: policy(i, count) }));
  const { rejected } = store.apply({ upserted, removed: [] });
  if (rejected.length > 0) throw rejected[0];
  return new AuthorizationEngine(store);
}

// 64 distinct callers, as a node's inbound listener would see them.
const connections: Connection[] = Array.from({ length: 64 }, (_, i) => ({
  identity: SpiffeId.of({ trustDomain: 'cluster.local', namespace: 'callers', serviceAccount: `client-${i}` }),
  sourceIp: `10.${i}.0.${(i * 7) % 250}`,
  destinationIp: '10.1.0.1',
  destinationPort: 8080,
  destination: { namespace: NAMESPACE, authorizationPolicies: [] },
}));

/** Decisions per round for `count` policies in scope. */
const roundOf = (count: number): number => Math.max(1000, Math.min(decisions, Math.floor((decisions * 100) / Math.max(1, count))));

function loop(engine: AuthorizationEngine, round: number): void {
  for (let i = 0; i < round; i++) {
    if (!engine.decide(connections[i & 63]!).allowed) throw new Error('the benchmark caller was refused');
  }
}

/** Heap growth per decision over a batch, or undefined without --expose-gc. */
function bytesPerDecision(engine: AuthorizationEngine, count: number): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  const batch = Math.min(20_000, roundOf(count));
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < batch; i++) engine.decide(connections[i & 63]!);
  return (process.memoryUsage().heapUsed - before) / batch;
}

const blockList = new BlockList();
blockList.addSubnet('10.0.0.0', 8, 'ipv4');
const baselineMs = medianMs(runs, () => {
  for (let i = 0; i < decisions; i++) blockList.check(connections[i & 63]!.sourceIp, 'ipv4');
});

console.log(
  `authz decide — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}, up to ${decisions.toLocaleString('en')} decisions per round, median of ${runs}`,
);
console.log('| policies in scope | decisions/s | µs/decision | cost vs baseline | bytes allocated/decision |');
console.log('|---|---|---|---|---|');
const perSecond = (ms: number, round: number): number => (round / ms) * 1000;
const baseline = perSecond(baselineMs, decisions);
const row = (what: string, rate: number, cost: string, bytes: string): string => `| ${what} | ${Math.round(rate).toLocaleString('en')} | ${(1e6 / rate).toFixed(3)} | ${cost} | ${bytes} |`;
console.log(row('`BlockList.check`, one subnet (baseline)', baseline, '1.00×', ''));
for (const count of (process.env["AMBIT_BENCH_POLICIES"] ?? "0,1,100,1000").split(",").map(Number)) {
  const engine = engineWith(count);
  const round = roundOf(count);
  const rate = perSecond(medianMs(runs, () => loop(engine, round)), round);
  const bytes = bytesPerDecision(engine, count);
  console.log(row(count.toLocaleString('en'), rate, `**${(baseline / rate).toFixed(2)}×**`, bytes === undefined ? 'n/a' : bytes.toFixed(1)));
}
