/**
 * Bot Workbench in JupyterLab: `*.flow.yml` opens in the flow editor, the bot emulator sits in
 * the right sidebar, and the launcher and palette have New bot, Open content editor, Open
 * analytics and Run conversation tests.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  showDialog,
  showErrorMessage,
  WidgetTracker
} from '@jupyterlab/apputils';
import { CodeEditor, IEditorServices } from '@jupyterlab/codeeditor';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { Widget } from '@lumino/widgets';
import {
  addIcon,
  deleteIcon,
  editIcon,
  listIcon,
  redoIcon,
  runIcon,
  ToolbarButton,
  undoIcon
} from '@jupyterlab/ui-components';

import { createBot, listBots, openDashboard, runTests } from './api';
import { EmulatorPanel } from './emulator';
import { addNode, deleteNode } from './flowEdit';
import { FlowDocument, FlowEditorFactory } from './flowEditor';
import { botIcon, flowIcon } from './icons';
import { TestsPanel } from './testsPanel';

export const FACTORY = 'Bot Flow Editor';
const CATEGORY = 'Bot Workbench';

namespace CommandIDs {
  export const newBot = 'workbench:new-bot';
  export const emulator = 'workbench:open-emulator';
  export const content = 'workbench:open-content-editor';
  export const analytics = 'workbench:open-analytics';
  export const tests = 'workbench:run-tests';
  export const addNode = 'workbench:flow-add-node';
  export const deleteNode = 'workbench:flow-delete-node';
  export const undo = 'workbench:flow-undo';
  export const redo = 'workbench:flow-redo';
  export const fit = 'workbench:flow-fit';
}

function activate(
  app: JupyterFrontEnd,
  editorServices: IEditorServices,
  docManager: IDocumentManager,
  palette: ICommandPalette | null,
  launcher: ILauncher | null,
  browser: IDefaultFileBrowser | null
): void {
  const { commands, docRegistry, serviceManager, shell } = app;
  const tracker = new WidgetTracker<FlowDocument>({ namespace: 'workbench-flow' });

  docRegistry.addFileType({
    name: 'workbench-flow',
    displayName: 'Bot flow',
    extensions: ['.flow.yml'],
    pattern: '.*\\.flow\\.yml$',
    mimeTypes: ['text/x-yaml'],
    icon: flowIcon,
    contentType: 'file',
    fileFormat: 'text'
  });

  const toolbar = (widget: FlowDocument) => {
    const button = (id: string, icon: any, tooltip: string, label?: string) =>
      new ToolbarButton({
        icon,
        label,
        tooltip,
        onClick: () => {
          if (tracker.currentWidget !== widget) {
            app.shell.activateById(widget.id);
          }
          void commands.execute(id);
        }
      });
    widget.toolbar.addItem('workbench-add', button(CommandIDs.addNode, addIcon, 'Add a node', 'Node'));
    widget.toolbar.addItem('workbench-delete', button(CommandIDs.deleteNode, deleteIcon, 'Delete the selected node'));
    widget.toolbar.addItem('workbench-undo', button(CommandIDs.undo, undoIcon, 'Undo'));
    widget.toolbar.addItem('workbench-redo', button(CommandIDs.redo, redoIcon, 'Redo'));
    widget.toolbar.addItem('workbench-fit', button(CommandIDs.fit, undefined, 'Fit the graph', 'Fit'));
    widget.toolbar.addItem('workbench-tests', button(CommandIDs.tests, runIcon, 'Run the conversation tests', 'Tests'));
  };

  const factory = new FlowEditorFactory(
    {
      name: FACTORY,
      label: 'Flow Editor',
      fileTypes: ['workbench-flow'],
      defaultFor: ['workbench-flow'],
      modelName: 'text'
    },
    { editorServices, contents: serviceManager.contents },
    toolbar
  );
  factory.widgetCreated.connect((_, widget) => {
    widget.title.icon = flowIcon;
    widget.context.pathChanged.connect(() => void tracker.save(widget));
    void tracker.add(widget);
  });
  docRegistry.addWidgetFactory(factory);

  const emulator = new EmulatorPanel();
  emulator.title.icon = botIcon;
  shell.add(emulator, 'right', { rank: 600 });
  void app.restored.then(() => emulator.loadBots());

  const current = () => tracker.currentWidget?.content ?? null;
  const hasFlow = () => tracker.currentWidget !== null;

  /** The bot a command is about: given, the open flow's, the emulator's, or asked. */
  async function pickBot(args: { bot?: unknown }, title: string): Promise<string | null> {
    if (typeof args.bot === 'string' && args.bot) {
      return args.bot;
    }
    const bots = await listBots();
    if (!bots.length) {
      await showErrorMessage(title, 'There is no bot under the server root: create one with “New bot”.');
      return null;
    }
    if (bots.length === 1) {
      return bots[0].path;
    }
    const preferred = current()?.bot || emulator.bot;
    const items = bots.map(b => b.path);
    const answer = await InputDialog.getItem({
      title,
      label: 'Bot',
      items,
      current: Math.max(0, items.indexOf(preferred))
    });
    return answer.button.accept ? answer.value : null;
  }

  async function openAt(path: string, line: number): Promise<void> {
    const widget = docManager.openOrReveal(path, 'Editor');
    if (!widget) {
      return;
    }
    await widget.context.ready;
    const editor = (widget.content as unknown as { editor?: CodeEditor.IEditor }).editor;
    if (editor) {
      const position = { line: Math.max(0, line - 1), column: 0 };
      editor.setCursorPosition(position);
      editor.revealPosition(position);
      editor.focus();
    }
  }

  commands.addCommand(CommandIDs.newBot, {
    label: 'New bot',
    caption: 'Create a bot folder from the scaffold (a flow, content, NLU data and a test)',
    icon: botIcon,
    execute: async args => {
      const folder = browser?.model.path ? `${browser.model.path}/` : '';
      const answer =
        typeof args.path === 'string'
          ? { button: { accept: true }, value: args.path }
          : await InputDialog.getText({
              title: 'New bot',
              label: 'Folder (relative to the server root)',
              text: `${folder}my_bot`
            });
      if (!answer.button.accept || !answer.value) {
        return;
      }
      try {
        const bot = await createBot(answer.value);
        await emulator.loadBots();
        emulator.pick(bot.path);
        return docManager.openOrReveal(`${bot.path}/flows/main.flow.yml`, FACTORY);
      } catch (error) {
        await showErrorMessage('New bot', (error as Error).message);
      }
    }
  });

  commands.addCommand(CommandIDs.emulator, {
    label: 'Open bot emulator',
    caption: 'Chat with a bot, see each turn’s trace',
    icon: botIcon,
    execute: async () => {
      shell.activateById(emulator.id);
      await emulator.loadBots();
    }
  });

  const dashboard = (name: string, label: string) => async (args: { bot?: unknown }) => {
    const bot = await pickBot(args, label);
    if (!bot) {
      return;
    }
    try {
      const { url, title } = await openDashboard(bot, name);
      const opened = window.open(url, '_blank');
      if (!opened) {
        const link = document.createElement('a');
        link.href = url;
        link.target = '_blank';
        link.textContent = url;
        await showDialog({ title, body: new Widget({ node: link }), buttons: [Dialog.okButton()] });
      }
      return url;
    } catch (error) {
      await showErrorMessage(label, (error as Error).message);
    }
  };

  commands.addCommand(CommandIDs.content, {
    label: 'Open content editor',
    caption: 'The Voilà page where the bot’s messages are edited',
    icon: editIcon,
    execute: dashboard('content', 'Open content editor')
  });
  commands.addCommand(CommandIDs.analytics, {
    label: 'Open analytics',
    caption: 'The Voilà page of conversation analytics',
    icon: listIcon,
    execute: dashboard('analytics', 'Open analytics')
  });

  commands.addCommand(CommandIDs.tests, {
    label: 'Run conversation tests',
    caption: 'Run the bot’s tests/*.convo.yml, with links to the failing lines',
    icon: runIcon,
    execute: async args => {
      const bot = typeof args.bot === 'string' ? args.bot : current()?.bot || (await pickBot(args, 'Run conversation tests'));
      if (!bot) {
        return;
      }
      const panel = new TestsPanel(bot, (path, line) => void openAt(path, line));
      const main = new MainAreaWidget({ content: panel });
      main.id = panel.id;
      main.title.label = panel.title.label;
      main.title.icon = runIcon;
      shell.add(main, 'main', { mode: 'split-bottom' });
      try {
        panel.report(await runTests(bot));
      } catch (error) {
        panel.fail((error as Error).message);
      }
    }
  });

  commands.addCommand(CommandIDs.addNode, {
    label: 'Add a flow node',
    isEnabled: hasFlow,
    execute: async args => {
      const editor = current();
      if (!editor) {
        return;
      }
      const answer =
        typeof args.name === 'string'
          ? { button: { accept: true }, value: args.name }
          : await InputDialog.getText({ title: 'New node', label: 'Name ([a-z][a-z0-9_]*)', text: 'new_node' });
      if (answer.button.accept && answer.value) {
        const name = answer.value;
        await editor.addNodeAt(name, text => addNode(text, name));
      }
    }
  });
  commands.addCommand(CommandIDs.deleteNode, {
    label: 'Delete the selected flow node',
    isEnabled: () => !!current()?.selectedNode,
    execute: async () => {
      const editor = current();
      const name = editor?.selectedNode;
      if (editor && name) {
        await editor.apply(text => deleteNode(text, name), null);
      }
    }
  });
  commands.addCommand(CommandIDs.undo, {
    label: 'Undo (flow)',
    isEnabled: hasFlow,
    execute: () => current()?.undo()
  });
  commands.addCommand(CommandIDs.redo, {
    label: 'Redo (flow)',
    isEnabled: hasFlow,
    execute: () => current()?.redo()
  });
  commands.addCommand(CommandIDs.fit, {
    label: 'Fit the flow graph',
    isEnabled: hasFlow,
    execute: () => current()?.graph.fit()
  });

  for (const command of [
    CommandIDs.newBot,
    CommandIDs.emulator,
    CommandIDs.content,
    CommandIDs.analytics,
    CommandIDs.tests
  ]) {
    palette?.addItem({ command, category: CATEGORY });
    launcher?.add({ command, category: CATEGORY, rank: 1 });
  }
  for (const command of [CommandIDs.addNode, CommandIDs.deleteNode, CommandIDs.fit]) {
    palette?.addItem({ command, category: CATEGORY });
  }
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'bot-workbench:plugin',
  description: 'Bot Workbench: the flow editor, the bot emulator panel and commands.',
  autoStart: true,
  requires: [IEditorServices, IDocumentManager],
  optional: [ICommandPalette, ILauncher, IDefaultFileBrowser],
  activate
};

export default plugin;
