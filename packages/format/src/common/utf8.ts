/**
 * UTF-8 for labels and string values. This package compiles without DOM or Node types (it
 * must run in any JS runtime), so it declares the two WHATWG globals it uses; every runtime
 * we target (Node >= 20, browsers, Deno, Bun) provides them.
 *
 * @module
 */

interface WhatwgTextDecoder {
  decode(input: Uint8Array): string;
}
interface WhatwgTextEncoder {
  encode(input: string): Uint8Array;
}
declare const TextDecoder: new (
  label: 'utf-8',
  options: { fatal: boolean; ignoreBOM: boolean },
) => WhatwgTextDecoder;
declare const TextEncoder: new () => WhatwgTextEncoder;

// ignoreBOM keeps a leading U+FEFF as a character, as Python's 'utf8' codec does.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const encoder = new TextEncoder();

/** Decodes UTF-8, or returns `undefined` when the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  // Labels are nearly always short ASCII, where building the string directly is several
  // times faster than a TextDecoder call.
  if (bytes.length <= 256 && isAscii(bytes)) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** Decodes UTF-8, replacing each invalid sequence with U+FFFD. */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return lenient.decode(bytes);
}

/** Encodes a string as UTF-8 (lone surrogates become U+FFFD, as WHATWG specifies). */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Encodes `text` as UTF-8 into at most `maxBytes` bytes, cutting before the first character
 * that would not fit whole, so the result is always valid UTF-8 (spec/format-v1.md#text).
 */
export function encodeUtf8Within(text: string, maxBytes: number): Uint8Array {
  const bytes = encodeUtf8(text);
  if (bytes.length <= maxBytes) return bytes;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character cut in two.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
