/**
 * js-yaml's reading of a text, kept for the last few texts: the editor reads the text it
 * draws, and an edit of that same text then needs no second parse. The values are shared:
 * callers never change them.
 */
import { load } from 'js-yaml';

const SIZE = 4;
const cache = new Map<string, unknown>();

export function loadCached(text: string): unknown {
  if (cache.has(text)) {
    return cache.get(text);
  }
  const value = load(text); // throws YAMLException: nothing is kept then
  cache.set(text, value);
  if (cache.size > SIZE) {
    cache.delete(cache.keys().next().value as string);
  }
  return value;
}
