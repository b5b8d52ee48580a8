/**
 * Edits of a flow file made in the graph or the form, written back into the YAML text.
 *
 * Only the edited node's block is written anew (by the `yaml` package, from the parsed
 * Document, so the comments inside it stay); every other byte of the file, its comments,
 * blank lines, order and formatting, is left as it was.
 */
import { Document, isMap, Pair, parseDocument, Scalar, YAMLMap } from 'yaml';

import { NAME, Transition } from './flowModel';

export class EditError extends Error {}

/** Where a block lives: a node (`nodes: NAME:`) or the flow's `catch_all`. */
export type Place = { node: string } | { catchAll: true };

const OPTIONS = { flowCollectionPadding: false, lineWidth: 0 } as const;

function load(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length) {
    throw new EditError(`the YAML does not parse: ${doc.errors[0].message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) {
    throw new EditError('a flow is a mapping with start and nodes');
  }
  return doc;
}

function nodesMap(doc: Document): YAMLMap {
  let nodes = doc.get('nodes', true);
  if (!isMap(nodes)) {
    nodes = new YAMLMap();
    doc.set('nodes', nodes);
  }
  return nodes as YAMLMap;
}

function findPair(map: YAMLMap, key: string): Pair<Scalar, unknown> | undefined {
  return map.items.find(p => String((p.key as Scalar)?.value ?? p.key) === key) as
    | Pair<Scalar, unknown>
    | undefined;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The text range of a pair's block: from its key's line to the end of its value. */
function pairRange(text: string, pair: Pair<Scalar, unknown>): [number, number] {
  const key = pair.key.range!;
  const value = (pair.value as { range?: [number, number, number] } | null)?.range;
  let end = value ? value[2] : key[2];
  if (text.slice(lineStart(text, end), end).trim() === '') {
    end = lineStart(text, end); // the next key's indentation is not ours
  } else if (text[end - 1] !== '\n') {
    const newline = text.indexOf('\n', end);
    end = newline < 0 ? text.length : newline + 1;
  }
  return [lineStart(text, key[0]), end];
}

/** A pair as block YAML indented by `indent` spaces (comments above its key are left out:
 * they stay in the text, above the block). */
function pairText(doc: Document, pair: Pair<Scalar, unknown>, indent: number): string {
  const key = pair.key as Scalar;
  const saved = [key.commentBefore, key.spaceBefore] as const;
  key.commentBefore = undefined;
  key.spaceBefore = undefined;
  const single = new Document(undefined, doc.options);
  const map = new YAMLMap();
  map.items.push(pair);
  single.contents = map;
  const out = single.toString(OPTIONS);
  [key.commentBefore, key.spaceBefore] = saved;
  const pad = ' '.repeat(indent);
  return out
    .split('\n')
    .map(line => (line ? pad + line : line))
    .join('\n');
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

function apply(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
  }
  return out;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Write the changed pairs back: each replaced in place; new node pairs after the last node. */
function writeBack(
  text: string,
  doc: Document,
  changed: Pair<Scalar, unknown>[],
  removed: Pair<Scalar, unknown>[],
  added: Pair<Scalar, unknown>[]
): string {
  const nodes = doc.get('nodes', true) as YAMLMap | undefined;
  const blockNodes = nodes && isMap(nodes) && !nodes.flow && nodes.range;
  if (!blockNodes || added.some(p => !p.key.range && !nodes?.items.length)) {
    return doc.toString(OPTIONS); // no block to write into: the whole file anew
  }
  const splices: Splice[] = [];
  for (const pair of changed) {
    const [start, end] = pairRange(text, pair);
    splices.push({ start, end, text: pairText(doc, pair, column(text, pair.key.range![0])) });
  }
  for (const pair of removed) {
    const [start, end] = pairRange(text, pair);
    splices.push({ start, end, text: '' });
  }
  if (added.length) {
    const last = nodes.items.filter(p => (p.key as Scalar).range).at(-1) as
      | Pair<Scalar, unknown>
      | undefined;
    const indent = last ? column(text, last.key.range![0]) : 2;
    const at = last ? pairRange(text, last)[1] : text.length;
    const before = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
    const blocks = added.map(pair => pairText(doc, pair, indent)).join('\n');
    splices.push({ start: at, end: at, text: `${before}\n${blocks}` });
  }
  return apply(text, splices);
}

function nodePair(doc: Document, name: string): Pair<Scalar, unknown> {
  const pair = findPair(nodesMap(doc), name);
  if (!pair) {
    throw new EditError(`no node named ${name}`);
  }
  if (!isMap(pair.value)) {
    pair.value = new YAMLMap(); // `name:` with nothing under it
  }
  return pair;
}

function transitionsNode(doc: Document, list: Transition[]): unknown {
  return doc.createNode(list.map(t => (t.when ? { when: t.when, to: t.to } : { to: t.to })));
}

/** Replace a node's (or the catch-all's) transitions. */
export function setTransitions(text: string, place: Place, list: Transition[]): string {
  const doc = load(text);
  for (const t of list) {
    if (!t.to) {
      throw new EditError('every transition needs a target (to)');
    }
  }
  if ('catchAll' in place) {
    const top = doc.contents as YAMLMap;
    let pair = findPair(top, 'catch_all');
    if (!list.length && pair) {
      return apply(text, [{ ...rangeOf(text, pair), text: '' }]);
    }
    if (!pair) {
      doc.set('catch_all', doc.createNode({ next: [] }));
      pair = findPair(top, 'catch_all')!;
      (pair.value as YAMLMap).set('next', transitionsNode(doc, list));
      return doc.toString(OPTIONS);
    }
    if (!isMap(pair.value)) {
      pair.value = new YAMLMap();
    }
    (pair.value as YAMLMap).set('next', transitionsNode(doc, list));
    return writeBack(text, doc, [pair], [], []);
  }
  const pair = nodePair(doc, place.node);
  (pair.value as YAMLMap).set('next', transitionsNode(doc, list));
  return writeBack(text, doc, [pair], [], []);
}

function rangeOf(text: string, pair: Pair<Scalar, unknown>): { start: number; end: number } {
  const [start, end] = pairRange(text, pair);
  return { start, end };
}

/** Set (or, with `undefined`, remove) one key of a node: `on_enter`, `on_receive`,
 * `description`, `call`, `timeout`. */
export function setNodeField(text: string, node: string, key: string, value: unknown): string {
  const doc = load(text);
  const pair = nodePair(doc, node);
  const map = pair.value as YAMLMap;
  if (value === undefined || value === '') {
    map.delete(key);
  } else {
    map.set(key, doc.createNode(value));
  }
  return writeBack(text, doc, [pair], [], []);
}

/** A new node (it falls through to END until edited); the first node becomes the start. */
export function addNode(text: string, name: string): string {
  if (!NAME.test(name)) {
    throw new EditError(`${JSON.stringify(name)} is not a node name ([a-z][a-z0-9_]*)`);
  }
  if (name === 'end' || name === 'return') {
    throw new EditError(`${name} is reserved`);
  }
  const doc = load(text.trim() ? text : 'nodes: {}\n');
  const nodes = nodesMap(doc);
  if (findPair(nodes, name)) {
    throw new EditError(`there is already a node named ${name}`);
  }
  const value = doc.createNode({ on_enter: [], next: [{ to: 'END' }] });
  const pair = doc.createPair(name, value) as Pair<Scalar, unknown>;
  nodes.items.push(pair);
  if (!doc.get('start')) {
    doc.set('start', name);
    return doc.toString(OPTIONS);
  }
  return writeBack(text, doc, [], [], [pair]);
}

/** Delete a node and every transition of this flow that led to it. */
export function deleteNode(text: string, name: string): string {
  const doc = load(text);
  if (String(doc.get('start') ?? '') === name) {
    throw new EditError(`${name} is the start node: make another node the start first`);
  }
  const nodes = nodesMap(doc);
  const pair = nodePair(doc, name);
  const changed: Pair<Scalar, unknown>[] = [];
  for (const other of nodes.items as Pair<Scalar, unknown>[]) {
    if (other === pair || !isMap(other.value)) {
      continue;
    }
    const next = (other.value as YAMLMap).toJSON().next;
    if (Array.isArray(next) && next.some(t => t && t.to === name)) {
      const kept = next.filter(t => !(t && t.to === name));
      (other.value as YAMLMap).set('next', transitionsNode(doc, kept.map(toTransition)));
      changed.push(other);
    }
  }
  return writeBack(text, doc, changed, [pair], []);
}

function toTransition(t: { when?: unknown; to?: unknown }): Transition {
  return { when: t.when ? String(t.when) : '', to: String(t.to ?? '') };
}

/** Make `name` the flow's start node. */
export function setStart(text: string, name: string): string {
  const doc = load(text);
  nodePair(doc, name);
  const top = doc.contents as YAMLMap;
  const pair = findPair(top, 'start');
  const value = pair?.value as Scalar | undefined;
  if (value?.range) {
    return apply(text, [{ start: value.range[0], end: value.range[1], text: name }]);
  }
  doc.set('start', name);
  return doc.toString(OPTIONS);
}

/** The smallest change turning `before` into `after`: [start, end in before, new text]. */
export function textDelta(before: string, after: string): [number, number, string] {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before[start] === after[start]) {
    start++;
  }
  let end = 0;
  while (
    end < max - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  ) {
    end++;
  }
  return [start, before.length - end, after.slice(start, after.length - end)];
}
