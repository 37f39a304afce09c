import type { NodeResource } from '@ambit/config-model';
import { LABEL } from './istio-labels.js';

export interface Locality {
  readonly region: string;
  readonly zone: string;
  readonly subzone: string;
}

/** A node as the mesh sees it: only its locality, which its pods inherit. */
export interface NodeEntry {
  readonly name: string;
  /** Undefined when the node has none of the topology labels (Istio's NodesCollection). */
  readonly locality: Locality | undefined;
}

export function nodeEntry(node: NodeResource): NodeEntry {
  const labels = node.metadata.labels;
  const region = labels[LABEL.region] ?? '';
  const zone = labels[LABEL.zone] ?? '';
  const subzone = labels[LABEL.subzone] ?? '';
  return {
    name: node.metadata.name,
    locality: region === '' && zone === '' && subzone === '' ? undefined : { region, zone, subzone },
  };
}

/** A WorkloadEntry locality string `region/zone/subzone`, as Istio's SplitLocalityLabel reads it. */
export function parseLocality(value: string | undefined): Locality | undefined {
  if (value === undefined || value === '') return undefined;
  const [region = '', zone = '', subzone = ''] = value.split('/');
  return region === '' && zone === '' && subzone === '' ? undefined : { region, zone, subzone };
}
