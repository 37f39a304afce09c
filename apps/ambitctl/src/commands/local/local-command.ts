import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ExitCode, isAmbitError } from '@ambit/errors';
import { LOG_LEVELS } from '@ambit/telemetry';
import type { CliIo } from '../../io.js';
import { outputOption, type OutputFormat } from '../../output-format.js';
import { prepareLocalMesh, runLocalMesh, type LocalUpOptions } from './local-up.js';
import { localStatus, renderStatusText } from './local-status.js';
import { DEFAULT_PORTS, DEFAULT_STATE_DIR, duration, portNumber } from './options.js';

interface UpFlags {
  readonly filename: string;
  readonly stateDir: string;
  readonly xdsPort: number;
  readonly adminPort: number;
  readonly readyTimeout: number;
  readonly stopTimeout: number;
  readonly logLevel?: string;
}

interface StatusFlags {
  readonly stateDir: string;
  readonly output: OutputFormat;
}

const UP_HELP = `
Starts the control plane on the config directory, then its waypoint pods, one ztunnel
per node, the sample workloads its pods ask for and its ingress gateway pods, all on
loopback (127.0.0.0/8), and runs until Ctrl-C (SIGINT), SIGTERM or SIGHUP, which stop
everything. Nothing starts when the config is invalid or an address is taken.

Examples:
  ambitctl local up -f examples/bookinfo
  ambitctl local up -f mesh/ --state-dir /tmp/mesh --xds-port 25012 --admin-port 25014

Exit status: 0 stopped by a signal, 1 invalid config, a taken port or a component that
failed, 2 a usage error. docs/local-mode.md explains the addresses and how to send traffic.`;

const STATUS_HELP = `
Exit status: 0 when every component is ready, 1 when nothing runs on the state directory
or something is not ready (yet).`;

/** `ambitctl local up|status`: the whole mesh on this machine. */
export function localCommand(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const fail = (command: string, error: unknown): void => {
    if (!isAmbitError(error)) throw error;
    io.stderr.write(`ambitctl local ${command}: ${error.code}: ${error.describe()}\n`);
    setExit(ExitCode.Failed);
  };
  const stateDirOption = (): Option => new Option('--state-dir <dir>', 'where the CA, node tokens and local.json are kept').default(DEFAULT_STATE_DIR);
  const up = new Command('up')
    .description('run the control plane and one ztunnel per node on this machine, until interrupted')
    .requiredOption('-f, --filename <dir>', 'directory of Kubernetes and Istio YAML (Nodes, Pods, Services, policies, …)')
    .addOption(stateDirOption())
    .addOption(new Option('--xds-port <port>', 'control plane xDS + CA port on 127.0.0.1').default(DEFAULT_PORTS.xds).argParser(portNumber))
    .addOption(new Option('--admin-port <port>', 'control plane admin port on 127.0.0.1').default(DEFAULT_PORTS.admin).argParser(portNumber))
    .addOption(new Option('--ready-timeout <duration>', 'how long each component may take to get ready').default(60_000, '60s').argParser(duration))
    .addOption(new Option('--stop-timeout <duration>', 'how long each component may drain after SIGTERM before it is killed').default(10_000, '10s').argParser(duration))
    .addOption(new Option('--log-level <level>', 'log level of every component').choices(LOG_LEVELS.filter((l) => l !== 'silent')))
    .addHelpText('after', UP_HELP)
    .action(async (flags: UpFlags) => {
      const options: LocalUpOptions = {
        configDir: resolve(flags.filename),
        stateDir: resolve(flags.stateDir),
        xdsPort: flags.xdsPort,
        adminPort: flags.adminPort,
        readyTimeoutMs: flags.readyTimeout,
        stopTimeoutMs: flags.stopTimeout,
        logLevel: flags.logLevel,
      };
      try {
        await runLocalMesh(await prepareLocalMesh(options, io), options, io);
        setExit(ExitCode.Ok);
      } catch (error) {
        fail('up', error);
      }
    });
  const status = new Command('status')
    .description('show every component of the local mesh with its addresses, readiness and config')
    .addOption(stateDirOption())
    .addOption(outputOption())
    .addHelpText('after', STATUS_HELP)
    .action(async (flags: StatusFlags) => {
      try {
        const report = await localStatus(resolve(flags.stateDir));
        io.stdout.write(flags.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderStatusText(report));
        setExit(report.ready ? ExitCode.Ok : ExitCode.Failed);
      } catch (error) {
        fail('status', error);
      }
    });
  return new Command('local').description('run the whole mesh on this machine, without Kubernetes or root').addCommand(up).addCommand(status);
}
