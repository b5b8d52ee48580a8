/**
 * Node positions of a flow, kept beside it in `NAME.flow.ui.json` (as Botpress X kept
 * `.ui.json`): `{"positions": {"flow.node": {"x": ..., "y": ...}}}`. The flow file stays clean;
 * the bot never reads this file.
 */
import { Contents } from '@jupyterlab/services';

type Point = { x: number; y: number };

export function sidecarPath(flowPath: string): string {
  return flowPath.replace(/\.flow\.yml$/, '.flow.ui.json');
}

export class Sidecar {
  readonly path: string;
  readonly positions = new Map<string, Point>();
  private timer = 0;
  private saving: Promise<unknown> = Promise.resolve();

  constructor(
    private contents: Contents.IManager,
    flowPath: string
  ) {
    this.path = sidecarPath(flowPath);
  }

  async load(): Promise<void> {
    try {
      const model = await this.contents.get(this.path, { type: 'file', format: 'text', content: true });
      const data = JSON.parse(String(model.content || '{}'));
      for (const [id, point] of Object.entries(data.positions ?? {})) {
        const { x, y } = point as Point;
        if (typeof x === 'number' && typeof y === 'number') {
          this.positions.set(id, { x, y });
        }
      }
    } catch {
      // no sidecar yet (or not JSON): positions come from the layout
    }
  }

  set(id: string, point: Point): void {
    this.positions.set(id, { x: Math.round(point.x), y: Math.round(point.y) });
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      void this.save();
    }, 300);
  }

  async save(): Promise<void> {
    const positions = Object.fromEntries([...this.positions].sort(([a], [b]) => a.localeCompare(b)));
    const content = JSON.stringify({ positions }, null, 2) + '\n';
    this.saving = this.saving.then(() =>
      this.contents.save(this.path, { type: 'file', format: 'text', content })
    );
    await this.saving;
  }

  /** Closing the document writes a pending move at once. */
  dispose(): void {
    if (this.timer) {
      window.clearTimeout(this.timer);
      this.timer = 0;
      void this.save();
    }
  }
}
