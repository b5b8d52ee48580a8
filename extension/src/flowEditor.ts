/**
 * The flow editor: the graph and the side form beside the YAML text, one document.
 *
 * The text (the document's shared model) is the truth: the graph is drawn from the last text
 * that parsed, every graph or form edit is written into the text as a small change (so the
 * text editor's undo/redo covers it), and the file is saved. Node positions live in a sidecar
 * file, `NAME.flow.ui.json`, so the flow file stays clean.
 */
import { CodeEditorWrapper, IEditorServices } from '@jupyterlab/codeeditor';
import { PathExt } from '@jupyterlab/coreutils';
import {
  ABCWidgetFactory,
  DocumentRegistry,
  DocumentWidget
} from '@jupyterlab/docregistry';
import { Contents } from '@jupyterlab/services';
import { BoxPanel, SplitPanel, Widget } from '@lumino/widgets';

import { fetchGraph, flowLocation, Problem } from './api';
import { bus, TurnNotice } from './bus';
import { EditError, textDelta } from './flowEdit';
import { flowGraph, placeMissing } from './flowGraph';
import { Flow, nodeAtLine, parseFlow, ParseResult } from './flowModel';
import { GraphView } from './graphView';
import { Edit, NodeForm } from './nodeForm';
import { Sidecar } from './sidecar';

type Context = DocumentRegistry.IContext<DocumentRegistry.ICodeModel>;
type Point = { x: number; y: number };

export interface FlowEditorOptions {
  context: Context;
  editorServices: IEditorServices;
  contents: Contents.IManager;
}

export class FlowEditor extends SplitPanel {
  readonly graph = new GraphView();
  readonly form = new NodeForm();
  readonly text: CodeEditorWrapper;
  readonly bot: string;
  readonly flowName: string;
  private banner = new Widget();
  private problemsList = new Widget();
  private context: Context;
  private sidecar: Sidecar;
  private lastGood: Flow | null = null;
  private selected: string | null = null;
  private known = new Map<string, Point>();
  private serverPositions = new Map<string, Point>();
  private starts: Record<string, string> = {};
  private lint: Problem[] = [];
  private timer = 0;
  private notice: TurnNotice | null = null;
  private parsedText = '';
  private parsed: ParseResult | null = null;
  /** Resolves once the first graph is drawn (tests and the benchmark wait on it). */
  readonly drawn: Promise<void>;

  constructor(options: FlowEditorOptions) {
    super({ orientation: 'horizontal', spacing: 2 });
    this.addClass('jp-WorkbenchFlowEditor');
    this.context = options.context;
    const { bot, flow } = flowLocation(this.context.path);
    this.bot = bot;
    this.flowName = flow;
    this.sidecar = new Sidecar(options.contents, this.context.path);
    const model = this.context.model;
    model.mimeType = options.editorServices.mimeTypeService.getMimeTypeByFilePath(
      this.context.path
    );
    this.text = new CodeEditorWrapper({
      factory: options.editorServices.factoryService.newDocumentEditor,
      model,
      editorOptions: { config: { lineNumbers: true } }
    });
    this.text.addClass('jp-WorkbenchText');

    this.banner.addClass('jp-WorkbenchBanner');
    this.problemsList.addClass('jp-WorkbenchProblems');
    const left = new BoxPanel({ direction: 'top-to-bottom', spacing: 0 });
    left.addClass('jp-WorkbenchGraphArea');
    left.addWidget(this.banner);
    left.addWidget(this.graph);
    left.addWidget(this.problemsList);
    BoxPanel.setStretch(this.graph, 1);
    BoxPanel.setSizeBasis(this.banner, 0);
    this.addWidget(left);
    this.addWidget(this.form);
    this.addWidget(this.text);
    this.setRelativeSizes([0.47, 0.23, 0.3]);

    this.graph.selected.connect((_, id) => this.select(id ? this.nodeOf(id) : null));
    this.graph.moved.connect((_, { id, x, y }) => {
      this.known.set(id, { x, y });
      this.sidecar.set(id, { x, y });
    });
    this.form.edited.connect((_, { edit, select }) => void this.apply(edit, select));
    bus.turn.connect(this.onTurn, this);
    this.drawn = this.start();
  }

