/**
 * Reading a ztunnel config dump (docs/ztunnel.md#admin-metrics-readiness-srcadmin): the
 * JSON comes over the network, so every field is read as "this type or nothing" and a
 * wrong shape renders as an empty cell, never as a crash.
 */

/** One entry of a section (a workload, a service, …), or an empty one when it is not an object. */
export type DumpItem = Readonly<Record<string, unknown>>;

/** The four sections `ztunnel-config` shows, as istioctl names them. */
export type SectionName = 'workloads' | 'services' | 'policies' | 'certificates';

/** The parts of a config dump the tables read: each section a list. */
export type ConfigDump = Readonly<Record<SectionName, readonly DumpItem[]>>;

/** The sections of a parsed `/config_dump` answer; a missing or malformed one reads as empty. */
export function configDumpOf(json: unknown): ConfigDump {
  const dump = record(json);
  const items = (name: SectionName): readonly DumpItem[] => list(dump[name]).map(record);
  return { workloads: items('workloads'), services: items('services'), policies: items('policies'), certificates: items('certificates') };
}

export function record(value: unknown): DumpItem {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as DumpItem) : {};
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function texts(value: unknown): string[] {
  return list(value).filter((item): item is string => typeof item === 'string');
}

/** `a` before `b` by each key in turn (plain code-unit order, as Go's cmp.Compare on strings). */
export function byKeys<T>(...keys: ((item: T) => string)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}
