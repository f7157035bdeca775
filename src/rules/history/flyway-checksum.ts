import { crc32 } from 'node:zlib';

/**
 * The checksum Flyway stores in flyway_schema_history for a SQL migration. Flyway's ChecksumCalculator reads
 * the file line by line (BufferedReader.readLine, which drops `\n`, `\r\n` and `\r`), removes a byte-order
 * mark from the first line, and feeds each line's UTF-8 bytes to one CRC-32; the result is a signed 32-bit int.
 * Feeding the lines one after another is the CRC of their concatenation, so this is the CRC of the text
 * without its line breaks — line endings never change the checksum, any other byte does.
 */
export function flywayChecksum(content: Uint8Array | string): number {
  let text = typeof content === 'string' ? content : utf8(content);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return crc32(Buffer.from(text.replace(/[\r\n]/g, ''), 'utf8')) | 0;
}

/** Lines as Flyway sees them: without terminators and without the BOM (to find the first edited line). */
export function flywayLines(content: Uint8Array | string): string[] {
  let text = typeof content === 'string' ? content : utf8(content);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.split(/\r\n|\r|\n/);
}

/** Bytes as UTF-8 text (a Buffer is a Uint8Array; the declared type needs no @types/node). */
function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
