import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './cli-harness.js';

const fixtures = fileURLToPath(new URL('./fixtures/analyze', import.meta.url));
const clean = join(fixtures, 'clean');
const broken = join(fixtures, 'broken');
const routing = join(broken, 'routing.yaml');

/** What `analyze` prints for the broken fixture: each finding at its resource, with its field and code. */
const BROKEN_LINES = [
  `warning: ${routing}:1:1 DestinationRule shop/cart spec.host: AMB0202 cart.shop.svc.cluster.local uses no waypoint: ztunnel ignores DestinationRules, so only gateways apply this one (label the service or its namespace istio.io/use-waypoint=<waypoint>)`,
  `warning: ${routing}:1:1 DestinationRule shop/cart spec.subsets[1].labels: AMB0107 subset "v2" (version=v2) matches no workload of cart.shop.svc.cluster.local: requests routed to it fail with 503 (no healthy upstream) (fix the labels, deploy the workloads, or remove the subset)`,
  `${routing}:12:1 VirtualService shop/cart spec.gateways[1]: AMB0105 Gateway shop/shop-gateway does not exist (a name without namespace is looked up in shop; write <namespace>/shop-gateway for another namespace)`,
  `warning: ${routing}:12:1 VirtualService shop/cart spec.hosts: AMB0201 cart.shop.svc.cluster.local uses no waypoint: in ambient mode ztunnel does not apply VirtualServices, so these routes do nothing for mesh traffic (label the service or its namespace istio.io/use-waypoint=<waypoint>, or bind the VirtualService to gateways only)`,
  `${routing}:12:1 VirtualService shop/cart spec.http[0].route[0].destination.subset: AMB0103 subset "v3" of cart.shop.svc.cluster.local is defined by no DestinationRule (defined subsets: v1, v2)`,
  `${routing}:12:1 VirtualService shop/cart spec.http[0].route[1].destination.host: AMB0102 destination host carts.shop.svc.cluster.local matches no Service or ServiceEntry visible in namespace shop (a short name is looked up in the VirtualService's namespace (carts.shop.svc.cluster.local); use the service's full name for another namespace)`,
  `${routing}:25:1 AuthorizationPolicy shop/cart-readers spec.targetRefs[0]: AMB0203 cart.shop.svc.cluster.local has no waypoint, and ztunnel does not enforce policies attached with targetRefs: this policy is enforced nowhere there (label the service or its namespace istio.io/use-waypoint=<waypoint>, or use a selector for an L4 policy that ztunnel enforces)`,
  `warning: ${routing}:37:1 Sidecar shop/default: AMB0401 a Sidecar configures sidecar proxies; workloads in the ambient mesh have none, so it has no effect (remove it; use a waypoint for what needs a proxy at L7)`,
  '✘ 7 resources in 2 files: 4 errors, 4 warnings, 0 info',
  '',
];

const ONLY_WARNINGS = `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec:
  egress: [{hosts: ["./*"]}]
`;

