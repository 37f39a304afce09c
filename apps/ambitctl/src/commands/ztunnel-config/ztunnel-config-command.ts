import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ExitCode, isAmbitError } from '@ambit/errors';
import type { CliIo } from '../../io.js';
import { DEFAULT_STATE_DIR } from '../local/index.js';
import type { SectionName } from './dump.js';
import { ZtunnelTargetError } from './errors.js';
import { fetchConfigDump } from './fetch-dump.js';
import { OUTPUT_FORMATS, renderSection, type ZtunnelConfigFormat } from './render.js';
import { adminAddress, resolveTarget } from './target.js';

interface SectionFlags {
  readonly address?: string;
  readonly node?: string;
  readonly stateDir: string;
  readonly output: ZtunnelConfigFormat;
  readonly namespace?: string;
}

const SECTION_HELP: Record<SectionName, { readonly description: string; readonly namespaced: boolean }> = {
  workloads: { description: 'the workloads the ztunnel knows: address, node, waypoint, protocol', namespaced: true },
  services: { description: 'the services the ztunnel knows: VIPs, waypoint, healthy/all endpoints', namespaced: true },
  policies: { description: 'the L4 authorization policies the ztunnel holds: action and scope', namespaced: true },
  certificates: { description: 'the certificates the ztunnel holds for its workloads: state, serial, validity', namespaced: false },
};

const HELP = `
Which ztunnel: --address <host:port> of its admin endpoint, or --node <name> of the local
mesh started by \`ambitctl local up\` (found in <state-dir>/local.json); with neither, the
local mesh's only node.

Examples:
  ambitctl ztunnel-config workloads
  ambitctl ztunnel-config services --node node-b -n bookinfo
  ambitctl ztunnel-config certificates --address 127.0.1.1:15000 -o yaml

Exit status: 0 printed, 1 the ztunnel could not be read, 2 a usage error (which ztunnel
is not clear, unknown section or option, bad -o). docs/ztunnel.md#ambitctl-ztunnel-config`;

/**
 * `ambitctl ztunnel-config workloads|services|policies|certificates`: reads a ztunnel's
 * `/config_dump` and prints one section as istioctl's `ztunnel-config` does: a table, or
 * the section itself with -o json|yaml.
 */
export function ztunnelConfigCommand(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const command = new Command('ztunnel-config').description("show a ztunnel's workloads, services, policies or certificates, as istioctl ztunnel-config does").addHelpText('after', HELP);
  for (const [section, help] of Object.entries(SECTION_HELP) as [SectionName, (typeof SECTION_HELP)[SectionName]][]) {
    const sub = new Command(section)
      .description(help.description)
      .addOption(new Option('--address <host:port>', 'admin endpoint of the ztunnel to ask').argParser(adminAddress).conflicts('node'))
      .option('--node <name>', 'ask the ztunnel of this node of the local mesh')
      .addOption(new Option('--state-dir <dir>', 'state directory of the local mesh (`ambitctl local up --state-dir`)').default(DEFAULT_STATE_DIR))
      .addOption(new Option('-o, --output <format>', 'text (a table), or the section as json or yaml').choices(OUTPUT_FORMATS).default('text'));
    if (help.namespaced) sub.option('-n, --namespace <name>', 'only this namespace');
    sub.addHelpText('after', HELP).action(async (flags: SectionFlags) => {
      try {
        const target = await resolveTarget({ address: flags.address, node: flags.node, stateDir: resolve(flags.stateDir) });
        const dump = await fetchConfigDump(target.admin, section);
        io.stdout.write(renderSection(dump, section, { output: flags.output, namespace: flags.namespace, now: new Date() }));
        setExit(ExitCode.Ok);
      } catch (error) {
        if (!isAmbitError(error)) throw error;
        io.stderr.write(`ambitctl ztunnel-config ${section}: ${error.code}: ${error.describe()}\n`);
        setExit(error instanceof ZtunnelTargetError ? ExitCode.Usage : ExitCode.Failed);
      }
    });
    command.addCommand(sub);
  }
  return command;
}
