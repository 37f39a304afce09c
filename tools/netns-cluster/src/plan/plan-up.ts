import type { ClusterSpec } from '../spec/cluster-spec.js';
import { formatCidr } from '../spec/ipv4.js';
import { Interfaces, nodeNetns, podNetns, underlayNetns } from './names.js';

/** One command line, run without a shell. */
export type Command = readonly string[];

/**
 * The commands that build the cluster, in order. Every link is created with both ends
 * already inside the cluster's namespaces (`ip -n A link add … peer … netns B`), so a
 * crash at any point leaves nothing outside them:
 *
 *   underlay netns: br0 ── n<i> ═══ eth0 (node i netns, node IP)
 *   node netns:     cni0 (pod CIDR gateway) ── veth<j> ═══ eth0 (pod j netns, pod IP, default via gateway)
 *
 * Nodes forward, and route every other node's pod CIDR via that node's IP.
 */
export function planUp(spec: ClusterSpec): Command[] {
  const underlay = underlayNetns(spec);
  const { underlayBridge, uplink, podBridge } = Interfaces;
  const commands: Command[] = [...newNetns(underlay), ['ip', '-n', underlay, 'link', 'add', underlayBridge, 'type', 'bridge'], ['ip', '-n', underlay, 'link', 'set', underlayBridge, 'up']];

  spec.nodes.forEach((node, i) => {
    const ns = nodeNetns(spec, node);
    const port = Interfaces.underlayPort(i);
    commands.push(
      ...newNetns(ns),
      ['ip', '-n', underlay, 'link', 'add', port, 'type', 'veth', 'peer', 'name', uplink, 'netns', ns],
      ['ip', '-n', underlay, 'link', 'set', port, 'master', underlayBridge, 'up'],
      ['ip', '-n', ns, 'address', 'add', `${node.ip}/${spec.network.prefix}`, 'dev', uplink],
      ['ip', '-n', ns, 'link', 'set', uplink, 'up'],
      ['ip', '-n', ns, 'link', 'add', podBridge, 'type', 'bridge'],
      ['ip', '-n', ns, 'address', 'add', `${node.gateway}/${node.podCIDR.prefix}`, 'dev', podBridge],
      ['ip', '-n', ns, 'link', 'set', podBridge, 'up'],
      ['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'],
    );
  });

  for (const node of spec.nodes) {
    for (const other of spec.nodes) {
      if (other !== node) commands.push(['ip', '-n', nodeNetns(spec, node), 'route', 'add', formatCidr(other.podCIDR), 'via', other.ip, 'dev', uplink]);
    }
  }

  for (const node of spec.nodes) {
    const ns = nodeNetns(spec, node);
    spec.pods
      .filter((pod) => pod.node === node.name)
      .forEach((pod, j) => {
        const podNs = podNetns(spec, pod);
        const port = Interfaces.podPort(j);
        commands.push(
          ...newNetns(podNs),
          ['ip', '-n', ns, 'link', 'add', port, 'type', 'veth', 'peer', 'name', uplink, 'netns', podNs],
          ['ip', '-n', ns, 'link', 'set', port, 'master', podBridge, 'up'],
          ['ip', '-n', podNs, 'address', 'add', `${pod.ip}/${node.podCIDR.prefix}`, 'dev', uplink],
          ['ip', '-n', podNs, 'link', 'set', uplink, 'up'],
          ['ip', '-n', podNs, 'route', 'add', 'default', 'via', node.gateway, 'dev', uplink],
        );
      });
  }
  return commands;
}

function newNetns(name: string): Command[] {
  return [
    ['ip', 'netns', 'add', name],
    ['ip', '-n', name, 'link', 'set', 'lo', 'up'],
  ];
}