describe('ambitctl analyze', () => {
  it('exits 0 and says so when every reference resolves', async () => {
    const { code, stdout } = await run(['analyze', '-f', clean]);
    expect(stdout).toBe('✔ 8 resources in 2 files: no findings\n');
    expect(code).toBe(0);
  });

  it('prints each finding at its resource with field path, code and hint, and exits 1 on errors', async () => {
    const { code, stdout } = await run(['analyze', '-f', broken]);
    expect(stdout.split('\n')).toEqual(BROKEN_LINES);
    expect(code).toBe(1);
  });

  it('exits 0 on warnings alone', async () => {
    const { code, stdout } = await run(['analyze', '-f', '-'], ONLY_WARNINGS);
    expect(stdout).toMatch(/^warning: <stdin>:1:1 Sidecar shop\/default: AMB0401 .*\n✔ 1 resource in 1 file: 0 errors, 1 warning, 0 info\n$/);
    expect(code).toBe(0);
  });

  it('prints a stable JSON document for scripts', async () => {
    const { code, stdout } = await run(['analyze', '-f', broken, '-o', 'json']);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ ok: false, namespace: null, sources: 2, resources: 7, summary: { errors: 4, warnings: 4, info: 0 }, issues: [] });
    expect(doc.findings).toHaveLength(8);
    expect(doc.findings[4]).toEqual({
      code: 'AMB0103',
      severity: 'error',
      reason: 'NotFound',
      title: 'a route destination subset is defined by no DestinationRule of its host',
      doc: 'docs/analysis.md#amb0103',
      kind: 'VirtualService',
      namespace: 'shop',
      name: 'cart',
      file: routing,
      line: 12,
      column: 1,
      path: 'spec.http[0].route[0].destination.subset',
      message: 'subset "v3" of cart.shop.svc.cluster.local is defined by no DestinationRule',
      hint: 'defined subsets: v1, v2',
      text: BROKEN_LINES[4],
    });
    // Fields without a value are left out, never null.
    expect(Object.keys(doc.findings[7])).not.toContain('path');
  });

  it('reports only the namespace asked for with -n, which also names resources that name none', async () => {
    const other = 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: s, namespace: other}\nspec: {egress: [{hosts: ["./*"]}]}\n---\n';
    const { code, stdout } = await run(['analyze', '-f', '-', '-n', 'shop'], `${other}apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: mine}\nspec: {egress: [{hosts: ["./*"]}]}\n`);
    expect(stdout).toMatch(/^warning: <stdin>:6:1 Sidecar shop\/mine: AMB0401 [^\n]*\n✔ 2 resources in 1 file: 0 errors, 1 warning, 0 info\n$/);
    expect(code).toBe(0);
    expect((await run(['analyze', '-f', broken, '-n', 'elsewhere'])).stdout).toBe('✔ 7 resources in 2 files: no findings\n');
    expect((await run(['analyze', '-f', broken, '-A'])).stdout.split('\n')).toEqual(BROKEN_LINES);
  });

  it('reports invalid input as validate does, analyses the rest, and exits 1', async () => {
    const input = `${ONLY_WARNINGS}---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bad, namespace: shop}\nspec: {hosts: [a], htp: []}\n---\nkey: [unclosed\n`;
    const { code, stdout } = await run(['analyze', '-f', '-'], input);
    const lines = stdout.split('\n');
    expect(lines[1]).toBe('<stdin>:10:20 VirtualService shop/bad spec.htp: unknown field "htp" (did you mean "http"?)');
    expect(lines.some((l) => l.startsWith('<stdin>:13:') && l.includes('YAML syntax error'))).toBe(true);
    expect(lines).toContain('✘ 1 resource in 1 file: 3 errors, 1 warning, 0 info');
    expect(lines.some((l) => l.includes('AMB0401'))).toBe(true);
    expect(code).toBe(1);
  });

  it('reports unreadable paths as errors, not crashes', async () => {
    const missing = join(fixtures, 'nope');
    const { code, stdout } = await run(['analyze', '-f', missing]);
    expect(stdout).toContain(`${missing}: cannot read: no such file or directory`);
    expect(code).toBe(1);
  });

  it.each([
    [['analyze'], "required option '-f, --filename <path>' not specified"],
    [['analyze', '-f', clean, '-o', 'yaml'], "argument 'yaml' is invalid. must be one of text, json"],
    [['analyze', '-f', clean, '-n', 'shop', '-A'], "option '-n, --namespace <name>' cannot be used with option '-A, --all-namespaces'"],
  ])('exits 2 on usage error %j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(stderr).toContain(message);
    expect(code).toBe(2);
  });

  it('explains itself with --help', async () => {
    const { code, stdout } = await run(['analyze', '--help']);
    expect(stdout).toContain('Usage: ambitctl analyze [options]');
    expect(stdout).toContain('docs/analysis.md');
    expect(code).toBe(0);
  });
});

describe('the installed ambitctl binary', () => {
  const bin = fileURLToPath(new URL('../bin/ambitctl.mjs', import.meta.url));

  it('analyzes folders end to end with real exit codes', () => {
    const ok = spawnSync(process.execPath, [bin, 'analyze', '-f', clean], { encoding: 'utf8' });
    expect(ok.stdout).toBe('✔ 8 resources in 2 files: no findings\n');
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, 'analyze', '-f', broken], { encoding: 'utf8' });
    expect(bad.stdout.split('\n')).toEqual(BROKEN_LINES);
    expect(bad.status).toBe(1);
    const usage = spawnSync(process.execPath, [bin, 'analyze', '-f', clean, '-o', 'xml'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });
});
