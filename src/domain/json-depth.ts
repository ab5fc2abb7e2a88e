// How deeply untrusted JSON nests, counted by one pass over the text before it is parsed. JSON.parse is recursive and
// slow on deep input (a 1 MB body of half a million brackets costs ~300 ms of event loop, and the object it builds
// cannot be stringified again); the scan is linear, allocates nothing, and is far cheaper than the parse it guards.
import { DomainError } from './errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Whether JSON text nests arrays and objects deeper than `maxDepth` (brackets inside strings do not count). */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      // Skip the string: to the next quote that no backslash escapes.
      for (index++; index < text.length; index++) {
        const inner = text.charCodeAt(index);
        if (inner === BACKSLASH) index++;
        else if (inner === QUOTE) break;
      }
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

export function tooDeep(maxDepth: number): DomainError {
  return new DomainError('BAD_REQUEST', `JSON input must not nest more than ${maxDepth} levels deep`);
}
