import { Option } from 'commander';

/** `-f, --filename <path>` (repeatable), shared by the commands that read config. */
export function filenameOption(): Option {
  return new Option('-f, --filename <path>', 'file, directory (recursive: *.yaml, *.yml, *.json) or - for stdin; repeatable').makeOptionMandatory().argParser(collect);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
