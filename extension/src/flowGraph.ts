/**
 * A flow as cytoscape elements, with the ids, kinds, classes and box sizes of the notebook
 * graph (`workbench/notebook/_graph_elements.py` for one flow, `_graph_layout.node_size`), so
 * the server's stylesheet and layout positions apply as they are.
 */
import { Flow, Transition } from './flowModel';

export interface ElementData {
  id: string;
  label: string;
  display: string;
  kind: string;
  flow: string;
  node?: string;
  start?: boolean;
  line?: number;
  width?: number;
  height?: number;
  source?: string;
  target?: string;
  when?: string;
  order?: number;
}

export interface Element {
  group: 'nodes' | 'edges';
  data: ElementData;
  classes: string;
  position?: { x: number; y: number };
}

export interface Graph {
  nodes: Element[];
  edges: Element[];
}

const CHAR_WIDTH = 7;
const NODE_HEIGHT = 38;
const PSEUDO_HEIGHT = 26;
const PSEUDO = ['end', 'return', 'catch_all', 'timeout'];
const PSEUDO_KINDS: Record<string, string> = {
  END: 'end',
  RETURN: 'return',
  CATCH_ALL: 'catch_all',
  TIMEOUT: 'timeout'
};
const PSEUDO_LABELS: Record<string, string> = {
  END: 'END',
  RETURN: 'RETURN',
  CATCH_ALL: 'catch-all',
  TIMEOUT: 'timeout'
};

export function nodeSize(label: string, kind: string): [number, number] {
  const width = CHAR_WIDTH * label.length;
  if (PSEUDO.includes(kind)) {
    return [Math.max(56, width + 20), PSEUDO_HEIGHT];
  }
  return [Math.min(Math.max(90, width + 30), 260), NODE_HEIGHT];
}

class Builder {
  nodes = new Map<string, Element>();
  edges: Element[] = [];

  constructor(
    readonly flowName: string,
    readonly flow: Flow,
    readonly starts: Record<string, string>
  ) {}

  add(data: ElementData, classes: string): string {
    const [width, height] = nodeSize(data.label, data.kind);
    data.width = width;
    data.height = height;
    data.display = data.label;
    this.nodes.set(data.id, { group: 'nodes', data, classes });
    return data.id;
  }

  pseudo(which: string): string {
    const id = `${this.flowName}.${which}`;
    if (!this.nodes.has(id)) {
      const kind = PSEUDO_KINDS[which];
      this.add(
        { id, label: PSEUDO_LABELS[which], display: '', kind, flow: this.flowName },
        `${kind} pseudo`
      );
    }
    return id;
  }

  target(to: string): string {
    if (to === 'END' || to === 'RETURN') {
      return this.pseudo(to);
    }
    if (!to.includes('.')) {
      const id = `${this.flowName}.${to}`;
      if (!this.nodes.has(id)) {
        // a target the flow does not have: drawn in red (lint says why)
        this.add(
          { id, label: to || '?', display: '', kind: 'missing', flow: this.flowName, node: to },
          'missing'
        );
      }
      return id;
    }
    const [other, name] = to.split('.', 2);
    const id = `ref:${to}`;
    if (!this.nodes.has(id)) {
      const label = this.starts[other] === name ? other : to;
      this.add(
        { id, label, display: '', kind: 'flow_ref', flow: other, node: name },
        'flow_ref'
      );
    }
    return id;
  }

  edge(source: string, target: string, kind: string, label: string, when = '', order = 0) {
    const suffix = kind === 'next' || kind === 'catch_all' ? `${kind}${order}` : kind;
    const data: ElementData = {
      id: `${source}->${target}:${suffix}`,
      source,
      target,
      label,
      display: label,
      kind,
      flow: this.flowName,
      when,
      order
    };
    this.edges.push({ group: 'edges', data, classes: kind });
  }

  transitions(source: string, list: Transition[], kind: string): void {
    list.forEach((t, order) => {
      const label = t.when || (order ? 'else' : '');
      this.edge(source, this.target(t.to), kind, label, t.when, order);
    });
  }
}

/**
 * The elements of one flow: its nodes, the END/RETURN terminals and catch-all/timeout
 * pseudo-nodes it uses, `ref:` nodes for other flows (`starts` maps a flow to its start node,
 * for the label a call's target gets), then the edges. No compound around the flow.
 */
export function flowGraph(
  flowName: string,
  flow: Flow,
  starts: Record<string, string> = {}
): Graph {
  const b = new Builder(flowName, flow, starts);
  for (const node of flow.nodes) {
    const start = node.name === flow.start;
    const data: ElementData = {
      id: `${flowName}.${node.name}`,
      label: node.name,
      display: '',
      kind: node.kind,
      flow: flowName,
      node: node.name,
      start
    };
    b.add(data, node.kind + (start ? ' start' : ''));
  }
  for (const node of flow.nodes) {
    const id = `${flowName}.${node.name}`;
    if (node.call) {
      const start = starts[node.call];
      const target = b.target(start ? `${node.call}.${start}` : `${node.call}.start`);
      b.edge(id, target, 'call', `call ${node.call}`);
    }
    b.transitions(id, node.next, 'next');
    if (node.timeout) {
      b.edge(id, b.target(node.timeout), 'timeout', 'timeout');
    }
  }
  if (flow.catchAll.length) {
    b.transitions(b.pseudo('CATCH_ALL'), flow.catchAll, 'catch_all');
  }
  if (flow.timeout) {
    b.edge(b.pseudo('TIMEOUT'), b.target(flow.timeout), 'timeout', 'timeout');
  }
  return { nodes: [...b.nodes.values()], edges: b.edges };
}

const RANK_GAP = 64;
const NODE_GAP = 36;

/**
 * Positions for the nodes that have none (a flow the server could not lay out, or nodes added
 * since): layers by distance from the start, below what is already placed.
 */
export function placeMissing(graph: Graph, start: string): void {
  const unplaced = graph.nodes.filter(n => !n.position);
  if (!unplaced.length) {
    return;
  }
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    out.set(e.data.source!, [...(out.get(e.data.source!) ?? []), e.data.target!]);
  }
  const rank = new Map<string, number>();
  const queue = graph.nodes
    .filter(n => n.data.id === start || n.data.kind === 'catch_all' || n.data.kind === 'timeout')
    .map(n => n.data.id);
  queue.forEach(id => rank.set(id, 0));
  while (queue.length) {
    const id = queue.shift()!;
    for (const next of out.get(id) ?? []) {
      if (!rank.has(next)) {
        rank.set(next, rank.get(id)! + 1);
        queue.push(next);
      }
    }
  }
  const placed = graph.nodes.filter(n => n.position);
  const top = placed.length ? Math.max(...placed.map(n => n.position!.y)) + 2 * RANK_GAP : 0;
  const layers = new Map<number, typeof unplaced>();
  for (const n of unplaced) {
    const r = rank.get(n.data.id) ?? (rank.size ? Math.max(...rank.values()) + 1 : 0);
    layers.set(r, [...(layers.get(r) ?? []), n]);
  }
  for (const [r, layer] of layers) {
    const width = layer.reduce((sum, n) => sum + (n.data.width ?? 90) + NODE_GAP, -NODE_GAP);
    let x = -width / 2;
    for (const n of layer) {
      const w = n.data.width ?? 90;
      n.position = { x: x + w / 2, y: top + r * (NODE_HEIGHT + RANK_GAP) };
      x += w + NODE_GAP;
    }
  }
}
