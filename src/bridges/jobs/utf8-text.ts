/**
 * UTF-8 text of bytes, invalid sequences as U+FFFD. Buffer's decoder, not TextDecoder: for the
 * short contexts and payloads of jobs it is several times faster (measured with bench:jobs).
 */
export function utf8Text(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('utf8');
}
