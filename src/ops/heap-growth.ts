// How far V8 lets a serving process's old generation grow between full collections.
//
// By default V8 picks the growth factor itself, from how fast it collects against how fast the program
// allocates: under load that is up to 4× what survived the last full collection. A server holds about
// 45 MB that lives (code, schemas, the page cache), so a busy minute left 200–300 MB committed, and V8
// keeps what it committed long after the load is gone. A fixed 30 % keeps the old generation near what
// lives: bench/memory.bench.ts, side by side, RSS after its mixed load 185–192 MB against 234–303 MB
// with V8's own factor. The price is more full collections (33 against 9 in the signed-in page bench,
// 220 against 70 ms in all over about a minute of load, incremental and mostly off the main thread),
// with no change in the server's CPU per page or per POST that the benches could tell from noise.
//
// Only `parley serve` sets it: a command-line import promotes most of what it allocates, and there
// collecting that often would cost much more than it saves.

/** The V8 flag for the serving process, or null: V8 keeps its own factor (0), or the operator set one in NODE_OPTIONS or on the command line. */
export function heapGrowingFlag(percent: number, nodeOptions: string | undefined, execArgv: readonly string[]): string | null {
  if (percent === 0) return null;
  const setByOperator = [nodeOptions ?? '', ...execArgv].some((arg) => /--heap[-_]growing[-_]percent/.test(arg));
  return setByOperator ? null : `--heap-growing-percent=${percent}`;
}
