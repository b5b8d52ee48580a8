import { readFileSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';

import {
  addNode,
  deleteNode,
  EditError,
  setNodeField,
  setStart,
  setTransitions,
  textDelta
} from '../src/flowEdit';
import { flowGraph, placeMissing } from '../src/flowGraph';
import { contentRefs, nodeAtLine, parseFlow } from '../src/flowModel';

const BOTS = join(__dirname, '..', '..', 'sample_bots');
const read = (bot: string, flow: string) =>
  readFileSync(join(BOTS, bot, 'flows', `${flow}.flow.yml`), 'utf8');
const SAMPLES: [string, string][] = [
  ['pizza', 'main'],
  ['pizza', 'checkout'],
  ['support', 'main'],
  ['support', 'order_status'],
  ['survey', 'main']
];

function flowOf(text: string) {
  const parsed = parseFlow(text);
  expect(parsed.error).toBeNull();
  return parsed.flow!;
}

/** The lines of `after` that differ from `before` (same line count assumed or not). */
function changedLines(before: string, after: string): string[] {
  const [start, end, inserted] = textDelta(before, after);
  return [before.slice(start, end), inserted];
}

describe('reading a flow', () => {
  it('reads nodes, kinds, start, transitions and lines', () => {
    const flow = flowOf(read('pizza', 'main'));
    expect(flow.start).toBe('welcome');
    const byName = Object.fromEntries(flow.nodes.map(n => [n.name, n]));
    expect(byName.ask_size.kind).toBe('waits');
    expect(byName.pay.kind).toBe('calls');
    expect(byName.cancelled.kind).toBe('ends');
    expect(byName.welcome.kind).toBe('falls_through');
    expect(byName.ask_size.next).toEqual([
      { when: 'state.size', to: 'ask_toppings' },
      { when: '', to: 'size_again' }
    ]);
    expect(flow.catchAll).toEqual([{ when: 'intent == "cancel"', to: 'cancelled' }]);
    expect(contentRefs(byName.ask_size)).toEqual(['ask_size']);
    const text = read('pizza', 'main');
    const line = text.split('\n').findIndex(l => l.includes('size_not_understood')) + 1;
    expect(nodeAtLine(flow, line)?.name).toBe('size_again');
  });

  it('gives the YAML error and its line for a text that does not parse', () => {
    const parsed = parseFlow('start: a\nnodes:\n  a:\n    next: [to: b\n');
    expect(parsed.flow).toBeNull();
    expect(parsed.error).toBeTruthy();
    expect(parsed.errorLine).toBeGreaterThan(1);
  });
});

describe('the graph of a flow', () => {
  it('has the ids, kinds and classes of the notebook graph', () => {
    const graph = flowGraph('main', flowOf(read('pizza', 'main')), {
      main: 'welcome',
      checkout: 'ask_method'
    });
    const ids = graph.nodes.map(n => n.data.id);
    expect(ids).toContain('main.ask_size');
    expect(ids).toContain('main.END');
    expect(ids).toContain('main.CATCH_ALL');
    expect(ids).toContain('ref:checkout.ask_method');
    const edges = graph.edges.map(e => e.data.id);
    expect(edges).toContain('main.ask_size->main.ask_toppings:next0');
    expect(edges).toContain('main.ask_size->main.size_again:next1');
    expect(edges).toContain('main.pay->ref:checkout.ask_method:call');
    expect(edges).toContain('main.CATCH_ALL->main.cancelled:catch_all0');
    const start = graph.nodes.find(n => n.data.id === 'main.welcome')!;
    expect(start.classes).toBe('falls_through start');
    const fallback = graph.edges.find(e => e.data.id.endsWith('size_again:next1'))!;
    expect(fallback.data.label).toBe('else');
  });

  it('draws a target the flow lacks as an error node instead of failing', () => {
    const graph = flowGraph('main', flowOf('start: a\nnodes:\n  a:\n    next: [{to: nowhere}]\n'));
    expect(graph.nodes.find(n => n.data.id === 'main.nowhere')!.classes).toBe('missing');
  });

  it('places every node that has no position', () => {
    const graph = flowGraph('main', flowOf(read('survey', 'main')));
    placeMissing(graph, 'main.intro');
    expect(graph.nodes.every(n => n.position)).toBe(true);
    const spots = new Set(graph.nodes.map(n => `${n.position!.x},${n.position!.y}`));
    expect(spots.size).toBe(graph.nodes.length);
  });
});

describe('writing edits back into the YAML', () => {
  it.each(SAMPLES)('rewriting %s/%s node by node keeps every flow and every comment', (bot, name) => {
    const text = read(bot, name);
    let edited = text;
    for (const node of flowOf(text).nodes) {
      edited = setTransitions(edited, { node: node.name }, node.next);
    }
    expect(flowOf(edited)).toMatchObject({
      ...flowOf(text),
      nodes: flowOf(text).nodes.map(({ line, endLine, ...rest }) => rest)
    });
    const comments = (t: string) => t.split('\n').filter(l => l.trim().startsWith('#')).length;
    expect(comments(edited)).toBe(comments(text));
  });

  it('changing a transition changes that node only', () => {
    const text = read('pizza', 'main');
    const edited = setTransitions(text, { node: 'ask_size' }, [
      { when: 'state.size', to: 'confirm' },
      { when: '', to: 'size_again' }
    ]);
    const byName = Object.fromEntries(flowOf(edited).nodes.map(n => [n.name, n]));
    expect(byName.ask_size.next[0].to).toBe('confirm');
    const [removed, inserted] = changedLines(text, edited);
    expect(removed).toBe('ask_toppings');
    expect(inserted).toBe('confirm');
  });

  it('keeps the comments and layout of the rest of the file', () => {
    const text = read('support', 'main');
    const edited = setTransitions(text, { node: 'retry' }, [{ when: '', to: 'wait_question' }]);
    const before = text.split('\n');
    const after = edited.split('\n');
    expect(after.length).toBe(before.length);
    expect(after.filter((l, i) => l !== before[i])).toEqual(['      - to: wait_question']);
  });

  it('adds a node after the last one, and the catch-all transitions', () => {
    const text = read('pizza', 'main');
    const edited = addNode(text, 'ask_drink');
    expect(edited.startsWith(text)).toBe(true);
    const flow = flowOf(edited);
    expect(flow.nodes.at(-1)).toMatchObject({ name: 'ask_drink', next: [{ to: 'END' }] });
    const caught = setTransitions(edited, { catchAll: true }, [
      { when: 'intent == "cancel"', to: 'cancelled' },
      { when: 'intent == "drink"', to: 'ask_drink' }
    ]);
    expect(flowOf(caught).catchAll.map(t => t.to)).toEqual(['cancelled', 'ask_drink']);
    expect(() => addNode(edited, 'ask_drink')).toThrow(EditError);
    expect(() => addNode(edited, 'Bad Name')).toThrow(EditError);
  });

  it('deletes a node with the transitions that led to it, never the start', () => {
    const text = read('pizza', 'main');
    const edited = deleteNode(text, 'size_again');
    const flow = flowOf(edited);
    expect(flow.nodes.map(n => n.name)).not.toContain('size_again');
    const askSize = flow.nodes.find(n => n.name === 'ask_size')!;
    expect(askSize.next).toEqual([{ when: 'state.size', to: 'ask_toppings' }]);
    expect(() => deleteNode(text, 'welcome')).toThrow(/start node/);
  });

  it('sets instructions, waiting and the start node', () => {
    const text = read('pizza', 'main');
    let edited = setNodeField(text, 'welcome', 'on_receive', []);
    expect(flowOf(edited).nodes[0].kind).toBe('waits');
    edited = setNodeField(edited, 'welcome', 'on_receive', undefined);
    expect(flowOf(edited).nodes[0].kind).toBe('falls_through');
    edited = setNodeField(edited, 'welcome', 'on_enter', [{ say: 'greeting' }, { say: 'menu' }]);
    expect(contentRefs(flowOf(edited).nodes[0])).toEqual(['greeting', 'menu']);
    edited = setStart(edited, 'ask_size');
    expect(flowOf(edited).start).toBe('ask_size');
    expect(edited.split('\n')[1]).toBe('start: ask_size');
  });

  it('starts a flow in an empty file', () => {
    const flow = flowOf(addNode('', 'hello'));
    expect(flow.start).toBe('hello');
    expect(flow.nodes.map(n => n.name)).toEqual(['hello']);
  });

  it('leaves comments around and inside other nodes where they are', () => {
    const text = [
      'start: a',
      'nodes:',
      '  a:   # the first',
      '    next:',
      '      - to: b        # go on',
      '    # trailing in a',
      '  # about b',
      '  b:',
      '    description: >-',
      '      folded text',
      '      here',
      '    next: [{to: END}]',
      '',
      '# the end',
      ''
    ].join('\n');
    const edited = setTransitions(text, { node: 'b' }, [{ when: 'text == "x"', to: 'a' }, { when: '', to: 'END' }]);
    const [start] = textDelta(text, edited);
    expect(start).toBeGreaterThan(text.indexOf('  b:'));
    expect(edited).toContain('  # about b\n  b:\n');
    expect(edited.endsWith('\n# the end\n')).toBe(true);
    expect(flowOf(edited).nodes[1].next.map(t => t.to)).toEqual(['a', 'END']);
    const first = setTransitions(text, { node: 'a' }, [{ when: '', to: 'END' }]);
    expect(first).toContain('    # trailing in a\n  # about b\n');
    expect(flowOf(first).nodes[0].next).toEqual([{ when: '', to: 'END' }]);
  });

  it('edits a flow written in flow style as a whole', () => {
    const text = '{start: a, nodes: {a: {next: [{to: END}]}}}\n';
    const edited = setTransitions(text, { node: 'a' }, [{ when: '', to: 'a' }]);
    expect(flowOf(edited).nodes[0].next).toEqual([{ when: '', to: 'a' }]);
    expect(flowOf(addNode(edited, 'b')).nodes.map(n => n.name)).toEqual(['a', 'b']);
  });

  it('refuses to edit a text that does not parse', () => {
    expect(() => addNode('nodes: [', 'a')).toThrow(EditError);
  });
});
