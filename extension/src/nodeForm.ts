/**
 * The side form: the selected node's instructions, content references and transitions, or,
 * with no node selected, the flow's start, catch-all and a way to add nodes. Every change is
 * an `Edit` of the YAML text (see `flowEdit`); the editor applies it.
 */
import { Widget } from '@lumino/widgets';
import { Signal } from '@lumino/signaling';
import { parse, stringify } from 'yaml';

import {
  addNode,
  deleteNode,
  Place,
  setNodeField,
  setStart,
  setTransitions
} from './flowEdit';
import { contentRefs, Flow, FlowNode, Transition } from './flowModel';

export type Edit = (text: string) => string;

type Attrs = Record<string, string | boolean | undefined>;

function h(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === true) {
      el.setAttribute(key, '');
    } else if (value !== false && value !== undefined) {
      el.setAttribute(key, value);
    }
  }
  el.append(...children);
  return el;
}

function yamlList(value: unknown[] | null): string {
  return value && value.length ? stringify(value, { lineWidth: 0 }) : '';
}

export class NodeForm extends Widget {
  /** A change to write into the YAML. */
  readonly edited = new Signal<this, { edit: Edit; select?: string | null }>(this);
  private flow: Flow | null = null;
  private nodeName: string | null = null;

  constructor() {
    super();
    this.addClass('jp-WorkbenchForm');
  }

  render(flow: Flow | null, selected: string | null, problems: string[] = []): void {
    this.flow = flow;
    this.nodeName = selected;
    const active = document.activeElement;
    if (active && this.node.contains(active) && active.tagName === 'TEXTAREA') {
      return; // do not replace what the user is typing in
    }
    this.node.replaceChildren();
    if (!flow) {
      this.node.append(h('p', { class: 'jp-WorkbenchForm-note' }, 'The flow does not parse: fix the text.'));
      return;
    }
    const node = flow.nodes.find(n => n.name === selected);
    if (node) {
      this.renderNode(flow, node, problems);
    } else {
      this.renderFlow(flow);
    }
  }

  private emit(edit: Edit, select?: string | null): void {
    this.edited.emit({ edit, select });
  }

  private targets(current: string[]): string[] {
    const names = this.flow ? this.flow.nodes.map(n => n.name) : [];
    return [...new Set([...names, 'END', 'RETURN', ...current.filter(Boolean)])];
  }

  private transitionsEditor(place: Place, list: Transition[]): HTMLElement {
    const rows = list.map(t => ({ ...t }));
    const write = () => this.emit(text => setTransitions(text, place, rows));
    const table = h('div', { class: 'jp-WorkbenchTransitions' });
    const options = this.targets(rows.map(r => r.to));
    rows.forEach((row, i) => {
      const when = h('input', {
        class: 'jp-WorkbenchTransition-when',
        placeholder: i === rows.length - 1 && i > 0 ? 'else (always)' : 'always',
        value: row.when,
        'aria-label': `condition ${i + 1}`
      }) as HTMLInputElement;
      when.addEventListener('change', () => {
        row.when = when.value.trim();
        write();
      });
      const to = h(
        'select',
        { class: 'jp-WorkbenchTransition-to', 'aria-label': `target ${i + 1}` },
        ...options.map(name => h('option', { value: name, selected: name === row.to }, name))
      ) as HTMLSelectElement;
      to.addEventListener('change', () => {
        row.to = to.value;
        write();
      });
      const remove = h('button', { class: 'jp-WorkbenchForm-small', title: 'Delete this transition' }, '×');
      remove.addEventListener('click', () => {
        rows.splice(i, 1);
        write();
      });
      table.append(h('div', { class: 'jp-WorkbenchTransition' }, when, h('span', {}, '→'), to, remove));
    });
    const add = h('button', { class: 'jp-WorkbenchForm-add' }, '+ transition');
    add.addEventListener('click', () => {
      rows.push({ when: '', to: 'END' });
      write();
    });
    table.append(add);
    return table;
  }

  private instructions(node: FlowNode, key: 'on_enter' | 'on_receive', value: unknown[]) {
    const area = h('textarea', {
      class: `jp-WorkbenchForm-yaml jp-WorkbenchForm-${key}`,
      rows: String(Math.max(2, yamlList(value).split('\n').length)),
      spellcheck: 'false'
    }) as HTMLTextAreaElement;
    area.value = yamlList(value);
    const error = h('div', { class: 'jp-WorkbenchForm-error' });
    area.addEventListener('change', () => {
      let parsed: unknown;
      try {
        parsed = area.value.trim() ? parse(area.value) : [];
      } catch (e) {
        error.textContent = `Not YAML: ${(e as Error).message.split('\n')[0]}`;
        return;
      }
      if (!Array.isArray(parsed)) {
        error.textContent = 'A list of instructions (- say: ..., - set: ..., - do: ...)';
        return;
      }
      error.textContent = '';
      area.blur();
      this.emit(text => setNodeField(text, node.name, key, parsed));
    });
    return h('div', {}, area, error);
  }

