/**
 * The worker thread that composes a world's posts while the seeding thread writes them (seed/world.ts
 * `composedBatches`). It composes batches in order and posts each one; it stays at most `ahead` batches in front of
 * the writer (`written`, shared, counts the batches written), so memory stays bounded whatever the sizes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchComposer, type ComposeInput } from './compose.js';

export interface ComposeWorkerData {
  input: ComposeInput;
  batchSize: number;
  /** [0]: batches the writer has written (Atomics). */
  written: Int32Array;
  ahead: number;
}

const { input, batchSize, written, ahead } = workerData as ComposeWorkerData;
const composer = new BatchComposer(input);
const n = input.posts.time.length;
for (let from = 0, k = 0; from < n; from += batchSize, k++) {
  for (let w = Atomics.load(written, 0); k - w >= ahead; w = Atomics.load(written, 0)) Atomics.wait(written, 0, w);
  const batch = composer.next(from, Math.min(n, from + batchSize));
  parentPort!.postMessage(batch);
}
