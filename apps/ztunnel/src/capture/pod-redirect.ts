import { runInNetns } from './netns-command.js';
import { installRules, POLICY_ROUTING, presentRules, removeRules } from './redirect-rules.js';

/**
 * Installs the redirect rules and policy routing in a pod's network namespace (what
 * istio-cni does when a pod joins the ambient mesh). Idempotent: what is already there
 * stays once, so a restarted ztunnel re-applies it safely.
 */
export async function installRedirect(netnsPath: string): Promise<void> {
  const present = presentRules(await runInNetns(netnsPath, ['iptables-save']));
  await runInNetns(netnsPath, ['iptables-restore', '--noflush'], installRules(present.jumps));
  if ((await runInNetns(netnsPath, ['ip', ...POLICY_ROUTING.showRule])).trim() === '') await runInNetns(netnsPath, ['ip', ...POLICY_ROUTING.rule]);
  await runInNetns(netnsPath, ['ip', ...POLICY_ROUTING.route]);
}

/** Removes what installRedirect added (a pod leaving the mesh); harmless when nothing is there. */
export async function removeRedirect(netnsPath: string): Promise<void> {
  const text = removeRules(presentRules(await runInNetns(netnsPath, ['iptables-save'])));
  if (text !== '') await runInNetns(netnsPath, ['iptables-restore', '--noflush'], text);
  while ((await runInNetns(netnsPath, ['ip', ...POLICY_ROUTING.showRule])).trim() !== '') await runInNetns(netnsPath, ['ip', ...POLICY_ROUTING.deleteRule]);
  await runInNetns(netnsPath, ['ip', ...POLICY_ROUTING.flushRoutes]);
}
