/**
 * A flow file (`*.flow.yml`) as the editor sees it: parsed with the `yaml` package's Document
 * API, so reading keeps every node's place in the text (for lint problems and the text view).
 * No JupyterLab here: the unit tests run it in Node.
 */
import { isMap, LineCounter, parseDocument } from 'yaml';

export type NodeKind = 'waits' | 'falls_through' | 'calls' | 'ends';

export interface Transition {
  when: string;
  to: string;
}

export interface FlowNode {
  name: string;
  kind: NodeKind;
  /** 1-based lines of the node's key and of its block's last line. */
  line: number;
  endLine: number;
  description: string;
  call: string | null;
  timeout: string | null;
  onEnter: unknown[];
  /** null = the node does not wait (no `on_receive` key). */
  onReceive: unknown[] | null;
  next: Transition[];
}

export interface Flow {
  start: string;
  description: string;
  timeout: string | null;
  catchAll: Transition[];
  nodes: FlowNode[];
}

export interface ParseResult {
  flow: Flow | null;
  /** Why the text is no flow: a YAML error with its line, or the wrong shape. */
  error: string | null;
  errorLine: number | null;
}

export const NAME = /^[a-z][a-z0-9_]*$/;

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function transitions(value: unknown): Transition[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .filter(item => item && typeof item === 'object')
    .map(item => ({ when: text(item.when), to: text(item.to) }));
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function kindOf(node: FlowNode): NodeKind {
  if (node.call) {
    return 'calls';
  }
  if (node.onReceive !== null) {
    return 'waits';
  }
  if (node.next.length === 1 && node.next[0].to === 'END') {
    return 'ends';
  }
  return 'falls_through';
}

/** Read a flow file; never throws (a bad text is a `ParseResult` with its error). */
export function parseFlow(source: string): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length) {
    const first = doc.errors[0];
    const line = first.linePos ? first.linePos[0].line : null;
    return { flow: null, error: first.message.split('\n')[0], errorLine: line };
  }
  const data = doc.toJS() as Record<string, unknown> | null;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { flow: null, error: 'a flow is a mapping with start and nodes', errorLine: 1 };
  }
  const nodesNode = doc.get('nodes', true);
  const rawNodes = (data.nodes ?? {}) as Record<string, Record<string, unknown> | null>;
  if (typeof rawNodes !== 'object' || Array.isArray(rawNodes)) {
    return { flow: null, error: 'nodes: must be a mapping of node names', errorLine: 1 };
  }
  const places = new Map<string, [number, number]>();
  if (isMap(nodesNode)) {
    for (const pair of nodesNode.items) {
      const key = pair.key as { value?: unknown; range?: [number, number, number] };
      const value = pair.value as { range?: [number, number, number] } | null;
      if (key?.range) {
        const end = value?.range ? value.range[1] : key.range[1];
        places.set(text(key.value), [
          lines.linePos(key.range[0]).line,
          lines.linePos(Math.max(key.range[0], end - 1)).line
        ]);
      }
    }
  }
  const nodes: FlowNode[] = Object.entries(rawNodes).map(([name, raw]) => {
    const body = raw && typeof raw === 'object' ? raw : {};
    const [line, endLine] = places.get(name) ?? [1, 1];
    const node: FlowNode = {
      name,
      kind: 'falls_through',
      line,
      endLine,
      description: text(body.description),
      call: body.call ? text(body.call) : null,
      timeout: body.timeout ? text(body.timeout) : null,
      onEnter: list(body.on_enter),
      onReceive: 'on_receive' in body ? list(body.on_receive) : null,
      next: transitions(body.next)
    };
    node.kind = kindOf(node);
    return node;
  });
  const catchAll = (data.catch_all ?? {}) as Record<string, unknown>;
  return {
    flow: {
      start: text(data.start),
      description: text(data.description),
      timeout: data.timeout ? text(data.timeout) : null,
      catchAll: transitions(catchAll?.next),
      nodes
    },
    error: null,
    errorLine: null
  };
}

/** The content element ids a node's instructions say (`say: id`), in order. */
export function contentRefs(node: FlowNode): string[] {
  const refs: string[] = [];
  for (const step of [...node.onEnter, ...(node.onReceive ?? [])]) {
    if (step && typeof step === 'object' && 'say' in step) {
      const say = (step as { say: unknown }).say;
      if (typeof say === 'string') {
        refs.push(say);
      }
    }
  }
  return refs;
}

/** The node whose block holds `line` (1-based), if any: where a lint problem belongs. */
export function nodeAtLine(flow: Flow, line: number): FlowNode | null {
  let found: FlowNode | null = null;
  for (const node of flow.nodes) {
    if (node.line <= line && line <= node.endLine) {
      found = node;
    }
  }
  return found;
}
