/**
 * A task whose calls never overlap: each call starts once the previous one has finished (write-behind flushes, where
 * a timer's flush and an explicit one must not write the same pending rows twice). A call fails if an earlier one did.
 */
export function serialized(task: () => Promise<void>): () => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  return () => (tail = tail.then(task));
}
