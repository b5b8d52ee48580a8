/** The server extension's API (`{base_url}workbench/api/`), typed. */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import type { Element } from './flowGraph';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown
  ) {
    super(message);
  }
}

export interface BotInfo {
  name: string;
  path: string;
  languages: string[];
  flows: string[];
}

export interface Problem {
  file: string;
  line: number | null;
  message: string;
  severity: 'error' | 'warning';
}

export interface ServerGraph {
  flows: Record<string, { nodes: Element[]; edges: Element[] }>;
  lint: Problem[];
  style: unknown[];
}

export interface Choice {
  title: string;
  value: string;
}

export interface Reply {
  type: string;
  text: string;
  choices: Choice[];
  image?: string;
  title?: string;
  subtitle?: string;
  buttons?: { title?: string; url?: string; value?: string }[];
  cards?: Reply[];
  [key: string]: unknown;
}

export interface TraceStep {
  kind: string;
  node?: string;
  [key: string]: unknown;
}

export interface Trace {
  turn: number;
  text: string;
  nlu: { intent: string | null; confidence: number; entities: { type: string; value: unknown }[] } | null;
  node_before: string | null;
  node_after: string | null;
  steps: TraceStep[];
  state_before: Record<string, unknown>;
  state_after: Record<string, unknown>;
  user_before: Record<string, unknown>;
  user_after: Record<string, unknown>;
  bot_before: Record<string, unknown>;
  bot_after: Record<string, unknown>;
  ended: boolean;
  error: string | null;
  language: string;
}

export interface Turn {
  replies: Reply[];
  trace: Trace | null;
  path: string[];
  node: string | null;
}

export interface TestFailure {
  file: string;
  line: number;
  text: string;
}

export interface TestResult {
  name: string;
  file: string;
  line: number;
  passed: boolean;
  failures: TestFailure[];
}

export interface TestsReport {
  results: TestResult[];
  passed: number;
  failed: number;
  summary: string;
  problems: Problem[];
}

/** One request to the API; an error answer becomes an `ApiError` with its message. */
export async function requestAPI<T>(
  parts: string[],
  method = 'GET',
  body?: unknown
): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const path = parts.map(encodeURIComponent).join('/');
  const url = URLExt.join(settings.baseUrl, 'workbench/api', path);
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
  }
  const response = await ServerConnection.makeRequest(url, init, settings);
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { message: text };
  }
  if (!response.ok) {
    throw new ApiError(data?.message ?? response.statusText, response.status, data);
  }
  return data as T;
}

export const listBots = () => requestAPI<{ bots: BotInfo[] }>(['bots']).then(r => r.bots);
export const createBot = (path: string) => requestAPI<BotInfo>(['bots'], 'POST', { path });
export const fetchGraph = (bot: string) => requestAPI<ServerGraph>(['bots', bot, 'graph']);
export const say = (
  bot: string,
  cid: string,
  body: { text: string; user_id: string; language: string }
) => requestAPI<Turn>(['bots', bot, 'conversations', cid, 'messages'], 'POST', body);
export const resetConversation = (bot: string, cid: string) =>
  requestAPI<null>(['bots', bot, 'conversations', cid], 'DELETE');
export const runTests = (bot: string) =>
  requestAPI<TestsReport>(['bots', bot, 'tests'], 'POST', {});
export const openDashboard = (bot: string, name: string) =>
  requestAPI<{ url: string; title: string }>(['bots', bot, 'dashboards', name], 'POST', {});

/** `BOT/flows/NAME.flow.yml` → the bot's folder and the flow's name. */
export function flowLocation(path: string): { bot: string; flow: string } {
  const parts = path.split('/');
  const file = parts[parts.length - 1];
  const flow = file.replace(/\.flow\.yml$/, '');
  const bot = parts.length >= 2 && parts[parts.length - 2] === 'flows' ? parts.slice(0, -2) : parts.slice(0, -1);
  return { bot: bot.join('/'), flow };
}
