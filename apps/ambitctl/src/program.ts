import { Command, CommanderError } from 'commander';
import { analyzeCommand } from './commands/analyze.js';
import { localCommand } from './commands/local/index.js';
import { validateCommand } from './commands/validate.js';
import { ztunnelConfigCommand } from './commands/ztunnel-config/index.js';
import { ExitCode } from '@ambit/errors';
import type { CliIo } from './io.js';

const VERSION = '0.1.0';

/** Runs `ambitctl` with the given arguments (without the program name); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exit: ExitCode = ExitCode.Ok;
  const setExit = (code: ExitCode): void => {
    exit = code;
  };
  const output = {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
  };
  const program = new Command('ambitctl')
    .description("Ambit's command-line tool: an ambient service mesh that speaks Istio's API")
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput(output)
    .exitOverride();
  // Subcommands (local up, local status) answer errors and --help as their parents do.
  const configure = (command: Command): Command => {
    for (const sub of command.commands) configure(sub);
    return command.configureOutput(output).exitOverride().showHelpAfterError('(run with --help for usage)');
  };
  for (const command of [validateCommand(io, setExit), analyzeCommand(io, setExit), localCommand(io, setExit), ztunnelConfigCommand(io, setExit)]) {
    program.addCommand(configure(command));
  }
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return ExitCode.Usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // --help and --version end parsing through the same path as a usage error.
    const informational = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help';
    return informational ? ExitCode.Ok : ExitCode.Usage;
  }
  return exit;
}
