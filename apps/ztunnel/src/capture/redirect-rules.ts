import { CAPTURE, CHAINS } from './constants.js';

const hex = (value: number): string => `0x${value.toString(16)}`;
const PROXY_MARK = `${hex(CAPTURE.proxyMark)}/${hex(CAPTURE.markMask)}`;
const TPROXY_MARK = `${hex(CAPTURE.tproxyMark)}/${hex(CAPTURE.markMask)}`;

/** The built-in chain each of ztunnel's chains is jumped to from, per table. */
const JUMPS: readonly (readonly [table: 'mangle' | 'nat', from: 'PREROUTING' | 'OUTPUT', to: string])[] = [
  ['mangle', 'PREROUTING', CHAINS.prerouting],
  ['mangle', 'OUTPUT', CHAINS.output],
  ['nat', 'PREROUTING', CHAINS.prerouting],
  ['nat', 'OUTPUT', CHAINS.output],
];

/**
 * The in-pod redirect rules, as istio-cni installs them for ztunnel's in-pod mode (IPv4):
 *
 * - mangle PREROUTING: a packet carrying ztunnel's mark (its own connection into the
 *   pod, arriving over loopback) marks its connection, so that
 * - mangle OUTPUT: the application's replies get that mark back and, by the policy
 *   rule below, are routed to ztunnel's transparent socket instead of out of the pod;
 * - nat PREROUTING: incoming TCP not for 15008 and not from ztunnel → 15006;
 * - nat OUTPUT: replies of ztunnel's connections, and the pod talking to itself over
 *   loopback, pass; other outgoing TCP not from ztunnel → 15001.
 *
 * The text is for `iptables-restore --noflush`: declaring a chain creates or flushes it,
 * so applying twice leaves one copy. `presentJumps` are the jumps already in the
 * built-in chains (from `iptables-save`); only missing ones are added.
 */
export function installRules(presentJumps: ReadonlySet<string>): string {
  const rules: Record<'mangle' | 'nat', string[]> = {
    mangle: [
      `-A ${CHAINS.prerouting} -m mark --mark ${PROXY_MARK} -j CONNMARK --set-xmark ${TPROXY_MARK}`,
      `-A ${CHAINS.output} -m connmark --mark ${TPROXY_MARK} -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff`,
    ],
    nat: [
      `-A ${CHAINS.prerouting} ! -d 127.0.0.1/32 -p tcp -m tcp ! --dport ${CAPTURE.hbonePort} -m mark ! --mark ${PROXY_MARK} -j REDIRECT --to-ports ${CAPTURE.plaintextPort}`,
      `-A ${CHAINS.output} -p tcp -m mark --mark ${TPROXY_MARK} -j ACCEPT`,
      `-A ${CHAINS.output} ! -d 127.0.0.1/32 -o lo -j ACCEPT`,
      `-A ${CHAINS.output} ! -d 127.0.0.1/32 -p tcp -m mark ! --mark ${PROXY_MARK} -j REDIRECT --to-ports ${CAPTURE.outboundPort}`,
    ],
  };
  return (['mangle', 'nat'] as const)
    .map((table) =>
      [
        `*${table}`,
        `:${CHAINS.prerouting} - [0:0]`,
        `:${CHAINS.output} - [0:0]`,
        ...JUMPS.filter(([t, from, to]) => t === table && !presentJumps.has(jumpRule(table, from, to))).map(([, from, to]) => `-A ${from} -j ${to}`),
        ...rules[table],
        'COMMIT',
      ].join('\n'),
    )
    .join('\n')
    .concat('\n');
}

/**
 * The text for `iptables-restore --noflush` that removes what `installRules` added:
 * the jumps present, then ztunnel's chains (flushed, deleted). Empty when nothing of
 * ztunnel's is there, so releasing twice is harmless.
 */
export function removeRules(present: PresentRules): string {
  return (['mangle', 'nat'] as const)
    .map((table) => {
      const lines = [
        ...JUMPS.filter(([t, from, to]) => t === table && present.jumps.has(jumpRule(table, from, to))).map(([, from, to]) => `-D ${from} -j ${to}`),
        ...[CHAINS.prerouting, CHAINS.output].filter((chain) => present.chains.has(`${table} ${chain}`)).flatMap((chain) => [`-F ${chain}`, `-X ${chain}`]),
      ];
      return lines.length === 0 ? '' : [`*${table}`, ...lines, 'COMMIT', ''].join('\n');
    })
    .join('');
}

/** What of ztunnel's is in a pod's tables: jumps as `<table> -A <from> -j <to>`, chains as `<table> <chain>`. */
export interface PresentRules {
  readonly jumps: ReadonlySet<string>;
  readonly chains: ReadonlySet<string>;
}

function jumpRule(table: string, from: string, to: string): string {
  return `${table} -A ${from} -j ${to}`;
}

/** Reads `iptables-save` output for ztunnel's jumps and chains. */
export function presentRules(saved: string): PresentRules {
  const jumps = new Set<string>();
  const chains = new Set<string>();
  const ours = new Set<string>([CHAINS.prerouting, CHAINS.output]);
  let table = '';
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    else if (line.startsWith(':')) {
      const chain = line.slice(1).split(' ')[0]!;
      if (ours.has(chain)) chains.add(`${table} ${chain}`);
    } else {
      const jump = /^-A (PREROUTING|OUTPUT) -j (\S+)$/.exec(line.trim());
      if (jump !== null && ours.has(jump[2]!)) jumps.add(jumpRule(table, jump[1]!, jump[2]!));
    }
  }
  return { jumps, chains };
}

/**
 * The policy routing that completes the rules: packets carrying the connection mark
 * are delivered locally (table 100: `local 0.0.0.0/0 dev lo`), which is how replies to
 * ztunnel's transparent sockets (bound to the original client's address) reach them.
 */
export const POLICY_ROUTING = Object.freeze({
  rule: ['rule', 'add', 'fwmark', TPROXY_MARK, 'pref', String(CAPTURE.rulePriority), 'lookup', String(CAPTURE.routeTable)],
  showRule: ['rule', 'show', 'pref', String(CAPTURE.rulePriority)],
  deleteRule: ['rule', 'del', 'pref', String(CAPTURE.rulePriority)],
  route: ['route', 'replace', 'local', '0.0.0.0/0', 'dev', 'lo', 'table', String(CAPTURE.routeTable)],
  flushRoutes: ['route', 'flush', 'table', String(CAPTURE.routeTable)],
});
