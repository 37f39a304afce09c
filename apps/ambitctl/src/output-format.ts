import { InvalidArgumentError, Option } from 'commander';

export type OutputFormat = 'text' | 'json';
const FORMATS: readonly OutputFormat[] = ['text', 'json'];

/** `-o, --output <text|json>`, shared by every command that prints results. */
export function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format: text or json')
    .default('text')
    .argParser((value: string): OutputFormat => {
      if ((FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
      throw new InvalidArgumentError(`must be one of ${FORMATS.join(', ')}`);
    });
}
