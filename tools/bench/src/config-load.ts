import { cpus } from 'node:os';
import { parseConfig } from '@ambit/config-model';
import { parseAllDocuments } from 'yaml';
import { generateMeshYaml } from './mesh-generator.js';
import { medianMs, retainedBytes } from './measure.js';

/**
 * Config loading: full load (parse, validate, normalise) of a generated mesh, beside
 * the baseline of only parsing the same YAML in the same run. The ratio is what to
 * watch: absolute times drift on shared machines.
 */
const quick = process.argv.includes('--quick');
const sizes = quick ? [{ services: 100, podsPerService: 4 }] : [{ services: 100, podsPerService: 4 }, { services: 1000, podsPerService: 10 }];
const runs = quick ? 3 : 5;

const rows: string[] = [];
for (const size of sizes) {
  const { text, resources } = generateMeshYaml(size);
  const source = [{ name: 'mesh.yaml', text }];
  const check = parseConfig(source);
  if (check.issues.length > 0) throw new Error(`generated mesh is invalid: ${check.issues[0]!.message}`);
  const yamlMs = medianMs(runs, () => parseAllDocuments(text).map((d) => d.toJS()));
  const loadMs = medianMs(runs, () => parseConfig(source));
  const heap = retainedBytes(() => parseConfig(source).resources);
  rows.push(
    `| ${resources.toLocaleString('en')} (${size.services} services × ${size.podsPerService} pods) | ${(text.length / 1024 / 1024).toFixed(1)} MiB | ${yamlMs.toFixed(0)} | ${loadMs.toFixed(0)} | **${(loadMs / yamlMs).toFixed(2)}×** | ${Math.round((resources / loadMs) * 1000).toLocaleString('en')} | ${heap === undefined ? 'n/a' : `${(heap / 1024 / 1024).toFixed(0)} MiB`} |`,
  );
}

console.log(`config-model load — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}, median of ${runs}`);
console.log('| resources | YAML | YAML parse only, ms (baseline) | full load, ms | ratio | resources/s | heap retained |');
console.log('|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
