export { runCli } from './program.js';
export { main } from './main.js';
export { ExitCode } from '@ambit/errors';
export type { CliIo } from './io.js';
