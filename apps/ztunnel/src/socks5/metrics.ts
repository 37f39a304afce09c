import { Counter, type Registry } from 'prom-client';
import type { Socks5Outcome } from './socks5-server.js';

/** Counts SOCKS5 connections by how they ended; returns the callback listeners report to. */
export function registerSocks5Metrics(registry: Registry): (outcome: Socks5Outcome) => void {
  const connections = new Counter({
    name: 'ambit_ztunnel_socks5_connections_total',
    help: 'SOCKS5 connections by outcome: relayed, handshake-failed, connect-failed.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return (outcome) => connections.inc({ outcome });
}
