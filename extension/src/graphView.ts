/** The flow drawn with cytoscape.js: the notebook graph's stylesheet, positions as given. */
import { Widget } from '@lumino/widgets';
import { Signal } from '@lumino/signaling';
import cytoscape from 'cytoscape';

import type { Element, Graph } from './flowGraph';

/** Used until the server's stylesheet arrives (or when it cannot be had). */
const FALLBACK_STYLE: any[] = [
  {
    selector: 'node',
    style: {
      label: 'data(display)',
      'font-size': 12,
      'text-valign': 'center',
      'text-halign': 'center',
      'border-width': 2,
      shape: 'round-rectangle',
      'background-color': '#f3f4f6',
      'border-color': '#4b5563'
    }
  },
  { selector: 'node[width]', style: { width: 'data(width)', height: 'data(height)' } },
  {
    selector: 'edge',
    style: {
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      label: 'data(display)',
      'font-size': 10
    }
  }
];

/** Added to the server's stylesheet: what only the editor shows. */
const EDITOR_STYLE: any[] = [
  {
    selector: 'node.missing',
    style: { 'border-style': 'dashed', 'background-color': '#fee2e2', 'border-color': '#dc2626' }
  },
  {
    selector: 'node.lint',
    style: { 'border-color': '#dc2626', 'border-width': 4, 'background-color': '#fee2e2' }
  },
  {
    selector: 'node:selected',
    style: { 'overlay-color': '#1d4ed8', 'overlay-opacity': 0.15, 'overlay-padding': 6 }
  },
  // labels too small to read are not drawn: a 300-node flow fitted in the view stays fast
  { selector: 'node, edge', style: { 'min-zoomed-font-size': 6 } },
  { selector: 'edge:selected', style: { 'line-color': '#1d4ed8', 'target-arrow-color': '#1d4ed8' } }
];

/** Classes the editor sets after drawing (kept when an element is updated). */
const DYNAMIC = new Set(['lint', 'path', 'current', 'error']);

export class GraphView extends Widget {
  readonly selected = new Signal<this, string | null>(this);
  /** A node was dragged: its id and new centre. */
  readonly moved = new Signal<this, { id: string; x: number; y: number }>(this);
  private cy: cytoscape.Core;
  private drawnOnce = false;
  private styleKey = '';

  constructor() {
    super();
    this.addClass('jp-WorkbenchGraph');
    this.cy = cytoscape({
      container: this.node,
      style: [...FALLBACK_STYLE, ...EDITOR_STYLE],
      layout: { name: 'preset' },
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      autounselectify: false
    });
    this.cy.on('tap', event => {
      if (event.target === this.cy) {
        this.selected.emit(null);
      }
    });
    this.cy.on('tap', 'node', event => {
      const node = event.target as cytoscape.NodeSingular;
      this.selected.emit(node.id());
    });
    this.cy.on('dragfree', 'node', event => {
      const node = event.target as cytoscape.NodeSingular;
      const { x, y } = node.position();
      this.moved.emit({ id: node.id(), x, y });
    });
  }

  get core(): cytoscape.Core {
    return this.cy;
  }

  /** The server's stylesheet (set again only when it changed: a new style restyles all). */
  setStyle(style: unknown[]): void {
    const key = JSON.stringify(style);
    if (key !== this.styleKey) {
      this.styleKey = key;
      this.cy.style([...(style as any[]), ...EDITOR_STYLE]);
    }
  }

  /** Draw these elements (every one has a position), keeping the selection and the view.
   * Only what changed is touched: an edit of a 300-node flow redraws a few elements. */
  draw(graph: Graph, selected: string | null): void {
    const elements = [...graph.nodes, ...graph.edges];
    const wanted = new Set(elements.map(e => e.data.id));
    this.cy.batch(() => {
      this.cy.elements().forEach(el => {
        if (!wanted.has(el.id()) && !el.removed()) {
          el.remove();
        }
      });
      for (const element of elements) {
        this.upsert(element);
      }
      this.cy.elements(':selected').forEach(el => {
        if (el.id() !== selected) {
          el.unselect();
        }
      });
      if (selected) {
        this.cy.getElementById(selected).select();
      }
    });
    if (!this.drawnOnce && this.isVisible) {
      this.drawnOnce = true;
      this.cy.resize();
      this.cy.fit(undefined, 30);
    }
    this.node.dataset.nodes = String(graph.nodes.length);
    this.node.dataset.edges = String(graph.edges.length);
  }

