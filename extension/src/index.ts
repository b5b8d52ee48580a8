import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'bot-workbench:plugin',
  description: 'Bot Workbench: flow editor, emulator panel, commands.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    console.log('bot-workbench activated', app.name);
  }
};

export default plugin;