  private contentRefs(node: FlowNode): HTMLElement {
    const box = h('div', { class: 'jp-WorkbenchRefs' });
    const refs = contentRefs(node);
    node.onEnter.forEach((step, index) => {
      const say = step && typeof step === 'object' ? (step as { say?: unknown }).say : undefined;
      if (typeof say !== 'string') {
        return;
      }
      const input = h('input', { class: 'jp-WorkbenchRef', value: say, 'aria-label': 'content element id' }) as HTMLInputElement;
      input.addEventListener('change', () => {
        const steps = node.onEnter.map((s, i) => (i === index ? { ...(s as object), say: input.value.trim() } : s));
        this.emit(text => setNodeField(text, node.name, 'on_enter', steps));
      });
      box.append(input);
    });
    const add = h('input', { class: 'jp-WorkbenchRef-new', placeholder: refs.length ? 'add: element id' : 'say: element id' }) as HTMLInputElement;
    add.addEventListener('change', () => {
      const id = add.value.trim();
      if (id) {
        this.emit(text => setNodeField(text, node.name, 'on_enter', [...node.onEnter, { say: id }]));
      }
    });
    box.append(add);
    return box;
  }

  private renderNode(flow: Flow, node: FlowNode, problems: string[]): void {
    const start = flow.start === node.name;
    const header = h('div', { class: 'jp-WorkbenchForm-header' }, h('b', {}, node.name), ` · ${node.kind.replace('_', ' ')}`);
    if (start) {
      header.append(h('span', { class: 'jp-WorkbenchForm-badge' }, 'start'));
    } else {
      const makeStart = h('button', { class: 'jp-WorkbenchForm-small' }, 'make start');
      makeStart.addEventListener('click', () => this.emit(text => setStart(text, node.name)));
      header.append(makeStart);
    }
    this.node.append(header);
    for (const message of problems) {
      this.node.append(h('div', { class: 'jp-WorkbenchForm-problem' }, message));
    }
    const description = h('input', { class: 'jp-WorkbenchForm-description', value: node.description, placeholder: 'description' }) as HTMLInputElement;
    description.addEventListener('change', () =>
      this.emit(text => setNodeField(text, node.name, 'description', description.value.trim() || undefined))
    );
    this.node.append(description);
    this.node.append(h('h4', {}, 'Says (content elements)'), this.contentRefs(node));
    this.node.append(h('h4', {}, 'On enter'), this.instructions(node, 'on_enter', node.onEnter));
    const waits = h('input', { type: 'checkbox', class: 'jp-WorkbenchForm-waits', checked: node.onReceive !== null }) as HTMLInputElement;
    waits.addEventListener('change', () =>
      this.emit(text => setNodeField(text, node.name, 'on_receive', waits.checked ? [] : undefined))
    );
    this.node.append(h('label', { class: 'jp-WorkbenchForm-check' }, waits, ' waits for the user (on_receive)'));
    if (node.onReceive !== null) {
      this.node.append(this.instructions(node, 'on_receive', node.onReceive));
    }
    const call = h('input', { class: 'jp-WorkbenchForm-call', value: node.call ?? '', placeholder: 'call: another flow' }) as HTMLInputElement;
    call.addEventListener('change', () =>
      this.emit(text => setNodeField(text, node.name, 'call', call.value.trim() || undefined))
    );
    this.node.append(h('h4', {}, 'Transitions (first that holds)'), this.transitionsEditor({ node: node.name }, node.next));
    this.node.append(h('h4', {}, 'Calls'), call);
    const remove = h('button', { class: 'jp-WorkbenchForm-delete', disabled: start }, `Delete ${node.name}`);
    remove.addEventListener('click', () => this.emit(text => deleteNode(text, node.name), null));
    this.node.append(h('div', { class: 'jp-WorkbenchForm-footer' }, remove));
  }

  private renderFlow(flow: Flow): void {
    this.node.append(h('div', { class: 'jp-WorkbenchForm-header' }, h('b', {}, 'Flow'), ` · ${flow.nodes.length} nodes`));
    if (flow.description) {
      this.node.append(h('p', { class: 'jp-WorkbenchForm-note' }, flow.description));
    }
    const start = h(
      'select',
      { class: 'jp-WorkbenchForm-start', 'aria-label': 'start node' },
      ...flow.nodes.map(n => h('option', { value: n.name, selected: n.name === flow.start }, n.name))
    ) as HTMLSelectElement;
    start.addEventListener('change', () => this.emit(text => setStart(text, start.value)));
    this.node.append(h('h4', {}, 'Start'), start);
    this.node.append(h('h4', {}, 'Catch-all (checked on every message)'), this.transitionsEditor({ catchAll: true }, flow.catchAll));
    this.node.append(h('h4', {}, 'Add a node'), this.addNodeInput());
    this.node.append(h('p', { class: 'jp-WorkbenchForm-note' }, 'Click a node to edit it; drag nodes to arrange them.'));
  }

  addNodeInput(): HTMLElement {
    const name = h('input', { class: 'jp-WorkbenchForm-newnode', placeholder: 'node_name' }) as HTMLInputElement;
    const add = h('button', { class: 'jp-WorkbenchForm-add' }, '+ node');
    const go = () => {
      const value = name.value.trim();
      if (value) {
        this.emit(text => addNode(text, value), value);
      }
    };
    add.addEventListener('click', go);
    name.addEventListener('keydown', e => {
      if ((e as KeyboardEvent).key === 'Enter') {
        go();
      }
    });
    return h('div', { class: 'jp-WorkbenchForm-row' }, name, add);
  }

  get selectedNode(): string | null {
    return this.nodeName;
  }
}