  private upsert(element: Element): void {
    const existing = this.cy.getElementById(element.data.id);
    if (existing.empty()) {
      this.cy.add({
        group: element.group,
        data: { ...element.data },
        classes: element.classes,
        position: element.position ? { ...element.position } : undefined
      } as cytoscape.ElementDefinition);
      return;
    }
    const data = existing.data();
    if (Object.entries(element.data).some(([key, value]) => data[key] !== value)) {
      existing.data({ ...element.data });
    }
    const dynamic = existing.classes().filter(c => DYNAMIC.has(c));
    const base = existing.classes().filter(c => !DYNAMIC.has(c));
    const classes = element.classes.split(' ').filter(Boolean);
    if (base.join(' ') !== classes.join(' ')) {
      existing.classes([...classes, ...dynamic]);
    }
    if (element.position && existing.isNode()) {
      const { x, y } = existing.position();
      if (x !== element.position.x || y !== element.position.y) {
        existing.position({ ...element.position });
      }
    }
  }

  /** Mark the nodes with lint problems (their messages as the nodes' titles). */
  markProblems(problems: Map<string, string[]>): void {
    this.cy.batch(() => {
      // only the elements that change: a class change restyles every element it is asked of
      this.cy.nodes('.lint').forEach(node => {
        if (!problems.has(node.id())) {
          node.removeClass('lint');
        }
      });
      for (const [id, messages] of problems) {
        const node = this.cy.getElementById(id);
        if (!node.hasClass('lint')) {
          node.addClass('lint');
        }
        if (node.data('problems') !== messages.join('\n')) {
          node.data('problems', messages.join('\n'));
        }
      }
    });
  }

  /** The last turn's path (nodes and the edges between them) and the current node. */
  highlight(path: string[], current: string | null, error: boolean): void {
    this.cy.batch(() => {
      this.cy.elements('.path, .current, .error').removeClass('path current error');
      path.forEach((id, i) => {
        this.cy.getElementById(id).addClass('path');
        if (i > 0) {
          this.cy
            .edges()
            .filter(e => e.data('source') === path[i - 1] && e.data('target') === id)
            .addClass('path');
        }
      });
      if (current) {
        this.cy.getElementById(current).addClass(error ? 'error' : 'current');
      }
    });
    this.node.dataset.current = current ?? '';
  }

  /** Select one element (or none), nothing else changes. */
  select(id: string | null): void {
    this.cy.batch(() => {
      this.cy.elements(':selected').forEach(el => {
        if (el.id() !== id) {
          el.unselect();
        }
      });
      if (id) {
        this.cy.getElementById(id).select();
      }
    });
  }

  fit(): void {
    this.cy.resize();
    this.cy.fit(undefined, 30);
  }

  /** The centre of the view, in graph coordinates (where a new node goes). */
  viewCentre(): { x: number; y: number } {
    const extent = this.cy.extent();
    return { x: (extent.x1 + extent.x2) / 2, y: (extent.y1 + extent.y2) / 2 };
  }

  protected onResize(): void {
    this.cy.resize();
  }

  protected onAfterShow(): void {
    this.cy.resize();
    if (!this.drawnOnce && this.cy.nodes().length) {
      this.drawnOnce = true;
      this.cy.fit(undefined, 30);
    }
  }

  protected onAfterAttach(): void {
    this.cy.resize();
  }

  dispose(): void {
    if (!this.isDisposed) {
      this.cy.destroy();
    }
    super.dispose();
  }
}
