/**
 * Where a stats file goes: `path` (a directory) and `filename` templates with `{CMD}`,
 * `{NAME}`, `{PID}` and `{TID}`, and the environment defaults Python's mmstats reads
 * (spec/files.md#file-names).
 *
 * @module
 */
import { basename, join } from 'node:path';
import { MmstatsError } from '@mmstats/format';
import { defaultStatsDirectory } from './default-directory.js';

/** The file name template used when neither the `filename` option nor `MMSTATS_FILES` is set. */
export const DEFAULT_FILENAME = '{CMD}-{PID}-{TID}.mmstats';

/** What the placeholders stand for. */
export interface TemplateValues {
  /** `{CMD}`: the program's name. */
  readonly cmd: string;
  /** `{NAME}`: the service's (or model's) name; default `cmd`. */
  readonly name?: string;
  /** `{PID}`: the process id. */
  readonly pid: number;
  /** `{TID}`: the OS thread id. */
  readonly tid: number;
}

/**
 * `{CMD}` for this process: the base name of the script Node runs (`server.js` for
 * `node server.js`), as Python uses `basename(sys.argv[0])`; `node` when there is no script
 * (REPL, `node -e`).
 */
export function commandName(): string {
  const script = process.argv[1];
  const name = basename(script === undefined || script === '' ? process.argv0 : script);
  return name === '' ? 'node' : name;
}

/** Replaces `{CMD}`, `{NAME}`, `{PID}` and `{TID}` in `template`; other text is kept as it is. */
export function expandTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{(CMD|NAME|PID|TID)\}/g, (_, name: string) => placeholderText(name, values));
}

function placeholderText(placeholder: string, values: TemplateValues): string {
  switch (placeholder) {
    case 'CMD':
      return values.cmd;
    case 'NAME':
      return values.name ?? values.cmd;
    case 'PID':
      return String(values.pid);
    default:
      return String(values.tid);
  }
}

/**
 * The template values of a file this thread (`tid`) opens with the `name` option: the program,
 * the checked name (default the program's), the process.
 *
 * @throws MmstatsError INVALID_FIELD for a name that is empty, `.` or `..`, over 200
 *   characters, or holds `/` or NUL (it goes into a file name, spec/files.md#file-names)
 */
export function templateValues(name: string | undefined, tid: number): Required<TemplateValues> {
  const cmd = commandName();
  if (name !== undefined && !isFileNamePart(name)) {
    throw new MmstatsError('INVALID_FIELD', `name ${JSON.stringify(name.slice(0, 60))} cannot be part of a file name: 1 to 200 characters, not "." or "..", no "/" or NUL`);
  }
  return { cmd, name: name ?? cmd, pid: process.pid, tid };
}

/**
 * Whether `name` can be a writer's `name` option (`{NAME}` in a file name, the service):
 * 1 to 200 characters, not `.` or `..`, no `/` or NUL.
 */
export function isFileNamePart(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && name.length <= 200 && !/[/\0]/.test(name);
}

/** Where a stats file goes, and what keeps the default directory from being used. */
export interface StatsLocation {
  /** The file's full path. */
  readonly path: string;
  /** Set when the default directory (no `path` option, no `MMSTATS_PATH`) could not be had: the file cannot be made. */
  readonly error: MmstatsError | undefined;
}

/**
 * The full path of the stats file: in the directory template `option`, else `MMSTATS_PATH`,
 * else the default directory `<tmpdir>/mmstats-<euid>` (made private and checked, see
 * `default-directory.ts`; spec/files.md#default-directory), named by `filename`.
 */
export function statsLocation(option: string | undefined, filename: string, values: TemplateValues): StatsLocation {
  const explicit = option ?? nonEmpty(process.env['MMSTATS_PATH']);
  const { dir, error } = explicit === undefined ? defaultStatsDirectory() : { dir: explicit, error: undefined };
  return { path: statsPath(dir, filename, values), error };
}

/** The file name template: the option, else `MMSTATS_FILES`, else {@link DEFAULT_FILENAME}. */
export function filenameTemplate(option: string | undefined): string {
  return option ?? nonEmpty(process.env['MMSTATS_FILES']) ?? DEFAULT_FILENAME;
}

/** The full path of the stats file for these templates and values. */
export function statsPath(path: string, filename: string, values: TemplateValues): string {
  return join(expandTemplate(path, values), expandTemplate(filename, values));
}

/**
 * A matcher for the names this process's other threads would have used with the same
 * `filename` template (same `{CMD}`, `{NAME}` and `{PID}`, any `{TID}`), returning that TID; or
 * `undefined` when the template does not name both `{PID}` and `{TID}` (spec/files.md#removal).
 */
export function siblingMatcher(filename: string, values: Omit<TemplateValues, 'tid'>): ((name: string) => number | undefined) | undefined {
  if (!filename.includes('{PID}') || !filename.includes('{TID}') || filename.includes('/')) return undefined;
  const parts = filename.split(/(\{(?:CMD|NAME|PID|TID)\})/);
  const source = parts
    .map((part) => {
      if (part === '{CMD}') return escape(values.cmd);
      if (part === '{NAME}') return escape(values.name ?? values.cmd);
      if (part === '{PID}') return String(values.pid);
      if (part === '{TID}') return '(\\d+)';
      return escape(part);
    })
    .join('');
  const pattern = new RegExp(`^${source}$`);
  return (name) => {
    const match = pattern.exec(name);
    if (match === null) return undefined;
    // Every {TID} in the name must be the same thread.
    const tids = match.slice(1);
    return tids.every((tid) => tid === tids[0]) ? Number(tids[0]) : undefined;
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
