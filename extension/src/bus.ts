/** What the emulator panel tells the open flow editors: the last turn of a bot. */
import { Signal } from '@lumino/signaling';

export interface TurnNotice {
  bot: string;
  /** Element ids the turn went through (`flow.node`, `flow.END`, ...), in order. */
  path: string[];
  /** Where the conversation waits now (`flow.node`), null when it ended. */
  node: string | null;
  error: string | null;
}

class Bus {
  readonly turn = new Signal<this, TurnNotice>(this);
  /** The last turn per bot, for flow editors opened after it. */
  readonly last = new Map<string, TurnNotice>();

  notify(notice: TurnNotice): void {
    this.last.set(notice.bot, notice);
    this.turn.emit(notice);
  }
}

export const bus = new Bus();
