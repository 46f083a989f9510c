/**
 * Who wrote a stats file: process and thread ids and times, from the v1 `sys.*` fields or the
 * v2 header, so that tools that poll, clean or label files (spec/files.md#removal) read them
 * one way.
 *
 * @module
 */
import type { StatsSnapshot } from './fields.js';

/** What a file says about its writer. Every member is absent when the file does not say. Times are Unix seconds. */
export interface WriterInfo {
  /** Process id of the writer (v1 `sys.pid`, v2 header `pid`): a positive integer. */
  readonly pid?: number;
  /** OS thread id of the writing thread (v1 `sys.tid`, v2 header `tid`). */
  readonly tid?: number;
  /** When the file was created (v1 `sys.created`, v2 header `created`). */
  readonly created?: number;
  /** v2 only: when the writer's process started, to tell a reused pid (spec/format-v2.md#lifecycle). */
  readonly processStart?: number;
  /** v2 only: the writer's last heartbeat; absent while it has none (header `heartbeat` 0). */
  readonly heartbeat?: number;
}

/**
 * What `snapshot` says about its writer.
 *
 * - v1 (spec/files.md#removal): the first field whose label is `sys.pid`, `sys.tid` or
 *   `sys.created`, or ends with `.sys.pid` (...) when the model was opened with a label prefix
 *   (`web.stats.sys.pid`). A pid or tid must be a positive integer, `created` a finite number
 *   (integer types read as `bigint` are converted); anything else is left out.
 * - v2 (spec/format-v2.md#header): the header's `pid`, `tid`, `created`, `process_start`, and
 *   `heartbeat` unless it is 0; a `pid` or `tid` of 0 and a time of 0 are left out.
 */
export function writerInfo(snapshot: StatsSnapshot): WriterInfo {
  const header = snapshot.header;
  if (snapshot.version === 2 && header !== undefined) {
    return compact({
      pid: positiveInteger(header.pid),
      tid: positiveInteger(header.tid),
      created: positiveTime(header.created),
      processStart: positiveTime(header.processStart),
      heartbeat: positiveTime(header.heartbeat),
    });
  }
  const sys = (name: string): unknown => {
    const field = snapshot.fields.find((f) => f.label === `sys.${name}` || f.label.endsWith(`.sys.${name}`));
    return field?.value;
  };
  return compact({ pid: positiveInteger(sys('pid')), tid: positiveInteger(sys('tid')), created: finite(sys('created')) });
}

function positiveInteger(value: unknown): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'bigint') return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function finite(value: unknown): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'bigint') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function positiveTime(value: number): number | undefined {
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Drops the members that are `undefined` (absent is not `undefined` under exactOptionalPropertyTypes). */
function compact(info: { [K in keyof WriterInfo]?: WriterInfo[K] | undefined }): WriterInfo {
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as WriterInfo;
}
