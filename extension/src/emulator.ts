/**
 * The bot emulator in the right sidebar: pick a bot, chat (quick replies, cards, images), see
 * each turn's debugger trace; reset, switch user and language. Each turn is announced on the
 * bus so the open flow documents highlight the current node and the path taken.
 */
import { Widget } from '@lumino/widgets';

import {
  BotInfo,
  listBots,
  Reply,
  resetConversation,
  say,
  Trace,
  TraceStep,
  Turn
} from './api';
import { bus } from './bus';

function el(tag: string, className = '', text = ''): HTMLElement {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

function newId(): string {
  return `lab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
}

/** `key: before → after` for every variable a turn changed. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter(k => show(before[k]) !== show(after[k]))
    .map(k => (k in before ? `${k}: ${show(before[k])} → ${show(after[k])}` : `${k} = ${show(after[k])}`));
}

function stepText(step: TraceStep): string {
  const { kind, node, ...rest } = step;
  const details = Object.entries(rest)
    .filter(([key]) => key !== 'reply')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${kind}${node ? ` ${node}` : ''}${details ? ` · ${details}` : ''}`;
}

export class EmulatorPanel extends Widget {
  private bots: BotInfo[] = [];
  private cid = newId();
  private botSelect = el('select', 'jp-WorkbenchEmu-bot') as HTMLSelectElement;
  private userInput = el('input', 'jp-WorkbenchEmu-user') as HTMLInputElement;
  private languageSelect = el('select', 'jp-WorkbenchEmu-language') as HTMLSelectElement;
  private log = el('div', 'jp-WorkbenchEmu-log');
  private input = el('input', 'jp-WorkbenchEmu-input') as HTMLInputElement;
  private status = el('div', 'jp-WorkbenchEmu-status');
  private busy = false;

  constructor() {
    super();
    this.id = 'workbench-emulator';
    this.addClass('jp-WorkbenchEmu');
    this.title.caption = 'Bot emulator';
    this.userInput.value = 'lab-user';
    this.userInput.title = 'User id: another id is another user (user variables are per user)';
    this.languageSelect.title = 'Language';
    this.input.placeholder = 'Say something to the bot…';
    this.input.setAttribute('aria-label', 'message to the bot');
    const refresh = el('button', 'jp-WorkbenchEmu-refresh', '⟳');
    refresh.title = 'Look for bots again';
    const reset = el('button', 'jp-WorkbenchEmu-reset', 'Reset');
    reset.title = 'Forget the conversation: the next message starts a new session';
    const send = el('button', 'jp-WorkbenchEmu-send', 'Send');
    const top = el('div', 'jp-WorkbenchEmu-top');
    top.append(this.botSelect, refresh, reset);
    const who = el('div', 'jp-WorkbenchEmu-who');
    who.append(el('span', '', 'user'), this.userInput, el('span', '', 'language'), this.languageSelect);
    const bottom = el('div', 'jp-WorkbenchEmu-bottom');
    bottom.append(this.input, send);
    this.node.append(top, who, this.log, this.status, bottom);

    refresh.addEventListener('click', () => void this.loadBots());
    reset.addEventListener('click', () => void this.reset());
    send.addEventListener('click', () => void this.send(this.input.value));
    this.input.addEventListener('keydown', e => {
      if ((e as KeyboardEvent).key === 'Enter') {
        void this.send(this.input.value);
      }
    });
    this.botSelect.addEventListener('change', () => this.pick(this.botSelect.value));
    this.userInput.addEventListener('change', () => this.newConversation(`user ${this.userInput.value}`));
    this.languageSelect.addEventListener('change', () =>
      this.newConversation(`language ${this.languageSelect.value}`)
    );
  }

  get bot(): string {
    return this.botSelect.value;
  }

  async loadBots(): Promise<BotInfo[]> {
    try {
      this.bots = await listBots();
    } catch (error) {
      this.setStatus(`Cannot list the bots: ${(error as Error).message}`);
      return [];
    }
    const current = this.botSelect.value;
    this.botSelect.replaceChildren(
      ...this.bots.map(b => {
        const option = el('option', '', `${b.name} (${b.path})`) as HTMLOptionElement;
        option.value = b.path;
        return option;
      })
    );
    if (!this.bots.length) {
      this.setStatus('No bot under the server root: create one with “New bot”.');
    } else {
      this.pick(this.bots.some(b => b.path === current) ? current : this.bots[0].path);
    }
    return this.bots;
  }

  /** Talk to the bot at `path` (a new conversation). */
  pick(path: string): void {
    this.botSelect.value = path;
    const bot = this.bots.find(b => b.path === path);
    this.languageSelect.replaceChildren(
      ...(bot?.languages ?? ['en']).map(l => {
        const option = el('option', '', l) as HTMLOptionElement;
        option.value = l;
        return option;
      })
    );
    this.newConversation(bot ? `talking to ${bot.name}` : '');
  }

  private newConversation(note: string): void {
    this.cid = newId();
    this.log.replaceChildren();
    if (note) {
      this.log.append(el('div', 'jp-WorkbenchEmu-note', note));
    }
  }

  async reset(): Promise<void> {
    if (this.bot) {
      await resetConversation(this.bot, this.cid).catch(() => undefined);
    }
    this.newConversation('conversation reset');
    bus.notify({ bot: this.bot, path: [], node: null, error: null });
  }

  async send(text: string, shown = text): Promise<Turn | null> {
    if (!this.bot || this.busy) {
      return null;
    }
    this.busy = true;
    this.input.value = '';
    this.log.append(el('div', 'jp-WorkbenchEmu-user-msg', shown || '(empty message)'));
    this.setStatus('…');
    try {
      const turn = await say(this.bot, this.cid, {
        text,
        user_id: this.userInput.value || 'lab-user',
        language: this.languageSelect.value
      });
      this.renderTurn(turn);
      this.setStatus('');
      bus.notify({ bot: this.bot, path: turn.path, node: turn.node, error: turn.trace?.error ?? null });
      return turn;
    } catch (error) {
      this.log.append(el('div', 'jp-WorkbenchEmu-error', (error as Error).message));
      this.setStatus('');
      return null;
    } finally {
      this.busy = false;
      this.log.scrollTop = this.log.scrollHeight;
    }
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
  }

  private renderTurn(turn: Turn): void {
    for (const reply of turn.replies) {
      this.log.append(this.renderReply(reply));
    }
    if (turn.trace) {
      this.log.append(this.renderTrace(turn.trace, turn.path));
    }
  }

  private renderReply(reply: Reply): HTMLElement {
    const box = el('div', `jp-WorkbenchEmu-bot-msg jp-mod-${reply.type}`);
    const cards = reply.cards ?? (reply.type === 'card' ? [reply] : []);
    if (reply.type === 'image' && reply.image) {
      const image = el('img', 'jp-WorkbenchEmu-image') as HTMLImageElement;
      image.src = reply.image;
      image.alt = reply.title ?? reply.text ?? 'image';
      box.append(image);
      if (reply.text) {
        box.append(el('div', '', reply.text));
      }
    } else if (cards.length) {
      if (reply.type !== 'card' && reply.text) {
        box.append(el('div', 'jp-WorkbenchEmu-intro', reply.text));
      }
      for (const card of cards) {
        box.append(this.renderCard(card));
      }
    } else {
      box.textContent = reply.text;
    }
    if (reply.choices?.length) {
      const choices = el('div', 'jp-WorkbenchEmu-choices');
      for (const choice of reply.choices) {
        const button = el('button', 'jp-WorkbenchEmu-choice', choice.title);
        button.addEventListener('click', () => void this.send(choice.value, choice.title));
        choices.append(button);
      }
      box.append(choices);
    }
    return box;
  }

  private renderCard(card: Reply): HTMLElement {
    const node = el('div', 'jp-WorkbenchEmu-card');
    if (card.image) {
      const image = el('img') as HTMLImageElement;
      image.src = card.image;
      image.alt = card.title ?? '';
      node.append(image);
    }
    if (card.title) {
      node.append(el('b', '', card.title));
    }
    if (card.subtitle || card.text) {
      node.append(el('div', '', card.subtitle || card.text));
    }
    for (const button of card.buttons ?? []) {
      if (button.url) {
        const link = el('a', 'jp-WorkbenchEmu-link', button.title ?? button.url) as HTMLAnchorElement;
        link.href = button.url;
        link.target = '_blank';
        link.rel = 'noopener';
        node.append(link);
      } else {
        const b = el('button', 'jp-WorkbenchEmu-choice', button.title ?? String(button.value));
        b.addEventListener('click', () => void this.send(String(button.value ?? button.title), button.title));
        node.append(b);
      }
    }
    return node;
  }

  private renderTrace(trace: Trace, path: string[]): HTMLElement {
    const details = el('details', 'jp-WorkbenchEmu-trace') as HTMLDetailsElement;
    const nlu = trace.nlu
      ? `${trace.nlu.intent ?? 'none'} ${(trace.nlu.confidence ?? 0).toFixed(2)}`
      : 'no NLU';
    const summary = el(
      'summary',
      '',
      `turn ${trace.turn} · ${nlu} · ${trace.node_before ?? 'start'} → ${trace.node_after ?? (trace.ended ? 'END' : '?')}`
    );
    details.append(summary);
    if (trace.error) {
      details.append(el('div', 'jp-WorkbenchEmu-error', `turn error: ${trace.error}`));
    }
    if (trace.nlu?.entities?.length) {
      const ents = trace.nlu.entities.map(e => `${e.type}=${JSON.stringify(e.value)}`).join(', ');
      details.append(el('div', '', `entities: ${ents}`));
    }
    details.append(el('div', 'jp-WorkbenchEmu-path', `path: ${path.join(' → ') || '(none)'}`));
    const steps = el('ol', 'jp-WorkbenchEmu-steps');
    for (const step of trace.steps) {
      steps.append(el('li', `jp-mod-${step.kind}`, stepText(step)));
    }
    details.append(steps);
    for (const [label, before, after] of [
      ['state', trace.state_before, trace.state_after],
      ['user', trace.user_before, trace.user_after],
      ['bot', trace.bot_before, trace.bot_after]
    ] as const) {
      for (const change of diff(before ?? {}, after ?? {})) {
        details.append(el('div', 'jp-WorkbenchEmu-diff', `${label}.${change}`));
      }
    }
    return details;
  }
}
