/**
 * A flow file (`*.flow.yml`) as the editor sees it, with every node's place in the text (for
 * lint problems and the text view).
 * No JupyterLab here: the unit tests run it in Node.
 */
import { YAMLException } from 'js-yaml';

import { scan } from './flowText';
import { loadCached } from './yamlCache';

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

/** Read a flow file; never throws (a bad text is a `ParseResult` with its error).
 * js-yaml reads (it is several times faster than the Document API, which only edits use);
 * node lines come from a scan of the text. */
export function parseFlow(source: string): ParseResult {
  let data: unknown;
  try {
    data = loadCached(source);
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = error.mark ? error.mark.line + 1 : null;
      return { flow: null, error: error.reason || error.message.split('\n')[0], errorLine: line };
    }
    throw error;
  }
  if (data === undefined || data === null) {
    data = {};
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { flow: null, error: 'a flow is a mapping with start and nodes', errorLine: 1 };
  }
  const top = data as Record<string, unknown>;
  const rawNodes = (top.nodes ?? {}) as Record<string, Record<string, unknown> | null>;
  if (typeof rawNodes !== 'object' || Array.isArray(rawNodes)) {
    return { flow: null, error: 'nodes: must be a mapping of node names', errorLine: 1 };
  }
  const blocks = scan(source).nodes;
  const nodes: FlowNode[] = Object.entries(rawNodes).map(([name, raw]) => {
    const body = raw && typeof raw === 'object' ? raw : {};
    const block = blocks.get(name);
    const node: FlowNode = {
      name,
      kind: 'falls_through',
      line: block?.line ?? 1,
      endLine: block?.endLine ?? 1,
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
  const catchAll = (top.catch_all ?? {}) as Record<string, unknown>;
  return {
    flow: {
      start: text(top.start),
      description: text(top.description),
      timeout: top.timeout ? text(top.timeout) : null,
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
