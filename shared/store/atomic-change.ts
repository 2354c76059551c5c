/**
 * An all-or-nothing change of one resource (the anchor) together with any number of related items,
 * costing O(items changed).
 *
 * Why this is hand-written: DynamoDB transactions hold at most 100 items, and no library offers
 * atomic multi-transaction writes that stay O(k) (the alternatives are keeping members in a list in
 * the group item, which makes every change O(group size) and caps groups at 400 KB, or a
 * write-ahead copy of the whole group). So a change that does not fit one transaction is applied in
 * chunks:
 *
 * 1. The first chunk moves the anchor to its new version (conditioned on the version read) and sets
 *    an in-progress marker (`changeToken`) on it, together with as many related writes as fit.
 * 2. Each later chunk carries ≤ 99 related writes plus an anchor write conditioned on the marker,
 *    so nothing continues a change that was rolled back or overtaken. The last clears the marker.
 * 3. While the marker is set every other writer of the anchor fails its condition (they all require
 *    attribute_not_exists(changeToken)), so the chunks cannot interleave with another change.
 * 4. If a chunk fails, the chunks already written are undone in reverse order by compensating
 *    transactions (each op carries its own inverse), the last of which restores the anchor as it
 *    was and clears the marker; then the original failure is thrown.
 *
 * Readers are not isolated: between chunks a reader can see the new version with part of the
 * member changes. Atomicity is what the IdP needs (a failed PATCH changed nothing, a successful one
 * changed everything); a crash between chunks leaves the marker set, which blocks further writes to
 * the anchor and names the change (`changeStartedAt`) for an operator or the reconciler to undo.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from './client';
import { MAX_TRANSACTION_ITEMS, transact } from './transact';
import type { Write } from './transact';

/** A step of a change: the writes that do it, the writes that undo it, and how it moves the anchor's count. */
export interface ChangeOp {
  forward: Write[];
  undo: Write[];
  delta: number;
}

export interface Anchor {
  /** The anchor's own writes (with its version condition); with a token, marks the change as in progress. */
  begin(delta: number, token: string | undefined): ChangeOp[];
  /** The anchor write of a later chunk, conditioned on the marker; the last one clears it. */
  step(delta: number, token: string, last: boolean): Write;
  /** Undoes `step` (before the marker is cleared by the final compensation). */
  undoStep(delta: number, token: string): Write;
}

interface Chunk {
  ops: ChangeOp[];
  delta: number;
}

const sumDelta = (ops: ChangeOp[]) => ops.reduce((sum, op) => sum + op.delta, 0);
const size = (ops: ChangeOp[]) => ops.reduce((sum, op) => sum + op.forward.length, 0);

export async function applyChange(db: Db, anchor: Anchor, ops: ChangeOp[]): Promise<void> {
  const whole = anchor.begin(sumDelta(ops), undefined);
  if (size(whole) + size(ops) <= MAX_TRANSACTION_ITEMS) {
    await transact(
      db,
      [...whole, ...ops].flatMap((op) => op.forward),
    );
    return;
  }

  const token = randomUUID();
  const beginOps = anchor.begin(0, token);
  const reserve = Math.max(
    size(beginOps),
    beginOps.reduce((sum, op) => sum + op.undo.length, 0),
  );
  const chunks = pack(ops, MAX_TRANSACTION_ITEMS - reserve);

  const written: { chunk: Chunk; begin?: ChangeOp[] }[] = [];
  for (const [index, chunk] of chunks.entries()) {
    const last = index === chunks.length - 1;
    try {
      if (index === 0) {
        const begin = anchor.begin(chunk.delta, token);
        await transact(
          db,
          [...begin, ...chunk.ops].flatMap((op) => op.forward),
        );
        written.push({ chunk, begin });
      } else {
        await transact(db, [anchor.step(chunk.delta, token, last), ...chunk.ops.flatMap((op) => op.forward)]);
        written.push({ chunk });
      }
    } catch (failure) {
      await compensate(db, anchor, token, written, failure);
      throw failure;
    }
  }
}

/** First chunk leaves room for the anchor's own writes (and their undo); later chunks for one anchor write. */
function pack(ops: ChangeOp[], firstCapacity: number): Chunk[] {
  const chunks: Chunk[] = [];
  let current: ChangeOp[] = [];
  let capacity = firstCapacity;
  let used = 0;
  for (const op of ops) {
    const cost = Math.max(op.forward.length, op.undo.length);
    if (used + cost > capacity && current.length > 0) {
      chunks.push({ ops: current, delta: sumDelta(current) });
      current = [];
      used = 0;
      capacity = MAX_TRANSACTION_ITEMS - 1;
    }
    current.push(op);
    used += cost;
  }
  chunks.push({ ops: current, delta: sumDelta(current) });
  return chunks;
}

const COMPENSATION_ATTEMPTS = 3;

async function compensate(
  db: Db,
  anchor: Anchor,
  token: string,
  written: { chunk: Chunk; begin?: ChangeOp[] }[],
  failure: unknown,
): Promise<void> {
  for (const { chunk, begin } of [...written].reverse()) {
    const undo = [
      ...(begin ? begin.flatMap((op) => op.undo) : [anchor.undoStep(chunk.delta, token)]),
      ...chunk.ops.flatMap((op) => op.undo),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await transact(db, undo);
        break;
      } catch (error) {
        if (attempt >= COMPENSATION_ATTEMPTS) {
          // The compensation failure is the cause; the original failure is named in the message.
          throw new Error(
            `a multi-transaction change failed (${String(failure)}) and could not be undone (marker ${token} left set)`,
            { cause: error },
          );
        }
      }
    }
  }
}
