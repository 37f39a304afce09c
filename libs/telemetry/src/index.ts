export { createLogger, errorText, formatAddress, LOG_LEVELS, SILENT_LOGGER } from './log.js';
export type { LogFields, LogLevel, Logger, LoggerOptions } from './log.js';
