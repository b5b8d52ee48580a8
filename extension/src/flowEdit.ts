/**
 * Edits of a flow file made in the graph or the form, written back into the YAML text.
 *
 * Only the edited node's block is written anew: it is cut out of the text (found by a scan of
 * the lines, see `flowText`), read with the `yaml` package's Document API (so its comments
 * stay), changed and written back in place. Every other byte of the file, its comments, blank
 * lines, order and formatting, is left as it was, and an edit of a 300-node flow reads one
 * node, not the file. A file in flow style (`nodes: {...}`) is rewritten whole.
 */
import { Document, isMap, Pair, parseDocument, Scalar, YAMLMap } from 'yaml';

import { NAME, Transition } from './flowModel';
import { Block, dedent, indentBy, scan } from './flowText';
import { loadCached } from './yamlCache';

export class EditError extends Error {}

/** Where a block lives: a node (`nodes: NAME:`) or the flow's `catch_all`. */
export type Place = { node: string } | { catchAll: true };

const OPTIONS = { flowCollectionPadding: false, lineWidth: 0 } as const;

/** The flow as plain data (refusing a text that is not a YAML mapping). */
function data(text: string): Record<string, any> {
  let value: unknown;
  try {
    value = loadCached(text);
  } catch (error) {
    throw new EditError(`the YAML does not parse: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new EditError('a flow is a mapping with start and nodes');
  }
  return value as Record<string, any>;
}

function splice(text: string, start: number, end: number, inserted: string): string {
  return text.slice(0, start) + inserted + text.slice(end);
}

/** Change one block (a `key:` and what is under it) with `change`, which gets its value as a
 * YAML map (comments kept) and the Document to create nodes with. */
function editBlock(
  text: string,
  block: Block,
  change: (value: YAMLMap, doc: Document) => void
): string {
  const own = dedent(text.slice(block.start, block.end), block.indent);
  const doc = parseDocument(own);
  if (doc.errors.length || !isMap(doc.contents) || doc.contents.items.length !== 1) {
    throw new EditError(`cannot edit ${block.name}: its YAML does not parse on its own`);
  }
  const pair = doc.contents.items[0] as Pair<Scalar, unknown>;
  if (!isMap(pair.value)) {
    pair.value = new YAMLMap(); // `name:` with nothing under it
  }
  change(pair.value as YAMLMap, doc);
  const written = indentBy(doc.toString(OPTIONS), block.indent);
  const tail = text.slice(block.end - 1, block.end) === '\n' ? '' : '\n';
  return splice(text, block.start, block.end, tail ? written.replace(/\n$/, '') : written);
}

/** The whole file anew (flow style, or no block to write into). */
function editWhole(text: string, change: (doc: Document) => void): string {
  const doc = parseDocument(text.trim() ? text : '{}');
  if (doc.errors.length) {
    throw new EditError(`the YAML does not parse: ${doc.errors[0].message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) {
    doc.contents = new YAMLMap() as any;
  }
  change(doc);
  return doc.toString(OPTIONS);
}

function transitionsValue(list: Transition[]): object[] {
  return list.map(t => (t.when ? { when: t.when, to: t.to } : { to: t.to }));
}

function nodeBlock(text: string, name: string, flow: Record<string, any>): Block | null {
  if (!flow.nodes || typeof flow.nodes !== 'object' || !(name in flow.nodes)) {
    throw new EditError(`no node named ${name}`);
  }
  return scan(text).nodes.get(name) ?? null;
}

/** Set (or, with `undefined`, remove) one key of a node. */
function setOnNode(text: string, name: string, key: string, value: unknown): string {
  const flow = data(text);
  const block = nodeBlock(text, name, flow);
  const remove = value === undefined || value === '';
  const change = (map: YAMLMap, doc: Document) => {
    if (remove) {
      map.delete(key);
    } else {
      map.set(key, doc.createNode(value));
    }
  };
  if (block) {
    return editBlock(text, block, change);
  }
  return editWhole(text, doc => {
    const node = doc.getIn(['nodes', name], true);
    if (!isMap(node)) {
      doc.setIn(['nodes', name], doc.createNode({}));
    }
    change(doc.getIn(['nodes', name], true) as YAMLMap, doc);
  });
}

/** Replace a node's (or the catch-all's) transitions. */
export function setTransitions(text: string, place: Place, list: Transition[]): string {
  for (const t of list) {
    if (!t.to) {
      throw new EditError('every transition needs a target (to)');
    }
  }
  if ('node' in place) {
    return setOnNode(text, place.node, 'next', transitionsValue(list));
  }
  data(text);
  const block = scan(text).top.get('catch_all');
  if (!list.length) {
    return block ? splice(text, block.start, block.end, '') : text;
  }
  if (block) {
    return editBlock(text, block, (map, doc) => map.set('next', doc.createNode(transitionsValue(list))));
  }
  const written = new Document({ catch_all: { next: transitionsValue(list) } }).toString(OPTIONS);
  const nodes = scan(text).top.get('nodes');
  return nodes ? splice(text, nodes.start, nodes.start, written) : `${text}${text && !text.endsWith('\n') ? '\n' : ''}${written}`;
}

/** Set (or, with `undefined` or '', remove) one key of a node: `on_enter`, `on_receive`,
 * `description`, `call`, `timeout`. */
export function setNodeField(text: string, node: string, key: string, value: unknown): string {
  return setOnNode(text, node, key, value);
}

/** A new node (it falls through to END until edited); the first node becomes the start. */
export function addNode(text: string, name: string): string {
  if (!NAME.test(name)) {
    throw new EditError(`${JSON.stringify(name)} is not a node name ([a-z][a-z0-9_]*)`);
  }
  if (name === 'end' || name === 'return') {
    throw new EditError(`${name} is reserved`);
  }
  const flow = data(text);
  if (flow.nodes && typeof flow.nodes === 'object' && name in flow.nodes) {
    throw new EditError(`there is already a node named ${name}`);
  }
  const body = { on_enter: [], next: [{ to: 'END' }] };
  const layout = scan(text);
  const blocks = [...layout.nodes.values()];
  if (!flow.start || !blocks.length) {
    return editWhole(text, doc => {
      if (!doc.get('start')) {
        doc.set('start', name);
      }
      if (!isMap(doc.get('nodes', true))) {
        doc.set('nodes', doc.createNode({}));
      }
      (doc.get('nodes', true) as YAMLMap).set(name, doc.createNode(body));
    });
  }
  const last = blocks.reduce((a, b) => (b.end > a.end ? b : a));
  const written = indentBy(new Document({ [name]: body }).toString(OPTIONS), layout.nodeIndent);
  const before = text.slice(last.end - 1, last.end) === '\n' ? '' : '\n';
  return splice(text, last.end, last.end, `${before}\n${written}`);
}

/** Delete a node and every transition of this flow that led to it. */
export function deleteNode(text: string, name: string): string {
  const flow = data(text);
  if (String(flow.start ?? '') === name) {
    throw new EditError(`${name} is the start node: make another node the start first`);
  }
  const block = nodeBlock(text, name, flow);
  const referrers = Object.entries(flow.nodes as Record<string, any>).filter(
    ([other, body]) =>
      other !== name && Array.isArray(body?.next) && body.next.some((t: any) => t?.to === name)
  );
  if (!block) {
    return editWhole(text, doc => {
      (doc.get('nodes', true) as YAMLMap).delete(name);
      for (const [other, body] of referrers) {
        const kept = body.next.filter((t: any) => t?.to !== name);
        doc.setIn(['nodes', other, 'next'], doc.createNode(kept));
      }
    });
  }
  // from the end of the file backwards, so each block's offsets stay right
  const edits: [Block, (t: string) => string][] = [[block, t => removeBlock(t, block)]];
  const blocks = scan(text).nodes;
  for (const [other, body] of referrers) {
    const kept = body.next.filter((t: any) => t?.to !== name).map(toTransition);
    const target = blocks.get(other)!;
    edits.push([target, t => editBlock(t, target, (map, doc) => map.set('next', doc.createNode(transitionsValue(kept))))]);
  }
  edits.sort(([a], [b]) => b.start - a.start);
  return edits.reduce((current, [, edit]) => edit(current), text);
}

function removeBlock(text: string, block: Block): string {
  let start = block.start;
  // one blank line before the block goes with it
  if (text.slice(Math.max(0, start - 2), start) === '\n\n') {
    start -= 1;
  }
  return splice(text, start, block.end, '');
}

function toTransition(t: { when?: unknown; to?: unknown }): Transition {
  return { when: t.when ? String(t.when) : '', to: String(t.to ?? '') };
}

/** Make `name` the flow's start node. */
export function setStart(text: string, name: string): string {
  const flow = data(text);
  nodeBlock(text, name, flow);
  const block = scan(text).top.get('start');
  if (block && block.line === block.endLine) {
    const line = text.slice(block.start, block.end);
    const written = line.replace(/^start:[ \t]*("[^"]*"|'[^']*'|[^\s#]*)/, `start: ${name}`);
    return splice(text, block.start, block.end, written);
  }
  return editWhole(text, doc => doc.set('start', name));
}

/** The smallest change turning `before` into `after`: [start, end in before, new text]. */
export function textDelta(before: string, after: string): [number, number, string] {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before[start] === after[start]) {
    start++;
  }
  let end = 0;
  while (end < max - start && before[before.length - 1 - end] === after[after.length - 1 - end]) {
    end++;
  }
  return [start, before.length - end, after.slice(start, after.length - end)];
}
