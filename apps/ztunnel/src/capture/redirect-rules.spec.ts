import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CAPTURE_UNAVAILABLE } from '../../test/netns/netns-probe.js';
import { installRedirect, removeRedirect } from './pod-redirect.js';
import { installRules, presentRules, removeRules } from './redirect-rules.js';

describe('redirect rules (text)', () => {
  it("are Istio's in-pod rules, adding only the jumps that are missing", () => {
    const text = installRules(new Set());
    expect(text).toContain('-A AMBIT_PRERT ! -d 127.0.0.1/32 -p tcp -m tcp ! --dport 15008 -m mark ! --mark 0x539/0xfff -j REDIRECT --to-ports 15006');
    expect(text).toContain('-A AMBIT_OUTPUT ! -d 127.0.0.1/32 -p tcp -m mark ! --mark 0x539/0xfff -j REDIRECT --to-ports 15001');
    expect(text).toContain('-A AMBIT_PRERT -m mark --mark 0x539/0xfff -j CONNMARK --set-xmark 0x111/0xfff');
    expect(text.match(/^-A (PREROUTING|OUTPUT) -j/gm)).toHaveLength(4);
    const present = presentRules('*nat\n:PREROUTING ACCEPT [0:0]\n:AMBIT_PRERT - [0:0]\n-A PREROUTING -j AMBIT_PRERT\n-A OUTPUT -j OTHER\nCOMMIT\n');
    expect([...present.jumps]).toEqual(['nat -A PREROUTING -j AMBIT_PRERT']);
    expect(installRules(present.jumps).match(/^-A (PREROUTING|OUTPUT) -j/gm)).toHaveLength(3);
  });

  it('removal deletes only what is there, and nothing when nothing is', () => {
    expect(removeRules(presentRules('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n'))).toBe('');
    const text = removeRules(presentRules('*nat\n:AMBIT_OUTPUT - [0:0]\n-A OUTPUT -j AMBIT_OUTPUT\nCOMMIT\n'));
    expect(text).toBe('*nat\n-D OUTPUT -j AMBIT_OUTPUT\n-F AMBIT_OUTPUT\n-X AMBIT_OUTPUT\nCOMMIT\n');
  });
});

describe.skipIf(CAPTURE_UNAVAILABLE !== undefined)(`redirect rules in a namespace${CAPTURE_UNAVAILABLE === undefined ? '' : ` (skipped: ${CAPTURE_UNAVAILABLE})`}`, () => {
  const name = `ambz${process.pid}-rules`;
  const path = `/var/run/netns/${name}`;
  const inNetns = (...command: string[]): string => execFileSync('ip', ['netns', 'exec', name, ...command], { encoding: 'utf8', timeout: 10_000 });

  it('install is idempotent and removal leaves the namespace as it was', async () => {
    execFileSync('ip', ['netns', 'add', name], { timeout: 10_000 });
    try {
      const before = inNetns('iptables-save').replace(/^#.*\n/gm, '').replace(/\[\d+:\d+\]/g, '');
      await installRedirect(path);
      await installRedirect(path);
      const saved = inNetns('iptables-save');
      expect(saved.match(/^-A (PREROUTING|OUTPUT) -j AMBIT_/gm)).toHaveLength(4);
      expect(saved.match(/REDIRECT --to-ports 15001/g)).toHaveLength(1);
      expect(inNetns('ip', 'rule', 'show', 'pref', '32764')).toMatch(/fwmark 0x111\/0xfff lookup 100/);
      expect(inNetns('ip', 'route', 'show', 'table', '100')).toMatch(/local default dev lo/);
      await removeRedirect(path);
      await removeRedirect(path);
      expect(inNetns('iptables-save')).not.toMatch(/AMBIT_/);
      expect(inNetns('ip', 'rule', 'show', 'pref', '32764')).toBe('');
      expect(inNetns('ip', 'route', 'show', 'table', '100')).toBe('');
      expect(before).not.toMatch(/AMBIT_/);
    } finally {
      execFileSync('ip', ['netns', 'delete', name], { timeout: 10_000 });
    }
  });
});
