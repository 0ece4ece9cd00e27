// Bytes to base64 for JSON uploads (plugins, media), in chunks so large files do
// not overflow the argument list of String.fromCharCode.
export function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
