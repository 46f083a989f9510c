/**
 * The fields the default model adds. v1: as Python's `MmStats` does (with `org.nodejs.version`
 * for `org.python.version`); each is resolved when an instance is opened, so `sys.tid` is the
 * opening thread's and `sys.created` the instance's own time (Python resolves them once per
 * class, fixtures/v1/python-0.8.0/README.md, which makes every thread repeat the first one's).
 *
 * v2: only `org.nodejs.version`. The v2 header holds the pid, the thread id, the process start
 * time and the creation time (spec/format-v2.md#header), which is where readers and cleaners
 * look for them; the writer's user is the file's owner. Repeating them as records would only
 * give readers two places to disagree.
 *
 * @module
 */
import { staticDouble, staticInt64, staticText, staticUint, staticUint64 } from './fields.js';
import { osThreadId } from './common/thread-id.js';

/** v1: `sys.pid`, `sys.tid`, `sys.uid`, `sys.gid`, `org.nodejs.version`, `sys.created`. */
export const systemFields = {
  /** `sys.pid`: the process id. */
  pid: staticUint({ label: 'sys.pid', value: () => process.pid }),
  /** `sys.tid`: the OS thread id of the thread that opened the file. */
  tid: staticInt64({ label: 'sys.tid', value: osThreadId }),
  /** `sys.uid`: the user id the process runs as. */
  uid: staticUint64({ label: 'sys.uid', value: () => process.getuid?.() ?? 0 }),
  /** `sys.gid`: the group id the process runs as. */
  gid: staticUint64({ label: 'sys.gid', value: () => process.getgid?.() ?? 0 }),
  /** `org.nodejs.version`: `process.version`, where Python writes `org.python.version`. */
  nodeVersion: staticText({ label: 'org.nodejs.version', value: () => process.version }),
  /** `sys.created`: when the file was opened, in Unix seconds. */
  created: staticDouble({ label: 'sys.created', value: () => Date.now() / 1000 }),
} as const;

/** v2: `org.nodejs.version` (an `info` record); the rest is header data (see the module comment). */
export const systemFieldsV2 = {
  /** `org.nodejs.version`: `process.version`. */
  nodeVersion: systemFields.nodeVersion,
} as const;
