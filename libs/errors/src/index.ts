export { AmbitError, isAmbitError } from './ambit-error.js';
export type { AmbitErrorOptions } from './ambit-error.js';
export { ExitCode } from './exit-code.js';
