// Test helpers that need no ava, so that benchmarks can import them as well as tests: the
// external programs the tests use, and waiting for a condition.

/** An external program a test needs. */
export interface Tool {
  /** The executable's path. */
  readonly path: string;
  /** The Debian package that installs it. */
  readonly debianPackage: string;
}

/** Debian's chromium. */
export const CHROMIUM: Tool = { path: '/usr/bin/chromium', debianPackage: 'chromium' };
/** `promtool`, from Debian's prometheus package. */
export const PROMTOOL: Tool = { path: '/usr/bin/promtool', debianPackage: 'prometheus' };
/** The Prometheus server, from Debian's prometheus package. */
export const PROMETHEUS: Tool = { path: '/usr/bin/prometheus', debianPackage: 'prometheus' };

/**
 * Polls `probe` until it returns something other than `undefined`, for up to `timeoutMs`
 * (generous by default: these machines are small and busy).
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last === undefined ? '' : ` (last error: ${String(last)})`}`);
}
