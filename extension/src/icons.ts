import { LabIcon } from '@jupyterlab/ui-components';

const FLOW_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161"><rect x="2" y="3" width="8" height="5" rx="1"/><rect x="14" y="9.5" width="8" height="5" rx="1"/><rect x="2" y="16" width="8" height="5" rx="1"/><path d="M10 5.5h3v6h1v1h-2v-5.5h-2zM10 18.5h3v-5h1v1h-1v5h-3z"/></g></svg>`;
const BOT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161"><rect x="4" y="7" width="16" height="12" rx="3"/><rect x="11" y="3" width="2" height="4"/><circle cx="12" cy="3" r="1.5"/></g><g fill="#fff"><circle cx="9" cy="12" r="1.6"/><circle cx="15" cy="12" r="1.6"/><rect x="9" y="15" width="6" height="1.4" rx=".7"/></g></svg>`;

export const flowIcon = new LabIcon({ name: 'bot-workbench:flow', svgstr: FLOW_SVG });
export const botIcon = new LabIcon({ name: 'bot-workbench:bot', svgstr: BOT_SVG });
