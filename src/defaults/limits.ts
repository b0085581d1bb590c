/**
 * Limits of the manifest reader (the CLI and the validation plugin). Each bounds what one hostile or broken input can
 * cost; every limit reached is an input error that names the file, never a crash. docs/cli.md explains each one.
 */
export const READ_LIMITS: ReadLimits = Object.freeze({
  /**
   * Largest file (and standard input) read, in bytes: 64 MiB, 30 times Argo CD's HA install manifest (2 MB, the
   * largest single manifest of the real-world corpus). Standard input is read in chunks and refused as soon as it
   * passes the limit, so `check - < /dev/zero` stops after 64 MiB. The CLI flag is `--max-file-size`.
   */
  maxFileBytes: 64 * 1024 * 1024,

  /**
   * Deepest nesting of collections in one document: 200 levels, more than five times the deepest document of the
   * real-world corpus (35, a CRD schema). kubectl's go-yaml stops at 10 000; the reader's own recursion cannot go that
   * deep, and no manifest needs to. The CLI flag is `--max-depth`.
   */
  maxDepth: 200,

  /**
   * Share of the JavaScript heap that the objects read, plus what checking them will need (`heapReservePerObject`
   * each), may fill: 0.8 of `v8.getHeapStatistics().heap_size_limit`. Past it, reading stops with an input error, and
   * the objects read so far are checked, instead of Node aborting out of memory.
   */
  maxHeapFraction: 0.8,

  /**
   * Heap set aside per object read, for checking it and reporting its findings: 2 KiB, twice what a million small pods
   * with one finding each needed (1 KiB per object).
   */
  heapReservePerObject: 2048,
});

/** Limits of the manifest reader; see `READ_LIMITS` for what each one bounds and its default. */
export interface ReadLimits {
  /** Largest file (and standard input) read, in bytes. */
  readonly maxFileBytes: number;
  /** Deepest nesting of collections in one document. */
  readonly maxDepth: number;
  /** Share of the JavaScript heap the objects read and their checking may fill before reading stops with an error. */
  readonly maxHeapFraction: number;
  /** Heap set aside per object read, for checking it. */
  readonly heapReservePerObject: number;
}