  private async start(): Promise<void> {
    await this.context.ready;
    await Promise.all([this.sidecar.load(), this.refreshServer()]);
    for (const [id, point] of this.sidecar.positions) {
      this.known.set(id, point);
    }
    this.context.model.contentChanged.connect(this.onTextChanged, this);
    this.context.saveState.connect((_, state) => {
      if (state === 'completed') {
        void this.refreshServer().then(() => this.sync());
      }
    });
    this.sync();
    const last = bus.last.get(this.bot);
    if (last) {
      this.onTurn(bus, last);
    }
  }

  /** The server's view of the saved bot: stylesheet, layout positions, lint problems. */
  private async refreshServer(): Promise<void> {
    if (!this.bot) {
      return;
    }
    try {
      const graph = await fetchGraph(this.bot);
      this.graph.setStyle(graph.style);
      this.lint = graph.lint;
      this.serverPositions.clear();
      for (const [name, elements] of Object.entries(graph.flows)) {
        for (const node of elements.nodes) {
          if (node.data.start && node.data.node) {
            this.starts[name] = node.data.node;
          }
          if (name === this.flowName && node.position) {
            this.serverPositions.set(node.data.id, node.position);
          }
        }
      }
    } catch (error) {
      this.lint = [];
      this.node.dataset.server = String((error as Error).message);
    }
  }

  private nodeOf(id: string): string | null {
    const prefix = `${this.flowName}.`;
    return id.startsWith(prefix) ? id.slice(prefix.length) : null;
  }

