/**
 * Where things are in a flow file's text, found by scanning its lines (no YAML parse): the
 * top-level keys and the blocks of the nodes under `nodes:`. Block-style YAML only; a file
 * written in flow style (`nodes: {a: ...}`) has no blocks and is edited as a whole.
 */

export interface Block {
  name: string;
  /** Offsets of the block in the text: from its key's line to the end of its last line. */
  start: number;
  end: number;
  /** 1-based lines of its key and of its last line. */
  line: number;
  endLine: number;
  indent: number;
}

export interface Layout {
  top: Map<string, Block>;
  nodes: Map<string, Block>;
  /** The indentation of the node keys (2 when there is no node yet). */
  nodeIndent: number;
}

const KEY = /^( *)([A-Za-z_][A-Za-z0-9_]*)\s*:(\s|$)/;

interface Line {
  start: number;
  end: number;
  text: string;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    out.push({ start, end, text: text.slice(start, newline < 0 ? text.length : newline) });
    start = end;
  }
  return out;
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function isContent(text: string): boolean {
  const trimmed = text.trim();
  return trimmed !== '' && !trimmed.startsWith('#');
}

/** The blocks of the keys at `indent` between lines `from` and `to` (exclusive). */
function blocksAt(all: Line[], from: number, to: number, indent: number): Map<string, Block> {
  const blocks = new Map<string, Block>();
  let i = from;
  while (i < to) {
    const match = KEY.exec(all[i].text);
    if (!match || match[1].length !== indent) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < to && !(isContent(all[j].text) && indentOf(all[j].text) <= indent)) {
      j++;
    }
    let last = j - 1; // comments and blank lines after the block belong to what follows
    while (last > i && !isContent(all[last].text)) {
      last--;
    }
    blocks.set(match[2], {
      name: match[2],
      start: all[i].start,
      end: all[last].end,
      line: i + 1,
      endLine: last + 1,
      indent
    });
    i = j;
  }
  return blocks;
}

export function scan(text: string): Layout {
  const all = lines(text);
  const top = blocksAt(all, 0, all.length, 0);
  const nodesBlock = top.get('nodes');
  let nodes = new Map<string, Block>();
  let nodeIndent = 2;
  if (nodesBlock) {
    const first = nodesBlock.line; // the line after `nodes:` (0-based index = line)
    const last = nodesBlock.endLine;
    const child = all.slice(first, last).find(l => isContent(l.text));
    if (child && KEY.test(child.text)) {
      nodeIndent = indentOf(child.text);
      nodes = blocksAt(all, first, last, nodeIndent);
    }
  }
  return { top, nodes, nodeIndent };
}

/** Remove `indent` spaces from every line that has them. */
export function dedent(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map(line => (line.startsWith(pad) ? line.slice(indent) : line.trimStart()))
    .join('\n');
}

export function indentBy(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map(line => (line ? pad + line : line))
    .join('\n');
}
