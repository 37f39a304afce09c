const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? (-?(?:[0-9.]+(?:e[+-]?[0-9]+)?|NaN|\\+Inf|-Inf))(?: -?[0-9]+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/**
 * Checks text against the Prometheus text exposition format (version 0.0.4) line by
 * line, the way a scraper reads it, and returns every sample as `name{labels}` → value.
 * A checker for tests, not a client library: it throws at the first line a scraper
 * would refuse, or a sample of a family with no TYPE line before it.
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line === '') return;
    const type = TYPE.exec(line);
    if (type !== null) {
      typed.add(type[1]!);
      return;
    }
    if (HELP.test(line)) return;
    if (line.startsWith('#')) throw new Error(`line ${index + 1}: a comment that is neither HELP nor TYPE: ${line}`);
    const sample = SAMPLE.exec(line);
    if (sample === null) throw new Error(`line ${index + 1}: not a sample: ${line}`);
    const name = sample[1]!;
    const family = [name, name.replace(/_(bucket|sum|count|total)$/, '')].find((n) => typed.has(n));
    if (family === undefined) throw new Error(`line ${index + 1}: ${name} has no TYPE line before it`);
    samples.set(`${name}${sample[2] ?? ''}`, Number(sample[3]));
  });
  return samples;
}