  private onTextChanged(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.sync(), 150);
  }

  /** Parse the text; draw it, or show why it does not parse (the last good graph stays). */
  sync(): void {
    window.clearTimeout(this.timer);
    const parsed = this.parse(this.context.model.sharedModel.getSource());
    if (!parsed.flow) {
      const where = parsed.errorLine ? `line ${parsed.errorLine}: ` : '';
      this.showBanner(`${where}${parsed.error} (the graph shows the last text that parsed)`);
      this.node.dataset.parsed = 'false';
      this.form.render(null, this.selected);
      return;
    }
    this.showBanner('');
    this.node.dataset.parsed = 'true';
    this.lastGood = parsed.flow;
    if (this.selected && !parsed.flow.nodes.some(n => n.name === this.selected)) {
      this.selected = null;
    }
    this.draw(parsed.flow);
  }

  /** The text parsed, once per text (a save, a selection or a turn draws again, no parse). */
  private parse(text: string): ParseResult {
    if (text !== this.parsedText || !this.parsed) {
      this.parsed = parseFlow(text);
      this.parsedText = text;
    }
    return this.parsed;
  }

  private draw(flow: Flow): void {
    const graph = flowGraph(this.flowName, flow, this.starts);
    for (const node of graph.nodes) {
      const id = node.data.id;
      const point = this.known.get(id) ?? this.serverPositions.get(id);
      if (point) {
        node.position = { ...point };
      }
    }
    placeMissing(graph, `${this.flowName}.${flow.start}`);
    for (const node of graph.nodes) {
      this.known.set(node.data.id, node.position!);
    }
    const selectedId = this.selected ? `${this.flowName}.${this.selected}` : null;
    this.graph.draw(graph, selectedId);
    const problems = this.problemsByNode(flow);
    this.graph.markProblems(problems);
    if (this.notice) {
      this.highlight(this.notice);
    }
    this.form.render(flow, this.selected, selectedId ? problems.get(selectedId) ?? [] : []);
    this.renderProblems(flow);
  }

  private fileProblems(): Problem[] {
    return this.lint.filter(p => p.file === this.context.path);
  }

  private problemsByNode(flow: Flow): Map<string, string[]> {
    const byNode = new Map<string, string[]>();
    for (const problem of this.fileProblems()) {
      const node = problem.line ? nodeAtLine(flow, problem.line) : null;
      if (node) {
        const id = `${this.flowName}.${node.name}`;
        byNode.set(id, [...(byNode.get(id) ?? []), problem.message]);
      }
    }
    return byNode;
  }

  private renderProblems(flow: Flow): void {
    const problems = this.fileProblems();
    const list = this.problemsList.node;
    list.replaceChildren();
    this.node.dataset.problems = String(problems.length);
    for (const problem of problems) {
      const item = document.createElement('div');
      item.className = `jp-WorkbenchProblem jp-mod-${problem.severity}`;
      item.textContent = `${problem.line ?? ''}: ${problem.message}`;
      item.addEventListener('click', () => {
        const node = problem.line ? nodeAtLine(flow, problem.line) : null;
        if (node) {
          this.select(node.name);
        }
        this.revealLine(problem.line ?? 1);
      });
      list.appendChild(item);
    }
  }

  private showBanner(message: string): void {
    this.banner.node.textContent = message;
    this.banner.setHidden(!message);
  }

  select(name: string | null): void {
    this.selected = name;
    const flow = this.lastGood;
    if (!flow) {
      return;
    }
    const id = name ? `${this.flowName}.${name}` : null;
    this.graph.select(id);
    this.form.render(flow, name, id ? this.problemsByNode(flow).get(id) ?? [] : []);
    const node = flow.nodes.find(n => n.name === name);
    if (node) {
      this.revealLine(node.line);
    }
  }

  revealLine(line: number): void {
    const editor = this.text.editor;
    const position = { line: Math.max(0, line - 1), column: 0 };
    editor.setCursorPosition(position);
    editor.revealPosition(position);
  }

  /** Write an edit of the graph or form into the text (one undo step), then save. */
  async apply(edit: Edit, select?: string | null): Promise<boolean> {
    const shared = this.context.model.sharedModel;
    const before = shared.getSource();
    let after: string;
    try {
      after = edit(before);
    } catch (error) {
      if (error instanceof EditError) {
        this.showBanner(error.message);
        return false;
      }
      throw error;
    }
    if (after !== before) {
      const [start, end, inserted] = textDelta(before, after);
      // one undo step per edit: not merged with the typing just before or after it
      const undo = (shared as unknown as { undoManager?: { stopCapturing(): void } }).undoManager;
      undo?.stopCapturing();
      shared.updateSource(start, end, inserted);
      undo?.stopCapturing();
    }
    if (select !== undefined) {
      this.selected = select;
    }
    // the save's first request leaves before the graph is drawn again: both go on at once
    const saved = this.context.save();
    await new Promise(resolve => window.setTimeout(resolve, 0));
    this.sync();
    await saved;
    return true;
  }

  /** A new node, placed at the centre of the view. */
  async addNodeAt(name: string, edit: Edit): Promise<void> {
    const id = `${this.flowName}.${name}`;
    const centre = this.graph.viewCentre();
    this.known.set(id, centre);
    if (await this.apply(edit, name)) {
      this.sidecar.set(id, centre);
    }
  }

  undo(): void {
    this.context.model.sharedModel.undo();
    this.sync();
    void this.context.save();
  }

  redo(): void {
    this.context.model.sharedModel.redo();
    this.sync();
    void this.context.save();
  }

  get selectedNode(): string | null {
    return this.selected;
  }

  private onTurn(_: unknown, notice: TurnNotice): void {
    if (notice.bot !== this.bot) {
      return;
    }
    this.notice = notice;
    this.highlight(notice);
  }

  private highlight(notice: TurnNotice): void {
    const mine = (id: string) => id.startsWith(`${this.flowName}.`);
    const current = notice.node && mine(notice.node) ? notice.node : null;
    this.graph.highlight(notice.path.filter(mine), current, !!notice.error);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    bus.turn.disconnect(this.onTurn, this);
    window.clearTimeout(this.timer);
    this.sidecar.dispose();
    super.dispose();
  }
}

export class FlowDocument extends DocumentWidget<FlowEditor, DocumentRegistry.ICodeModel> {}

export class FlowEditorFactory extends ABCWidgetFactory<FlowDocument, DocumentRegistry.ICodeModel> {
  constructor(
    options: DocumentRegistry.IWidgetFactoryOptions<FlowDocument>,
    private services: { editorServices: IEditorServices; contents: Contents.IManager },
    private decorate: (widget: FlowDocument) => void
  ) {
    super(options);
  }

  protected createNewWidget(context: Context): FlowDocument {
    const content = new FlowEditor({ context, ...this.services });
    const widget = new FlowDocument({ content, context });
    widget.title.caption = `${PathExt.basename(context.path)} (flow editor)`;
    this.decorate(widget);
    return widget;
  }
}
