/** `workbench test` results in a panel: each failure links to its line in the test file. */
import { Widget } from '@lumino/widgets';

import { TestsReport } from './api';

export type OpenAt = (path: string, line: number) => void;

export class TestsPanel extends Widget {
  constructor(
    readonly bot: string,
    private openAt: OpenAt
  ) {
    super();
    this.addClass('jp-WorkbenchTests');
    this.id = `workbench-tests-${bot.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    this.title.label = `Tests · ${bot}`;
    this.title.closable = true;
    this.node.textContent = 'Running the conversation tests…';
  }

  private link(path: string, line: number, text: string): HTMLElement {
    const a = document.createElement('a');
    a.className = 'jp-WorkbenchTests-link';
    a.href = '#';
    a.textContent = text;
    a.addEventListener('click', event => {
      event.preventDefault();
      this.openAt(path, line);
    });
    return a;
  }

  report(report: TestsReport): void {
    const node = this.node;
    node.replaceChildren();
    const summary = document.createElement('h3');
    summary.className = report.failed || report.problems.length ? 'jp-mod-failed' : 'jp-mod-passed';
    summary.textContent = report.summary || 'The bot does not load';
    node.append(summary);
    for (const problem of report.problems) {
      const row = document.createElement('div');
      row.className = 'jp-WorkbenchTests-failure';
      row.append(this.link(problem.file, problem.line ?? 1, `${problem.file}:${problem.line ?? 1}`), `: ${problem.message}`);
      node.append(row);
    }
    for (const result of report.results) {
      const row = document.createElement('div');
      row.className = `jp-WorkbenchTests-result ${result.passed ? 'jp-mod-passed' : 'jp-mod-failed'}`;
      row.append(
        `${result.passed ? '✔' : '✘'} ${result.name} `,
        this.link(result.file, result.line, `${result.file}:${result.line}`)
      );
      node.append(row);
      for (const failure of result.failures) {
        const line = document.createElement('div');
        line.className = 'jp-WorkbenchTests-failure';
        line.append(this.link(failure.file, failure.line, `${failure.file}:${failure.line}`), `: ${failure.text}`);
        node.append(line);
      }
    }
  }

  fail(message: string): void {
    this.node.textContent = message;
  }
}
