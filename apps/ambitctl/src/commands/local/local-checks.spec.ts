import { formatIssue } from '@ambit/config-model';
import { yamlResources } from '@ambit/config-model/testing';
import { describe, expect, it } from 'vitest';
import { localModeIssues } from './local-checks.js';

const pod = (name: string, spec: string, status: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: demo}\nspec:\n${spec}  containers: [{name: c, image: i}]\nstatus: ${status}\n---\n`;
const node = (name: string, ip: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nstatus:\n  addresses: [{type: Hostname, address: ${name}}, {type: InternalIP, address: ${ip}}]\n---\n`;
const lines = (yaml: string) => localModeIssues(yamlResources(yaml)).map(formatIssue);

describe('localModeIssues', () => {
  it('accepts pods on loopback with a node, and nodes on loopback', () => {
    expect(lines(node('n1', '127.0.1.1') + pod('a', '  nodeName: n1\n', '{podIP: 127.0.10.1}') + pod('b', '  nodeName: n2\n', '{podIPs: [{ip: 127.0.10.2}]}'))).toEqual([]);
  });

  it('names the file, line, resource and field of each problem, all at once', () => {
    expect(
      lines(
        pod('no-ip', '  nodeName: n1\n', '{phase: Running}') +
          pod('no-node', '', '{podIP: 127.0.10.1}') +
          pod('remote', '  nodeName: n1\n', '{podIP: 10.0.0.5}') +
          node('far', '192.168.1.10'),
      ),
    ).toEqual([
      'inline.yaml:1:1 Pod demo/no-ip status.podIP: is required in local mode (the address in 127.0.0.0/8 that the application listens on, e.g. 127.0.10.5)',
      'inline.yaml:9:1 Pod demo/no-node spec.nodeName: is required in local mode (name the node whose ztunnel serves this pod)',
      'inline.yaml:16:1 Pod demo/remote status.podIP: "10.0.0.5" is not in 127.0.0.0/8 (in local mode a pod address is a loopback address that the application listens on)',
      `inline.yaml:24:1 Node far status.addresses[1].address: "192.168.1.10" is not in 127.0.0.0/8 (a node's InternalIP is where its ztunnel listens; in local mode that is a loopback address)`,
    ]);
  });

  it('refuses an address used twice, naming who has it first', () => {
    expect(lines(node('n1', '127.0.1.1') + pod('a', '  nodeName: n1\n', '{podIP: 127.0.1.1}') + pod('b', '  nodeName: n1\n', '{podIPs: [{ip: 127.0.1.1}]}'))).toEqual([
      "inline.yaml:7:1 Pod demo/a status.podIP: address 127.0.1.1 is already Node n1's (in local mode each pod and node has an address of its own)",
      "inline.yaml:15:1 Pod demo/b status.podIPs[0].ip: address 127.0.1.1 is already Node n1's (in local mode each pod and node has an address of its own)",
    ]);
  });

  it('ignores pods that are no workloads: finished, or on the host network', () => {
    expect(lines(pod('done', '', '{phase: Succeeded, podIP: 10.0.0.1}') + pod('host', '  hostNetwork: true\n', '{podIP: 10.0.0.2}'))).toEqual([]);
  });
});
