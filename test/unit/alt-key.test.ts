// A provider's altId is idempotent per provider (docs/behaviour.md#provider-inbound): the key never lets two pairs
// collide.
import { describe, expect, it } from 'vitest';
import { altKeyOf } from '../../src/domain/messages/records.js';

describe('altKeyOf', () => {
  it('never confuses two provider/altId pairs that join to the same text', () => {
    expect(altKeyOf('p:q', 'r')).not.toBe(altKeyOf('p', 'q:r'));
    expect(altKeyOf('a'.repeat(24), 'x')).toBe(altKeyOf('a'.repeat(24), 'x'));
    expect(altKeyOf('a'.repeat(24), undefined)).toBeNull();
  });
});
