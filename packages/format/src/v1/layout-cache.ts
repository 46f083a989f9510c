/**
 * Reusing v1 layouts across files laid out alike. The threads and processes of one program
 * write files whose records differ only in their values: a file whose bytes match, record by
 * record, those of a file parsed before (label and type sizes, labels, type signatures,
 * buffered or not) has that file's layout, and is checked in a fraction of the time a parse
 * takes (no string is decoded, nothing allocated).
 *
 * @module
 */
import type { Result } from '../common/errors.js';
import { parseV1Layout, V1_UNBUFFERED, type V1Layout } from './layout.js';

/** Layouts a {@link V1LayoutCache} keeps by default: 8. */
export const DEFAULT_V1_LAYOUT_CACHE_SIZE = 8;

/** Files whose layout ends past this many bytes are parsed but not kept: 1 MiB. */
const MAX_KEPT_END = 1 << 20;

interface Entry {
  readonly layout: V1Layout;
  /** The bytes of the file the layout was parsed from, up to its `end`. */
  readonly bytes: Uint8Array;
}

/**
 * {@link parseV1Layout} with the last layouts parsed kept, most recent first, for files laid
 * out byte for byte alike (spec/format-v1.md#field-record). A file matches a kept layout when
 * every byte of every record other than its value (or buffers) and write-buffer byte is the
 * same, each write-buffer byte says the same buffering (0 or 1 for buffered, 0xff for not),
 * and the fields end at the same offset (spec/format-v1.md#end-of-fields). Such a file
 * decodes to the same layout, so the kept object is returned; any other file is parsed.
 * Results are exactly {@link parseV1Layout}'s.
 */
export class V1LayoutCache {
  readonly #entries: Entry[] = [];
  readonly #size: number;

  /** @param size - how many layouts to keep; default {@link DEFAULT_V1_LAYOUT_CACHE_SIZE} */
  constructor(size: number = DEFAULT_V1_LAYOUT_CACHE_SIZE) {
    this.#size = size;
  }

  /** The layout of `bytes` (the whole file), kept or parsed; a coded error as {@link parseV1Layout} gives it. */
  parse(bytes: Uint8Array): Result<V1Layout> {
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (!matches(entry, bytes)) continue;
      if (i > 0) {
        entries.splice(i, 1);
        entries.unshift(entry);
      }
      return { ok: true, value: entry.layout };
    }
    const parsed = parseV1Layout(bytes);
    if (parsed.ok && parsed.value.end <= MAX_KEPT_END && this.#size > 0) {
      entries.unshift({ layout: parsed.value, bytes: bytes.slice(0, parsed.value.end) });
      if (entries.length > this.#size) entries.pop();
    }
    return parsed;
  }
}

/** Whether `bytes` has the layout of `entry` (see {@link V1LayoutCache}). */
function matches({ layout, bytes: kept }: Entry, bytes: Uint8Array): boolean {
  const end = layout.end;
  if (bytes.length < end) return false;
  // The end of fields at `end`: the end of the file, one trailing zero byte, or a label_sz of 0.
  const left = bytes.length - end;
  if (left === 1 ? bytes[end] !== 0 : left >= 2 && (bytes[end] !== 0 || bytes[end + 1] !== 0)) return false;
  if (bytes[0] !== kept[0]) return false;
  for (const field of layout.fields) {
    for (let i = field.offset; i < field.writeBufferOffset; i++) if (bytes[i] !== kept[i]) return false;
    const w = bytes[field.writeBufferOffset]!;
    if (field.buffered ? w !== 0 && w !== 1 : w !== V1_UNBUFFERED) return false;
  }
  return true;
}
